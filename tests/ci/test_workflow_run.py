"""The CI templates' jobs, run step by step as GitHub's runner would (tests/ci/workflow_runner.py).

Instructor: grade.yml on a small class in a course repository, with two
shards; the merged reports must equal an unsharded run of the same command.
Student: check.yml on a finished and on a buggy assignment folder. Only the
package installs are left out (this venv has the packages).
"""
import shutil
import subprocess
import sys

import pytest

from autograders.exports import csv_report, gradescope, html_report, junit
from tests.ci.course_repo import (CHECK_WORKFLOW, GRADE_WORKFLOW, INSTRUCTOR, STUDENT,
                                  is_install, make_course_repo, make_student_folder,
                                  runner_environment)
from tests.ci.workflow_runner import Runner, load
from tests.engine.sandbox_support import needs_bwrap
from tests.engine.test_merge import comparable

pytestmark = pytest.mark.slow

# A reference, a buggy, a broken-JSON and an incomplete submission: none fails the run.
STUDENTS = ("alice-reference", "carol-sigmoid-naive", "grace-broken-json",
            "heidi-missing-notebook")
SHARDS = 2
FIRST_NOTEBOOK = "01_activations"


def grade_unsharded(course, out):
    """The grade job's command without --shard, on the whole class."""
    result = subprocess.run(
        [sys.executable, "-m", "autograders", "grade", "--course", ".", "--out", str(out),
         "--sandbox", "bwrap", "--no-gradebook"],
        cwd=course, env=runner_environment(out.parent), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def run_grade_workflow(course, home):
    """grade.yml on a push, with the matrix cut to SHARDS shards."""
    workflow = load(GRADE_WORKFLOW)
    workflow["jobs"]["grade"]["strategy"]["matrix"]["shard"] = list(range(1, SHARDS + 1))
    runner = Runner(repo=INSTRUCTOR, home=home, env=runner_environment(home), skip=is_install,
                    checkout=lambda folder: shutil.copytree(course, folder, symlinks=True))
    return runner, runner.run_workflow(workflow)


def ran(runner, text):
    return [r for r in runner.records if r.outcome == "ran" and text in r.command]


# One test, several checks: grading the class costs most of a minute, and a module
# fixture would be paid once per xdist worker (xdist_group has no effect under pytest 9).
@needs_bwrap  # the workflow grades with --sandbox bwrap, as CI must
def test_the_grading_workflow_sharded_equals_an_unsharded_run(tmp_path):
    course = make_course_repo(tmp_path / "course", STUDENTS)
    runner, outcomes = run_grade_workflow(course, tmp_path / "runner")
    failed = [f"{r.job} / {r.name}:\n{r.output[-2000:]}" for r in runner.records
              if r.outcome == "failed"]
    assert outcomes == {"grade": True, "merge": True, "cuda-checks": None}, failed
    unsharded = grade_unsharded(course, tmp_path / "unsharded" / "reports")
    problems = [problem for check in GRADING_CHECKS for problem in check(runner, unsharded)]
    assert not problems, "\n".join(problems)


def only_package_installs_were_left_out(runner, unsharded):
    skipped = [r.command for r in runner.records if r.outcome == "skipped" and r.command]
    if not skipped or not all(is_install(command) for command in skipped):
        yield f"left out: {skipped}"
    shards = [r.command for r in ran(runner, "-m autograders grade")]
    if [f"--shard {i}/{SHARDS}" in c for i, c in enumerate(shards, 1)] != [True] * SHARDS:
        yield f"shard commands: {shards}"
    if len(ran(runner, "-m autograders merge")) != 1:
        yield "the merge command did not run once"


def merged_reports_equal_the_unsharded_ones(runner, unsharded):
    expected = comparable(unsharded)
    for merged in (runner.home / "work-merge-1" / "reports", runner.artifacts / "grading-reports"):
        if comparable(merged) != expected:
            yield f"{merged} differs from the unsharded reports"


def shards_split_the_class(runner, unsharded):
    graded = [sorted(p.name for p in (runner.artifacts / f"shard-{i}").iterdir() if p.is_dir())
              for i in range(1, SHARDS + 1)]
    if sorted(sum(graded, [])) != sorted(STUDENTS) or not all(graded):
        yield f"shards graded {graded}"


def artifacts_hold_grades_gradescope_junit_and_feedback(runner, unsharded):
    artifacts = runner.artifacts
    expected = [(artifacts / "grades" / csv_report.FILE_NAME, unsharded / csv_report.FILE_NAME),
                (artifacts / "junit" / junit.FILE_NAME, None)]
    for student in STUDENTS:
        expected += [(artifacts / "gradescope-results" / student / gradescope.FILE_NAME, None),
                     (artifacts / "feedback" / student / html_report.FILE_NAME,
                      unsharded / student / html_report.FILE_NAME)]
    for path, same_as in expected:
        if not path.is_file():
            yield f"missing artifact file {path.relative_to(artifacts)}"
        elif same_as and path.read_bytes() != same_as.read_bytes():
            yield f"{path.relative_to(artifacts)} differs from the unsharded run's"


def the_run_page_shows_the_score_table(runner, unsharded):
    page = runner.step_summary.read_text() if runner.step_summary.exists() else ""
    if not page.startswith("```") or not all(student in page for student in STUDENTS):
        yield f"step summary: {page[:500]!r}"


GRADING_CHECKS = (only_package_installs_were_left_out, merged_reports_equal_the_unsharded_ones,
                  shards_split_the_class, artifacts_hold_grades_gradescope_junit_and_feedback,
                  the_run_page_shows_the_score_table)


# -- the student's workflow ----------------------------------------------------------------

def student_run(tmp_path, student_id):
    runner = Runner(repo=STUDENT, home=tmp_path, env=runner_environment(tmp_path),
                    skip=is_install, checkout=lambda folder: make_student_folder(
                        folder, student_id, notebooks=[FIRST_NOTEBOOK]))
    outcomes = runner.run_workflow(CHECK_WORKFLOW)
    checks = [r for r in runner.records if "check.py" in r.command]
    assert len(checks) == 1
    return outcomes["check"], checks[0].output


def test_the_student_workflow_passes_finished_work(tmp_path):
    passed, output = student_run(tmp_path, "alice-reference")
    assert passed, output
    assert "visible checks pass." in output


def test_the_student_workflow_fails_while_a_visible_test_fails(tmp_path):
    passed, output = student_run(tmp_path, "carol-sigmoid-naive")
    assert not passed
    assert "[FAIL]  test_sigmoid" in output
