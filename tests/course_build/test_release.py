"""release/ is nbgrader's output for source/, and gives nothing away."""
import re
from pathlib import Path

import nbformat
import pytest

from autograders.items import NOTEBOOKS
from course_build.solution_source import BEGIN, END

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "release" / "neural_networks"
SOURCE = ROOT / "source" / "neural_networks"
MARKERS = (BEGIN, END, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_release_matches_a_fresh_generate_assignment(name, regenerated_release):
    fresh = (regenerated_release / f"{name}.ipynb").read_text()
    assert (RELEASE / f"{name}.ipynb").read_text() == fresh, (
        f"release/{name}.ipynb is stale: run `make release` and commit it")


def test_release_holds_the_same_files_as_a_fresh_one(regenerated_release):
    committed = sorted(p.name for p in RELEASE.iterdir())
    assert committed == sorted(p.name for p in regenerated_release.iterdir())


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_release_has_no_markers(name):
    text = (RELEASE / f"{name}.ipynb").read_text()
    for marker in MARKERS:
        assert marker not in text


def solution_lines(source_notebook):
    """Non-trivial code lines between the solution markers of the source."""
    lines, inside = set(), False
    for cell in source_notebook.cells:
        if not cell.metadata.get("nbgrader", {}).get("solution") or cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in (BEGIN, END):
                inside = stripped == BEGIN
            elif inside and len(stripped) > 12 and not stripped.startswith("#"):
                lines.add(stripped)
    return lines


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_release_contains_no_solution_code(name):
    source = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4)
    release = nbformat.read(RELEASE / f"{name}.ipynb", as_version=4)
    # The stubs must hold none of the solution's lines (shared idioms such as
    # `with torch.no_grad():` may legitimately appear in demo or setup cells).
    release_lines = {line.strip() for c in release.cells if c.cell_type == "code"
                     and c.metadata.get("nbgrader", {}).get("solution")
                     for line in c.source.splitlines()}
    leaked = sorted(solution_lines(source) & release_lines)
    assert not leaked, f"solution lines in release/{name}.ipynb: {leaked}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_answer_cells_are_blank_and_mark_schemes_stay_home(name):
    release = nbformat.read(RELEASE / f"{name}.ipynb", as_version=4)
    answers = [c for c in release.cells if c.cell_type == "markdown"
               and c.metadata.get("nbgrader", {}).get("solution")]
    for cell in answers:
        assert cell.source.strip() == "YOUR ANSWER HERE"
    assert not re.search(r"(?i)mark scheme|model answer", nbformat.writes(release))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stubs_keep_the_def_line_and_docstring(name):
    source = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4)
    release = {c.id: c for c in nbformat.read(RELEASE / f"{name}.ipynb", as_version=4).cells}
    for cell in source.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            head = cell.source.split(BEGIN)[0]
            assert release[cell.id].source.startswith(head)
            assert "raise NotImplementedError()" in release[cell.id].source
