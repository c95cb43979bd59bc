"""One submission graded from a fresh process, against `python -c "import torch"`, side by side.

    python bench/cold_submission.py [--runs 3] [--code DIR]

What every Gradescope submission (one container each), every student
self-check and every per-push CI run pays: `python -m autograders grade` of
one submission in a released course (with its gradebook), start-up, sandbox,
judging and reports included. Each run times `python -c "import torch"`
right before it, so the ratio is measured side by side on the same machine.
Two figures: "cold" (no reference-run cache: the course's first grading, a
fresh container) and "cache kept" (the course's reference-run cache from
the previous run left in place, as a CI cache or a prepared container
image gives it). Medians over the runs; target: cold at most 3x import torch.
--code DIR grades with the autograders of another checkout (e.g. an older
commit, for before/after figures).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograders.items import ASSIGNMENT  # noqa: E402 - after the path set-up
from course_build.sample_class import (  # noqa: E402
    honest_students, nbgrader_env, released_copy, write_class)

TARGET = 3.0
CACHE = "autograders-cache"  # the course's reference-run cache (autograders/run_cache.py)


def wall(command, cwd, env):
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", metavar="DIR", default=str(ROOT),
                        help="the checkout whose autograders grade (default: this one)")
    args = parser.parse_args(argv)
    env = dict(nbgrader_env(), PYTHONPATH=str(Path(args.code).resolve()))
    work = Path(tempfile.mkdtemp(prefix="cold-submission-"))
    try:
        course = released_copy(work / "course")
        student = honest_students(1)[0]
        write_class(course, [student])
        folder = course / "submitted" / student.id / ASSIGNMENT
        grade = [sys.executable, "-m", "autograders", "grade", str(folder), "--course",
                 str(course), "--out", str(work / "out")]
        rows = {"import torch": [], "cold": [], "cache kept": []}
        for _ in range(args.runs):
            shutil.rmtree(course / CACHE, ignore_errors=True)
            rows["import torch"].append(wall([sys.executable, "-c", "import torch"], work, env))
            rows["cold"].append(wall(grade, course, env))
            rows["cache kept"].append(wall(grade, course, env))
        torch_s = statistics.median(rows["import torch"])
        print(f"one submission graded from a fresh process ({args.code}), "
              f"median of {args.runs} runs, {os.cpu_count()} cores:")
        for name, values in rows.items():
            ratio = "" if name == "import torch" else \
                f"  = {statistics.median(values) / torch_s:.1f}x import torch"
            print(f"  {name:<13} {statistics.median(values):6.2f} s "
                  f"({', '.join(f'{v:.2f}' for v in values)}){ratio}")
        cold = statistics.median(rows["cold"]) / torch_s
        print(f"cold ratio {cold:.1f}x (target <= {TARGET:g}x): "
              f"{'met' if cold <= TARGET else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
