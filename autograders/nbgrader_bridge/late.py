"""The course's late-submission penalty, applied by nbgrader's own code.

``nbgrader autograde`` ends each notebook with its ``AssignLatePenalties``
preprocessor: the course's ``LateSubmissionPlugin`` (``penalty_method``
'none' or 'zero', or the class set in ``c.AssignLatePenalties.plugin_class``)
gives a penalty from the notebook's score and the submission's
``total_seconds_late`` (its ``timestamp.txt`` against the assignment's due
date plus the student's extension, both from the gradebook), clamped to
[0, score], stored as ``SubmittedNotebook.late_submission_penalty``;
``nbgrader export`` and formgrader subtract it.

Here the same preprocessor runs, configured from the course's
``nbgrader_config.py``, on every notebook the engine wrote an autograded copy
of. It opens the gradebook itself, so the caller commits its scores first.
A submission on time whose notebooks hold no penalty is left as it is: the
preprocessor would only reset the penalties to None, which they are.
"""
import contextlib
import sys

import nbformat
from nbgrader.preprocessors import AssignLatePenalties

from autograders.nbgrader_bridge.autograded_copy import nbgrader_resources
from autograders.result import Lateness


def apply_penalties(gradebook, coursedir, submission, notebooks):
    """Run nbgrader's AssignLatePenalties on these notebooks of a committed submission.

    submission: the gradebook's SubmittedAssignment; notebooks: the names of
    the notebooks graded this time. Returns the submission's Lateness.
    """
    rows = {row.name: row for row in submission.notebooks if row.name in notebooks}
    late = submission.total_seconds_late > 0
    if late or any(row.late_submission_penalty is not None for row in rows.values()):
        preprocessor = _preprocessor(coursedir)
        for name in rows:
            resources = nbgrader_resources(name, submission.assignment.name,
                                           submission.student.id, coursedir.db_url)
            preprocessor.preprocess(nbformat.v4.new_notebook(), resources)
        gradebook.db.expire_all()  # the preprocessor wrote through its own session
    return Lateness(float(submission.total_seconds_late),
                    {name: float(row.late_submission_penalty or 0.0)
                     for name, row in sorted(rows.items())})


def _preprocessor(coursedir):
    """AssignLatePenalties with its plugin, from the course's configuration.

    nbgrader imports a plugin class named by a string from the folder it runs
    in (the course root); the course root is searched here too.
    """
    with _importable(coursedir.root):
        preprocessor = AssignLatePenalties(config=coursedir.config)
        preprocessor.init_plugin()
    # preprocess() makes its plugin again: the class is imported by now.
    return preprocessor


@contextlib.contextmanager
def _importable(folder):
    sys.path.insert(0, folder)
    try:
        yield
    finally:
        sys.path.remove(folder)
