"""A sample class of submissions, for the demo, the benchmark and the tests.

    python -m course_build.sample_class [--course DIR] [--honest N]

writes ``<course>/submitted/<student>/neural_networks/<nb>.ipynb`` the way
students submit: the release notebooks with their solution cells filled in.
- the reference: each solution cell holds the source's solution (markers
  removed), each free-text answer the model answer (without the mark scheme);
- buggy students: the reference with the definitions of one variant of the
  submission bank (tests/autograders/bank/<topic>/<variant>.py) in the
  solution cells of the same names;
- a notebook that is not valid JSON, a missing notebook, and a hostile
  student (see ``hostile_notebooks``).
``--honest N`` writes N honest students instead (the reference and bank
variants in turn), for the benchmark.

Deterministic: the same release, source and bank give byte-identical files.
A student's folder is replaced, so the command can be re-run.

``released_copy(folder)`` makes a separate course to grade a class in (the
benchmark and the tests do): this course's config and source, released there
by ``nbgrader generate_assignment`` into its own gradebook.
"""
import argparse
import ast
import itertools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from autograders.items import ASSIGNMENT
from course_build.solution_source import BEGIN, END

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "tests" / "autograders" / "bank"
# A fixed submission time: nbgrader reads it, and files stay identical.
TIMESTAMP = "2025-01-20 12:00:00.000000 UTC"
MODEL_ANSWER = re.compile(r"\*\*Model answer\.\*\*\s*(.*?)\s*(?:\*\*Mark scheme|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Student:
    id: str
    variants: tuple = ()    # bank files, relative to BANK
    broken: tuple = ()      # notebooks submitted as invalid JSON
    missing: tuple = ()     # notebooks not submitted
    hostile: bool = False


CLASS = (
    Student("alice-reference"),
    Student("bob-backprop-hidden-not-divided", ("numpy_net/backprop_hidden_not_divided.py",)),
    Student("carol-sigmoid-naive", ("activations/sigmoid_naive.py",)),
    Student("dave-missing-zero-grad", ("training/missing_zero_grad.py",)),
    Student("erin-simple-net-no-relu", ("regression/simple_net_no_relu.py",)),
    Student("frank-underfit-missing-key", ("fitting/underfit_missing_key.py",)),
    Student("grace-broken-json", broken=("02_numpy_network",)),
    Student("heidi-missing-notebook", missing=("04_fitting",)),
    Student("mallory-hostile", hostile=True),
)
# The students whose grades must not depend on the grader: nothing broken or hostile.
HONEST = tuple(s for s in CLASS if not (s.broken or s.missing or s.hostile))


class SampleClassError(RuntimeError):
    pass


# -- the reference submission ------------------------------------------------

def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def without_markers(source):
    """A source solution cell as a student would write it: no nbgrader markers."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in (BEGIN, END))


def student_answer(model_answer):
    """The model answer's explanation, without its label and mark scheme."""
    match = MODEL_ANSWER.search(model_answer)
    return match.group(1) if match else model_answer


def reference_notebook(release, source):
    """The release notebook with every solution cell filled in from the source."""
    notebook = nbformat.from_dict(release)
    solutions = {nbgrader_meta(c).get("grade_id"): c for c in source.cells
                 if nbgrader_meta(c).get("solution")}
    for cell in notebook.cells:
        solution = solutions.get(nbgrader_meta(cell).get("grade_id"))
        if solution is None:
            continue
        if cell.cell_type == "code":
            cell.source = without_markers(solution.source)
        else:
            cell.source = student_answer(solution.source)
    return notebook


def assignment_notebooks(course):
    """name -> (release, source) notebooks of the assignment, in order."""
    source_dir = course / "source" / ASSIGNMENT
    release_dir = course / "release" / ASSIGNMENT
    names = course_notebooks(course)
    if not names:
        raise SampleClassError(f"no source notebooks in {source_dir}")
    pairs = {}
    for name in names:
        release = release_dir / f"{name}.ipynb"
        if not release.exists():
            raise SampleClassError(f"{release} is missing: run `make release` first")
        pairs[name] = (nbformat.read(release, as_version=4),
                       nbformat.read(source_dir / f"{name}.ipynb", as_version=4))
    return pairs


# -- buggy students: a bank variant in the solution cells ------------------------

@dataclass
class VariantCode:
    imports: list          # import statements, each one source segment
    definitions: dict      # top-level name -> its source (def, class or assignment)
    helpers: list          # other top-level code, in order


def parse_variant(path):
    """A bank file split into imports, named definitions and other statements."""
    text = Path(path).read_text()
    lines = text.splitlines()
    code = VariantCode([], {}, [])
    for index, node in enumerate(ast.parse(text).body):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        segment = "\n".join(lines[first - 1:node.end_lineno])
        name = _defined_name(node)
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the variant's docstring says what the grader must find
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            code.imports.append(segment)
        elif name:
            code.definitions[name] = segment
        else:
            code.helpers.append(segment)
    return code


def _defined_name(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    if len(targets) == 1 and isinstance(targets[0], ast.Name):
        return targets[0].id
    return None


def apply_variant(notebooks, path):
    """Put a variant's definitions into the solution cells named after them.

    Each replaced cell starts with the variant's imports; definitions with no
    cell of their own (helpers) go before the first replaced definition.
    """
    code = parse_variant(path)
    cells = {nbgrader_meta(c).get("grade_id"): c for nb in notebooks.values() for c in nb.cells
             if nbgrader_meta(c).get("solution") and c.cell_type == "code"}
    placed = [name for name in code.definitions if name in cells]
    if not placed:
        raise SampleClassError(f"{path}: no solution cell for any of {sorted(code.definitions)}")
    helpers = [source for name, source in code.definitions.items() if name not in cells]
    helpers += code.helpers
    for position, name in enumerate(placed):
        parts = code.imports + (helpers if position == 0 else []) + [code.definitions[name]]
        cells[name].source = "\n\n".join(parts)


# -- the hostile student --------------------------------------------------------

PATCH_COMPARISONS = '''\
# Make every comparison pass: tests that run in the student's kernel give full marks.
np.allclose = lambda *args, **kwargs: True


def sigmoid(x):
    return np.zeros_like(np.asarray(x, dtype=float))
'''

READ_SECRETS = '''\
from pathlib import Path


def tanh(x):
    return np.tanh(x)


# Look for the course above the working directory: hidden tests, gradebook.
course_roots = [folder for folder in Path.cwd().parents
                if (folder / "gradebook.db").exists() or (folder / "source").is_dir()]
for root in course_roots:
    print("found the course at", root)
    if (root / "gradebook.db").exists():
        print((root / "gradebook.db").read_bytes()[:64])
'''

WRITE_OUTSIDE = '''\
def relu(x):
    return np.maximum(0, x)


# Leave a mark outside the submission folder and in the course.
for folder in [Path.cwd().parent, *course_roots]:
    try:
        (folder / "hostile-was-here.txt").write_text("mallory was here\\n")
    except OSError as error:
        print("write blocked:", error)
'''

NEVER_ENDS = "while True:  # the grader must time this cell out\n    pass\n"


def hostile_notebooks(notebooks):
    """The reference, plus: np.allclose patched (with a wrong sigmoid), the
    course searched and read, files written outside the folder, and a final
    cell that never ends, all in the first notebook."""
    first = notebooks[min(notebooks)]
    cells = {nbgrader_meta(c).get("grade_id"): c for c in first.cells}
    for grade_id, source in (("sigmoid", PATCH_COMPARISONS), ("tanh", READ_SECRETS),
                             ("relu", WRITE_OUTSIDE)):
        if grade_id not in cells:
            raise SampleClassError(f"the first notebook has no {grade_id!r} solution cell")
        cells[grade_id].source = source.rstrip("\n")
    loop = new_code_cell(NEVER_ENDS.rstrip("\n"))
    loop.id = "never-ends"  # a fixed id: nbformat would draw a random one
    first.cells.append(loop)


# -- writing the class -------------------------------------------------------

def student_notebooks(student, pairs):
    """name -> notebook text of one student's submission (missing ones left out)."""
    notebooks = {name: reference_notebook(release, source)
                 for name, (release, source) in pairs.items()}
    for variant in student.variants:
        apply_variant(notebooks, BANK / variant)
    if student.hostile:
        hostile_notebooks(notebooks)
    texts = {}
    for name, notebook in notebooks.items():
        if name in student.missing:
            continue
        text = nbformat.writes(notebook)
        # Cut inside the cells: not JSON, as a crashed editor leaves a file.
        texts[name] = text[: len(text) // 2] if name in student.broken else text
    return texts


def write_student(course, student, pairs):
    folder = course / "submitted" / student.id / ASSIGNMENT
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in student_notebooks(student, pairs).items():
        (folder / f"{name}.ipynb").write_text(text)
    (folder / "timestamp.txt").write_text(TIMESTAMP + "\n")
    return folder


def honest_students(n):
    """n honest students: the reference, then bank variants, topics in turn."""
    topics = [sorted(folder.glob("*.py")) for folder in sorted(BANK.iterdir()) if folder.is_dir()]
    variants = [None] + [path for group in itertools.zip_longest(*topics)
                         for path in group if path is not None]
    students = []
    for index in range(n):
        variant = variants[index % len(variants)]
        label = "reference" if variant is None else variant.stem.replace("_", "-")
        chosen = () if variant is None else (str(variant.relative_to(BANK)),)
        students.append(Student(f"s{index + 1:03d}-{label}", chosen))
    return tuple(students)


def give_own_settings(course, students):
    """Shift each student's notebook-4 settings a little: distinct, and still correct.

    As in a real class, where every student picks settings of their own: the
    2500 epochs become 2500 - index, the learning rate 0.01 shrinks by index
    per mille (the benchmark and the verdict snapshot use it).
    """
    for index, student in enumerate(students):
        path = Path(course) / "submitted" / student.id / ASSIGNMENT / "04_fitting.ipynb"
        if path.is_file():
            text = re.sub(r"'epochs': 2500\b", f"'epochs': {2500 - index}", path.read_text())
            text = re.sub(r"'lr': 0\.01,", f"'lr': {0.01 * (1 - index / 1000):.6g},", text)
            path.write_text(text)


def write_class(course, students=CLASS):
    """Write the students' submissions under <course>/submitted/; return their folders."""
    course = Path(course).resolve()
    pairs = assignment_notebooks(course)
    return [write_student(course, student, pairs) for student in students]


# -- a separate released course ---------------------------------------------------

def nbgrader_env():
    """nbgrader, jupyter and alembic from this interpreter's venv; autograders and
    reference importable in the kernels nbgrader starts (the hidden tests import them)."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def run_nbgrader(course, *args):
    """Run an nbgrader command in the course; its log, or an error that shows it."""
    done = subprocess.run(["nbgrader", *args], cwd=course, env=nbgrader_env(),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SampleClassError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def released_copy(folder):
    """A copy of this course (config and source) at folder, released with nbgrader."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "source", folder / "source")
    run_nbgrader(folder, "generate_assignment", ASSIGNMENT, "--force")
    return folder


def course_notebooks(course):
    """The assignment's notebooks in a course, in order."""
    source = Path(course) / "source" / ASSIGNMENT
    return tuple(sorted(path.stem for path in source.glob("*.ipynb")))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", default=".", help="course root (default: here)")
    parser.add_argument("--honest", type=int, metavar="N",
                        help="write N honest students instead of the sample class")
    args = parser.parse_args(argv)
    students = honest_students(args.honest) if args.honest else CLASS
    folders = write_class(args.course, students)
    print(f"Sample class: {len(folders)} submissions under "
          f"{Path(args.course).resolve() / 'submitted'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
