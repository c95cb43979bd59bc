"""WorkerPool: grade many submissions in sandboxed, preloaded workers, in parallel.

    from autograders.sandbox.pool import Job, Limits, WorkerPool
    with WorkerPool(workers=2, limits=Limits(), sandbox="auto") as pool:
        for run in pool.run(jobs):      # autograders.result.SandboxRun, in completion order
            ...

Each worker (default: one per core) has its own jobs folder, so a submission
never sees another's files. A submission that crashes, hangs or kills its
worker gets its own status and message; the others are unaffected and the
batch always completes (only a worker that cannot be started at all is an
engine failure, raised as WorkerError).

sandbox: a tier ("bwrap", "landlock", "none"), "auto" (the strongest that
starts here, else "none" with a warning: the course and other submissions are
then readable by student code) or "isolated" (the strongest, never "none");
tiers.py chooses, and SandboxUnavailable says why a tier cannot start.
``pool.sandbox`` is the tier that grades, ``pool.isolation`` what it protects.
"""
import os
import queue
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograders.items import ITEMS, NOTEBOOKS
from autograders.sandbox import bwrap, probe_bundle, tiers, transfer
from autograders.sandbox.limits import Limits
from autograders.sandbox.worker_process import Launch, WorkerError, WorkerProcess

__all__ = ["Job", "Limits", "WorkerPool", "WorkerError", "SandboxUnavailable", "SandboxWarning"]

AUTO_ITEMS = tuple(item.id for item in ITEMS if item.kind == "auto")
SANDBOXES = tiers.CHOICES
SandboxUnavailable, SandboxWarning = tiers.SandboxUnavailable, tiers.SandboxWarning


@dataclass(frozen=True)
class Job:
    """One submission to grade: an nbgrader submitted/<student>/<assignment>/ folder."""
    student_id: str
    assignment: str
    folder: Path
    notebooks: tuple = NOTEBOOKS
    items: tuple = AUTO_ITEMS


def choose_sandbox(sandbox, python=sys.executable, hidden=()):
    """The tiers.Isolation for the requested --sandbox (tiers.py chooses; warns once)."""
    return tiers.choose(sandbox, python, hidden)


def hidden_folders(hide=()):
    """What the sandbox hides: the autograders and reference packages, and `hide`."""
    return tuple(sorted({os.path.realpath(p) for p in (*bwrap.default_hidden(), *hide)}))


def require(sandbox, hide=(), python=None):
    """Check before grading that the requested sandbox can start (SandboxUnavailable if
    not); returns the tier that will grade ("bwrap", "landlock" or "none")."""
    return choose_sandbox(sandbox, python or sys.executable, hidden_folders(hide)).tier


def _memory_folder(workers, limits):
    """/dev/shm when usable and roomy enough, else None (the system's temporary folder).

    A job writes many small files, which cost ~1 ms each on a disk and ~0.03 ms in
    memory; but a small /dev/shm (64 MB in a default Docker container) would fail
    submissions that a disk grades. Roomy enough: what the pool's folder may hold at
    once, per worker the job's copy of a submission and, without bwrap (whose scratch
    space is a tmpfs of its own), the worker's copy in its scratch folder, each at most
    limits.submission_bytes (with the defaults, 2 workers: 1 GiB).
    """
    shm = "/dev/shm"
    if not (os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK)):
        return None
    try:
        found = os.statvfs(shm)
    except OSError:
        return None
    needed = workers * 2 * limits.submission_bytes
    return shm if found.f_bavail * found.f_frsize >= needed else None


class WorkerPool:
    def __init__(self, workers=None, limits=None, sandbox="auto", hide=(), python=None):
        self.workers_wanted = max(1, workers or os.cpu_count() or 1)
        self.limits = limits or Limits()
        self.python = python or sys.executable
        self.hidden = hidden_folders(hide)
        self.isolation = choose_sandbox(sandbox, self.python, self.hidden)
        self.sandbox = self.isolation.tier  # the tier that grades: "auto" resolved
        self.workers = []
        self.dir = None
        self.startup_seconds = None
        self._stopping = threading.Event()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def launch(self):
        """Start every worker process (in parallel; they import torch) without waiting
        for them: the caller can do its own start-up meanwhile. start() waits."""
        if self.workers:
            return
        self._launched = time.monotonic()
        self.dir = Path(tempfile.mkdtemp(prefix="autograders-sandbox-", dir=_memory_folder(
            self.workers_wanted, self.limits)))
        self.dir.chmod(0o711)  # children of a no-bwrap worker reach their scratch folder
        launch = Launch(self.isolation, self.python, self.hidden, probe_bundle.build())
        self.workers = [WorkerProcess(i, self.dir, self.limits, launch)
                        for i in range(self.workers_wanted)]
        try:
            for worker in self.workers:
                worker.launch_process()
        except BaseException:
            self.close()
            raise

    def start(self):
        """Launch every worker (unless launch() did) and wait until all are ready."""
        self.launch()
        try:
            for worker in self.workers:
                worker.wait_ready()
        except BaseException:
            self.close()
            raise
        self.startup_seconds = time.monotonic() - self._launched

    def close(self):
        self._stopping.set()
        for worker in self.workers:
            worker.close()
        self.workers = []
        if self.dir is not None:
            transfer.remove_tree(self.dir)
            self.dir = None

    def run(self, jobs):
        """Grade jobs; yield a SandboxRun per job as each finishes."""
        jobs = list(jobs)
        todo, done, stop = queue.Queue(), queue.Queue(), threading.Event()
        for job in jobs:
            todo.put(job)
        failures = []
        threads = [threading.Thread(target=self._serve, args=(worker, todo, done, failures, stop),
                                    daemon=True) for worker in self.workers]
        for thread in threads:
            thread.start()
        try:
            for _ in jobs:
                while True:
                    try:
                        yield done.get(timeout=1.0)
                        break
                    except queue.Empty:
                        if not any(thread.is_alive() for thread in threads) and done.empty():
                            raise failures[0] if failures else WorkerError("no worker is left")
        finally:
            stop.set()  # the caller stopped early: workers finish their job, take no other

    def _serve(self, worker, todo, done, failures, stop):
        """One worker's loop: take the next job until none is left."""
        while not (stop.is_set() or self._stopping.is_set()):
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            try:
                done.put(worker.grade(job))
            except Exception as error:  # noqa: BLE001 - could not restart (or a bug here):
                failures.append(error)  # the other workers finish the batch
                todo.put(job)
                return
