"""The reports of a graded class, each written by one small module.

An export is a function ``write(results, out_dir, course)``: results are
SubmissionResults in report order (see common.ordered), out_dir the output
folder, course the autograders.course.Course graded (None when grading loose
notebooks outside a course, or merging without --course). ``write_all``
calls each in turn; the nbgrader gradebook export (exports.gradebook) joins
the list when there is a course to write to and the bridge exists.
"""
import importlib.util
from pathlib import Path
import traceback

from autograders.exports import csv_report, gradescope, html_report, junit, raw, summary
from autograders.exports.common import ordered

FILE_WRITERS = (raw.write, gradescope.write, csv_report.write, junit.write, html_report.write,
                summary.write)
BRIDGE_MODULE = "autograders.nbgrader_bridge.gradebook"


def gradebook_writer():
    """The gradebook export (exports.gradebook.write), or None while the bridge does not exist."""
    if importlib.util.find_spec(BRIDGE_MODULE) is None:
        return None
    from autograders.exports import gradebook
    return gradebook.write


def default_writers(course, gradebook=True):
    """The file reports, plus the gradebook when there is a course and gradebook is True."""
    writer = gradebook_writer() if gradebook and course is not None else None
    return FILE_WRITERS + ((writer,) if writer else ())


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
