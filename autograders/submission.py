"""Load a student's definitions from a notebook: run its code cells.

Every code cell runs in order in one namespace, except cells tagged
``demo`` (demonstration only: long training, animations, big plots), which
grading never re-runs. A failing cell is recorded and the rest still run, so
one broken cell does not cost the points of unrelated functions.
"""
import contextlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from autograders.student_call import describe_error

DEMO_TAG = "demo"


@dataclass
class CellFailure:
    index: int
    grade_id: str
    error: dict


@dataclass
class LoadedNotebook:
    path: Path
    namespace: dict
    failures: list = field(default_factory=list)


def graded_code_cells(notebook):
    """(index, cell) of the code cells grading runs: all but demo cells."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and DEMO_TAG not in cell.metadata.get("tags", []):
            yield index, cell


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def strip_magics(source):
    """Drop IPython-only lines (%magic, !shell) that plain Python cannot run."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    )


def load_notebook(path):
    """Run the notebook's non-demo code cells; return the namespace and failures.

    Runs with the notebook's folder as working directory (notebooks may read
    their sibling notebooks) and with the Agg backend, so plots draw nothing.
    """
    import nbformat  # here, not at the top: the sandbox shares this module and skips its 1.5 s
    path = Path(path).resolve()
    notebook = nbformat.read(path, as_version=4)
    namespace = {"__name__": "__main__"}
    failures = []
    os.environ.setdefault("MPLBACKEND", "Agg")
    previous = os.getcwd()
    os.chdir(path.parent)
    try:
        for index, cell in graded_code_cells(notebook):
            try:
                code = compile(strip_magics(cell.source), f"<cell {index}>", "exec")
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(code, namespace)  # noqa: S102 - running student code is the point
            except Exception as exc:  # noqa: BLE001 - a failing cell is an outcome
                failures.append(CellFailure(index, grade_id(cell), describe_error(exc)))
    finally:
        os.chdir(previous)
    return LoadedNotebook(path, namespace, failures)
