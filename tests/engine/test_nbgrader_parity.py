"""`nbgrader autograde` and the engine agree on honest submissions of the sample class.

The hidden test cells of the source notebooks run the engine's judges in the
student's kernel (autograders.nbgrader_bridge.in_kernel), so both paths must
give every item the same points. The two runs grade copies of one released
course, each with its own gradebook; the engine writes its scores through
the gradebook bridge, so the whole gradebooks are compared, row by row.

nbgrader needs 5-10 s a notebook, so only some students submit every
notebook: each notebook is covered by the reference and by one bug.
"""
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograders.items import ASSIGNMENT
from autograders.nbgrader_bridge.course_config import course_directory
from course_build.sample_class import (HONEST, course_notebooks, nbgrader_env, released_copy,
                                       run_nbgrader, write_class)

pytestmark = pytest.mark.slow

ALL = None
# student -> the notebooks submitted (ALL: every one). 04_fitting runs notebook 3's
# solution cells, so a student submitting notebook 4 submits notebook 3 too.
SUBMITTED = {
    "alice-reference": ALL,
    "bob-backprop-hidden-not-divided": ("02_numpy_network",),
    "carol-sigmoid-naive": ("01_activations",),
    "dave-missing-zero-grad": ("03_pytorch_training",),
    "frank-underfit-missing-key": ("03_pytorch_training", "04_fitting"),
}
PARITY_CLASS = [student for student in HONEST if student.id in SUBMITTED]


def keep_only(course, student, notebooks):
    folder = course / "submitted" / student / ASSIGNMENT
    for path in folder.glob("*.ipynb"):
        if notebooks is not ALL and path.stem not in notebooks:
            path.unlink()


def gradebook_rows(course):
    """{(student, notebook, cell): (auto_score, needs_manual_grade)} of every submission."""
    with Gradebook(course_directory(course).db_url) as gradebook:
        return {(submission.student.id, notebook.name, grade.name):
                (grade.auto_score, grade.needs_manual_grade)
                for submission in gradebook.assignment_submissions(ASSIGNMENT)
                for notebook in submission.notebooks for grade in notebook.grades}


def autograded_sources(course):
    """{(student, notebook): [cell sources]} of the autograded notebooks."""
    return {(path.parts[-3], path.stem): [cell.source for cell in nbformat.read(path, 4).cells]
            for path in sorted((course / "autograded").glob(f"*/{ASSIGNMENT}/*.ipynb"))}


def graded_twice(base):
    """(the course graded by nbgrader autograde, its copy graded by the engine)."""
    by_nbgrader = released_copy(base / "nbgrader")
    write_class(by_nbgrader, PARITY_CLASS)
    for student in PARITY_CLASS:
        keep_only(by_nbgrader, student.id, SUBMITTED[student.id])
    by_engine = shutil.copytree(by_nbgrader, base / "engine")
    grade_both(by_nbgrader, by_engine, base / "engine-reports", cwd=by_engine)
    return by_nbgrader, by_engine


def grade_both(by_nbgrader, by_engine, reports, cwd):
    """Side by side: the engine grades its copy of the course (run from cwd, into
    reports) in the background while `nbgrader autograde` grades the other."""
    engine = subprocess.Popen(
        [sys.executable, "-m", "autograders", "grade", "--course", str(by_engine),
         "--out", str(reports)],
        cwd=cwd, env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        run_nbgrader(by_nbgrader, "autograde", ASSIGNMENT, "--force")
    finally:
        log, _ = engine.communicate()
    assert engine.returncode == 0, log


def test_nbgrader_autograde_and_the_engine_agree(tmp_path):
    """One test: the two gradings take minutes, and each xdist worker would redo them."""
    by_nbgrader, by_engine = graded_twice(tmp_path)
    nbgrader_rows, engine_rows = gradebook_rows(by_nbgrader), gradebook_rows(by_engine)

    # Every notebook is graded for the reference and for a bug.
    copies = autograded_sources(by_nbgrader)
    for notebook in course_notebooks(by_nbgrader):
        assert ("alice-reference", notebook) in copies
        assert any(s != "alice-reference" and nb == notebook for s, nb in copies), notebook

    # The same gradebook rows, the same scores and manual-grading flags.
    assert engine_rows.keys() == nbgrader_rows.keys()
    differing = {key: {"nbgrader": nbgrader_rows[key], "engine": engine_rows[key]}
                 for key in nbgrader_rows if nbgrader_rows[key] != engine_rows[key]}
    assert differing == {}

    # Not vacuous: each bug costs points, the reference none.
    maxima = max_scores(by_nbgrader)
    for student in PARITY_CLASS:
        submitted = set(SUBMITTED[student.id] or course_notebooks(by_nbgrader))
        lost = {cell for (who, notebook, cell), (score, _) in nbgrader_rows.items()
                if who == student.id and notebook in submitted and cell.startswith("test_")
                and score < maxima[notebook, cell]}
        assert bool(lost) == (student.id != "alice-reference"), (student.id, lost)

    # The autograded notebooks formgrader shows hold the same cells.
    assert autograded_sources(by_engine) == copies


def max_scores(course):
    """{(notebook, grade cell): max score} of the course's gradebook."""
    with Gradebook(course_directory(course).db_url) as gradebook:
        return {(notebook.name, cell.name): cell.max_score
                for notebook in gradebook.find_assignment(ASSIGNMENT).notebooks
                for cell in notebook.grade_cells}
