"""OUT/grades.csv: one row per student, parsed back."""
import csv
import io

import pytest

from autograders.exports import csv_report
from autograders.exports.common import points
from autograders.items import ITEMS_BY_ID, NOTEBOOKS
from autograders.result import SubmissionResult
from autograders.verdict import Verdict
from tests.engine import fakes


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    csv_report.write(fakes.sample_results(), out)
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, {row["student_id"]: row for row in reader}


def test_header_has_items_notebooks_total_status_message(rows):
    header, _ = rows
    assert header[0] == "student_id"
    assert header[-7:] == ["total", "max_score", "seconds_late", "penalty", "score", "status",
                           "message"]
    items = [h for h in header if h in ITEMS_BY_ID]
    assert items == [i for i in ITEMS_BY_ID if i in items]          # points-table order
    assert [h for h in header if h in NOTEBOOKS] == list(NOTEBOOKS)
    # each notebook's total comes right after its items
    assert header.index("02_numpy_network") == header.index("train_net") + 1


def test_one_row_per_student_with_scores_and_status(rows):
    _, by_student = rows
    results = {r.student_id: r for r in fakes.sample_results()}
    assert sorted(by_student) == sorted(results)
    for student_id, result in results.items():
        row = by_student[student_id]
        assert row["total"] == points(result.score)
        assert row["max_score"] == points(result.max_score)
        assert row["status"] == result.status
        for verdict in result.verdicts:
            assert float(row[verdict.item]) == verdict.points
        notebook_total = sum(float(row[i]) for i in ITEMS_BY_ID
                             if i in row and ITEMS_BY_ID[i].notebook == "01_activations")
        assert float(row["01_activations"]) == notebook_total
    assert by_student["dave"]["status"] == "unreadable"
    assert "not valid JSON" in by_student["dave"]["message"]
    assert by_student["eve"]["status"] == "missing"
    assert by_student["zed"]["status"] == "engine_error"
    assert by_student["bob"]["backprop"] == "0" and by_student["alice"]["backprop"] == "5"


def test_items_not_graded_for_a_student_are_empty_and_formulas_inert():
    full = fakes.sample_results()[0]
    partial = SubmissionResult("yann", "neural_networks", "crashed", "=HYPERLINK(\"x\")", 0.0,
                               [Verdict("cost", 0.5, 1)], {})
    text = csv_report.grades_csv([full, partial])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[1]["cost"] == "0.5" and rows[1]["sigmoid"] == "" and rows[1]["01_activations"] == ""
    assert rows[1]["message"].startswith("'=")
