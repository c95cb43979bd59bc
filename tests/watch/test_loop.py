"""The watcher's poll with stand-ins for nbgrader and the engine: which student is
collected, graded and released when, and what a failure for one student does.
(test_watch.py runs the real thing on an nbgrader exchange.)"""
import datetime
import errno
import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.utils import notebook_hash

from autograders.exports import raw
from autograders.items import ASSIGNMENT
from autograders.result import SubmissionResult
from autograders.watch import loop, state
from autograders.watch.diagnoses import HideScores
from autograders.watch.sources import Submission

SECRET = "s3cret"
MINUTE = datetime.timedelta(minutes=1)


class Source:
    """Each student's latest submission: a folder with a notebook and a secret."""

    def __init__(self, root):
        self.root, self.keys, self.collected = Path(root), {}, []

    def submit(self, student, key):
        folder = self.root / "inbound" / key
        folder.mkdir(parents=True)
        (folder / "submission_secret.txt").write_text(SECRET + key)
        (folder / "01_activations.ipynb").write_text("{}")
        self.keys[student] = key

    def latest(self):
        return {s: Submission(k, datetime.datetime(2025, 1, 20, 12), self.root / "inbound" / k)
                for s, k in self.keys.items()}

    def collect(self, student):
        self.collected.append((student, self.keys[student]))


class Feedback:
    def __init__(self, root):
        self.folder = Path(root) / "exchange-feedback"
        self.folder.mkdir(exist_ok=True)
        self.released, self.full_disk = [], set()

    def exchange_folder(self):
        return self.folder

    def release(self, student, mode, result, due=None):
        if student in self.full_disk:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.released.append((student, mode))


class Engine:
    """grade(students): writes each student's result where the reports go, except for
    the students it is told to fail (as an engine that lost them)."""

    def __init__(self, out):
        self.out, self.calls, self.lose = Path(out), [], set()

    def __call__(self, students):
        self.calls.append(list(students))
        for student in students:
            if student not in self.lose:
                raw.write([SubmissionResult(student, ASSIGNMENT, "ok", "", 0.1, [], {})],
                          self.out)
                (self.out / student / "fingerprint.txt").write_text("x\n")


def watcher(tmp_path, due=None, **options):
    course = SimpleNamespace(root=tmp_path, assignment=ASSIGNMENT, db_url="")
    made = loop.Watcher(course, loop.Options(**options), state.Log(tmp_path / "log.jsonl"),
                        Source(tmp_path), Feedback(tmp_path),
                        Engine(tmp_path / "autograded-reports"))
    made._due_dates = lambda: (lambda student: due)
    made._class_reports = lambda: None
    return made


def again(old, tmp_path, due=None, **options):
    """A new watcher on the same course (a restart), with the old one's stand-ins."""
    made = watcher(tmp_path, due, **options)
    made.source, made.feedback, made.grade = old.source, old.feedback, old.grade
    return made


def events(tmp_path, event):
    return [json.loads(line)["student"] for line in (tmp_path / "log.jsonl").read_text()
            .splitlines() if json.loads(line)["event"] == event]


def test_a_new_submission_is_collected_graded_and_released_once(tmp_path):
    w = watcher(tmp_path)
    w.source.submit("alice", "a1")
    w.source.submit("bob", "b1")
    w.poll()
    w.poll()
    assert w.source.collected == [("alice", "a1"), ("bob", "b1")]
    assert w.grade.calls == [["alice", "bob"]]
    assert w.feedback.released == [("alice", "full"), ("bob", "full")]


def test_a_full_disk_for_one_student_delays_only_that_students_feedback(tmp_path):
    w = watcher(tmp_path)
    w.source.submit("alice", "a1")
    w.source.submit("bob", "b1")
    w.feedback.full_disk.add("bob")
    w.poll()
    assert w.feedback.released == [("alice", "full")]
    assert events(tmp_path, "released full: failed") == ["bob"]
    w.feedback.full_disk.clear()
    w.poll()
    assert w.feedback.released == [("alice", "full"), ("bob", "full")]
    assert w.grade.calls == [["alice", "bob"]]


def test_a_submission_the_engine_loses_is_retried_then_left_to_the_instructor(tmp_path):
    w = watcher(tmp_path)
    w.source.submit("alice", "a1")
    w.grade.lose.add("alice")
    for _ in range(loop.MAX_ATTEMPTS + 2):
        w.poll()
    assert w.grade.calls == [["alice"]] * loop.MAX_ATTEMPTS
    assert w.feedback.released == []
    w.source.submit("alice", "a2")   # a new submission is graded again
    w.grade.lose.clear()
    w.poll()
    assert w.feedback.released == [("alice", "full")]


def test_inside_the_rate_limit_a_resubmission_waits_with_a_page_saying_until_when(tmp_path):
    w = watcher(tmp_path, rate_limit=2)
    w.source.submit("alice", "a1")
    w.poll()
    w.source.submit("alice", "a2")
    w.poll()
    w.poll()
    assert w.source.collected == [("alice", "a1")] and w.grade.calls == [["alice"]]
    name = notebook_hash(secret=SECRET + "a2", notebook_id="01_activations")
    page = w.feedback.folder / f"{name}.html"
    assert "at most once every 2 minutes" in page.read_text()
    assert events(tmp_path, "queued") == ["alice"]           # the page is written once
    w.state.of("alice")["graded_at"] -= 2 * 60               # two minutes later
    w.poll()
    assert w.source.collected == [("alice", "a1"), ("alice", "a2")]
    assert w.grade.calls == [["alice"], ["alice"]]


def test_before_the_due_date_diagnoses_or_a_page_then_the_scored_feedback(tmp_path):
    now = datetime.datetime.utcnow()
    w = watcher(tmp_path, due=now + MINUTE, scores="after-due")
    w.source.submit("alice", "a1")
    w.poll()
    w = again(w, tmp_path, due=now - MINUTE, scores="after-due")
    w.poll()
    assert w.feedback.released == [("alice", "diagnoses"), ("alice", "full")]
    assert w.grade.calls == [["alice"]]

    other = tmp_path / "other"
    other.mkdir()
    w = watcher(other, due=now + MINUTE, feedback="after-due")
    w.source.submit("bob", "b1")
    w.poll()
    assert w.feedback.released == [("bob", "withheld")]


def test_a_restarted_watcher_finishes_what_was_begun_and_repeats_nothing(tmp_path):
    w = watcher(tmp_path)
    w.source.submit("alice", "a1")
    w.poll()
    w.source.submit("bob", "b1")
    w.grade.lose.add("bob")          # as if killed while grading bob
    w.poll()
    w.grade.lose.clear()
    w = again(w, tmp_path)
    w.poll()
    w.poll()
    assert w.grade.calls == [["alice"], ["bob"], ["bob"]]
    assert w.feedback.released == [("alice", "full"), ("bob", "full")]


def test_a_second_watcher_cannot_take_the_lock(tmp_path):
    held = state.lock(tmp_path / "lock")
    try:
        state.lock(tmp_path / "lock")
    except state.WatcherBusy as busy:
        assert "another watcher" in str(busy)
    else:
        raise AssertionError("two watchers held the lock")
    finally:
        held.close()


def test_diagnoses_keep_the_message_and_lose_the_points():
    cell = new_code_cell("assert sigmoid(0) == 0.5", metadata={"nbgrader": {
        "grade": True, "solution": False, "grade_id": "test_sigmoid", "points": 2}})
    cell.outputs = [new_output("stream", name="stdout",
                               text="sigmoid: 0.5 / 2\nnp.exp(-x) overflows\n"),
                    new_output("execute_result", data={"text/plain": "0.5"})]
    notebook, _ = HideScores().preprocess(new_notebook(cells=[cell]), {})
    assert [o.get("text") for o in notebook.cells[0].outputs] == ["np.exp(-x) overflows\n"]
    assert nbformat.validate(notebook) is None


def test_submitted_folders_are_submissions_whose_key_changes_with_their_files(tmp_path):
    from autograders.watch.sources import Submitted
    coursedir = SimpleNamespace(root=str(tmp_path), submitted_directory="submitted")
    source = Submitted(SimpleNamespace(coursedir=coursedir), ASSIGNMENT)
    folder = tmp_path / "submitted" / "alice" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "01_activations.ipynb").write_text("{}")
    (tmp_path / "submitted" / "bob" / ASSIGNMENT).mkdir(parents=True)   # no timestamp yet
    assert source.latest() == {}
    (folder / "timestamp.txt").write_text("2025-01-20 12:00:00 UTC\n")
    first = source.latest()
    assert list(first) == ["alice"] and first["alice"].time == datetime.datetime(2025, 1, 20, 12)
    (folder / "01_activations.ipynb").write_text('{"cells": []}')
    assert source.latest()["alice"].key != first["alice"].key
