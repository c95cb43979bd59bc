"""The course's late-submission penalty: the engine and `nbgrader autograde` agree.

A course with a due date in its gradebook, graded twice (copies of one
release): by `nbgrader autograde` and by the engine. Each copy's
`nbgrader export` rows (raw score, late penalty, score) and submission
timestamps must be the same, under nbgrader's built-in 'zero' method and
under a custom plugin class of the course's (a per-hour penalty). The
students submit the reference solution of one notebook: on time, late (a
time zone in timestamp.txt, as nbgrader parses it), and late but within an
extension granted in the gradebook. The engine's own grades.csv says it too.
"""
import csv
import datetime
import json
import shutil

import pytest
from nbgrader.api import Gradebook

from autograders.items import ASSIGNMENT
from autograders.nbgrader_bridge.course_config import course_directory
from course_build.sample_class import Student, released_copy, write_class
from tests.engine.test_gradebook import exported_csv
from tests.engine.test_nbgrader_parity import grade_both, keep_only

pytestmark = pytest.mark.slow

NOTEBOOK = "01_activations"
DUE = datetime.datetime(2025, 1, 20, 10, 0)  # UTC, as nbgrader stores it
TIMESTAMPS = {
    "ontime": "2025-01-20 09:00:00.000000 UTC",
    "late": "2025-01-20 13:30:00.000000 Europe/Berlin",    # 12:30 UTC: 2.5 hours late
    "extended": "2025-01-20 12:00:00.000000 UTC",          # 2 hours late, 3 hours granted
}
PER_HOUR_PLUGIN = '''\
import math

from nbgrader.plugins import LateSubmissionPlugin


class PerHour(LateSubmissionPlugin):
    """1.5 points per started hour late."""

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return 1.5 * math.ceil(total_seconds_late / 3600)
'''
POLICIES = {
    "zero": ("c.LateSubmissionPlugin.penalty_method = 'zero'\n", None),
    "per_hour": ("c.AssignLatePenalties.plugin_class = 'late_plugin.PerHour'\n",
                 PER_HOUR_PLUGIN),
}


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """The released course with a due date, three submissions and one extension."""
    course = released_copy(tmp_path_factory.mktemp("late") / "release")
    write_class(course, [Student(student) for student in TIMESTAMPS])
    for student, stamp in TIMESTAMPS.items():
        keep_only(course, student, (NOTEBOOK,))
        (course / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text(stamp + "\n")
    with Gradebook(course_directory(course).db_url) as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
        gradebook.update_or_create_student("extended")
        gradebook.update_or_create_submission(ASSIGNMENT, "extended")
        gradebook.grant_extension(ASSIGNMENT, "extended", hours=3)
    return course


def graded_twice(release, base, policy):
    """Copies of the release under this late policy: (by nbgrader, by the engine, reports)."""
    setting, plugin = POLICIES[policy]
    by_nbgrader = shutil.copytree(release, base / "nbgrader")
    with open(by_nbgrader / "nbgrader_config.py", "a") as config:
        config.write(setting)
    if plugin:
        (by_nbgrader / "late_plugin.py").write_text(plugin)
    by_engine = shutil.copytree(by_nbgrader, base / "engine")
    reports = base / "reports"
    # Run from elsewhere: the engine finds the course's plugin module as nbgrader does.
    grade_both(by_nbgrader, by_engine, reports, cwd=base)
    return by_nbgrader, by_engine, reports


def exported(course, tmp_path):
    """{student: (raw_score, late_submission_penalty, score, timestamp)} of `nbgrader export`."""
    tmp_path.mkdir()
    rows = exported_csv(course, tmp_path)
    return {student: tuple(rows[student][key] for key in
                           ("raw_score", "late_submission_penalty", "score", "timestamp"))
            for student in TIMESTAMPS}


def engine_csv(reports):
    with open(reports / "grades.csv", newline="") as file:
        return {row["student_id"]: row for row in csv.DictReader(file)}


@pytest.mark.parametrize("policy, late_penalty", [("zero", "full"), ("per_hour", 4.5)])
def test_the_engine_applies_the_course_late_policy_as_nbgrader_autograde_does(
        release, tmp_path, policy, late_penalty):
    by_nbgrader, by_engine, reports = graded_twice(release, tmp_path, policy)
    nbgrader_rows = exported(by_nbgrader, tmp_path / "n")
    assert exported(by_engine, tmp_path / "e") == nbgrader_rows

    # Not vacuous: only the late student pays, what the policy says.
    raw = float(nbgrader_rows["ontime"][0])
    assert raw > late_penalty if late_penalty != "full" else raw > 0
    expected = raw if late_penalty == "full" else late_penalty
    penalties = {student: float(row[1]) for student, row in nbgrader_rows.items()}
    assert penalties == {"ontime": 0, "late": expected, "extended": 0}
    assert {student: float(row[2]) for student, row in nbgrader_rows.items()} == {
        "ontime": raw, "late": raw - expected, "extended": raw}

    # The engine's own report: seconds late, penalty, score after it.
    rows = engine_csv(reports)
    assert [(rows[s]["seconds_late"], float(rows[s]["penalty"]), float(rows[s]["score"]))
            for s in ("ontime", "late", "extended")] == [
        ("0", 0, raw), ("9000", expected, raw - expected), ("0", 0, raw)]
    # Written as each student is judged, after the gradebook: they show it as well.
    gradescope = json.loads((reports / "late" / "results.json").read_text())
    assert (gradescope["score"], gradescope["extra_data"]["raw_score"]) == (raw - expected, raw)
    page = (reports / "late" / "feedback.html").read_text()
    assert f"Submitted 2.5 hours late: late penalty {expected:g} points" in page
    assert "hours late" not in (reports / "ontime" / "feedback.html").read_text()
