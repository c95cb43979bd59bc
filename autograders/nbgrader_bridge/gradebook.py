"""Write the engine's results into the course's nbgrader gradebook.

After this, formgrader and ``nbgrader export`` show the engine's scores as if
``nbgrader autograde`` had produced them, and free-text answers are graded by
hand as usual:
- the student and the submission are created if needed (a regrade updates
  the same rows: same scores, no duplicates, manual scores kept);
- every test cell ``test_<item>`` gets the item's verdict as its auto score;
- the free-text answer cells are left to the grader (nbgrader's rule: an
  untouched one scores 0 with the comment "No response.");
- the course's late-submission penalty is applied by nbgrader's own
  AssignLatePenalties (late.py), and the result's ``late`` set to it;
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
import contextlib
import logging
import shutil
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from autograders.items import ITEMS_BY_ID
from autograders.nbgrader_bridge import autograded_copy, late, scores
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
    with GradebookWriter(course_root, db_url) as writer:
        results = [r for r in results if writer.takes(r)]
        for result in results:
            writer.check(result)
        for result in results:
            writer.record(result)
    return len(results)


class GradebookWriter:
    """Records results one at a time, the gradebook kept open between them
    (the engine records each student as soon as they are judged).

        with GradebookWriter(course_root) as writer:
            writer.add(result)       # checks, then records; skips results not in the course
    """

    def __init__(self, course_root, db_url=None):
        self.coursedir = course_directory(course_root, db_url)
        self._gradebook = None
        self._sources = {}  # assignment -> its SourceNotebooks

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self._gradebook is not None:
            self._gradebook.close()
            self._gradebook = None

    def takes(self, result):
        """Whether the result belongs to this course's submitted folder."""
        return _in_course(self.coursedir, result)

    def check(self, result):
        """Raise GradebookNotReady unless the gradebook can hold this result."""
        _check_grade_cells(self.coursedir, result.assignment, self._sources_of(result.assignment),
                           [result])

    def add(self, result):
        """Check and record one result; returns whether it was the course's."""
        if not self.takes(result):
            return False
        self.check(result)
        self.record(result)
        return True

    def record(self, result):
        """Record one result already found to be the course's and checked.

        The result's ``late`` becomes its submission's Lateness, as the
        gradebook now holds it: the reports written after show the penalty.
        """
        with _quiet_autoflush():
            result.late = record_submission(self._open(), self.coursedir,
                                            self._sources_of(result.assignment), result)

    def _open(self):
        if self._gradebook is None:
            with _quiet_autoflush():
                self._gradebook = Gradebook(self.coursedir.db_url, self.coursedir.course_id)
        return self._gradebook

    def _sources_of(self, assignment):
        if assignment not in self._sources:
            _check_database_exists(self.coursedir, assignment)
            with _quiet_autoflush():
                self._sources[assignment] = source_notebooks(self._open(), self.coursedir,
                                                             assignment)
        return self._sources[assignment]


@contextlib.contextmanager
def _quiet_autoflush():
    """nbgrader's own add_submission trips SQLAlchemy's autoflush warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        yield


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


def source_notebooks(gradebook, coursedir, assignment):
    """The assignment's notebooks (SourceNotebook); GradebookNotReady if it has none."""
    try:
        notebooks = gradebook.find_assignment(assignment).notebooks
    except MissingEntry:
        raise GradebookNotReady(f"the gradebook has no assignment {assignment!r}: "
                                f"{_fix(coursedir, assignment)}") from None
    return [autograded_copy.SourceNotebook(notebook) for notebook in notebooks]


def _check_grade_cells(coursedir, assignment, sources, results):
    """Every judged item of these results has its test cell in the gradebook; else say how."""
    grade_cells = {(s.name, name) for s in sources for name in s.grade_ids}
    judged = {v.item for r in results if r.assignment == assignment for v in r.verdicts}
    for item_id in sorted(judged):
        item = ITEMS_BY_ID[item_id]
        if (item.notebook, item.test_id) not in grade_cells:
            raise GradebookNotReady(
                f"the gradebook has no grade cell {item.test_id!r} in notebook "
                f"{item.notebook!r} of {assignment!r}: {_fix(coursedir, assignment)}")


def record_submission(gradebook, coursedir, sources, result):
    """One student's scores, comments and autograded notebooks, in one transaction,
    then the course's late penalty on the notebooks autograded (see late.py), as
    ``nbgrader autograde`` gives it; returns the submission's result.Lateness."""
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
    copied = []
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
            copied.append(source.name)
    gradebook.db.commit()
    return late.apply_penalties(gradebook, coursedir, submission, copied)


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
