"""The students' self-check, ``python check.py``, as shipped in the release folder."""
import ast
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograders.items import ASSIGNMENT, NOTEBOOKS, items_of
from course_build import build
from tests.ci.course_repo import RELEASE, ROOT, make_student_folder, runner_environment

CHECK = ROOT / "course_build" / "student_check.py"
# What check.py may import: the standard library and the notebook runners.
ALLOWED_IMPORTS = set(sys.stdlib_module_names) | {"nbformat", "nbclient"}


def run_check(folder, *args):
    result = subprocess.run([sys.executable, str(folder / "check.py"), *args], cwd=folder,
                            env=runner_environment(folder.parent), capture_output=True,
                            text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def visible_checks(notebooks):
    return sum(len(items_of(name)) for name in notebooks)


# -- shipped where the students get it -------------------------------------------------

@pytest.mark.parametrize("copy", [ROOT / "source" / ASSIGNMENT / "check.py",
                                  RELEASE / "check.py"], ids=["source", "release"])
def test_the_committed_copies_are_the_generated_one(copy):
    name, generated = build.student_check_file()
    assert copy.name == name
    assert copy.read_text() == generated == CHECK.read_text(), (
        f"{copy.relative_to(ROOT)} differs from course_build/student_check.py: "
        "run `make release` (python -m course_build, then nbgrader generate_assignment)")


def test_it_needs_nothing_but_the_standard_library_and_the_notebook_runners():
    imported = set()
    for node in ast.walk(ast.parse(CHECK.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS


# -- cell by cell, on a small notebook ---------------------------------------------------

def graded(cell, grade_id, points=None, solution=False):
    cell.metadata["nbgrader"] = {"grade": points is not None, "grade_id": grade_id,
                                 "locked": not solution, "schema_version": 3,
                                 "solution": solution, "task": False}
    if points is not None:
        cell.metadata["nbgrader"]["points"] = points
    return cell


def demo(cell):
    cell.metadata["tags"] = ["demo"]
    return cell


SMALL_NOTEBOOK = [
    graded(new_code_cell("def double(x):\n    return 2 * x"), "double", solution=True),
    graded(new_code_cell("assert double(2) == 4\nprint('ok')"), "test_double", 1),
    graded(new_code_cell('def half(x):\n    """Stub."""\n    raise NotImplementedError()'),
           "half", solution=True),
    graded(new_code_cell("assert half(4) == 2"), "test_half", 2),
    graded(new_code_cell("# count = <your count>\nraise NotImplementedError()"),
           "count", solution=True),
    graded(new_code_cell("assert count == 3"), "test_count", 1),
    graded(new_code_cell("def step(x):\n    return 0"), "step", solution=True),
    graded(new_code_cell('assert step(0) == 1, "step(0) must be 1"'), "test_step", 1),
    graded(new_code_cell("assert step(5) == 1"), "test_step_bare", 1),
    graded(new_code_cell("def broken(:\n    pass"), "broken", solution=True),
    graded(new_code_cell("assert broken() is None"), "test_broken", 1),
    graded(new_code_cell("assert double(1) == 2\n### BEGIN HIDDEN TESTS\nassert False, 'hidden'\n"
                         "### END HIDDEN TESTS\n"), "test_hidden_stripped", 1),
    demo(new_code_cell("raise RuntimeError('demo cells are not run')")),
    new_code_cell("import time\nwhile True:\n    time.sleep(0.05)"),
    graded(new_code_cell("assert double(3) == 6"), "test_after_the_loop", 1),
    graded(new_markdown_cell("YOUR ANSWER HERE"), "why", 2, solution=True),
    graded(new_markdown_cell("Because it is."), "why_answered", 1, solution=True),
]


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    notebook = new_notebook(cells=SMALL_NOTEBOOK)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / "small.ipynb")
    (folder / "check.py").write_text(CHECK.read_text())
    code, output = run_check(folder, "small", "--timeout", "3")
    lines = {line.split()[1]: line for line in output.splitlines()
             if line.startswith("  [") and len(line.split()) > 1}
    return code, output, lines


@pytest.mark.parametrize("grade_id, status, text", [
    ("test_double", "[pass]", ""),
    ("test_half", "[todo]", "half is not written yet"),
    ("test_count", "[todo]", "count is not written yet"),
    ("test_step", "[FAIL]", "step(0) must be 1"),
    ("test_step_bare", "[FAIL]", "this check failed: assert step(5) == 1"),
    ("test_broken", "[FAIL]", "the cell `broken` above failed: SyntaxError"),
    ("test_hidden_stripped", "[pass]", ""),
    ("test_after_the_loop", "[pass]", ""),
    ("why", "[todo]", "write your answer in place of 'YOUR ANSWER HERE'"),
    ("why_answered", "[pass]", ""),
])
def test_each_check_is_reported(small_report, grade_id, status, text):
    _, output, lines = small_report
    assert grade_id in lines, output
    assert lines[grade_id].startswith(f"  {status}"), lines[grade_id]
    assert text in lines[grade_id]


def test_other_failing_cells_are_reported_and_demo_cells_skipped(small_report):
    code, output, _ = small_report
    assert code == 1
    assert "`broken` (cell 10) raised an error: SyntaxError" in output
    assert "cell 14 raised an error: took too long and was stopped" in output
    assert "SyntaxError: invalid syntax (line 1)" in output
    assert "demo cells are not run" not in output
    assert "4 of 10 checks pass (4 of 12 points)" in output


def test_a_dead_kernel_is_reported_and_the_rest_not_run(tmp_path):
    notebook = new_notebook(cells=[
        graded(new_code_cell("assert True"), "test_first", 1),
        new_code_cell("import os\nos._exit(3)"),
        graded(new_code_cell("assert True"), "test_second", 1)])
    nbformat.write(notebook, tmp_path / "dies.ipynb")
    (tmp_path / "check.py").write_text(CHECK.read_text())
    code, output = run_check(tmp_path)
    assert code == 1
    assert "the Python kernel died" in output
    assert "[pass]  test_first" in output and "[skip]  test_second" in output


def test_unknown_notebooks_and_empty_folders_are_usage_errors(tmp_path):
    (tmp_path / "check.py").write_text(CHECK.read_text())
    assert run_check(tmp_path)[0] == 2
    code, output = run_check(tmp_path, "nonexistent")
    assert code == 2 and "no such notebook" in output


def test_an_unreadable_notebook_is_a_failure_with_advice(tmp_path):
    (tmp_path / "check.py").write_text(CHECK.read_text())
    (tmp_path / "cut.ipynb").write_text('{"cells": [')
    code, output = run_check(tmp_path, "cut.ipynb")
    assert code == 1 and "cannot be read" in output


# -- the real assignment ---------------------------------------------------------------

@pytest.mark.slow
def test_the_release_as_shipped_is_not_done_yet(tmp_path):
    folder = make_student_folder(tmp_path / ASSIGNMENT)
    code, output = run_check(folder)
    released = sorted(path.stem for path in folder.glob("*.ipynb"))
    assert code == 1, output
    assert "[pass]" not in output and "[FAIL]" not in output, output
    total = visible_checks(released)
    assert f"0 of {total} visible checks pass, {total} not done yet." in output


@pytest.mark.slow
def test_the_reference_solutions_pass(tmp_path):
    folder = make_student_folder(tmp_path / ASSIGNMENT, "alice-reference")
    code, output = run_check(folder)
    solved = sorted(path.stem for path in folder.glob("*.ipynb"))
    assert code == 0, output
    assert f"All {visible_checks(solved)} visible checks pass." in output


def test_a_buggy_function_fails_its_test_cell_by_name(tmp_path):
    folder = make_student_folder(tmp_path / ASSIGNMENT, "carol-sigmoid-naive",
                                 notebooks=[NOTEBOOKS[0]])
    code, output = run_check(folder, NOTEBOOKS[0])
    assert code == 1, output
    failed = [line for line in output.splitlines() if line.startswith("  [FAIL]")]
    assert len(failed) == 1 and "test_sigmoid" in failed[0] and "overflow" in failed[0], output
    assert "1 failed" in output


@pytest.mark.slow
def test_nbgrader_validate_still_works_beside_it(tmp_path):
    folder = make_student_folder(tmp_path / ASSIGNMENT, "alice-reference",
                                 notebooks=[NOTEBOOKS[0]])
    result = subprocess.run(["nbgrader", "validate", f"{NOTEBOOKS[0]}.ipynb"], cwd=folder,
                            env=runner_environment(tmp_path), capture_output=True, text=True)
    assert "Success! Your notebook passes all the tests." in result.stdout, result.stdout


@pytest.mark.parametrize("path", sorted(RELEASE.glob("*.ipynb")), ids=lambda p: p.stem)
def test_release_notebooks_are_valid_and_name_an_installed_kernel(path):
    """What JupyterLab needs to open and run them (check.py runs them in that kernel)."""
    from jupyter_client.kernelspec import KernelSpecManager

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name in KernelSpecManager().find_kernel_specs()
