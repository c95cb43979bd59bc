"""OUT/<student_id>/results.json in Gradescope's autograder format.

Format (gradescope-autograders.readthedocs.io, "Autograder Specifications"):
top level ``score``, ``execution_time`` (seconds), ``output``,
``output_format``, ``test_output_format``, ``test_name_format``,
``visibility``, ``stdout_visibility``, ``extra_data`` and ``tests``; each test
``score``, ``max_score``, ``status`` ("passed"/"failed"), ``name``,
``number``, ``output``, ``output_format``, ``tags``, ``visibility``.
One test per auto item; its output is the verdict's message, which carries
the catalogue's hints and never the hidden tests' source. The free-text
answers are no tests: the overview names them as graded by hand. ``score`` is
after the course's late penalty; ``extra_data`` holds the raw score, the seconds
late and the penalty (Gradescope adds no penalty of its own to ``score``).

``gradescope_json(result, visibility, markdown)`` is also what the
Gradescope autograder (autograders.gradescope_zip) writes, with the
visibility the zip was built with and Markdown output (``md``), which
Gradescope renders; student-made text (error messages) is escaped there
(``as_markdown``: HTML and Markdown).
"""
import html
import math
import re

from autograders.exports.common import (item_verdicts, late_line, notebook_scores, points,
                                        student_dir, top_diagnoses, write_json)
from autograders.items import ITEMS, NOTEBOOKS, items_of

PER_STUDENT = True  # each result on its own (exports.ResultStream)
FILE_NAME = "results.json"
VISIBILITY = "visible"
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")


def write(results, out_dir, course=None):
    for result in results:
        write_json(student_dir(out_dir, result) / FILE_NAME, gradescope_json(result))


def gradescope_json(result, visibility=VISIBILITY, markdown=False):
    """results.json's content; visibility: one of VISIBILITIES, for the tests and the whole."""
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {VISIBILITIES}, not {visibility!r}")
    fmt = "md" if markdown else "text"
    return {
        "score": result.final_score,
        "execution_time": math.ceil(result.execution_time),
        "output": _overview(result, markdown),
        "output_format": fmt,
        "test_output_format": fmt,
        "test_name_format": "text",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "extra_data": {"student_id": result.student_id, "assignment": result.assignment,
                       "status": result.status, "max_score": result.max_score,
                       "raw_score": result.score, "seconds_late": result.seconds_late,
                       "late_penalty": result.penalty, "sandboxed": result.sandboxed,
                       "isolation": result.isolation,
                       "misconceptions": {v.item: list(v.misconceptions)
                                          for v in result.verdicts if v.misconceptions}},
        "tests": [_test(item, verdict, visibility, markdown)
                  for item, verdict in item_verdicts(result)],
    }


def _test(item, verdict, visibility, markdown):
    return {
        "score": verdict.points,
        "max_score": verdict.max_points,
        "status": "passed" if verdict.passed else "failed",
        "name": item.id,
        "name_format": "text",
        "number": _number(item),
        "output": as_markdown(verdict.message) if markdown else verdict.message,
        "output_format": "md" if markdown else "text",
        "tags": list(verdict.misconceptions),
        "visibility": visibility,
    }


# Punctuation with a meaning in Markdown (CommonMark and GitHub's: emphasis, links,
# images, code, headings, lists, tables, strike-through, math); a backslash makes each
# literal. & < > become HTML entities (no HTML, no autolink).
_MARKDOWN_PUNCTUATION = re.compile(r"""([\\`*_{}\[\]()#+\-.!|~=:"'$^])""")


def as_markdown(text):
    """Plain text as Markdown that shows it as written, line breaks kept: nothing of it
    renders as markup (a student's ``![](https://host/t.png)`` is no image)."""
    return "  \n".join(_MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(line, quote=False))
                       for line in text.splitlines())


def manual_items(notebooks):
    """The free-text answers of these notebooks (graded by hand), in points-table order."""
    return [item for item in ITEMS if item.kind != "auto" and item.notebook in notebooks]


def _number(item):
    """'2.8': the notebook's place in the release, then the item's place in it."""
    ids = [i.id for i in items_of(item.notebook)]
    return f"{NOTEBOOKS.index(item.notebook) + 1}.{ids.index(item.id) + 1}"


def _overview(result, markdown=False):
    by_hand = manual_items(notebook_scores(result))
    lines = [f"Autograded: {points(result.score)}/{points(result.max_score)} points."]
    if by_hand:
        lines.append("Graded by hand, not in this score: " + ", ".join(
            f"{item.id} ({item.notebook}, {points(item.points)} points)" for item in by_hand)
            + ".")
    lines += [f"{name}: {points(got)}/{points(most)}"
              for name, (got, most) in notebook_scores(result).items()]
    if result.seconds_late > 0:
        lines.append(late_line(result))
    if result.status != "ok":
        lines.append(f"Status: {result.status}. {result.message}".rstrip())
    diagnoses = top_diagnoses(result)
    if diagnoses:
        lines.append("Main diagnoses: " + ", ".join(diagnoses))
    if markdown:
        return "\n\n".join(as_markdown(line) for line in lines)
    return "\n".join(lines)
