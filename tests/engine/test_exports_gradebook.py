"""The gradebook export hook: exports.gradebook adapts nbgrader_bridge's write_gradebook."""
import sys
import types

from autograders import exports
from autograders.course import Course
from autograders.exports import gradebook


def test_written_through_the_bridge_when_the_gradebook_exists(tmp_path, monkeypatch):
    (tmp_path / "gradebook.db").write_bytes(b"")
    course = Course.load(tmp_path)
    calls = []
    bridge = types.ModuleType("autograders.nbgrader_bridge.gradebook")
    bridge.write_gradebook = lambda root, results, db_url: calls.append((root, results, db_url))
    monkeypatch.setitem(sys.modules, "autograders.nbgrader_bridge.gradebook", bridge)
    gradebook.write(["result"], tmp_path / "out", course)
    assert calls == [(course.root, ["result"], course.db_url)]


def test_a_course_without_gradebook_is_left_alone(tmp_path, capsys):
    course = Course.load(tmp_path)
    gradebook.write([], tmp_path / "out", course)
    assert "has no gradebook yet" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()


def test_other_database_urls_are_always_written():
    course = Course(root=None, db_url="postgresql://grader@db/course")
    assert gradebook.has_gradebook(course)


def test_the_gradebook_joins_the_writers_only_with_a_course(tmp_path):
    course = Course.load(tmp_path)
    assert gradebook.write in exports.default_writers(course)
    assert gradebook.write not in exports.default_writers(course, gradebook=False)
    assert gradebook.write not in exports.default_writers(None)
    assert set(exports.FILE_WRITERS) <= set(exports.default_writers(None))
