"""Write the engine's results into the course's nbgrader gradebook.

After this, formgrader and ``nbgrader export`` show the engine's scores as if
``nbgrader autograde`` had produced them, and free-text answers are graded by
hand as usual:
- the student and the submission are created if needed (a regrade updates
  the same rows: same scores, no duplicates, manual scores kept);
- every test cell ``test_<item>`` gets the item's verdict as its auto score;
- the free-text answer cells are left to the grader (nbgrader's rule: an
  untouched one scores 0 with the comment "No response.");
- ``autograded/<student>/<assignment>/<nb>.ipynb`` is rewritten: the submission
  with locked and test cells restored, each test cell showing its verdict
  (see autograded_copy.py): what formgrader displays.

A notebook that is missing, or that nbgrader could not grade (not JSON,
corrupted nbgrader metadata), gets no autograded copy; its test cells get
the engine's verdicts and its other cells 0, as ``nbgrader autograde``
scores a missing notebook.

As after ``nbgrader autograde`` itself, a later ``nbgrader autograde`` skips
these submissions unless given ``--force`` (the autograded copy exists).

    from autograders.nbgrader_bridge.gradebook import write_gradebook
    write_gradebook(course_root, results)            # or db_url="postgresql://..."
"""
import logging
import shutil
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from autograders.items import ITEMS_BY_ID
from autograders.nbgrader_bridge import autograded_copy, scores
from autograders.nbgrader_bridge.course_config import course_directory

log = logging.getLogger(__name__)
TIMESTAMP_FILE = "timestamp.txt"
# Notebook statuses (autograders.result.STATUSES) with no notebook to show.
NO_NOTEBOOK = ("unreadable", "missing")


class GradebookNotReady(RuntimeError):
    """The gradebook lacks the assignment or one of its grade cells."""


def write_gradebook(course_root, results, db_url=None):
    """Record SubmissionResults in the course's gradebook; return how many.

    ``db_url`` overrides the course's configured gradebook. Results of
    notebooks graded outside the course's submitted/ folder are not the
    gradebook's and are skipped. Raises GradebookNotReady, before writing
    anything, when the gradebook does not hold the graded assignment as
    ``nbgrader generate_assignment`` makes it.
    """
    coursedir = course_directory(course_root, db_url)
    results = [r for r in results if _in_course(coursedir, r)]
    if not results:
        return 0
    _check_database_exists(coursedir, results[0].assignment)
    with warnings.catch_warnings():
        # nbgrader's own add_submission trips SQLAlchemy's autoflush warnings.
        warnings.simplefilter("ignore", SAWarning)
        with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
            sources = {assignment: source_notebooks(gradebook, coursedir, assignment, results)
                       for assignment in sorted({r.assignment for r in results})}
            for result in results:
                record_submission(gradebook, coursedir, sources[result.assignment], result)
    return len(results)


def _fix(coursedir, assignment):
    return (f"run `nbgrader generate_assignment {assignment}` in {coursedir.root} "
            f"(in this repository: `make release`) so that the gradebook "
            f"{coursedir.db_url} holds the assignment's notebooks and grade cells")


def _check_database_exists(coursedir, assignment):
    """Opening a missing sqlite file would create an empty gradebook: say what to do instead."""
    prefix = "sqlite:///"
    if coursedir.db_url.startswith(prefix) and not Path(coursedir.db_url[len(prefix):]).exists():
        raise GradebookNotReady(f"there is no gradebook yet: {_fix(coursedir, assignment)}")


def _in_course(coursedir, result):
    folder = _submitted_folder(coursedir, result)
    if not folder.is_dir():
        log.warning("%s: not in the course's submitted folder; not written to the gradebook",
                    result.student_id)
        return False
    return True


def _submitted_folder(coursedir, result):
    return Path(coursedir.format_path(coursedir.submitted_directory, result.student_id,
                                      result.assignment))


def source_notebooks(gradebook, coursedir, assignment, results):
    """The assignment's notebooks (SourceNotebook), after checking that every
    judged item has its test cell in the gradebook; else say how to fix it."""
    fix = _fix(coursedir, assignment)
    try:
        notebooks = gradebook.find_assignment(assignment).notebooks
    except MissingEntry:
        raise GradebookNotReady(f"the gradebook has no assignment {assignment!r}: {fix}") from None
    sources = [autograded_copy.SourceNotebook(notebook) for notebook in notebooks]
    grade_cells = {(s.name, name) for s in sources for name in s.grade_ids}
    judged = {v.item for r in results if r.assignment == assignment for v in r.verdicts}
    for item_id in sorted(judged):
        item = ITEMS_BY_ID[item_id]
        if (item.notebook, item.test_id) not in grade_cells:
            raise GradebookNotReady(
                f"the gradebook has no grade cell {item.test_id!r} in notebook "
                f"{item.notebook!r} of {assignment!r}: {fix}")
    return sources


def record_submission(gradebook, coursedir, sources, result):
    """One student's scores, comments and autograded notebooks, in one transaction."""
    student, assignment = result.student_id, result.assignment
    submitted = _submitted_folder(coursedir, result)
    autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    gradebook.update_or_create_student(student)
    timestamp = coursedir.get_existing_timestamp(str(submitted))
    extra = {"timestamp": timestamp} if timestamp else {}
    submission = gradebook.update_or_create_submission(assignment, student, **extra)
    rows = {row.notebook_id: row for row in submission.notebooks}

    autograded.mkdir(parents=True, exist_ok=True)
    if timestamp:
        shutil.copy(submitted / TIMESTAMP_FILE, autograded / TIMESTAMP_FILE)

    verdicts = {ITEMS_BY_ID[v.item].test_id: v for v in result.verdicts}
    for source in sources:
        if source.name not in result.notebooks:
            continue  # not graded this time (e.g. other notebook files were given)
        target = autograded / f"{source.name}.ipynb"
        # A regrade must not keep the copy of a notebook that has since gone missing.
        target.unlink(missing_ok=True)
        copy = None
        if _status(result.notebooks[source.name]) not in NO_NOTEBOOK:
            resources = autograded_copy.nbgrader_resources(
                source.name, assignment, student, coursedir.db_url)
            copy = _autograded_notebook(submitted / target.name, source, resources,
                                        coursedir.config, verdicts)
        row = rows[source.id]
        if copy is None:
            scores.without_notebook(row, source, verdicts)
        else:
            scores.from_notebook(row, copy, source, verdicts)
            target.write_text(autograded_copy.notebook_text(copy))
    gradebook.db.commit()


def _autograded_notebook(path, source, resources, config, verdicts):
    """The formgrader copy with the verdicts published; None if nbgrader could not grade it."""
    try:
        notebook = autograded_copy.read_submitted(path)
        notebook = autograded_copy.sanitized(notebook, source, resources, config)
    except Exception as error:  # noqa: BLE001 - any such notebook scores like a missing one
        log.warning("%s: nbgrader cannot grade it (%s: %s); scored without a notebook",
                    path, type(error).__name__, error)
        return None
    return autograded_copy.publish_verdicts(notebook, verdicts)


def _status(run):
    return run["status"] if isinstance(run, dict) else run.status
