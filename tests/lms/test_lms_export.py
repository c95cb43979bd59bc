"""Grades into Canvas and Moodle: the nbgrader export plugins and `python -m autograders export`.

The rosters in fixtures/ are laid out as the LMSs export them: Canvas's
gradebook CSV (its header, the Points Possible row, "Last, First" names
quoted, CRLF line ends, the Test Student) and Moodle's grade export in the
layout of Moodle's own import tests (grade/import/csv/tests), with the
Username profile field. The nbgrader side is a real sqlite gradebook made
with nbgrader's API: one notebook, an autograded test cell (10 points) and a
free-text answer (6 points).

    student  roster       nbgrader                                 written
    alice    both         10 + 4, on time                          14
    bob      "Bob " / bob 9 + 5, 2 h late, nbgrader penalty 3      11
    carol    both         in the gradebook, no submission          blank
    dan      both         10 + answer not graded yet               blank, listed
    erin     nbgrader     16                                       listed
    emmy     roster only  -                                        blank, listed
"""
import csv
import datetime
import logging
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from autograders import cli
from autograders.exports import csv_report
from autograders.items import ASSIGNMENT, ITEMS
from autograders.lms.fill import fill
from autograders.lms.formats import SYSTEMS
from autograders.lms.plugin import CanvasExport, MoodleExport
from autograders.result import ENGINE_ERROR, Lateness, NotebookRun, SubmissionResult
from autograders.verdict import Verdict
from course_build.sample_class import nbgrader_env

FIXTURES = Path(__file__).parent / "fixtures"
CANVAS, MOODLE = FIXTURES / "canvas-gradebook.csv", FIXTURES / "moodle-grades.csv"
CANVAS_COLUMN = f"{ASSIGNMENT} (482913)"
MOODLE_COLUMN = f"Assignment: {ASSIGNMENT}"
NOTEBOOK = "01_activations"
DUE = datetime.datetime(2026, 12, 1, 12, 0)
# student: (email, test cell points, answer points or None (not graded), hours late, penalty)
SUBMISSIONS = {
    "alice": ("ada@uni.example", 10, 4, 0, 0),
    "bob": ("ALAN@uni.example", 9, 5, 2, 3),
    "dan": ("don@uni.example", 10, None, 0, 0),
    "erin": ("erin@uni.example", 10, 6, 0, 0),
}


# One worker makes the gradebook once (nbgrader's first open runs alembic: seconds).
pytestmark = pytest.mark.xdist_group("lms")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder whose gradebook.db holds the class above (tests only read it)."""
    root = tmp_path_factory.mktemp("course")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", nbgrader_env()["PATH"])   # nbgrader runs alembic to make it
        make_gradebook(root)
    return root


def make_gradebook(root):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)   # nbgrader's add_submission trips them
        gradebook.add_assignment(ASSIGNMENT, duedate=DUE)
        gradebook.add_notebook(NOTEBOOK, ASSIGNMENT)
        gradebook.add_grade_cell("test_sigmoid", NOTEBOOK, ASSIGNMENT, max_score=10,
                                 cell_type="code")
        gradebook.add_grade_cell("answer", NOTEBOOK, ASSIGNMENT, max_score=6,
                                 cell_type="markdown")
        gradebook.add_student("carol", email="grace@uni.example")
        for student, (email, auto, manual, hours, penalty) in SUBMISSIONS.items():
            gradebook.add_student(student, email=email)
            gradebook.add_submission(ASSIGNMENT, student,
                                     timestamp=DUE + datetime.timedelta(hours=hours or -1))
            test = gradebook.find_grade("test_sigmoid", NOTEBOOK, ASSIGNMENT, student)
            test.auto_score, test.needs_manual_grade = auto, False
            answer = gradebook.find_grade("answer", NOTEBOOK, ASSIGNMENT, student)
            answer.manual_score, answer.needs_manual_grade = manual, manual is None
            notebook = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
            notebook.late_submission_penalty = penalty
        gradebook.db.commit()


def exported(plugin_class, course, target, **options):
    """Run an export plugin in-process on the course's gradebook; the rows it wrote."""
    plugin = plugin_class(to=str(target), **options)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        plugin.export(gradebook)
    return rows_of(target)


def rows_of(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def column(rows, key, name):
    return {row[key].strip(): row[name] for row in rows}


def test_canvas_plugin_writes_scores_after_the_penalty_blanks_and_keeps_points_possible(
        course, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    rows = exported(CanvasExport, course, tmp_path / "canvas-import.csv", roster=str(CANVAS))
    assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                             CANVAS_COLUMN]
    assert rows[0]["Student"] == "    Points Possible" and rows[0][CANVAS_COLUMN] == "16.00"
    assert column(rows[1:], "SIS Login ID", CANVAS_COLUMN) == {
        "alice": "14", "Bob": "11", "carol": "", "dan": "", "emmy": "", "": ""}
    text = (tmp_path / "canvas-import.csv").read_text()
    assert '"Lovelace, Ada",10001,S-1001,alice,Neural Networks 2026,14\n' in text
    log = caplog.text
    assert "2 scores written into Canvas column 'neural_networks (482913)'" in log
    assert "2 in Canvas, no nbgrader student with this SIS Login ID (left blank): " \
           "Noether, Emmy (emmy), Student, Test (empty)" in log
    assert "1 nbgrader students with no Canvas row (not exported): erin" in log
    assert "1 no submission (left blank): Hopper, Grace" in log
    assert "1 score not final (left blank): Knuth, Donald E.: cells still to grade or review in formgrader" \
        in log


def test_zero_for_a_missing_submission_only_when_asked(course, tmp_path):
    rows = exported(CanvasExport, course, tmp_path / "out.csv", roster=str(CANVAS),
                    missing_zero=True)
    assert column(rows[1:], "SIS Login ID", CANVAS_COLUMN) == {
        "alice": "14", "Bob": "11", "carol": "0", "dan": "", "emmy": "0", "": "0"}


def test_only_the_students_asked_for_are_written(course, tmp_path):
    rows = exported(CanvasExport, course, tmp_path / "out.csv", roster=str(CANVAS),
                    missing_zero=True, student=["bob", "carol", "erin"])
    assert column(rows[1:], "SIS Login ID", CANVAS_COLUMN) == {"Bob": "11", "carol": "0"}
    assert rows[0]["Student"] == "    Points Possible"


def test_nbgrader_export_runs_the_plugin_named_on_its_command_line(course, tmp_path):
    """`nbgrader export` itself (the plugin in nbgrader_config.py works alike: the
    --exporter flag is ExportApp.plugin_class)."""
    in_process = exported(MoodleExport, course, tmp_path / "in-process.csv", roster=str(MOODLE),
                          feedback=True)
    folder = Path(shutil.copytree(course, tmp_path / "course"))
    done = subprocess.run(
        [Path(sys.executable).parent / "nbgrader", "export",
         "--exporter", "autograders.lms.plugin.MoodleExport",
         f"--MoodleExport.roster={MOODLE}", "--MoodleExport.feedback=True"],
        cwd=folder, env=nbgrader_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert rows_of(folder / "moodle-import.csv") == in_process
    assert "nbgrader students with no Moodle row (not exported): erin" in done.stderr


def test_moodle_plugin_matches_emails_writes_feedback_and_keeps_the_download_time(
        course, tmp_path):
    rows = exported(MoodleExport, course, tmp_path / "moodle-import.csv", roster=str(MOODLE),
                    match="Email address", by_email=True, feedback=True)
    assert list(rows[0]) == ["First name", "Surname", "ID number", "Institution", "Department",
                             "Email address", "Username", MOODLE_COLUMN,
                             f"Feedback: {ASSIGNMENT}", "Last downloaded from this course"]
    assert column(rows, "Email address", MOODLE_COLUMN) == {
        "ada@uni.example": "14", "alan@uni.example": "11", "grace@uni.example": "",
        "don@uni.example": "", "emmy@uni.example": ""}
    feedback = column(rows, "Username", f"Feedback: {ASSIGNMENT}")
    assert feedback["alice"] == f"{NOTEBOOK} 14/16. Score 14/16."
    assert feedback["bob"] == (f"{NOTEBOOK} 14/16. Submitted 2 hours late: late penalty 3 "
                               "points. Score 11/16.")
    assert feedback["dan"] == feedback["carol"] == ""
    assert {row["Last downloaded from this course"] for row in rows} == {"1765180800"}


def test_the_import_file_reads_back_as_a_roster_and_fills_to_the_same_bytes(course, tmp_path):
    exported(CanvasExport, course, tmp_path / "once.csv", roster=str(CANVAS))
    exported(CanvasExport, course, tmp_path / "twice.csv", roster=str(tmp_path / "once.csv"))
    assert (tmp_path / "twice.csv").read_bytes() == (tmp_path / "once.csv").read_bytes()
    with open(CANVAS, newline="") as handle:
        original = list(csv.DictReader(handle))
    identity = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert [[row[c] for c in identity] for row in rows_of(tmp_path / "once.csv")] == [
        [row[c] for c in identity] for row in original]


def engine_grades(tmp_path):
    """The engine's grades.csv for alice (full marks), bob (late) and dan (engine error)."""
    items = [item for item in ITEMS if item.kind == "auto" and item.notebook == NOTEBOOK]

    def result(student, share, status="ok", late=None):
        verdicts = [Verdict(item.id, item.points * share, item.points, (), "")
                    for item in items]
        return SubmissionResult(student, ASSIGNMENT, status, "", 0.5, verdicts,
                                {NOTEBOOK: NotebookRun(NOTEBOOK)}, late=late)
    results = [result("alice", 1), result("bob", 1, late=Lateness(7200.0, {NOTEBOOK: 1.5})),
               result("dan", 1, status=ENGINE_ERROR), result("erin", 0.5)]
    path = tmp_path / "grades.csv"
    path.write_text(csv_report.grades_csv(results))
    return path, sum(item.points for item in items)


def test_export_command_fills_canvas_from_grades_csv(tmp_path, capsys):
    grades, most = engine_grades(tmp_path)
    out = tmp_path / "canvas-import.csv"
    assert cli.main(["export", "--to", "canvas", "--roster", str(CANVAS), "--grades",
                     str(grades), "--out", str(out)]) == 0
    rows = rows_of(out)
    assert column(rows[1:], "SIS Login ID", CANVAS_COLUMN) == {
        "alice": f"{most:g}", "Bob": f"{most - 1.5:g}", "carol": "", "dan": "", "emmy": "",
        "": ""}
    err = capsys.readouterr().err
    assert "1 score not final (left blank): Knuth, Donald E.: engine error" in err
    assert "1 grades.csv students with no Canvas row (not exported): erin" in err
    assert "3 in Canvas, no grades.csv student with this SIS Login ID (left blank): " \
           "Hopper, Grace (carol), Noether, Emmy (emmy), Student, Test (empty)" in err
    assert f"Canvas gives '{CANVAS_COLUMN}' 16 points possible, grades.csv {most:g}" in err


def test_export_command_to_moodle_by_username_with_feedback(tmp_path):
    grades, most = engine_grades(tmp_path)
    out = tmp_path / "moodle-import.csv"
    assert cli.main(["export", "--to", "moodle", "--roster", str(MOODLE), "--grades",
                     str(grades), "--out", str(out), "--feedback", "--missing-zero"]) == 0
    rows = rows_of(out)
    assert column(rows, "Username", MOODLE_COLUMN) == {
        "alice": f"{most:g}", "bob": f"{most - 1.5:g}", "carol": "0", "dan": "", "emmy": "0"}
    assert "late penalty 1.5 points" in column(rows, "Username", f"Feedback: {ASSIGNMENT}")["bob"]


def test_a_new_column_gets_the_points_possible(course, tmp_path):
    rows = exported(CanvasExport, course, tmp_path / "out.csv", roster=str(CANVAS),
                    column="Neural networks exercises")
    assert rows[0]["Neural networks exercises"] == "16"
    assert rows[1]["Neural networks exercises"] == "14"


@pytest.mark.parametrize("roster, options, message", [
    (CANVAS, {"column": "Quiz"}, None),
    ("Student,ID,SIS Login ID,Section\na,1,x,s\nb,2,X ,s\n", {"column": "New"},
     "two Canvas rows have the SIS Login ID 'X'"),
    ("Name,Login\na,b\n", {}, "not a gradebook CSV exported from Canvas (no column Student, ID)"),
    (f"Student,ID,SIS Login ID,Section,{ASSIGNMENT} (1),{ASSIGNMENT} (2)\n", {},
     "several Canvas grade columns for the assignment 'neural_networks'"),
    ("Student,ID,SIS Login ID,Section\n", {}, "no Canvas grade columns for the assignment"),
])
def test_an_export_that_cannot_be_right_is_refused_with_the_reason(tmp_path, capsys, roster,
                                                                   options, message):
    if isinstance(roster, str):
        (tmp_path / "roster.csv").write_text(roster)
        roster = tmp_path / "roster.csv"
    grades, _ = engine_grades(tmp_path)
    flags = [f"--{name}={value}" for name, value in options.items()]
    status = cli.main(["export", "--to", "canvas", "--roster", str(roster), "--grades",
                       str(grades), "--out", str(tmp_path / "out.csv"), *flags])
    if message is None:  # "Quiz" is a new column, not "Quiz 1 (482900)"
        assert status == 0
        return
    assert status == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_two_nbgrader_students_with_one_email_are_refused():
    from autograders.lms.formats import LmsError
    from autograders.lms.marks import Mark
    marks = [Mark("a", 1.0, 2.0, email="x@u"), Mark("b", 1.0, 2.0, email="X@u ")]
    with pytest.raises(LmsError, match="two nbgrader students match 'x@u'"):
        fill(SYSTEMS["moodle"], MOODLE.read_text(), marks, ASSIGNMENT, by_email=True)


def test_moodle_columns_with_their_display_type_and_a_byte_order_mark():
    """Moodle 2.x+ heads grade items "Assignment: <name> (Real)" and totals "Course total
    (Real)"; spreadsheets save CSV with a byte order mark."""
    from autograders.lms.marks import Mark
    roster = ("\ufeffFirst name,Last name,Username,Assignment: Quiz (Real),"
              f"Assignment: {ASSIGNMENT} (Real),Course total (Real)\nAda,Lovelace,alice,3,,3\n")
    text, report = fill(SYSTEMS["moodle"], roster, [Mark("alice", 14.0, 16.0)], ASSIGNMENT)
    assert text == (f"First name,Last name,Username,Assignment: {ASSIGNMENT} (Real)\n"
                    "Ada,Lovelace,alice,14\n")
    assert report.written == 1 and report.match == "Username"
