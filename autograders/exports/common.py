"""The one helper every export shares: results in order, item by item.

Exports are functions ``write(results, out_dir, course)``; they read
SubmissionResults only through these helpers, so the order of students, of
items and of notebooks is the same in every file, and a merged run writes
the same bytes as an unsharded one.

Timings (``TIMING_FIELDS``) are the only values that differ between two runs
of the same class: JSON keys and XML attributes of these names, the HTML
section whose id is ``TIMING_SECTION`` (class.html's slowest submissions),
and the whole of ``run.json``.
"""
import json
from pathlib import Path
import re

from autograders.items import ITEMS_BY_ID, NOTEBOOKS

TIMING_FIELDS = frozenset({"execution_time", "seconds", "time", "timestamp", "wall_seconds",
                           "started", "finished", "slowest"})
TIMING_SECTION = "slowest"
RUN_INFO_FILE = "run.json"


def ordered(results):
    """Results sorted by student id (then assignment): the order of every report."""
    return sorted(results, key=lambda r: (r.student_id, r.assignment))


def item_verdicts(result):
    """(item, verdict) pairs of one result, in points-table order."""
    return [(ITEMS_BY_ID[v.item], v) for v in result.verdicts]


def notebooks_graded(result):
    """The notebooks that have graded items in this result, in release order."""
    names = {item.notebook for item, _ in item_verdicts(result)}
    return [name for name in NOTEBOOKS if name in names]


def notebook_scores(result):
    """{notebook: (points, max points)} over the result's graded items."""
    scores = {}
    for item, verdict in item_verdicts(result):
        got, most = scores.get(item.notebook, (0.0, 0.0))
        scores[item.notebook] = (got + verdict.points, most + verdict.max_points)
    return {name: scores[name] for name in NOTEBOOKS if name in scores}


def all_items(results):
    """Every item graded for any student, in points-table order (the CSV's columns)."""
    ids = {v.item for result in results for v in result.verdicts}
    return [item for item in ITEMS_BY_ID.values() if item.id in ids]


def top_diagnoses(result, count=3):
    """The first catalogue ids of the failed items (one per item first), at most count."""
    failed = [v for v in result.verdicts if not v.passed]
    first = [v.misconceptions[0] for v in failed if v.misconceptions]
    later = [m for v in failed for m in v.misconceptions[1:]]
    return list(dict.fromkeys(first + later))[:count]


def points(value):
    """A score as text: 7.5, 8, 0.25 (no float noise)."""
    return f"{round(float(value), 6):g}"


def late_line(result):
    """One line on a late submission: "Submitted 2.5 hours late: late penalty 4 points (...)"."""
    hours = f"{result.seconds_late / 3600:.4g}"
    return (f"Submitted {hours} hours late: late penalty {points(result.penalty)} points "
            f"(score after the penalty {points(result.final_score)}/{points(result.max_score)}).")


ISOLATION_LINES = {
    "bwrap": "Your code ran in the bubblewrap sandbox (namespaces).",
    "landlock": "Your code ran in the namespace-free sandbox (own user id, Landlock, seccomp).",
    "none": "Your code ran without isolation (time, memory and process limits only).",
}


def isolation_line(result):
    """One line on the tier that ran the student's code (tiers.py)."""
    return ISOLATION_LINES.get(result.isolation or "none", ISOLATION_LINES["none"])


def isolation_counts(results):
    """{tier: number of students} for a class."""
    counts = {}
    for result in results:
        counts[result.isolation or "none"] = counts.get(result.isolation or "none", 0) + 1
    return dict(sorted(counts.items()))


def student_dir(out_dir, result):
    """OUT/<student_id>/ (created). Student ids are checked safe in autograders.course."""
    folder = Path(out_dir) / result.student_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_text(path, text):
    """Write UTF-8 with \\n line ends, whatever the platform: byte-identical reports."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_json(path, data):
    write_text(path, json.dumps(data, indent=2, sort_keys=False) + "\n")


# Escape sequences (CSI, OSC, and two-character ones) a terminal would act on, then any
# other control character: C0 but newline and tab, DEL, C1, and the bidirectional
# overrides that reorder what a line shows.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text):
    """Student-influenced text made safe to print: escape sequences removed, other
    control characters shown as U+FFFD (newlines and tabs kept)."""
    return _CONTROL.sub("\ufffd", _ESCAPE_SEQUENCE.sub("", str(text)))
