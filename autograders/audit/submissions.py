"""Each mutant as a student's submission: the release notebooks with the reference
solution in every solution cell (course_build.sample_class, as for the sample
class and the bank's students) and the mutant's definition in place of the
reference's one.

Only the notebooks a mutant can change are written and graded: its own, and
the notebooks that run its notebook's cells (04_fitting runs the solution
cells of 03_pytorch_training). The other notebooks are the reference's, byte
for byte, which the audit's reference submission grades once.
"""
import ast
import copy
import shutil
from pathlib import Path

import nbformat

from autograders.course import Submission
from autograders.items import ASSIGNMENT, NOTEBOOKS
from course_build.sample_class import (TIMESTAMP, assignment_notebooks, nbgrader_meta,
                                       reference_notebook)

# notebook -> the notebooks whose cells it runs (reference.notebook_reuse)
READS = {"04_fitting": ("03_pytorch_training",)}
REFERENCE_ID = "reference"


def graded_notebooks(notebook):
    """The notebooks a change in this notebook can change the grades of, in order."""
    return tuple(n for n in NOTEBOOKS if n == notebook or notebook in READS.get(n, ()))


def reference_notebooks(course_root):
    """name -> the reference submission's notebook (nbformat), from the course's
    release and source notebooks."""
    return {name: reference_notebook(release, source)
            for name, (release, source) in assignment_notebooks(Path(course_root)).items()}


def replace_definition(cell_source, name, definition):
    """The cell's source with its top-level definition of name replaced."""
    lines = cell_source.splitlines()
    for node in ast.parse(cell_source).body:
        if getattr(node, "name", None) == name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            lines[first - 1:node.end_lineno] = definition.rstrip("\n").splitlines()
            return "\n".join(lines)
    raise ValueError(f"no definition of {name} in the solution cell")


def mutant_notebooks(reference, mutant):
    """name -> notebook text of the mutant's submission (the notebooks it needs)."""
    graded = graded_notebooks(mutant.notebook)
    needed = [n for n in NOTEBOOKS if n in graded or any(n in READS.get(g, ()) for g in graded)]
    texts = {}
    for name in needed:
        notebook = reference[name]
        if name == mutant.notebook:
            notebook = copy.deepcopy(notebook)
            cell = next(c for c in notebook.cells
                        if nbgrader_meta(c).get("grade_id") == mutant.cell)
            cell.source = replace_definition(cell.source, mutant.name, mutant.source)
        texts[name] = nbformat.writes(notebook)
    return texts, graded


def write_submissions(course_root, folder, mutants):
    """Write the reference submission and one per mutant under folder/<id>/<assignment>/.

    Returns the Submissions to grade, the reference first: it checks that the
    notebooks graded for the mutants give the reference full marks. Files are rewritten
    only when their text changes, so a rerun's regrade reuse sees them unchanged.
    """
    folder = Path(folder)
    reference = reference_notebooks(course_root)
    wanted = {mutant.id: mutant_notebooks(reference, mutant) for mutant in mutants}
    # The reference is graded on the notebooks the mutants are graded on (all without mutants).
    graded = tuple(n for n in NOTEBOOKS if not mutants or any(n in g for _, g in wanted.values()))
    wanted = {REFERENCE_ID: ({n: nbformat.writes(nb) for n, nb in reference.items()}, graded),
              **wanted}
    if folder.is_dir():
        for stale in sorted(p for p in folder.iterdir() if p.name not in wanted):
            shutil.rmtree(stale)
    submissions = []
    for student, (texts, graded) in wanted.items():
        target = folder / student / ASSIGNMENT
        target.mkdir(parents=True, exist_ok=True)
        files = {f"{name}.ipynb": text for name, text in texts.items()}
        files["timestamp.txt"] = TIMESTAMP + "\n"
        for stale in target.iterdir():
            if stale.name not in files:
                stale.unlink()
        for file_name, text in files.items():
            path = target / file_name
            if not path.is_file() or path.read_text() != text:
                path.write_text(text)
        submissions.append(Submission(student, ASSIGNMENT, target.resolve(), graded))
    return submissions
