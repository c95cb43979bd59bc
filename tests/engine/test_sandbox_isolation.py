"""What student code can see and do inside the sandbox, with bwrap and without.

Hostile notebooks report what they found on stdout (the captured output the
pool returns); the tests then check the file system view, the network, the
user, the process and memory limits, the output cap, and that nothing a
submission started outlives it.
"""
import functools
import json
import os

import pytest

from autograders.sandbox import bwrap
from autograders.sandbox.pool import Job, Limits, WorkerPool
from tests.engine.sandbox_support import SANDBOXES, run_checks, submission_folder, write_notebook

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::autograders.sandbox.pool.SandboxWarning")]

PROCESSES = 24
LIMITS = Limits(cell_timeout=10, processes=PROCESSES, memory_bytes=3 * 2 ** 30,
                output_bytes=4096, submission_timeout=60)
ROOT = bwrap.default_hidden()[0].rsplit("/", 1)[0]

SPY = """
import json, os, socket
def attempt(action):
    try:
        return repr(action())[:80]
    except BaseException as error:
        return type(error).__name__
def connect():
    socket.create_connection(("192.0.2.1", 80), timeout=1)
def write(path):
    with open(path, "a") as file:
        file.write("0")
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
found = {
    "course": os.path.exists(COURSE), "victim": os.path.exists(VICTIM),
    "autograders": os.path.exists(ROOT + "/autograders"),
    "reference": os.path.exists(ROOT + "/reference"),
    "jobs": attempt(lambda: os.listdir("/sandbox/jobs")),
    "network": attempt(connect), "uid": os.getuid(),
    "no_new_privs": status["NoNewPrivs"].strip(),
    "write_gradebook": attempt(lambda: write(COURSE + "/gradebook.db")),
    "write_tmp": [attempt(lambda: write(f"{folder}/left_behind_{os.urandom(8).hex()}"))
                  for folder in ("/tmp", "/var/tmp", "/dev/shm")],
    "import_reference": attempt(lambda: __import__("reference")),
}
print("SPY", json.dumps(found))
"""
# A submission of its own, as it may end its own run (not as root, under bwrap, where
# the worker shares its user id): killing its parent must hurt nobody else.
KILL_PARENT = """
import os
try:
    os.kill(os.getppid(), 9)
    print("KILL None")
except OSError as error:
    print("KILL", type(error).__name__)
"""
AS_ROOT = os.geteuid() == 0

FORK_BOMB = """
import os, time
forked, refused = 0, 0
for _ in range(200):
    try:
        pid = os.fork()
    except BlockingIOError:
        refused += 1
        break
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    forked += 1
print("FORKS", forked, refused)
"""

DAEMON = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
"""

KILL_EVERYTHING = "import os, signal\nos.kill(-1, signal.SIGKILL)\nprint('still here')"


def marked_lines(run, mark):
    return [line.split(" ", 1)[1] for line in run.output.splitlines() if line.startswith(mark)]




@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_hostile_notebooks_are_contained(sandbox, tmp_path):
    runs, left = grade_hostile_class(sandbox, tmp_path)
    run_checks(*(functools.partial(check, sandbox, runs, left) for check in (
        check_what_a_spy_finds, check_the_process_limit_holds,
        check_nothing_a_submission_started_outlives_it, check_the_memory_limit_holds,
        check_output_is_capped, check_killing_every_process_it_may_only_hurt_itself)))


def grade_hostile_class(sandbox, course):
    """(student -> SandboxRun, pids of sandbox users left once the batch is done)."""
    (course / "gradebook.db").write_text("scores")
    victim = submission_folder(course, "victim")
    cells = {
        "spy": [f"COURSE, VICTIM, ROOT = {str(course)!r}, {str(victim)!r}, {ROOT!r}", SPY],
        "kill_parent": [KILL_PARENT],
        "fork_bomb": [FORK_BOMB],
        "daemon": [DAEMON],
        "memory": ["block = bytearray(8 * 2 ** 30)", "def sigmoid(x):\n    return x"],
        "noisy": ["print('x' * 10 ** 6)", "print('after')"],
        "kill_everything": [KILL_EVERYTHING],
    }
    jobs = []
    for student, sources in cells.items():
        folder = submission_folder(course, student)
        write_notebook(folder / "01_activations.ipynb", sources)
        jobs.append(Job(student, "neural_networks", folder, ("01_activations",), ("sigmoid",)))
    with WorkerPool(workers=2, limits=LIMITS, sandbox=sandbox) as pool:
        runs = {run.student_id: run for run in pool.run(jobs)}
        uids = {worker.uid for worker in pool.workers}
        left = processes_of(uids)
    return runs, left


def processes_of(uids):
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/status") as file:
                uid = next(int(line.split()[1]) for line in file if line.startswith("Uid:"))
        except (OSError, StopIteration, ValueError):
            continue
        if uid in uids:
            found.append(int(entry))
    return found


def check_what_a_spy_finds(mode, runs, left):
    """As root the child is a user of its own. Not as root it has the instructor's user
    id, in user, pid and mount namespaces of its own (nested in bwrap's, or without
    bwrap), where every file system but its scratch folder is read-only."""
    found = json.loads(marked_lines(runs["spy"], "SPY")[0])
    assert found["uid"] != 0 and found["no_new_privs"] == "1"
    assert found["import_reference"] == "ModuleNotFoundError"
    # Refused: read-only mounts (OSError) or, where checked first, another user's files
    # and folders (PermissionError).
    refused = ("OSError", "PermissionError")
    if mode == "bwrap":
        assert not any(found[key] for key in ("course", "victim", "autograders", "reference"))
        # The worker's jobs folder: root's (as root); not as root, only this job, read-only.
        assert found["jobs"] == ("PermissionError" if AS_ROOT else repr(["1"]))
        assert found["network"] == "OSError"
        assert found["write_gradebook"] == "FileNotFoundError"
    else:
        assert found["course"] and found["victim"]  # readable without bwrap
        assert found["write_gradebook"] in refused
    # A fresh file in /tmp, /var/tmp, /dev/shm (world-writable folders, absent under bwrap):
    # refused too.
    assert all(attempt in (*refused, "FileNotFoundError")
               for attempt in found["write_tmp"]), found["write_tmp"]
    # Its parent: another user's (as root); pid 0 in its own pid namespace (not as root).
    assert marked_lines(runs["kill_parent"], "KILL") == ["PermissionError" if AS_ROOT else "None"]


def check_the_process_limit_holds(mode, runs, left):
    forked, refused = map(int, marked_lines(runs["fork_bomb"], "FORKS")[0].split())
    assert refused == 1 and forked < PROCESSES


def check_nothing_a_submission_started_outlives_it(mode, runs, left):
    assert runs["daemon"].status == "ok"
    assert left == []


def check_the_memory_limit_holds(mode, runs, left):
    run = runs["memory"]
    cells = run.notebooks["01_activations"].cells
    assert [(c.index, c.status, c.message) for c in cells] == [(0, "error", "MemoryError: ")]
    assert "sigmoid" in run.observations


def check_output_is_capped(mode, runs, left):
    run = runs["noisy"]
    assert len(run.output) < LIMITS.output_bytes + 200
    assert "more bytes of output not kept" in run.output
    assert run.status == "ok"


def check_killing_every_process_it_may_only_hurt_itself(mode, runs, left):
    """kill(-1) reaches nothing: other users' processes (as root), or, as pid 1 of its own
    pid namespace, nobody (not as root); never the grader or another submission."""
    run = runs["kill_everything"]
    assert run.status == "ok"
    if AS_ROOT:
        assert "still here" in run.output
    else:
        assert run.notebooks["01_activations"].cells[0].message.startswith("ProcessLookupError")
    assert all(other.status == "ok" for other in runs.values())


HOG = """
import os, time
for _ in range(20):
    if os.fork() == 0:
        time.sleep(6)
        os._exit(0)
time.sleep(5)
"""

COUNTER = """
import os, time
time.sleep(2)  # while the hog, graded beside it, holds its 20 processes
forked = 0
for _ in range(20):
    try:
        if os.fork() == 0:
            time.sleep(2)
            os._exit(0)
    except BlockingIOError:
        break
    forked += 1
print("FORKS", forked)
"""


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_the_process_limit_counts_only_the_submissions_own_processes(sandbox, tmp_path):
    """Two submissions at once: one holding 20 of its 24 processes leaves the other its 24.

    As root each child is a user of its own; not as root each is in a user namespace of
    its own (RLIMIT_NPROC counts per user namespace), so neither the instructor's other
    processes nor a fork bomb graded beside it eat an honest submission's allowance.
    """
    jobs = []
    for student, source in (("hog", HOG), ("counter", COUNTER)):
        folder = submission_folder(tmp_path, student)
        write_notebook(folder / "01_activations.ipynb", [source])
        jobs.append(Job(student, "neural_networks", folder, ("01_activations",), ("sigmoid",)))
    with WorkerPool(workers=2, limits=LIMITS, sandbox=sandbox) as pool:
        runs = {run.student_id: run for run in pool.run(jobs)}
    assert marked_lines(runs["counter"], "FORKS") == ["20"], runs["counter"].output
