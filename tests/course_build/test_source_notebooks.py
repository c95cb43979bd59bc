"""The committed source notebooks are exactly what course_build generates."""
import pytest

from autograders.items import NOTEBOOKS, items_of
from course_build.build import build_notebook, render, source_dir


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_source_notebook_is_generated_from_reference(name):
    committed = (source_dir() / f"{name}.ipynb").read_text()
    assert committed == render(build_notebook(name)), (
        f"source/{name}.ipynb differs from its template and reference/: run `make source`")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_item_has_its_graded_cell_with_the_table_points(name):
    notebook = build_notebook(name)
    points = {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")
    }
    expected = {(item.test_id if item.kind == "auto" else item.id): item.points
                for item in items_of(name)}
    assert points == expected


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_grade_ids_are_unique(name):
    ids = [cell.metadata["nbgrader"]["grade_id"] for cell in build_notebook(name).cells
           if "nbgrader" in cell.metadata]
    assert len(ids) == len(set(ids))
