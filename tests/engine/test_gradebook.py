"""The engine's results in the nbgrader gradebook, as formgrader and `nbgrader export` see them.

A temporary copy of the course is released with `nbgrader generate_assignment`
(its own gradebook); submissions come from the sample-class generator, and
results are written by hand (SubmissionResult with chosen points), so these
tests need neither the sandbox nor the judges.
"""
import csv
import fcntl
from html.parser import HTMLParser
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.plugins.export import CsvExportPlugin

from autograders.items import ASSIGNMENT, ITEMS, ITEMS_BY_ID
from autograders.nbgrader_bridge import gradebook as bridge
from autograders.nbgrader_bridge.course_config import course_directory
from autograders.result import NotebookRun, SubmissionResult
from autograders.verdict import Verdict
from course_build.sample_class import (Student, course_notebooks, released_copy, run_nbgrader,
                                       write_class)

# Releasing the course takes 5-20 s, once per run.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """The released course, built once for all xdist workers: the first one
    builds it under a lock, the others wait and share it (read-only)."""
    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent        # this run's folder, common to the workers
    course, done = run_dir / "released-course", run_dir / "released-course.done"
    with open(run_dir / "released-course.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(course, ignore_errors=True)
            released_copy(course)
            done.touch()
    return course


@pytest.fixture()
def course(released, tmp_path):
    """A fresh copy of the released course (gradebook included) per test."""
    return Path(shutil.copytree(released, tmp_path / "course", symlinks=True))


@pytest.fixture()
def notebooks(released):
    return course_notebooks(released)


def result(student, notebooks, points=None, statuses=None, unjudged=()):
    """A SubmissionResult with verdicts for the auto items of these notebooks."""
    points = points or (lambda item: item.points)
    verdicts = [Verdict(item.id, points(item), item.points, (), f"feedback on {item.id}")
                for item in ITEMS if item.kind == "auto" and item.notebook in notebooks
                and item.id not in unjudged]
    runs = {name: NotebookRun(name, (statuses or {}).get(name, "ok")) for name in notebooks}
    return SubmissionResult(student, ASSIGNMENT, "ok", "", 0.5, verdicts, runs)


def half(item):
    return item.points / 2


def grades_of(course, student, db_url=None):
    """{grade name: (auto_score, manual_score, needs_manual_grade)} of a submission."""
    db_url = db_url or course_directory(course).db_url
    with Gradebook(db_url) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return {grade.name: (grade.auto_score, grade.manual_score, grade.needs_manual_grade)
                for notebook in submission.notebooks for grade in notebook.grades}


def exported_csv(course, tmp_path):
    """What `nbgrader export` writes (its CSV plugin, in-process)."""
    target = tmp_path / "grades.csv"
    plugin = CsvExportPlugin()
    plugin.to = str(target)
    with Gradebook(course_directory(course).db_url) as gradebook:
        plugin.export(gradebook)
    with open(target, newline="") as file:
        return {row["student_id"]: row for row in csv.DictReader(file)}


def answer_ids(notebooks):
    return {item.id for item in ITEMS if item.kind == "manual" and item.notebook in notebooks}


def test_test_cells_get_the_verdicts_and_export_shows_the_totals(course, notebooks, tmp_path):
    write_class(course, [Student("alice"), Student("bob")])
    bridge.write_gradebook(course, [result("alice", notebooks), result("bob", notebooks, half)])

    alice, bob = grades_of(course, "alice"), grades_of(course, "bob")
    auto = [i for i in ITEMS if i.kind == "auto" and i.notebook in notebooks]
    assert {i.test_id: alice[i.test_id][0] for i in auto} == {i.test_id: i.points for i in auto}
    assert {i.test_id: bob[i.test_id][0] for i in auto} == {i.test_id: i.points / 2 for i in auto}
    assert not any(alice[i.test_id][2] for i in auto)       # no test cell needs a grader

    rows = exported_csv(course, tmp_path)
    total = sum(i.points for i in auto)
    assert float(rows["alice"]["raw_score"]) == total
    assert float(rows["bob"]["raw_score"]) == total / 2
    assert float(rows["alice"]["max_score"]) == sum(
        i.points for i in ITEMS if i.notebook in notebooks)


def test_answers_wait_for_a_grader_and_manual_scores_count(course, notebooks):
    write_class(course, [Student("alice")])
    bridge.write_gradebook(course, [result("alice", notebooks)])
    answers = answer_ids(notebooks)
    grades = grades_of(course, "alice")
    assert {name: grades[name] for name in answers} == {
        name: (None, None, True) for name in answers}

    # What formgrader does when a grader scores a free-text answer.
    db_url = course_directory(course).db_url
    graded = sorted(answers)[0]
    with Gradebook(db_url) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "alice")
        auto_total = submission.score
        grade = gradebook.find_grade(graded, ITEMS_BY_ID[graded].notebook, ASSIGNMENT, "alice")
        grade.manual_score = 1.5
        grade.needs_manual_grade = False
        gradebook.db.commit()
        assert gradebook.find_submission(ASSIGNMENT, "alice").score == auto_total + 1.5

    # A regrade keeps the grader's score; nbgrader flags it for review again.
    bridge.write_gradebook(course, [result("alice", notebooks)])
    assert grades_of(course, "alice")[graded] == (None, 1.5, True)
    with Gradebook(db_url) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "alice").score == auto_total + 1.5


def test_untouched_answers_score_zero_with_no_response(course, notebooks):
    folder = course / "submitted" / "idle" / ASSIGNMENT
    shutil.copytree(course / "release" / ASSIGNMENT, folder)   # submitted as released
    bridge.write_gradebook(course, [result("idle", notebooks, lambda item: 0)])
    grades = grades_of(course, "idle")
    assert {name: grades[name] for name in answer_ids(notebooks)} == {
        name: (0, None, False) for name in answer_ids(notebooks)}
    with Gradebook(course_directory(course).db_url) as gradebook:
        comments = {c.name: c.auto_comment
                    for notebook in gradebook.find_submission(ASSIGNMENT, "idle").notebooks
                    for c in notebook.comments}
    assert {comments[name] for name in answer_ids(notebooks)} == {"No response."}


def test_formgrader_lists_and_renders_the_autograded_notebooks(course, notebooks):
    write_class(course, [Student("alice")])
    bridge.write_gradebook(course, [result("alice", notebooks, half)])
    coursedir = course_directory(course)
    api = NbGraderAPI(coursedir=coursedir)
    assert api.get_submission(ASSIGNMENT, "alice")["autograded"]
    first = notebooks[0]
    listed = api.get_notebook_submissions(ASSIGNMENT, first)   # only those with a copy on disk
    assert [s["student"] for s in listed] == ["alice"]
    assert listed[0]["score"] == sum(i.points for i in ITEMS
                                     if i.kind == "auto" and i.notebook == first) / 2
    assert listed[0]["needs_manual_grade"]                     # the free-text answer

    copy = nbformat.read(course / "autograded" / "alice" / ASSIGNMENT / f"{first}.ipynb", 4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{first}.ipynb", 4)
    tests = {c.metadata.nbgrader.grade_id: c for c in copy.cells
             if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")}
    for cell in source.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id in tests:   # restored from the source, hidden part included
            assert tests[grade_id].source == cell.source
            assert f"feedback on {grade_id[len('test_'):]}" in tests[grade_id].outputs[0]["text"]

    html = formgrade_html(copy, listed[0]["id"], first)
    assert "feedback on" in html


def formgrade_html(notebook, submission_id, name):
    """The page formgrader serves for one notebook (its HTML exporter and template)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": ASSIGNMENT, "notebook_id": name, "submission_id": submission_id,
                 "index": 0, "total": 1, "base_url": "", "student": "alice",
                 "last_name": None, "first_name": None, "notebook_path": name}
    html, _ = HTMLExporter(config=config).from_notebook_node(notebook, resources=resources)
    return html


def test_regrading_gives_the_same_rows_and_files(course, notebooks):
    write_class(course, [Student("alice"), Student("bob")])
    results = [result("alice", notebooks), result("bob", notebooks, half)]
    bridge.write_gradebook(course, results)
    first = snapshot(course)
    bridge.write_gradebook(course, results)
    assert snapshot(course) == first


def snapshot(course):
    with Gradebook(course_directory(course).db_url) as gradebook:
        rows = sorted((s.student.id, g.name, g.auto_score, g.needs_manual_grade)
                      for s in gradebook.assignment_submissions(ASSIGNMENT)
                      for notebook in s.notebooks for g in notebook.grades)
        counts = (len(gradebook.students), len(gradebook.assignment_submissions(ASSIGNMENT)))
    files = {str(p.relative_to(course)): p.read_bytes()
             for p in sorted((course / "autograded").rglob("*")) if p.is_file()}
    return rows, counts, files


def test_missing_and_unreadable_notebooks_score_like_nbgrader_scores_a_missing_one(
        course, notebooks):
    broken, missing = notebooks[0], notebooks[-1]
    write_class(course, [Student("grace", broken=(broken,)), Student("heidi", missing=(missing,))])
    stale = course / "autograded" / "heidi" / ASSIGNMENT / f"{missing}.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")      # from an earlier grading, when the notebook was there
    bridge.write_gradebook(course, [
        result("grace", notebooks, half, {broken: "unreadable"}),
        result("heidi", notebooks, half, {missing: "missing"}),
    ])
    for student, name in (("grace", broken), ("heidi", missing)):
        assert not (course / "autograded" / student / ASSIGNMENT / f"{name}.ipynb").exists()
        grades = grades_of(course, student)
        for item in ITEMS:
            if item.notebook == name:
                expected = item.points / 2 if item.kind == "auto" else 0
                assert grades[item.test_id if item.kind == "auto" else item.id] == (
                    expected, None, False)


def test_a_notebook_nbgrader_rejects_is_scored_without_a_copy(course, notebooks):
    write_class(course, [Student("dup")])
    path = course / "submitted" / "dup" / ASSIGNMENT / f"{notebooks[0]}.ipynb"
    notebook = nbformat.read(path, 4)
    graded = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id")]
    graded[1].metadata.nbgrader.grade_id = graded[0].metadata.nbgrader.grade_id   # duplicate ids
    nbformat.write(notebook, path)
    bridge.write_gradebook(course, [result("dup", notebooks)])
    assert not (course / "autograded" / "dup" / ASSIGNMENT / path.name).exists()
    assert (course / "autograded" / "dup" / ASSIGNMENT / f"{notebooks[1]}.ipynb").exists()


def test_a_deleted_test_cell_still_gets_its_verdict(course, notebooks):
    write_class(course, [Student("alice")])
    path = course / "submitted" / "alice" / ASSIGNMENT / f"{notebooks[0]}.ipynb"
    notebook = nbformat.read(path, 4)
    deleted = next(c for c in notebook.cells
                   if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_"))
    notebook.cells.remove(deleted)
    nbformat.write(notebook, path)
    bridge.write_gradebook(course, [result("alice", notebooks, half)])
    item = ITEMS_BY_ID[deleted.metadata.nbgrader.grade_id[len("test_"):]]
    assert grades_of(course, "alice")[item.test_id] == (item.points / 2, None, False)


def test_an_item_the_engine_did_not_judge_is_left_to_the_grader(course, notebooks):
    write_class(course, [Student("alice")])
    skipped = next(i for i in ITEMS if i.kind == "auto" and i.notebook in notebooks)
    bridge.write_gradebook(course, [result("alice", notebooks, unjudged=(skipped.id,))])
    assert grades_of(course, "alice")[skipped.test_id] == (None, None, True)


def test_without_the_release_it_says_to_generate_the_assignment(course, notebooks, tmp_path):
    write_class(course, [Student("alice")])
    results = [result("alice", notebooks)]
    absent = tmp_path / "absent.db"
    with pytest.raises(bridge.GradebookNotReady, match="nbgrader generate_assignment"):
        bridge.write_gradebook(course, results, db_url=f"sqlite:///{absent}")
    assert not absent.exists()      # no empty gradebook left behind

    other = tmp_path / "other.db"
    shutil.copy(course / "gradebook.db", other)
    with Gradebook(f"sqlite:///{other}") as gradebook:
        gradebook.remove_assignment(ASSIGNMENT)
    with pytest.raises(bridge.GradebookNotReady, match="make release"):
        bridge.write_gradebook(course, results, db_url=f"sqlite:///{other}")


def test_db_url_chooses_the_gradebook(course, notebooks):
    write_class(course, [Student("alice")])
    other = course / "other.db"
    shutil.copy(course / "gradebook.db", other)
    bridge.write_gradebook(course, [result("alice", notebooks)], db_url=f"sqlite:///{other}")
    assert grades_of(course, "alice", f"sqlite:///{other}")
    with Gradebook(course_directory(course).db_url) as gradebook:
        assert gradebook.students == []


def test_notebooks_graded_outside_the_course_are_not_written(course, notebooks):
    write_class(course, [Student("alice")])
    loose = result("loose-notebook", notebooks)       # no submitted/loose-notebook/ folder
    assert bridge.write_gradebook(course, [result("alice", notebooks), loose]) == 1
    with Gradebook(course_directory(course).db_url) as gradebook:
        assert [s.id for s in gradebook.students] == ["alice"]


def test_one_at_a_time_the_writer_records_as_the_batch_does(course, notebooks, tmp_path):
    """The engine records each student as they are judged (GradebookWriter, kept open)."""
    write_class(course, [Student("alice"), Student("bob")])
    with bridge.GradebookWriter(course) as writer:
        assert writer.add(result("alice", notebooks))
        assert grades_of(course, "alice")  # readable by others before the writer closes
        assert writer.add(result("bob", notebooks, half))
        assert not writer.add(result("loose-notebook", notebooks))
    rows = exported_csv(course, tmp_path)
    total = sum(i.points for i in ITEMS if i.kind == "auto" and i.notebook in notebooks)
    assert (float(rows["alice"]["raw_score"]), float(rows["bob"]["raw_score"])) == (
        total, total / 2)


class PageText(HTMLParser):
    """The text of an HTML page, tags dropped (highlighted code reads as the code)."""

    def __init__(self, page):
        super().__init__()
        self.parts = []
        self.feed(page)

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        return "".join(self.parts)


def source_test_lines(course, notebook):
    """(hidden, visible): the code lines of the source's test cells, markers excluded."""
    lines, hidden = ([], []), False
    for cell in nbformat.read(course / "source" / ASSIGNMENT / f"{notebook}.ipynb", 4).cells:
        if not cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_"):
            continue
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                hidden = "BEGIN" in line
            elif line.strip():
                lines[0 if hidden else 1].append(line.strip())
    return lines


def test_students_feedback_holds_no_hidden_tests(course, notebooks):
    """`nbgrader generate_feedback` on the engine's copies: no hidden block, the output stays."""
    write_class(course, [Student("alice")])
    bridge.write_gradebook(course, [result("alice", notebooks, half)])
    run_nbgrader(course, "generate_feedback", ASSIGNMENT)

    for notebook in notebooks:
        hidden, visible = source_test_lines(course, notebook)
        assert hidden and visible, notebook                     # there is something to hide
        copy = (course / "autograded" / "alice" / ASSIGNMENT / f"{notebook}.ipynb").read_text()
        assert "BEGIN HIDDEN TESTS" in copy                     # formgrader still shows it
        page = (course / "feedback" / "alice" / ASSIGNMENT / f"{notebook}.html").read_text()
        text = PageText(page).text()
        assert "HIDDEN TESTS" not in text
        assert [line for line in hidden if line in text] == []
        assert [line for line in visible if line not in text] == []   # the visible tests stay
        auto = [item for item in ITEMS if item.kind == "auto" and item.notebook == notebook]
        for item in auto:                                       # the test cells' output stays
            assert f"feedback on {item.id}" in text
            assert f"{item.id}: {half(item):g} / {item.points:g}" in text
