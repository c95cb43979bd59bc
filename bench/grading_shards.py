"""Benchmark: one class graded in K shards by K processes at once (CI's matrix, on one machine).

    python bench/grading_shards.py [--students N] [--shards 1,2,4] [--repeat R]

Writes N honest sample-class students (course_build.sample_class) into a
temporary course, then for each K starts K ``python -m autograders grade
--shard i/K --workers 1`` processes at once, as the matrix jobs of
ci-templates/instructor/.github/workflows/grade.yml do on K runners, and
merges their outputs. For comparison it also grades the class in one
process with ``--workers 2``. Prints the wall time of each, the speed-up
over K=1, and whether the merged grades.csv and summary.json are byte for
byte those of the K=1 run (they hold no timings).
Each process pays its own start-up (imports, torch warm-up, the reference runs
every class needs): a speed-up needs free cores and a share of the class that
outweighs that start-up; past the cores, shards add only start-up.
Each run is repeated R times, in turn, and the fastest counts: on a shared
machine, others' work only ever slows a run down.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_build import sample_class  # noqa: E402

TIMING_FREE = ("grades.csv", "summary.json")


def make_course(folder, count):
    """A course with count honest students (bank variants that apply to this release)."""
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    for tree in ("source", "release"):
        shutil.copytree(ROOT / tree, folder / tree)
    pairs = sample_class.assignment_notebooks(folder)
    written = 0
    for student in sample_class.honest_students(count * 3):
        if written == count:
            break
        try:
            sample_class.write_student(folder, student, pairs)
            written += 1
        except sample_class.SampleClassError:
            continue   # a variant for a notebook this release does not have yet
    return written


def grade_command(course, out, sandbox, *extra):
    return [sys.executable, "-m", "autograders", "grade", "--course", str(course),
            "--out", str(out), "--no-gradebook", "--sandbox", sandbox, *extra]


def machine_cpu():
    """CPU seconds the whole machine has been busy (user, nice, system, irq, softirq).

    Machine-wide, because not every process of a run is a waited-for child:
    bubblewrap's sandboxed workers and the judges' reference-run pool (a
    forkserver's children) are not. Other load on the machine counts too.
    """
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, stat.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def run_at_once(commands):
    """Start every command, wait for all; (wall seconds, machine CPU seconds meanwhile)."""
    start, cpu = time.perf_counter(), machine_cpu()
    processes = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True) for c in commands]
    for process, command in zip(processes, commands):
        _, errors = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{errors[-2000:]}")
    return time.perf_counter() - start, machine_cpu() - cpu


def sharded(course, out, shards, sandbox):
    """Grade in `shards` processes at once, then merge.

    Returns (wall seconds, CPU seconds, each process's own wall seconds, merged folder).
    """
    outs = [out / f"shard-{i}" for i in range(1, shards + 1)]
    seconds, cpu = run_at_once([grade_command(course, o, sandbox, "--shard", f"{i}/{shards}",
                                              "--workers", "1") for i, o in enumerate(outs, 1)])
    merged = out / "merged"
    subprocess.run([sys.executable, "-m", "autograders", "merge", *map(str, outs),
                    "--out", str(merged)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return seconds, cpu, [own_seconds(o) for o in outs], merged


def own_seconds(out):
    """A grading process's wall time as it reports it (run.json), start-up excluded."""
    return json.loads((out / "run.json").read_text())["wall_seconds"]


def same_reports(folder, reference):
    """Whether the timing-free reports are equal; the differing grades.csv rows are printed."""
    same = all((folder / name).read_bytes() == (reference / name).read_bytes()
               for name in TIMING_FREE)
    if not same:
        rows = set((reference / TIMING_FREE[0]).read_text().splitlines())
        for row in (folder / TIMING_FREE[0]).read_text().splitlines():
            if row not in rows:
                print(f"    differs in {folder.name}: {row}")
    return same


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--shards", default="1,2,4", help="the values of K, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, the fastest counts")
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "none"),
                        help="the grader's --sandbox")
    args = parser.parse_args(argv)
    shard_counts = [int(k) for k in args.shards.split(",")]
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        course, out = Path(tmp) / "course", Path(tmp) / "out"
        course.mkdir()
        students = make_course(course, args.students)
        print(f"{students} students, {cores} cores, --sandbox {args.sandbox}, load average "
              f"{os.getloadavg()[0]:.1f} before (others' work on the machine skews the figures)\n")
        runs = {}
        for attempt in range(args.repeat):   # in turn, so that others' load hits all alike
            for shards in shard_counts:
                run = sharded(course, out / f"K{shards}-{attempt}", shards, args.sandbox)
                runs[shards] = min(runs.get(shards, run), run, key=lambda r: r[0])
            workers = out / f"workers2-{attempt}"
            run = (*run_at_once([grade_command(course, workers, args.sandbox, "--workers", "2")]),
                   [own_seconds(workers)], workers)
            runs["w2"] = min(runs.get("w2", run), run, key=lambda r: r[0])
        print(f"{'run':<36} {'wall':>7} {'CPU':>7} {'speed-up':>9}  {'same as K=1':<12} "
              "each process")
        reference = runs[shard_counts[0]]
        labels = {k: f"K={k}: {k} process(es) x 1 worker" for k in shard_counts}
        labels["w2"] = "1 process x --workers 2 (no shards)"
        for key, label in labels.items():
            seconds, cpu, each, folder = runs[key]
            print(f"{label:<36} {seconds:6.1f}s {cpu:6.1f}s {reference[0] / seconds:8.2f}x  "
                  f"{str(same_reports(folder, reference[3])):<12} "
                  + ", ".join(f"{s:.1f}s" for s in each))

if __name__ == "__main__":
    main()
