"""OUT/grades.csv: one row per student.

Columns: student_id; for each notebook, its items' points then the
notebook's total (headed by the notebook's name); total (before any late
penalty); max_score; seconds_late, penalty and score (the course's late
penalty from its gradebook, see nbgrader_bridge/late.py; 0, 0 and the total
for a submission on time or graded without a gradebook); status (ok /
timeout / crashed / unreadable / missing / engine_error); message (why the
status is not ok). An item not graded for a student is an empty cell.
"""
import csv
import io
from pathlib import Path

from autograders.exports.common import all_items, item_verdicts, notebook_scores, points, write_text

FILE_NAME = "grades.csv"


def write(results, out_dir, course=None):
    write_text(Path(out_dir) / FILE_NAME, grades_csv(results))


def columns(results):
    """(header, key) pairs: key is ("item", id) or ("notebook", name)."""
    chosen, notebook = [], None
    for item in all_items(results):
        if notebook not in (None, item.notebook):
            chosen.append((notebook, ("notebook", notebook)))
        notebook = item.notebook
        chosen.append((item.id, ("item", item.id)))
    if notebook is not None:
        chosen.append((notebook, ("notebook", notebook)))
    return chosen


def inert(text):
    """Text a spreadsheet shows as text: a leading = + - @ would start a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def grades_csv(results):
    graded = columns(results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id"] + [header for header, _ in graded]
                    + ["total", "max_score", "seconds_late", "penalty", "score", "status",
                       "message"])
    for result in results:
        cells = {("item", item.id): points(v.points) for item, v in item_verdicts(result)}
        cells.update({("notebook", name): points(got)
                      for name, (got, _) in notebook_scores(result).items()})
        writer.writerow([result.student_id] + [cells.get(key, "") for _, key in graded]
                        + [points(result.score), points(result.max_score),
                           points(result.seconds_late), points(result.penalty),
                           points(result.final_score), result.status, inert(result.message)])
    return buffer.getvalue()
