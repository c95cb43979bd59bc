"""One Gradescope submission, cold, as Gradescope runs it: time to results.json and memory.

    python bench/gradescope_submission.py [--student alice|bob|mallory|bomb]
                                          [--memory-mb 768 --cgroup DIR] [--python PY]
                                          [--docker]

Builds the autograder zip of this course, unpacks it into a temporary
/autograder (the root variable), uploads one sample-class student (``bomb``:
the reference with a cell that fills memory page by page until refused) and
runs run_autograder with this interpreter. Prints the zip's size, the wall
time from run_autograder's start to results.json, the score, and the peak
memory: the process tree's proportional set size (Pss, sampled every 20 ms), and, with --cgroup (a cgroup v1 memory folder or a cgroup v2
folder this user may create children in; root), the peak of a child cgroup
limited to --memory-mb, page cache included: what a container's limit
counts. Gradescope's default container: 768 MB. --docker: under the
emulation of Docker's default security settings (tests/platforms/), where
bwrap cannot start and the namespace-free tier grades, as on Gradescope.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from autograders.course import Course  # noqa: E402
from autograders.gradescope_zip.build import build  # noqa: E402
from autograders.items import ASSIGNMENT  # noqa: E402
from course_build.sample_class import CLASS, write_class  # noqa: E402
from tests.gradescope.support import Container, notebooks_of  # noqa: E402
from tests.platforms.docker_default import wrapper  # noqa: E402

MiB = 2 ** 20
BOMB = '''\
hoard = []
try:
    while True:
        hoard.append(np.ones(2 ** 25, dtype=np.uint8))   # 32 MB, every page touched
except MemoryError:
    print("refused after", len(hoard), "blocks")
hoard = None


def tanh(x):
    return np.tanh(x)'''


def upload(course, name):
    student = next(s for s in CLASS if s.id.startswith("alice" if name == "bomb" else name))
    files = notebooks_of(course / "submitted" / student.id / ASSIGNMENT)
    if name == "bomb":
        first = nbformat.reads(files["01_activations.ipynb"], as_version=4)
        cell = next(c for c in first.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == "tanh")
        cell.source = BOMB
        files["01_activations.ipynb"] = nbformat.writes(first).encode()
    return files


def tree_pss_bytes(pid):
    """Proportional set size (Pss: shared pages split among their users) of pid and all
    its descendants, from /proc: the memory the tree occupies, page cache not mapped aside."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines()
                       if line.startswith("Pss:")), 0)
        todo += [int(child) for child in children]
    return total


class Cgroup:
    """A child memory cgroup (v1 or v2) with a limit, for one process and its children."""

    def __init__(self, parent, limit_bytes):
        self.path = Path(parent) / f"gradescope-bench-{os.getpid()}"
        self.path.mkdir()
        self.v2 = (self.path / "memory.max").exists()
        limit = str(limit_bytes) if limit_bytes else ("max" if self.v2 else "-1")
        (self.path / ("memory.max" if self.v2 else "memory.limit_in_bytes")).write_text(limit)

    def enter_command(self):
        return ["bash", "-c", f'echo $$ > {self.path}/cgroup.procs && exec "$@"', "cgroup"]

    def peak(self):
        return int((self.path / ("memory.peak" if self.v2 else "memory.max_usage_in_bytes"))
                   .read_text())

    def oom_kills(self):
        name = "memory.events" if self.v2 else "memory.oom_control"
        fields = dict(line.split() for line in (self.path / name).read_text().splitlines())
        return int(fields.get("oom_kill", 0))

    def remove(self):
        self.path.rmdir()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", default="alice", choices=("alice", "bob", "mallory", "bomb"))
    parser.add_argument("--memory-mb", type=int, default=768)
    parser.add_argument("--cgroup", help="a memory cgroup folder to make the limited child in")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter run_autograder grades with (e.g. setup.sh's venv, "
                             "to check that the zip's requirements are enough; default: this one)")
    parser.add_argument("--docker", action="store_true",
                        help="run under the emulation of Docker's defaults (root only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        course = scratch / "course"
        course.mkdir()
        for name in ("source", "release"):
            os.symlink(ROOT / name, course / name)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        write_class(course, [s for s in CLASS if s.id.startswith(("alice", args.student))])
        zip_path, count = build(scratch / "autograder.zip", Course.load(course))
        print(f"zip: {zip_path.stat().st_size / MiB:.2f} MB, {count} files")
        box = Container(scratch / "autograder", zip_path)
        box.upload(upload(course, args.student))
        cgroup = Cgroup(args.cgroup, args.memory_mb * MiB) if args.cgroup else None
        env = dict(os.environ, AUTOGRADERS_GRADESCOPE_ROOT=str(box.layout.root),
                   AUTOGRADERS_GRADESCOPE_PYTHON=args.python)
        command = ((cgroup.enter_command() if cgroup else []) + (wrapper() if args.docker else [])
                   + ["bash", str(box.layout.run_autograder)])
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        peak = [0]

        def sample():
            while process.poll() is None:
                peak[0] = max(peak[0], tree_pss_bytes(process.pid))
                time.sleep(0.02)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        log = process.communicate()[0]
        wall = time.perf_counter() - started
        sampler.join()
        results = json.loads(box.layout.results_file.read_text())
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        tier = results.get("extra_data", {}).get("isolation")
        print(f"sandbox tier {tier}; student {args.student}: exit status {process.returncode}, score {results['score']}"
              f", run_autograder start to results.json {wall:.1f} s wall, "
              f"{usage.ru_utime + usage.ru_stime:.1f} s CPU (the process tree)")
        print(f"process tree's memory (Pss), peak: {peak[0] / MiB:.0f} MB")
        if cgroup:
            print(f"cgroup limited to {args.memory_mb} MB: peak {cgroup.peak() / MiB:.0f} MB "
                  f"(page cache included), OOM kills {cgroup.oom_kills()}")
            cgroup.remove()
        print("log:", *log.splitlines()[-3:], sep="\n  ")
        print("feedback:", results["output"][:400].replace("\n\n", "\n  "), sep="\n  ")
        for test in results["tests"]:
            if test["status"] != "passed":
                print(f"  {test['name']}: {test['score']}/{test['max_score']} "
                      f"{test['output'][:100]}")


if __name__ == "__main__":
    main()
