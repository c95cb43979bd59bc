"""The late penalty in the engine's own reports: grades.csv, results.json, feedback.html.

The penalty comes from the gradebook (nbgrader_bridge/late.py, tested against
`nbgrader autograde` in test_late_penalty.py); here results carry one by hand.
"""
import csv
import dataclasses
import io
import json

import pytest

from autograders.exports import csv_report, gradescope, html_report
from autograders.result import Lateness, SubmissionResult
from tests.engine import fakes

LATE = Lateness(seconds_late=9000.0, penalties={"01_activations": 3.0, "02_numpy_network": 1.5})


@pytest.fixture(scope="module")
def results():
    """(on time, late, late under the 'none' method): one honest student's result."""
    honest = next(r for r in fakes.sample_results() if r.status == "ok" and r.score > 5)
    on_time = dataclasses.replace(honest, late=Lateness(0.0, {"01_activations": 0.0}))
    late = dataclasses.replace(honest, student_id="late", late=LATE)
    unpunished = dataclasses.replace(honest, student_id="unpunished",
                                     late=Lateness(9000.0, {"01_activations": 0.0}))
    return on_time, late, unpunished


def test_grades_csv_has_seconds_late_penalty_and_score(results):
    on_time, late, unpunished = results
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO(
        csv_report.grades_csv([on_time, late, unpunished])))}
    raw = on_time.score
    assert [(rows[r.student_id]["total"], rows[r.student_id]["seconds_late"],
             rows[r.student_id]["penalty"], rows[r.student_id]["score"])
            for r in (on_time, late, unpunished)] == [
        (f"{raw:g}", "0", "0", f"{raw:g}"),
        (f"{raw:g}", "9000", "4.5", f"{raw - 4.5:g}"),
        (f"{raw:g}", "9000", "0", f"{raw:g}")]


def test_gradescope_score_is_after_the_penalty_the_raw_score_in_extra_data(results):
    on_time, late, _ = results
    data = gradescope.gradescope_json(late)
    assert data["score"] == late.score - 4.5
    assert data["extra_data"]["raw_score"] == late.score
    assert data["extra_data"]["late_penalty"] == 4.5
    assert data["extra_data"]["seconds_late"] == 9000
    assert "Submitted 2.5 hours late: late penalty 4.5 points" in data["output"]
    punctual = gradescope.gradescope_json(on_time)
    assert punctual["score"] == on_time.score == punctual["extra_data"]["raw_score"]
    assert punctual["extra_data"]["late_penalty"] == 0
    assert "late" not in punctual["output"]


def test_feedback_page_says_hours_late_and_penalty_once(results):
    on_time, late, unpunished = results
    page = html_report.feedback_page(late)
    assert page.count("hours late") == 1
    assert (f"Submitted 2.5 hours late: late penalty 4.5 points (score after the penalty "
            f"{late.score - 4.5:g}/{late.max_score:g}).") in page
    assert "late penalty 0 points" in html_report.feedback_page(unpunished)
    assert "hours late" not in html_report.feedback_page(on_time)


def test_a_result_without_gradebook_has_no_penalty():
    honest = fakes.sample_results()[0]
    assert honest.late is None
    assert (honest.seconds_late, honest.penalty, honest.final_score) == (0, 0, honest.score)


def test_the_penalty_never_takes_the_score_below_zero(results):
    _, late, _ = results
    covered = dataclasses.replace(late, late=Lateness(60.0, {"01_activations": late.score + 5}))
    assert covered.final_score == 0


def test_the_lateness_travels_through_submission_json_for_merging(results):
    _, late, _ = results
    again = SubmissionResult.from_json(json.loads(json.dumps(late.to_json())))
    assert again.late == LATE and again.final_score == late.final_score
