"""The sample class: release-shaped, deterministic, and each student what its name says."""
import json
import os
from pathlib import Path

import nbformat
import pytest

from autograders import registry
from autograders.items import ASSIGNMENT, items_of
from autograders.submission import load_notebook
from course_build import sample_class
from course_build.sample_class import CLASS, Student, honest_students, write_class

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "release" / ASSIGNMENT
NOTEBOOKS = sample_class.course_notebooks(ROOT)


def course_at(folder):
    """A course folder sharing this repository's source/ and release/."""
    folder.mkdir()
    for name in ("source", "release"):
        os.symlink(ROOT / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    course = course_at(tmp_path_factory.mktemp("sample") / "course")
    write_class(course)
    return course / "submitted"


def submitted(sample, student, notebook):
    return sample / student / ASSIGNMENT / f"{notebook}.ipynb"


def cells_by_id(path):
    return {cell.metadata.get("nbgrader", {}).get("grade_id", cell.id): cell
            for cell in nbformat.read(path, 4).cells}


def file_tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_writing_the_class_twice_gives_identical_files(sample, tmp_path):
    again = course_at(tmp_path / "again")
    write_class(again)
    assert file_tree(again / "submitted") == file_tree(sample)


def test_rewriting_replaces_a_students_folder(tmp_path):
    course = course_at(tmp_path / "course")
    alice = Student("alice-reference")
    write_class(course, [alice])
    stale = course / "submitted" / alice.id / ASSIGNMENT / "old.ipynb"
    stale.write_text("{}")
    write_class(course, [alice])
    assert not stale.exists()


def test_every_student_submits_the_release_shape(sample):
    for student in CLASS:
        for notebook in NOTEBOOKS:
            path = submitted(sample, student.id, notebook)
            if notebook in student.missing:
                assert not path.exists()
                continue
            if notebook in student.broken:
                with pytest.raises(json.JSONDecodeError):
                    json.loads(path.read_text())
                continue
            release = nbformat.read(RELEASE / f"{notebook}.ipynb", 4)
            mine = nbformat.read(path, 4)
            nbformat.validate(mine)
            ids = [cell.id for cell in mine.cells]
            expected = [cell.id for cell in release.cells]
            assert ids[:len(expected)] == expected, (student.id, notebook)
            text = path.read_text()
            for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "NotImplementedError",
                           "YOUR ANSWER HERE", "Mark scheme"):
                assert marker not in text, (student.id, notebook, marker)
        assert (sample / student.id / ASSIGNMENT / "timestamp.txt").exists()


def test_the_class_has_a_broken_a_missing_and_a_hostile_submission():
    assert any(s.broken for s in CLASS) and any(s.missing for s in CLASS)
    assert any(s.hostile for s in CLASS)
    assert set(sample_class.HONEST) == {s for s in CLASS
                                        if not (s.broken or s.missing or s.hostile)}


def test_a_buggy_student_differs_from_the_reference_only_in_the_variants_cells(sample):
    bob = "bob-backprop-hidden-not-divided"
    notebook = "02_numpy_network"
    reference = cells_by_id(submitted(sample, "alice-reference", notebook))
    buggy = cells_by_id(submitted(sample, bob, notebook))
    changed = sorted(key for key in reference if reference[key].source != buggy[key].source)
    assert changed == ["backprop"]
    assert "dw_layers[j] = y_layers[j].T @ delta\n" in buggy["backprop"].source + "\n"


def test_each_bank_variant_fills_the_cells_named_after_its_definitions(tmp_path):
    pairs = sample_class.assignment_notebooks(course_at(tmp_path / "course"))
    for path in sorted(sample_class.BANK.glob("*/*.py")):
        notebooks = {name: sample_class.reference_notebook(release, source)
                     for name, (release, source) in pairs.items()}
        solutions = {c.metadata.nbgrader.grade_id: c for nb in notebooks.values()
                     for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}
        code = sample_class.parse_variant(path)
        if not set(code.definitions) & set(solutions):
            continue        # a notebook this checkout does not have yet
        sample_class.apply_variant(notebooks, path)
        for name in set(code.definitions) & set(solutions):
            assert code.definitions[name] in solutions[name].source, (path.name, name)


def test_the_hostile_student_does_what_its_name_says(sample):
    hostile = next(s for s in CLASS if s.hostile)
    first = cells_by_id(submitted(sample, hostile.id, NOTEBOOKS[0]))
    assert "np.allclose = lambda" in first["sigmoid"].source
    assert "gradebook.db" in first["tanh"].source and '"source"' in first["tanh"].source
    assert "hostile-was-here.txt" in first["relu"].source
    assert first["never-ends"].source.startswith("while True:")


def test_honest_students_cycle_through_the_reference_and_the_bank():
    students = honest_students(12)
    assert [s.id for s in students][:2] == ["s001-reference", "s002-correct-bool-step"]
    assert students[0].variants == () and all(len(s.variants) == 1 for s in students[1:])
    assert len({s.id for s in students}) == 12
    assert honest_students(12) == students
    topics = {s.variants[0].split("/")[0] for s in students[1:6]}
    assert len(topics) == 5       # the topics take turns


@pytest.mark.slow      # imports every judge (torch): ~5 s
@pytest.mark.parametrize("notebook", ["01_activations", "02_numpy_network"])
def test_the_reference_scores_full_marks_and_the_bug_costs_points(sample, notebook, tmp_path):
    """In-process, as the engine's sandbox would run and probe them (NumPy notebooks only)."""
    expected_loss = {"01_activations": ("carol-sigmoid-naive", "sigmoid"),
                     "02_numpy_network": ("bob-backprop-hidden-not-divided", "backprop")}
    for student in ("alice-reference", expected_loss[notebook][0]):
        namespace = load_notebook(submitted(sample, student, notebook)).namespace
        points = {item.id: registry.grade_item(item.id, namespace, tmp_path).points
                  for item in items_of(notebook) if item.kind == "auto"}
        full = {item.id: item.points for item in items_of(notebook) if item.kind == "auto"}
        if student == "alice-reference":
            assert points == full
        else:
            lost = expected_loss[notebook][1]
            assert points[lost] < full[lost]
            assert {k: v for k, v in points.items() if k != lost} == {
                k: v for k, v in full.items() if k != lost}
