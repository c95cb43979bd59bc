"""autograders.course: finding the course, its submissions and the shards."""
import json
from pathlib import Path

from hypothesis import given, strategies as st
import pytest

from autograders.course import (Course, CourseError, Submission, current_course, discover,
                                find_course_root, notebooks_in, parse_shard, shard, staged)
from autograders.items import ASSIGNMENT, NOTEBOOKS


def touch_notebooks(folder, names=NOTEBOOKS):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.ipynb").write_text("{}")
    return folder


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    for student in ("carol", "alice", "bob"):
        touch_notebooks(root / "submitted" / student / ASSIGNMENT)
    # A student who submitted another assignment only: not part of this class.
    touch_notebooks(root / "submitted" / "dave" / "other_assignment")
    return Course.load(root)


def ids(submissions):
    return [s.student_id for s in submissions]


def test_course_root_is_found_from_below(course):
    below = course.root / "submitted" / "alice"
    assert find_course_root(below) == course.root
    assert find_course_root(course.root.parent) is None


def test_config_settings_are_read(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.submitted_directory = 'handed_in'\n"
        "c.CourseDirectory.db_url = 'sqlite:////elsewhere/gb.db'\n"
        "c.CourseDirectory.root = '/somewhere/else'\n")
    loaded = Course.load(tmp_path)
    assert loaded.root == tmp_path.resolve()   # the folder given, not the copied config's root
    assert loaded.submitted == tmp_path.resolve() / "handed_in"
    assert loaded.db_url == "sqlite:////elsewhere/gb.db"


def test_broken_config_warns_and_uses_defaults(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("this is not python(\n")
    with pytest.warns(UserWarning, match="could not be read"):
        loaded = Course.load(tmp_path)
    assert loaded.submitted == tmp_path.resolve() / "submitted"
    assert loaded.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"


def test_course_root_grades_the_class_sorted(course):
    found = discover([], course)
    assert ids(found) == ["alice", "bob", "carol"]
    assert all(s.notebooks == NOTEBOOKS and s.assignment == ASSIGNMENT for s in found)
    assert found[0].folder == course.root / "submitted" / "alice" / ASSIGNMENT
    assert ids(discover([course.root], None)) == ids(found)
    assert ids(discover([course.root / "submitted"], course)) == ids(found)


def test_current_course_from_the_working_directory(course, monkeypatch):
    monkeypatch.chdir(course.root / "submitted")
    assert current_course().root == course.root
    assert current_course(course.root).root == course.root
    with pytest.raises(CourseError, match="no such folder"):
        current_course(course.root / "nope")


def test_submission_and_student_folders(course):
    folder = course.root / "submitted" / "bob" / ASSIGNMENT
    expected = Submission("bob", ASSIGNMENT, folder, NOTEBOOKS, (folder,))
    assert discover([folder], course) == [expected]
    assert ids(discover([folder.parent], course)) == ["bob"]


def test_notebook_files_in_the_layout_join_per_student(course):
    folder = course.root / "submitted" / "bob" / ASSIGNMENT
    files = [folder / "03_pytorch_training.ipynb", folder / "01_activations.ipynb",
             course.root / "submitted" / "alice" / ASSIGNMENT / "02_numpy_network.ipynb"]
    found = discover(files, course)
    assert ids(found) == ["alice", "bob"]
    assert found[1].notebooks == ("01_activations", "03_pytorch_training")
    assert found[1].files == (("01_activations", files[1]), ("03_pytorch_training", files[0]))
    assert found[0].notebooks == ("02_numpy_network",)


def test_loose_notebooks_and_folders(tmp_path):
    (tmp_path / "zoe.ipynb").write_text("{}")
    folder = touch_notebooks(tmp_path / "yann", ["02_numpy_network"])
    found = discover([tmp_path / "zoe.ipynb", folder], None)
    assert [(s.student_id, s.notebooks, s.folder) for s in found] == [
        ("yann", NOTEBOOKS, folder), ("zoe", NOTEBOOKS, tmp_path)]
    assert found[1].files == tuple((name, tmp_path / "zoe.ipynb") for name in NOTEBOOKS)


def with_grade_ids(path, *grade_ids):
    cells = [{"cell_type": "code", "source": "", "metadata": {"nbgrader": {"grade_id": g}}}
             for g in grade_ids]
    path.write_text(json.dumps({"cells": cells + [{"cell_type": "markdown", "metadata": {}}]}))
    return path


def test_a_file_holds_the_notebooks_of_its_grade_ids(tmp_path):
    assert notebooks_in(with_grade_ids(tmp_path / "a.ipynb", "backprop", "intro")) == (
        "02_numpy_network",)
    assert notebooks_in(with_grade_ids(tmp_path / "b.ipynb", "test_sigmoid", "LargeNet")) == (
        "01_activations", "04_fitting")
    assert notebooks_in(with_grade_ids(tmp_path / "c.ipynb", "something_else")) == NOTEBOOKS
    (tmp_path / "d.ipynb").write_text("not json")
    assert notebooks_in(tmp_path / "d.ipynb") == NOTEBOOKS
    assert notebooks_in(tmp_path / "01_activations.ipynb") == ("01_activations",)


def test_files_are_staged_under_their_release_names(course, tmp_path):
    loose = with_grade_ids(tmp_path / "zoe.ipynb", "cost")
    layout = course.root / "submitted" / "bob" / ASSIGNMENT
    found = discover([loose, layout / "03_pytorch_training.ipynb", layout], course)
    bob, zoe = (staged(s, tmp_path / "staging") for s in found)
    assert bob.folder == layout and bob.notebooks == NOTEBOOKS      # the folder wins
    assert zoe.folder == tmp_path / "staging" / "zoe" / ASSIGNMENT
    assert [p.name for p in zoe.folder.iterdir()] == ["02_numpy_network.ipynb"]
    assert (zoe.folder / "02_numpy_network.ipynb").read_bytes() == loose.read_bytes()


def test_two_files_for_one_notebook_are_refused(course):
    folder = course.root / "submitted" / "bob" / ASSIGNMENT
    copy = with_grade_ids(folder / "my_copy.ipynb", "tanh")
    with pytest.raises(CourseError, match="two files for 01_activations"):
        discover([folder / "01_activations.ipynb", copy], course)


@pytest.mark.parametrize("name, kind, message", [
    ("missing", None, "no such file"),
    ("notes.txt", "file", "not a notebook"),
    ("empty", "folder", "neither a course"),
    ("-rm.ipynb", "file", "student id"),
    ("a b.ipynb", "file", "student id"),
])
def test_bad_paths_are_usage_errors(tmp_path, name, kind, message):
    path = tmp_path / name
    if kind == "file":
        path.write_text("{}")
    elif kind == "folder":
        path.mkdir()
    with pytest.raises(CourseError, match=message):
        discover([path], None)


def test_no_path_and_no_course_is_a_usage_error():
    with pytest.raises(CourseError, match="no path given"):
        discover([], None)


def test_one_student_in_two_places_is_an_error(course, tmp_path):
    (tmp_path / "alice.ipynb").write_text("{}")
    with pytest.raises(CourseError, match="found twice"):
        discover([course.root, tmp_path / "alice.ipynb"], course)


@pytest.mark.parametrize("text, expected", [("1/1", (1, 1)), ("2/4", (2, 4)), (" 3 / 3 ", (3, 3))])
def test_parse_shard(text, expected):
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_parse_shard_rejects(text):
    with pytest.raises(CourseError):
        parse_shard(text)


def fake_submissions(names):
    return [Submission(name, ASSIGNMENT, Path("/x") / name, NOTEBOOKS) for name in names]


@given(st.lists(st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), unique=True, max_size=30),
       st.integers(min_value=1, max_value=7))
def test_shards_partition_the_sorted_class(names, count):
    submissions = fake_submissions(sorted(names))
    shards = [shard(submissions, index, count) for index in range(1, count + 1)]
    assert sorted(ids(s for part in shards for s in part)) == sorted(names)
    assert sum(len(part) for part in shards) == len(names)
    for index, part in enumerate(shards, start=1):
        assert ids(part) == sorted(names)[index - 1::count]
        # The same students whatever order they were found in.
        assert sorted(ids(shard(submissions[::-1], index, count))) == ids(part)
