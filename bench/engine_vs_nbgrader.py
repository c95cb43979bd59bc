"""Grade the same N submissions with the engine and with `nbgrader autograde`, side by side.

    python bench/engine_vs_nbgrader.py [--n 10] [--workers W] [--engine-only] [--keep DIR]

Both grade their own copy of one temporary course, released from this one
with `nbgrader generate_assignment` (its own gradebook), holding N honest
students of the sample class: the reference and bank variants in turn
(course_build.sample_class.honest_students). Printed:
- per submission: the engine's time (sandboxed run and judging) and
  nbgrader's (from its log), and both scores;
- the wall time of each whole command (the engine's includes its start-up,
  torch import and warm-up, the reports and the gradebook), the throughput
  ratio;
- the engine's overhead per submission beyond the grading compute: with one
  worker, the engine's marginal time per submission (a run on the N
  submissions minus a run on the first one alone, over N - 1) minus the time
  that running, probing and judging the same submissions takes in this
  process, one after the other, without sandbox, fork or reports. (Other
  load on the machine shows in both; run it on a quiet machine.)
``--engine-only`` skips nbgrader (e.g. for a class of 100: nbgrader needs
several seconds per notebook). ``--own-settings`` gives every student settings
of their own in notebook 4 (epochs and learning rates shifted a little, still
correct), as in a real class: the fitting judges then run the reference on
three new settings per student instead of the few the bank variants share.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograders.items import ASSIGNMENT  # noqa: E402 - after the path set-up
from course_build.sample_class import (  # noqa: E402
    give_own_settings, honest_students, nbgrader_env, released_copy, write_class)

NBGRADER_LOG_FORMAT = "%(asctime)s.%(msecs)03d %(levelname)s %(message)s"
STUDENT_STARTS = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) INFO Creating/updating student with ID '([^']+)'",
    re.MULTILINE)


def run(command, cwd):
    """(wall seconds, output) of a command that must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")
    return wall, done.stdout + done.stderr


# -- the engine ---------------------------------------------------------------

def run_engine(course, workers):
    """(wall seconds, {student: (seconds, score, max score)}) of `python -m autograders grade`."""
    out = course / "engine-reports"
    command = [sys.executable, "-m", "autograders", "grade", "--course", str(course),
               "--out", str(out)] + (["--workers", str(workers)] if workers else [])
    wall, _ = run(command, course)
    per_student = {}
    for path in sorted(out.glob("*/submission.json")):
        result = json.loads(path.read_text())
        points = sum(v["points"] for v in result["verdicts"])
        maximum = sum(v["max_points"] for v in result["verdicts"])
        per_student[result["student_id"]] = (result["execution_time"], points, maximum)
    return wall, per_student


def grading_compute(course, students):
    """{student: (student side, judges)}: seconds to run the notebooks and probe
    them, and to judge the observations, in this process (no sandbox).

    What the engine cannot avoid. The first submission runs twice: torch's
    first use is slow, and the engine warms it up before forking too.
    """
    from autograders import grading
    from autograders import observations as obs_io
    from autograders.registry import judges, probes
    from autograders.submission import load_notebook
    probe, judge = probes(), judges()
    seconds = {}
    for student in [students[0]] + list(students):
        folder = course / "submitted" / student.id / ASSIGNMENT
        student_side = judging = 0.0
        with tempfile.TemporaryDirectory() as scratch:
            for path in sorted(folder.glob("*.ipynb")):
                started = time.perf_counter()
                namespace = load_notebook(path).namespace
                for item in grading.graded_items((path.stem,)):
                    observed = obs_io.round_trip(probe[item.id](namespace), scratch)
                    student_side += time.perf_counter() - started
                    started = time.perf_counter()
                    judge[item.id](observed)
                    judging += time.perf_counter() - started
                    started = time.perf_counter()
        seconds[student.id] = (student_side, judging)
    return seconds


# -- nbgrader -------------------------------------------------------------------

def run_nbgrader(course):
    """(wall seconds, {student: (seconds, score, max score)}) of `nbgrader autograde`.

    One command for the class, as instructors run it; each student's time is
    read from the log, from the start of that student to the start of the next.
    """
    command = ["nbgrader", "autograde", ASSIGNMENT, "--force",
               f"--Application.log_format={NBGRADER_LOG_FORMAT}"]
    started = datetime.now()
    wall, log = run(command, course)
    starts = [(datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f"), student)
              for stamp, student in STUDENT_STARTS.findall(log)]
    ends = [stamp for stamp, _ in starts[1:]] + [started + timedelta(seconds=wall)]
    seconds = {student: (end - start).total_seconds()
               for (start, student), end in zip(starts, ends)}
    return wall, {student: (seconds.get(student, float("nan")),) + score
                  for student, score in nbgrader_scores(course).items()}


def nbgrader_scores(course):
    """{student: (points, max points)} of the test cells in the course's gradebook."""
    from nbgrader.api import Gradebook

    from autograders.nbgrader_bridge.course_config import course_directory
    with Gradebook(course_directory(course).db_url) as gradebook:
        scores = {}
        for submission in gradebook.assignment_submissions(ASSIGNMENT):
            tests = [g for nb in submission.notebooks for g in nb.grades
                     if g.name.startswith("test_")]
            scores[submission.student.id] = (sum(g.auto_score or 0 for g in tests),
                                             sum(g.max_score for g in tests))
        return scores


# -- the report -------------------------------------------------------------------

def report_table(engine_rows, nbgrader):
    header = f"{'student':<36} {'engine s':>9}"
    header += f" {'nbgrader s':>10} {'engine score':>13} {'nbgrader score':>15}" if nbgrader \
        else f" {'engine score':>13}"
    print(header)
    agree = 0
    for student, (seconds, points, maximum) in sorted(engine_rows.items()):
        line = f"{student:<36} {seconds:9.2f}"
        if nbgrader:
            nb_seconds, nb_points, nb_max = nbgrader[1].get(student, (float("nan"),) * 3)
            same = abs(points - nb_points) < 1e-9
            agree += same
            line += (f" {nb_seconds:10.1f} {points:>6g} / {maximum:<4g}"
                     f" {nb_points:>7g} / {nb_max:<4g}{'' if same else '  DIFFERENT'}")
        else:
            line += f" {points:>6g} / {maximum:<4g}"
        print(line)
    return agree


def report(n, workers, engine, sequential, nbgrader, compute):
    engine_wall, engine_rows = engine
    cores = workers or len(os.sched_getaffinity(0))
    print(f"\n{n} honest submissions; engine workers: {cores}\n")
    agree = report_table(engine_rows, nbgrader)

    print(f"\nengine:   {engine_wall:6.1f} s wall for {n} ({n / engine_wall:.2f} submissions/s; "
          "start-up, torch warm-up, reports and gradebook included)")
    if nbgrader:
        nbgrader_wall = nbgrader[0]
        print(f"nbgrader: {nbgrader_wall:6.1f} s wall for {n} "
              f"({n / nbgrader_wall:.2f} submissions/s)")
        print(f"throughput ratio: {nbgrader_wall / engine_wall:.1f}x")
        print(f"scores agree on {agree} of {n} submissions")
    all_wall, one_wall = sequential
    marginal = (all_wall - one_wall) / (n - 1)
    student_side = statistics.mean(a for a, _ in compute.values())
    judging = statistics.mean(b for _, b in compute.values())
    print(f"one worker: {all_wall:.1f} s for {n}, {one_wall:.1f} s for the first alone "
          f"(the fixed cost of a run, plus one submission)")
    print(f"per submission, in-process: running and probing the notebooks {student_side:.2f} s, "
          f"judging {judging:.2f} s")
    print(f"per submission, engine with one worker: {marginal:.2f} s; overhead beyond that "
          f"compute {marginal - student_side - judging:+.2f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="submissions (default 10, at least 2)")
    parser.add_argument("--workers", type=int, help="engine workers (default: one per core)")
    parser.add_argument("--engine-only", action="store_true", help="do not run nbgrader")
    parser.add_argument("--own-settings", action="store_true",
                        help="every student's notebook-4 settings differ (a real class)")
    parser.add_argument("--keep", metavar="DIR", help="build the courses in DIR and keep them")
    args = parser.parse_args(argv)

    work = Path(args.keep or tempfile.mkdtemp(prefix="engine-vs-nbgrader-"))
    try:
        started = time.perf_counter()
        base = released_copy(work / "released")
        students = honest_students(args.n)
        write_class(base, students)
        if args.own_settings:
            give_own_settings(base, students)
        print(f"course released and {args.n} submissions written in "
              f"{time.perf_counter() - started:.1f} s ({work})")
        by_engine = Path(shutil.copytree(base, work / "engine"))
        alone = Path(shutil.copytree(base, work / "engine-one"))
        for student in students[1:]:
            shutil.rmtree(alone / "submitted" / student.id)

        engine = run_engine(by_engine, args.workers)
        print(f"engine done: {engine[0]:.1f} s")
        sequential = (run_engine(by_engine, 1)[0], run_engine(alone, 1)[0])
        nbgrader = None
        if not args.engine_only:
            nbgrader = run_nbgrader(Path(shutil.copytree(base, work / "nbgrader")))
            print(f"nbgrader done: {nbgrader[0]:.1f} s")
        compute = grading_compute(by_engine, students)
        report(args.n, args.workers, engine, sequential, nbgrader, compute)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
