"""OUT/summary.json and the table printed at the end of a run.

summary.json is the machine-readable run summary: engine version,
assignment, counts by status, and per student the total, the status and the
main diagnoses. It holds no timings (those are in run.json), so a merged run
writes the same file as an unsharded one.
"""
from collections import Counter
from pathlib import Path

from autograders.exports.common import (isolation_counts, notebook_scores, points,
                                        terminal_text, top_diagnoses,
                                        write_json)
from autograders.grading import ENGINE_VERSION
from autograders.items import NOTEBOOKS
from autograders.result import ENGINE_ERROR, STATUSES

FILE_NAME = "summary.json"
DIAGNOSES_WIDTH = 60


def write(results, out_dir, course=None):
    write_json(Path(out_dir) / FILE_NAME, summary_json(results))


def summary_json(results):
    counts = Counter(result.status for result in results)
    return {
        "engine": {"name": "autograders", "version": ENGINE_VERSION},
        "assignments": sorted({result.assignment for result in results}),
        "students": len(results),
        "counts": {status: counts.get(status, 0) for status in (*STATUSES, ENGINE_ERROR)},
        "unsandboxed": sorted(r.student_id for r in results if not r.sandboxed),
        "isolation": isolation_counts(results),
        # The last line of each traceback (the whole is printed by the command).
        "engine_errors": {r.student_id: {item or "submission": _last_line(error)
                                         for item, error in r.engine_errors.items()}
                          for r in results if r.engine_errors},
        "results": [{
            "student_id": result.student_id,
            "assignment": result.assignment,
            "score": result.score,
            "max_score": result.max_score,
            "notebooks": {name: {"score": got, "max_score": most}
                          for name, (got, most) in notebook_scores(result).items()},
            "status": result.status,
            "message": result.message,
            "isolation": result.isolation,
            "diagnoses": top_diagnoses(result),
        } for result in results],
    }


def table(results):
    """The class as a plain-text table: student, per-notebook score, total, status, diagnoses."""
    shown = [name for name in NOTEBOOKS
             if any(name in notebook_scores(result) for result in results)]
    header = ["student", *(name[:2] for name in shown), "total", "status", "top diagnoses"]
    rows = []
    for result in results:
        scores = notebook_scores(result)
        cells = [f"{points(scores[name][0])}/{points(scores[name][1])}" if name in scores else "-"
                 for name in shown]
        diagnoses = ", ".join(top_diagnoses(result)) or ("-" if result.status == "ok"
                                                         else result.message)
        rows.append([result.student_id, *cells,
                     f"{points(result.score)}/{points(result.max_score)}", result.status,
                     _clip(diagnoses, DIAGNOSES_WIDTH)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notebooks = ", ".join(f"{name[:2]} = {name}" for name in shown)
    return "\n".join(lines) + (f"\n({notebooks})" if notebooks else "")


def _last_line(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def _clip(text, width):
    text = " ".join(terminal_text(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"
