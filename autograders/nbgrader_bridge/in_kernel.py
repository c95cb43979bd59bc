"""The hidden tests of the source notebooks: the same judges, run in-kernel.

``nbgrader autograde`` runs each test cell in the student's own kernel. The
hidden part of every test cell calls ``check(item_id, globals())``, which
runs the item's probe on the notebook's namespace, round-trips the
observations through the safe file format, and judges them with the
reference, exactly as the sandboxed engine does. It prints the verdict and
publishes the points as the cell's result, which nbgrader reads as partial
credit.

Why ``sys.displayhook`` and not the cell's last expression: the hidden part
comes first in the cell, before the visible asserts. nbgrader's
``determine_grade`` takes the first output that is a result or an error, so
the judge's points stand even when a visible assert fails afterwards, and
``nbgrader autograde`` agrees with the engine on every honest submission.
This path is less isolated than the engine: student code runs in the same
process as the judge (see the README's threat model).
"""
import sys
import tempfile

from autograders import registry


def check(item_id, namespace):
    """Judge one item on a notebook's namespace; publish the points.

    Returns None, so a cell ending in this call does not publish twice.
    """
    with tempfile.TemporaryDirectory(prefix="nn-check-") as scratch:
        verdict = registry.grade_item(item_id, namespace, scratch)
    print(verdict_report(verdict))
    sys.displayhook(float(verdict.points))


def verdict_report(verdict):
    """What a test cell prints: the score, then the feedback message.

    The gradebook export writes the same text into the autograded notebooks,
    so formgrader shows one format whichever path graded the submission.
    """
    lines = [f"{verdict.item}: {verdict.points:g} / {verdict.max_points:g}"]
    if verdict.message:
        lines.append(verdict.message)
    return "\n".join(lines)
