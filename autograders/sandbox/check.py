"""``python -m autograders check-sandbox``: which tier isolates here, shown by hostile probes.

Grades one hostile notebook in the chosen tier, exactly as a student's is
graded (the pool, a worker, a forked child), and judges each attack by
evidence the sandbox cannot fake: the canaries of a decoy course must not
appear in the output, files it tried to write must not exist, the listener
must see no connection, the grader must receive no signal. The decoy
course is world-readable and has a world-writable folder, so only the
isolation, not file permissions, can stop the reads and writes; with
``--sandbox none`` they succeed, and the check says so (exit status 1).
"""
import os
import secrets
import signal
import socket
import tempfile
import threading
from pathlib import Path

from autograders.sandbox import bwrap
from autograders.sandbox.limits import Limits

PROBE = '''\
import ctypes, os, socket, time
def attempt(name, action):
    try:
        print("PROBE", name, "done:", action())
    except BaseException as error:
        print("PROBE", name, "refused:", type(error).__name__, error)
for name, path in (("read the hidden tests", {hidden!r}), ("read the gradebook", {gradebook!r}),
                   ("read the autograders package", {package!r})):
    attempt(name, lambda: open(path).read(200))
for path in {writes!r}:
    attempt("write " + path, lambda: open(path, "w").write("written"))
attempt("connect to the grader's machine", lambda: socket.create_connection(("127.0.0.1", {port}),
                                                                            timeout=2).close())
attempt("signal the grader", lambda: os.kill({grader}, {signal_number}))
def trace():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.ptrace(16, {grader}, 0, 0) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return "attached"
attempt("trace the grader", trace)
children = []
for _ in range({forks}):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(3)
        os._exit(0)
    children.append(pid)
print("PROBE fork without limit done:", len(children), "processes")
'''
FORK_ATTEMPTS = 200


def run(sandbox="auto", out=print):
    """Check the tier --sandbox `sandbox` chooses; print a table; exit status (0: all blocked)."""
    from autograders.sandbox.pool import Job, WorkerPool
    limits = Limits(cell_timeout=20, probe_timeout=5, submission_timeout=60, processes=32)
    with tempfile.TemporaryDirectory(prefix="autograders-check-") as folder, _Listener() as net, \
            _Signals() as signals:
        decoy = _decoy_course(Path(folder))
        notebook = decoy["submission"] / "01_activations.ipynb"
        _write_notebook(notebook, PROBE.format(**decoy["probe"], port=net.port,
                                               grader=os.getpid(), forks=FORK_ATTEMPTS,
                                               signal_number=int(signal.SIGUSR1)))
        with WorkerPool(workers=1, limits=limits, sandbox=sandbox, hide=[folder]) as pool:
            isolation = pool.isolation
            run_ = next(iter(pool.run([Job("check", "check", decoy["submission"],
                                           ("01_activations",), ())])))
        rows = _judge(run_.output, decoy, net, signals, limits)
    out(f"Sandbox tier here: {isolation.describe()}")
    width = max(len(name) for name, _, _ in rows)
    for name, blocked, detail in rows:
        out(f"  {name.ljust(width)}  {'blocked' if blocked else 'NOT BLOCKED'}  {detail}")
    failed = [name for name, blocked, _ in rows if not blocked]
    out("Every probe was blocked." if not failed else
        f"{len(failed)} of {len(rows)} probes were not blocked: student code is not isolated "
        f"here ({bwrap.ADVICE}).")
    return 1 if failed else 0


def _decoy_course(folder):
    canary = f"CANARY-{secrets.token_hex(8)}"
    folder.chmod(0o755)
    (folder / "source").mkdir(mode=0o755)
    (folder / "drop").mkdir()
    (folder / "drop").chmod(0o1777)
    hidden, gradebook = folder / "source" / "hidden_tests.py", folder / "gradebook.db"
    for path in (hidden, gradebook):
        path.write_text(f"{canary} {path.name}\n")
        path.chmod(0o644)
    submission = folder / "submitted" / "check"
    submission.mkdir(parents=True)
    package = Path(__file__).resolve().parents[1] / "items.py"
    token = secrets.token_hex(8)  # not the canary: the paths appear in error messages
    writes = [str(folder / "drop" / "written"), f"/tmp/autograders-check-{token}",
              f"/dev/shm/autograders-check-{token}"]
    return {"canary": canary, "submission": submission, "writes": writes, "package": package,
            "probe": {"hidden": str(hidden), "gradebook": str(gradebook),
                      "package": str(package), "writes": writes}}


def _judge(output, decoy, net, signals, limits):
    lines = {line.split(" done:")[0].split(" refused:")[0][6:]: line
             for line in output.splitlines() if line.startswith("PROBE ")}

    def detail(name):
        line = lines.get(name, "no answer (the probe did not get this far)")
        return line.split(":", 1)[-1].strip()[:70]
    rows = []
    for name in ("read the hidden tests", "read the gradebook"):
        rows.append((name, decoy["canary"] not in output, detail(name)))
    package_line = lines.get("read the autograders package", "")
    rows.append(("read the autograders package", " done:" not in package_line,
                 detail("read the autograders package")))
    for path in decoy["writes"]:
        rows.append((f"write {path}", not os.path.exists(path), detail(f"write {path}")))
        _remove(path)
    rows.append(("connect to the grader's machine", not net.connections,
                 detail("connect to the grader's machine")))
    rows.append(("signal the grader", not signals.received, detail("signal the grader")))
    traced = lines.get("trace the grader", "")
    rows.append(("trace the grader", " done:" not in traced, detail("trace the grader")))
    forked = lines.get("fork without limit", "")
    count = int(forked.split("done:")[1].split()[0]) if "done:" in forked else 0
    rows.append(("fork without limit", count < FORK_ATTEMPTS,
                 f"{count} of {FORK_ATTEMPTS} processes started (limit {limits.processes})"))
    return rows


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_notebook(path, source):
    import nbformat
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, str(path))


class _Listener:
    """A TCP listener on the loopback that counts the connections it accepts."""

    def __enter__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def __exit__(self, *exc_info):
        self.server.close()


class _Signals:
    """Counts the SIGUSR1 this (grading) process receives."""

    def __enter__(self):
        self.received = 0
        self.previous = signal.signal(signal.SIGUSR1, self._count)
        return self

    def _count(self, *_):
        self.received += 1

    def __exit__(self, *exc_info):
        signal.signal(signal.SIGUSR1, self.previous)
