"""The class as data: what OUT/class.json holds and OUT/class.html shows.

- ``notebooks`` and ``assignment``: the score distribution (max, mean,
  median, every student's score) per notebook and for the whole assignment;
- ``items``: per graded item its points, mean, the share of students with
  full marks and with 0;
- ``misconceptions``: the catalogue ids found, most frequent first, each with
  the students whose verdicts carry it (the same ids as the ``tags`` of
  their results.json), its plain-language summary and hint, and the share of
  the class;
- ``statuses``: the students whose submission or a notebook of it is not
  "ok" (timeout, crashed, unreadable, missing, engine_error);
- ``isolation``: how many students each sandbox tier graded (tiers.py);
- ``slowest``: the submissions that took longest in the sandbox;
- ``similarity``: the ranking of similarity/rank.py (pairs, matches with the
  reference solution, the items compared and those left out, and why).
The reference solution and the release's code come from the course's
source/ and release/ folders, else from the ones beside this package.
"""
from collections import defaultdict
from pathlib import Path
import re
import statistics

from autograders.catalogue import catalogue
from autograders.exports.common import all_items, isolation_counts, item_verdicts, notebook_scores
from autograders.items import ITEMS_BY_ID, NOTEBOOKS
from autograders.result import ENGINE_ERROR, STATUSES
from autograders.similarity.extract import submission_pieces
from autograders.similarity.rank import REFERENCE, rank

SLOWEST_SHOWN = 10
PACKAGE_COURSE = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def class_data(results, course=None):
    ranking = similarity(results, course)
    return {
        "students": len(results),
        "assignment": _distribution([(r.score, r.max_score) for r in results]),
        "notebooks": {name: _distribution(scores) for name, scores in _by_notebook(results)},
        "items": _items(results),
        "misconceptions": _misconceptions(results),
        "statuses": _statuses(results),
        "isolation": isolation_counts(results),
        "slowest": [{"student_id": r.student_id, "seconds": round(r.execution_time, 2)}
                    for r in sorted(results, key=lambda r: (-r.execution_time, r.student_id))
                    [:SLOWEST_SHOWN]],
        "similarity": _similarity_json(ranking),
    }, ranking


def _distribution(scores):
    values = [got for got, _ in scores]
    return {"max_score": max((most for _, most in scores), default=0),
            "mean": _round(statistics.fmean(values)) if values else None,
            "median": _round(statistics.median(values)) if values else None,
            "scores": values}


def _by_notebook(results):
    for name in NOTEBOOKS:
        scores = [notebook_scores(r)[name] for r in results if name in notebook_scores(r)]
        if scores:
            yield name, scores


def _items(results):
    rows = {}
    for item in all_items(results):
        verdicts = [v for r in results for i, v in item_verdicts(r) if i.id == item.id]
        count = len(verdicts)
        rows[item.id] = {"notebook": item.notebook, "max_points": item.points,
                         "students": count,
                         "mean": _round(statistics.fmean(v.points for v in verdicts)),
                         "full_marks": _round(sum(v.passed for v in verdicts) / count),
                         "zero": _round(sum(v.points == 0 for v in verdicts) / count)}
    return rows


def _misconceptions(results):
    students = defaultdict(set)
    for result in results:
        for verdict in result.verdicts:
            for misconception in verdict.misconceptions:
                students[misconception].add(result.student_id)
    rows = []
    for misconception, who in sorted(students.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        entry = catalogue().get(misconception)
        rows.append({"id": misconception, "item": entry.item if entry else None,
                     "name": PLACEHOLDER.sub("…", entry.summary) if entry else misconception,
                     "hint": entry.hint if entry else "",
                     "share": _round(len(who) / len(results)), "students": sorted(who)})
    return rows


def _statuses(results):
    rows = []
    for result in results:
        broken = {name: run.status for name, run in result.notebooks.items()
                  if getattr(run, "status", "ok") != "ok"}
        if result.status != "ok" or broken:
            rows.append({"student_id": result.student_id, "status": result.status,
                         "message": result.message, "notebooks": broken})
    order = {status: place for place, status in enumerate((*STATUSES, ENGINE_ERROR))}
    return sorted(rows, key=lambda row: (-order.get(row["status"], 0), row["student_id"]))


def similarity(results, course=None):
    items = [item.id for item in all_items(results)]
    source, release = _course_folders(course)
    reference = _pieces(source, items)
    given = _pieces(release, items)
    return rank({r.student_id: r.code for r in results}, reference, given, items)


def _course_folders(course):
    assignment = course.assignment if course else "neural_networks"
    root = course.root if course and (course.root / "source" / assignment).is_dir() \
        else PACKAGE_COURSE
    return root / "source" / assignment, root / "release" / assignment


def _pieces(folder, items):
    return submission_pieces(folder, [ITEMS_BY_ID[item] for item in items])


def _similarity_json(ranking):
    return {"items": list(ranking.items),
            "skipped": [{"item": item, "why": why} for item, why in ranking.skipped],
            "pairs": [_pair(p) for p in ranking.pairs],
            "reference": [{"item": p.item, "student_id": p.student_a,
                           "similarity": p.similarity} for p in ranking.reference],
            "reference_label": REFERENCE}


def _pair(pair):
    return {"item": pair.item, "student_a": pair.student_a, "student_b": pair.student_b,
            "similarity": pair.similarity}


def _round(value):
    return round(float(value), 4)
