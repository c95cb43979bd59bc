"""OUT/<student_id>/results.json in Gradescope's autograder format.

Format (gradescope-autograders.readthedocs.io, "Autograder Specifications"):
top level ``score``, ``execution_time`` (seconds), ``output``,
``output_format``, ``test_output_format``, ``test_name_format``,
``visibility``, ``stdout_visibility``, ``extra_data`` and ``tests``; each test
``score``, ``max_score``, ``status`` ("passed"/"failed"), ``name``,
``number``, ``output``, ``output_format``, ``tags``, ``visibility``.
One test per auto item; its output is the verdict's message, which carries
the catalogue's hints and never the hidden tests' source. ``score`` is after
the course's late penalty; ``extra_data`` holds the raw score, the seconds
late and the penalty (Gradescope adds no penalty of its own to ``score``).
"""
import math

from autograders.exports.common import (item_verdicts, late_line, notebook_scores, points,
                                        student_dir, top_diagnoses, write_json)
from autograders.items import NOTEBOOKS, items_of

PER_STUDENT = True  # each result on its own (exports.ResultStream)
FILE_NAME = "results.json"
VISIBILITY = "visible"


def write(results, out_dir, course=None):
    for result in results:
        write_json(student_dir(out_dir, result) / FILE_NAME, gradescope_json(result))


def gradescope_json(result):
    return {
        "score": result.final_score,
        "execution_time": math.ceil(result.execution_time),
        "output": _overview(result),
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": VISIBILITY,
        "stdout_visibility": "hidden",
        "extra_data": {"student_id": result.student_id, "assignment": result.assignment,
                       "status": result.status, "max_score": result.max_score,
                       "raw_score": result.score, "seconds_late": result.seconds_late,
                       "late_penalty": result.penalty, "sandboxed": result.sandboxed},
        "tests": [_test(item, verdict) for item, verdict in item_verdicts(result)],
    }


def _test(item, verdict):
    return {
        "score": verdict.points,
        "max_score": verdict.max_points,
        "status": "passed" if verdict.passed else "failed",
        "name": item.id,
        "name_format": "text",
        "number": _number(item),
        "output": verdict.message,
        "output_format": "text",
        "tags": list(verdict.misconceptions),
        "visibility": VISIBILITY,
    }


def _number(item):
    """'2.8': the notebook's place in the release, then the item's place in it."""
    ids = [i.id for i in items_of(item.notebook)]
    return f"{NOTEBOOKS.index(item.notebook) + 1}.{ids.index(item.id) + 1}"


def _overview(result):
    lines = [f"Autograded: {points(result.score)}/{points(result.max_score)} points "
             "(free-text answers are graded by hand, separately)."]
    lines += [f"{name}: {points(got)}/{points(most)}"
              for name, (got, most) in notebook_scores(result).items()]
    if result.seconds_late > 0:
        lines.append(late_line(result))
    if result.status != "ok":
        lines.append(f"Status: {result.status}. {result.message}".rstrip())
    diagnoses = top_diagnoses(result)
    if diagnoses:
        lines.append("Main diagnoses: " + ", ".join(diagnoses))
    return "\n".join(lines)
