"""The solution notebooks run top to bottom; the release fails only on stubs.

Timing is reported by bench/notebooks.py, not asserted here.
"""
import re
from pathlib import Path

import nbformat
import pytest

from autograders.items import NOTEBOOKS
from course_build.execute import execute_notebook

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solution_notebook_runs_without_errors(name):
    run = execute_notebook(ROOT / "source" / "neural_networks" / f"{name}.ipynb",
                           allow_errors=True)
    assert run.errors == [], f"{name}: {run.errors}"


DEFINITION = re.compile(r"^(?:def|class)\s+(\w+)|^(\w+)\s*=", re.MULTILINE)


def names_defined_by_solution_cells(notebook):
    """Top-level names the (source) solution cells define."""
    names = set()
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            names |= {a or b for a, b in DEFINITION.findall(cell.source)}
    return names


def missing_name(error):
    match = re.search(r"name '(\w+)' is not defined", error.evalue)
    return match and match[1]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_release_notebook_fails_only_because_of_the_stubs(name):
    path = ROOT / "release" / "neural_networks" / f"{name}.ipynb"
    source = ROOT / "source" / "neural_networks" / f"{name}.ipynb"
    run = execute_notebook(path, allow_errors=True)
    stubbed = names_defined_by_solution_cells(nbformat.read(source, as_version=4))
    # A NameError for something a stubbed cell would have defined is the stub's doing.
    unexpected = [
        error for error in run.errors
        if error.ename != "NotImplementedError"
        and not (error.ename == "NameError" and missing_name(error) in stubbed)
    ]
    assert not unexpected, f"{name}: errors not caused by the stubs: {unexpected}"
    assert any(e.ename == "NotImplementedError" for e in run.errors)
