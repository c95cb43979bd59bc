"""The reports of a graded class, each written by one small module.

An export is a function ``write(results, out_dir, course)``: results are
SubmissionResults in report order (see common.ordered), out_dir the output
folder, course the autograders.course.Course graded (None when grading loose
notebooks outside a course, or merging without --course). ``write_all``
calls each in turn; the nbgrader gradebook export (exports.gradebook) joins
the list, first, when there is a course to write to and the bridge exists:
it sets each result's late penalty (SubmissionResult.late, from the
gradebook's due date), which the reports written after it show.

A module that sets ``PER_STUDENT = True`` writes each result on its own
(one student's files, one student's gradebook rows): ``ResultStream`` calls
it as each result is judged, so that the engine writes those reports while
the sandbox grades the next students; the class-wide reports follow at the
end. Such a module may define ``ready(course) -> bool`` (False: skip it),
and ``Writer(out_dir, course)`` with ``add(result)`` and ``close()`` for
state kept between results (an open gradebook); else ``write([result], ...)``
is called for each; and ``prepare(course)``, which imports what writing will
need (``ResultStream.prepare``: the engine calls it while the sandbox starts).
"""
import importlib.util
from pathlib import Path
import sys
import traceback

from autograders.exports import (class_report, csv_report, gradescope, html_report, junit, raw,
                                  summary)
from autograders.exports.common import ordered

FILE_WRITERS = (raw.write, gradescope.write, csv_report.write, junit.write, html_report.write,
                summary.write, class_report.write)
BRIDGE_MODULE = "autograders.nbgrader_bridge.gradebook"


def class_files():
    """The names of the class-wide report files in the output folder (no student id
    may be one: OUT/<student_id>/ holds each student's reports)."""
    from autograders.exports.common import RUN_INFO_FILE
    return (csv_report.FILE_NAME, junit.FILE_NAME, summary.FILE_NAME, class_report.JSON_FILE,
            class_report.HTML_FILE, class_report.SIMILARITY_FILE, RUN_INFO_FILE)


def gradebook_writer():
    """The gradebook export (exports.gradebook.write), or None while the bridge does not exist."""
    if importlib.util.find_spec(BRIDGE_MODULE) is None:
        return None
    from autograders.exports import gradebook
    return gradebook.write


def default_writers(course, gradebook=True):
    """The file reports, after the gradebook when there is a course and gradebook is True
    (it gives the results their late penalties)."""
    writer = gradebook_writer() if gradebook and course is not None else None
    return ((writer,) if writer else ()) + FILE_WRITERS


def write_all(results, out_dir, course=None, writers=None):
    """Write every report of these results under out_dir; returns the failures.

    A writer that raises does not stop the others: its traceback is returned
    (one text per failed writer), for the caller to report as an engine error.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = ordered(results)
    failures = []
    for writer in (default_writers(course) if writers is None else writers):
        try:
            writer(results, out_dir, course)
        except Exception:  # noqa: BLE001 - one broken report must not hide the others
            failures.append(f"writing the {writer.__module__} report failed:\n"
                            f"{traceback.format_exc()}")
    return failures


def _module(writer):
    return sys.modules.get(writer.__module__)


def per_student(writer):
    return getattr(_module(writer), "PER_STUDENT", False)


class ResultStream:
    """Writes each result's own reports as it comes, the class-wide ones at finish.

        stream = ResultStream(default_writers(course), out_dir, course)
        stream.add(result)                 # as each student is judged
        failures = stream.finish(results)  # the whole class, in any order

    A writer that raises for one student still writes the others; finish
    returns one text per failed writer (how many students, the first
    traceback), as write_all does.
    """

    def __init__(self, writers, out_dir, course=None):
        self.out_dir, self.course = Path(out_dir), course
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._now, self._later = [], []  # _now: (writer, its module's Writer class or None)
        for writer in writers:
            if not per_student(writer):
                self._later.append(writer)
            elif getattr(_module(writer), "ready", lambda course: True)(course):
                self._now.append((writer, getattr(_module(writer), "Writer", None)))
        self._open = {}    # writer -> its Writer, made at the first result
        self._failed = {}  # writer -> [student ids, first traceback]

    def prepare(self):
        """Import, ahead, what the per-student writers will need (see the module's text)."""
        for writer, _ in self._now:
            prepare = getattr(_module(writer), "prepare", None)
            if prepare is not None:
                prepare(self.course)

    def add(self, result):
        for writer, stateful in self._now:
            try:
                self._write(writer, stateful, result)
            except Exception:  # noqa: BLE001 - one broken report must not hide the others
                self._fail(writer, result.student_id)

    def failed_for(self, student_id):
        """True when some writer failed on this student's reports."""
        return any(student_id in students for students, _ in self._failed.values())

    def _write(self, writer, stateful, result):
        if stateful is None:
            writer([result], self.out_dir, self.course)
            return
        if writer not in self._open:
            self._open[writer] = stateful(self.out_dir, self.course)
        self._open[writer].add(result)

    def _fail(self, writer, student_id):
        failed = self._failed.setdefault(writer, [[], traceback.format_exc()])
        failed[0].append(student_id)

    def finish(self, results):
        for writer, opened in self._open.items():
            try:
                opened.close()
            except Exception:  # noqa: BLE001
                self._fail(writer, "(closing)")
        failures = [f"writing the {writer.__module__} report failed for {len(students)} "
                    f"student(s) ({', '.join(students[:5])}{', ...' if len(students) > 5 else ''}):"
                    f"\n{first}" for writer, (students, first) in self._failed.items()]
        return failures + write_all(results, self.out_dir, self.course, self._later)
