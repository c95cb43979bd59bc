"""Benchmark: the whole hidden-autograder run for one submission, in-process.

    python bench/autograder_one_submission.py [ASSIGNMENT_FOLDER]

Loads each notebook (all non-demo cells), then probes and judges every auto
item, and prints CPU and wall time per notebook (target: under 5 s CPU for
the whole submission, torch import excluded). Default: the solution
notebooks in source/neural_networks. The fitting judges cache reference runs
per distinct settings within a process; the first submission pays them.
"""
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402,F401 - imported before timing: paid once per grader, not per submission

from autograders import registry  # noqa: E402
from autograders.items import NOTEBOOKS, items_of  # noqa: E402
from autograders.submission import load_notebook  # noqa: E402


def grade_once(folder):
    rows, score, max_score = [], 0.0, 0.0
    for name in NOTEBOOKS:
        cpu, wall = time.process_time(), time.perf_counter()
        namespace = load_notebook(folder / f"{name}.ipynb").namespace
        for item in items_of(name):
            if item.kind == "auto":
                with tempfile.TemporaryDirectory() as scratch:
                    verdict = registry.grade_item(item.id, namespace, scratch)
                score, max_score = score + verdict.points, max_score + verdict.max_points
        rows.append((name, time.process_time() - cpu, time.perf_counter() - wall))
    return rows, score, max_score


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "source" / "neural_networks"
    for label in ("first submission", "next submission"):
        rows, score, max_score = grade_once(folder)
        print(f"{label}: score {score:g}/{max_score:g}")
        for name, cpu, wall in rows:
            print(f"  {name:<22} cpu {cpu:5.2f} s  wall {wall:5.2f} s")
        print(f"  {'total':<22} cpu {sum(r[1] for r in rows):5.2f} s  "
              f"wall {sum(r[2] for r in rows):5.2f} s  (target: < 5 s CPU)")


if __name__ == "__main__":
    main()
