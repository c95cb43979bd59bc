"""Benchmark: the sandbox's cost per submission, and where a submission's time goes.

    python bench/sandbox_overhead.py [--students 100] [--sandbox auto|bwrap|landlock|none]
    python bench/sandbox_overhead.py --compare-tiers bwrap,landlock [--students 20]

Grades N copies of the solution submission (the source notebooks without
their hidden test blocks) and prints:
- worker start-up (bwrap, imports, torch warm-up), per worker;
- per-submission wall time in the pool with 1 worker (median, spread);
- the compute the submission itself needs: every graded cell and probe run
  in this (warmed) process, no sandbox, no fork; the engine overhead per
  submission is the difference;
- throughput with 1 and 2 workers, and a class of 100 on 2 workers;
- the slowest cells and probes (what notebook authors could make cheaper).
--compare-tiers: only the per-submission cost of each tier, measured side by
side (rounds alternate between the tiers, 1 worker each), and their ratio.

Targets (issue 4): a class of 100 in <= 60 s on 2 cores; engine overhead
<= 0.2 s per submission beyond the submission's own compute.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

from autograders import registry  # noqa: E402
from autograders.catalogue import TOPICS, topic_module  # noqa: E402
from autograders.items import ITEMS_BY_ID  # noqa: E402
from autograders.sandbox import notebook_file  # noqa: E402
from autograders.sandbox.pool import Job, WorkerPool  # noqa: E402
from tests.engine.sandbox_support import solution_submission, source_notebooks  # noqa: E402

CLASS_SIZE = 100
CLASS_TARGET_SECONDS = 60.0
OVERHEAD_TARGET_SECONDS = 0.2


def grade(jobs, workers, sandbox):
    """(start-up seconds, phases, wall seconds, runs, mode, CPU seconds per job)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with WorkerPool(workers=workers, sandbox=sandbox) as pool:
            started = time.perf_counter()
            runs = list(pool.run(jobs))
            wall = time.perf_counter() - started
            phases = [w.startup_phases for w in pool.workers]
            cpu = [job for w in pool.workers for job in w.job_cpu]
            mode = pool.sandbox
    bad = [run for run in runs if run.status != "ok" or run.probe_errors]
    if bad:
        raise SystemExit(f"not a clean run: {bad[0].student_id}: {bad[0].status} "
                         f"{bad[0].message} {bad[0].probe_errors}")
    return pool.startup_seconds, phases, wall, runs, mode, cpu


def compute_in_process(folder, notebooks, repeats=3):
    """(wall, CPU) seconds of the submission's own work, and per-step seconds, run here."""
    import numpy as np
    import torch
    torch.set_num_threads(1)
    probes = registry.probes()
    totals, cpu_totals, steps = [], [], {}
    for repeat in range(repeats + 1):  # the first round warms up, like the worker does
        total, cpu_started = 0.0, time.process_time()
        for notebook in notebooks:
            namespace = {"__name__": "__main__"}
            torch.manual_seed(0)
            np.random.seed(0)
            cwd = os.getcwd()
            os.chdir(folder)
            try:
                cells = notebook_file.code_cells(folder / f"{notebook}.ipynb")
                for index, grade_id, source in cells:
                    seconds = _timed(exec, compile(source, "cell", "exec"), namespace)
                    total += seconds
                    steps.setdefault((notebook, f"cell {index + 1} {grade_id}"), []).append(seconds)
                for item, probe in probes.items():
                    if ITEMS_BY_ID[item].notebook == notebook:
                        seconds = _timed(probe, namespace)
                        total += seconds
                        steps.setdefault((notebook, f"probe {item}"), []).append(seconds)
            finally:
                os.chdir(cwd)
        if repeat:
            totals.append(total)
            cpu_totals.append(time.process_time() - cpu_started)
    return (statistics.median(totals), statistics.median(cpu_totals),
            {key: statistics.median(v[1:]) for key, v in steps.items()})


def judge_seconds(run):
    """item -> seconds its judge takes on the run's observations (judges that import)."""
    seconds = {}
    for topic in TOPICS:
        try:
            judges = topic_module(topic, "judges")
        except ImportError:  # a topic being written elsewhere
            continue
        for item, judge in (judges.JUDGES.items() if judges else ()):
            if item in run.observations:
                seconds[item] = _timed(judge, run.observations[item])
    return seconds


def _timed(function, *args):
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            function(*args)
        finally:
            sys.stdout = stdout
    return time.perf_counter() - started


def compare_tiers(jobs, tiers, rounds=3):
    """Per tier: start-up, median wall and CPU seconds per submission; rounds interleaved."""
    found = {tier: {"startup": [], "wall": [], "cpu": []} for tier in tiers}
    for _ in range(rounds):
        for tier in tiers:
            startup, _, _, runs, mode, cpu = grade(jobs, 1, tier)
            assert mode == tier, f"asked for {tier}, graded with {mode}"
            found[tier]["startup"].append(startup)
            found[tier]["wall"] += [run.seconds for run in runs]
            found[tier]["cpu"] += [sum(job.values()) for job in cpu]
    base = tiers[0]
    print(f"\nper submission, 1 worker, {rounds} interleaved rounds of {len(jobs)}:")
    for tier in tiers:
        wall, cpu = (statistics.median(found[tier][k]) for k in ("wall", "cpu"))
        ratio = wall / statistics.median(found[base]["wall"])
        cpu_ratio = cpu / statistics.median(found[base]["cpu"])
        print(f"  {tier:<9} start-up {statistics.median(found[tier]['startup']):.2f} s, "
              f"wall {wall:.3f} s ({ratio:.2f} x {base}), CPU {cpu:.3f} s "
              f"({cpu_ratio:.2f} x {base})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=CLASS_SIZE)
    parser.add_argument("--sandbox", default="auto",
                        choices=("auto", "bwrap", "landlock", "none"))
    parser.add_argument("--compare-tiers", metavar="A,B",
                        help="compare the per-submission cost of these tiers side by side")
    args = parser.parse_args()
    notebooks = source_notebooks()
    course = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    items = tuple(item for item in registry.probes() if ITEMS_BY_ID[item].notebook in notebooks)
    students = [f"student{i:03d}" for i in range(args.students)]
    jobs = [Job(student, "neural_networks", solution_submission(course, student), notebooks, items)
            for student in students]
    print(f"{args.students} copies of the solution ({', '.join(notebooks)}), "
          f"{os.cpu_count()} cores")
    if args.compare_tiers:
        return compare_tiers(jobs, args.compare_tiers.split(","))

    compute, compute_cpu, steps = compute_in_process(jobs[0].folder, notebooks)
    startup, phases, wall_1, runs_1, mode, cpu_1 = grade(jobs, 1, args.sandbox)
    per_submission = sorted(run.seconds for run in runs_1)
    median = statistics.median(per_submission)
    print(f"\nsandbox: {mode}")
    print(f"worker start-up: {startup:.2f} s  (" + ", ".join(
        f"{k} {v:.2f}" for k, v in phases[0].items()) + ")")
    print(f"per submission, 1 worker: median {median:.3f} s, min {per_submission[0]:.3f}, "
          f"max {per_submission[-1]:.3f}")
    for notebook in notebooks:
        seconds = statistics.median(run.notebooks[notebook].seconds for run in runs_1)
        print(f"  {notebook:<22} {seconds:.3f} s in the sandbox")
    print(f"submission's own compute (in-process, no sandbox): {compute:.3f} s wall, "
          f"{compute_cpu:.3f} s CPU")
    overhead = median - compute
    verdict = "within" if overhead <= OVERHEAD_TARGET_SECONDS else "OVER"
    print(f"engine overhead per submission, wall: {overhead:.3f} s "
          f"({verdict} the {OVERHEAD_TARGET_SECONDS} s target)")
    cpu_overhead = statistics.median(sum(job.values()) for job in cpu_1) - compute_cpu
    verdict = "within" if cpu_overhead <= OVERHEAD_TARGET_SECONDS else "OVER"
    parts = ", ".join(f"{part} {statistics.median(job.get(part, 0) for job in cpu_1):.3f}"
                      for part in ("worker", "children", "parent"))
    print(f"engine overhead per submission, CPU: {cpu_overhead:.3f} s ({verdict}; robust on a "
          f"busy machine); CPU per submission: {parts}")
    print(f"throughput, 1 worker: {args.students / wall_1:.2f} submissions/s "
          f"({wall_1:.1f} s for {args.students})")

    startup_2, _, wall_2, _, _, _ = grade(jobs, 2, args.sandbox)
    class_seconds = startup_2 + wall_2 * CLASS_SIZE / args.students
    verdict = "within" if class_seconds <= CLASS_TARGET_SECONDS else "OVER"
    print(f"throughput, 2 workers: {args.students / wall_2:.2f} submissions/s "
          f"({wall_2:.1f} s for {args.students}, start-up {startup_2:.1f} s)")
    print(f"a class of {CLASS_SIZE} on 2 workers, start-up included: {class_seconds:.1f} s "
          f"({verdict} the {CLASS_TARGET_SECONDS:g} s target)")

    print("\nslowest steps in the sandbox's share (in-process, median):")
    for (notebook, step), seconds in sorted(steps.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {seconds:.3f} s  {notebook}: {step}")

    first, again = judge_seconds(runs_1[0]), judge_seconds(runs_1[1])
    print(f"\njudging in the parent (not the sandbox): first submission "
          f"{sum(first.values()):.2f} s, next {sum(again.values()):.2f} s; slowest items, next:")
    for item, seconds in sorted(again.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {seconds:.3f} s  {item}")


if __name__ == "__main__":
    main()
