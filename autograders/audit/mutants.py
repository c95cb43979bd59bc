"""The mutants of every graded function and class of the reference solution.

A target is a reference definition that a solution cell of the source
notebooks inlines (``# %% solution <cell> from reference.<module>:<name>`` in
course_build/templates/): its item is the cell's grade id, or, for a helper
cell that is no item of its own (``evaluate``), the item that calls it.
Settings dictionaries are items too, but values rather than code: they have
no mutants. Each target's source (as reference/ has it) is parsed and every
operator of autograders.audit.operators applied; a mutant that does not
compile, changes nothing in the AST, or repeats an earlier one is dropped.
Order and ids are deterministic: targets in notebook order, then operators
in their order, then node order.
"""
import ast
import dataclasses
import difflib
import importlib
import inspect
import random
import textwrap

from autograders.audit.operators import OPERATORS
from autograders.items import ITEMS_BY_ID, NOTEBOOKS
from course_build import template
from course_build.build import TEMPLATES

# Solution cells that are no item: the item whose judge grades them through its own calls.
HELPER_ITEMS = {"evaluate": "train_and_evaluate"}
SAMPLE_SEED = 2026


@dataclasses.dataclass(frozen=True)
class Target:
    item: str
    cell: str         # grade id of the solution cell holding the definition
    notebook: str
    name: str         # the function or class name
    source: str       # its source, dedented, as in reference/


@dataclasses.dataclass(frozen=True)
class Mutant:
    id: str
    item: str
    cell: str
    notebook: str
    name: str
    operator: str
    description: str
    source: str       # the mutated definition (ast.unparse)
    diff: str         # unified diff of the reference's definition and this one

    def to_json(self):
        return dataclasses.asdict(self)


def targets():
    """Every reference function or class a solution cell inlines, in notebook order."""
    found = []
    for notebook in NOTEBOOKS:
        path = TEMPLATES / f"{notebook}.py"
        for spec in template.parse(path.read_text(), str(path)):
            if spec.kind != "solution" or not spec.module:
                continue
            for name in spec.names:
                obj = getattr(importlib.import_module(spec.module), name)
                if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                    continue
                item = HELPER_ITEMS.get(spec.id, spec.id)
                if item not in ITEMS_BY_ID:
                    raise ValueError(f"{notebook}: solution cell {spec.id!r} grades no item")
                source = textwrap.dedent(inspect.getsource(obj))
                found.append(Target(item, spec.id, notebook, name, source))
    return found


def mutants_of(target):
    """The target's distinct, compiling mutants, in operator and node order."""
    tree = ast.parse(target.source)
    original = ast.unparse(tree)
    seen = {ast.dump(tree)}
    found = []
    for operator in OPERATORS:
        for description, mutated in operator(tree):
            dump = ast.dump(mutated)
            if dump in seen:
                continue
            seen.add(dump)
            try:
                source = ast.unparse(mutated)
                compile(source, f"<mutant of {target.name}>", "exec")
            except (SyntaxError, ValueError, TypeError, RecursionError):
                continue
            diff = "".join(difflib.unified_diff(
                (original + "\n").splitlines(keepends=True),
                (source + "\n").splitlines(keepends=True),
                f"reference {target.name}", f"mutant {target.name}", n=1))
            found.append(Mutant(f"{target.cell}-{len(found) + 1:03d}", target.item,
                                target.cell, target.notebook, target.name,
                                operator.__name__, description, source + "\n", diff))
    return found


def all_mutants(items=None, sample=None):
    """Mutants of the targets of these items (all when None), in order.

    sample: at most this many per item, drawn with a fixed seed (the same
    mutants every time), kept in their order.
    """
    chosen = []
    by_item = {}
    for target in targets():
        if items is None or target.item in items:
            by_item.setdefault(target.item, []).extend(mutants_of(target))
    for item, mutants in by_item.items():
        if sample is not None and len(mutants) > sample:
            keep = set(random.Random(f"{SAMPLE_SEED}:{item}").sample(range(len(mutants)), sample))
            mutants = [m for i, m in enumerate(mutants) if i in keep]
        chosen += mutants
    return chosen


def items_with_mutants():
    """Items with mutants (function and class items), in points-table order."""
    return list(dict.fromkeys(t.item for t in targets()))
