"""One worker as the parent sees it: start it, give it jobs, watch it, replace it.

The parent copies a submission into the worker's jobs folder just before the
job and deletes it afterwards, so a worker only ever holds the submission it
grades. It waits for the reply with a watchdog of its own: if the worker
stops answering (or dies), the whole process tree is killed, the submission
is marked "timeout" or "crashed", and a fresh worker is started. Replies are
JSON checked field by field; observations are copied out of the jobs folder
without following links and loaded with observations.load (never pickle).
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograders import observations as observation_files
from autograders.result import CellRun, NotebookRun, SandboxRun, STATUSES
from autograders.sandbox import bootstrap, bwrap, privileges, protocol, tiers, transfer

START_TIMEOUT = 300.0    # importing torch on a loaded machine can take a while
EXIT_TIMEOUT = 5.0
MAX_TEXT = 2000


class WorkerError(RuntimeError):
    """A worker could not be started: the engine, not a submission, failed."""


class WorkerProcess:
    def __init__(self, index, pool_dir, limits, launch):
        self.index = index
        self.limits = limits
        self.launch = launch
        self.dir = Path(pool_dir) / f"worker-{index}"
        self.jobs_dir = self.dir / "jobs"
        self.uid = launch.uid(index)
        self.process = None
        self.reader = None
        self.jobs_done = 0
        self.startup_seconds = None
        self.startup_phases = {}
        self.closed = False
        self.job_cpu = []  # per job: CPU seconds of {"worker", "children", "parent"}
        self._cpu = {}

    # -- life cycle ---------------------------------------------------------
    def launch_process(self):
        """Start the process and send it the bundle (wait_ready() finishes the start)."""
        for folder in (self.dir, self.jobs_dir, self.dir / "work", self.dir / "tmp"):
            folder.mkdir(mode=0o711, exist_ok=True)
        self._started = time.monotonic()
        argv, config = self.launch.worker_command(self)
        with open(self.dir / "worker.log", "ab") as log:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                env=self.launch.environment(self), cwd="/", start_new_session=True, close_fds=True)
        self.reader = protocol.LineReader(self.process.stdout.fileno())
        header = {"bundle_bytes": len(self.launch.bundle), "config": config}
        try:
            self.process.stdin.write(protocol.encode(header) + self.launch.bundle)
            self.process.stdin.flush()
        except OSError:  # it died at once (bwrap refused, say): wait_ready says why
            pass

    def wait_ready(self):
        try:
            message = self.reader.next_message(time.monotonic() + START_TIMEOUT)
        except EOFError:
            message = None
        if not message or message.get("event") != "ready":
            self.kill()
            raise WorkerError(f"sandbox worker {self.index} did not start: {self.log_tail()}")
        self.startup_seconds = time.monotonic() - self._started
        phases = message.get("phases")
        self.startup_phases = phases if isinstance(phases, dict) else {}

    def start(self):
        self.launch_process()
        self.wait_ready()

    def restart(self):
        self.kill()
        if self.closed:
            raise WorkerError("the pool was closed")
        self.start()

    def close(self):
        self.closed = True
        if self.process is None:
            return
        try:
            self.process.stdin.write(protocol.encode({"command": "exit"}))
            self.process.stdin.close()
            self.process.wait(EXIT_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self):
        """SIGKILL the worker's process tree (bwrap takes its pid namespace along)."""
        if self.process is None:
            return
        if self.process.poll() is None:  # once reaped, its group id may belong to another
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.process = None
        if self.uid is not None and not self.launch.in_bwrap:
            _kill_all_processes_of(self.uid)  # strays that left the worker's session

    def log_tail(self, size=2000):
        try:
            return (self.dir / "worker.log").read_bytes()[-size:].decode(errors="replace")
        except OSError:
            return ""

    # -- one job -------------------------------------------------------------
    def grade(self, job):
        """Grade one Job; always returns a SandboxRun (restarts the worker if needed)."""
        started, cpu_started = time.monotonic(), time.thread_time()
        self.jobs_done += 1
        job_id = str(self.jobs_done)
        job_dir = self.jobs_dir / job_id
        self._cpu = {}
        try:
            run = self._grade(job, job_id, job_dir)
        finally:
            transfer.remove_tree(job_dir)
        run.seconds = time.monotonic() - started
        self.job_cpu.append(dict(self._cpu, parent=time.thread_time() - cpu_started))
        run.sandboxed = self.launch.isolation.isolated
        run.isolation = self.launch.tier
        return run

    def _grade(self, job, job_id, job_dir):
        run = SandboxRun(job.student_id, job.assignment)
        try:
            job_dir.mkdir(mode=0o700)
            transfer.copy_tree(job.folder, job_dir / "in", self.limits.submission_bytes)
            (job_dir / "out").mkdir()
        except (FileNotFoundError, NotADirectoryError):
            return _failed(run, "missing", f"no submission folder at {job.folder}")
        except transfer.TooLarge:
            return _failed(run, "unreadable", "the submission folder is larger than "
                           f"{self.limits.submission_bytes // 2**20} MB")
        except OSError as error:  # ENOSPC, EACCES...: this job fails, the worker goes on
            return _failed(run, "crashed", transfer.copy_failure(error))
        request = {"id": job_id, "assignment": job.assignment,
                   "notebooks": list(job.notebooks), "items": list(job.items)}
        reply = self._ask(request)
        if isinstance(reply, str):  # the worker failed: the reason
            return _failed(run, *reply.split(":", 1))
        return self._read_reply(run, reply, job_dir / "out", set(job.items))

    def _ask(self, request):
        """Send a job; the reply, or "status:message" when the worker failed."""
        watchdog = self.limits.submission_timeout + self.limits.watchdog_grace
        try:
            self.process.stdin.write(protocol.encode(request))
            self.process.stdin.flush()
            reply = self.reader.next_message(time.monotonic() + watchdog)
        except (OSError, EOFError):
            reply = "crashed:the grading worker died while grading this submission"
        if reply is None:
            reply = (f"timeout:the grading worker did not answer within {watchdog:g} s "
                     "and was replaced")
        elif isinstance(reply, dict) and reply.get("id") != request["id"]:
            reply = "crashed:the grading worker answered out of turn and was replaced"
        if isinstance(reply, str):
            self.restart()
        return reply

    def _read_reply(self, run, reply, out_dir, requested):
        cpu = reply.get("cpu_seconds")
        if isinstance(cpu, dict):
            self._cpu = {k: v for k, v in cpu.items() if isinstance(v, (int, float))}
        status = reply.get("status")
        run.status = status if status in STATUSES else "crashed"
        run.message = _text(reply.get("message"))
        run.output = _text(reply.get("output"), self.limits.output_bytes + 200)
        notebooks = reply.get("notebooks")
        for name, data in (notebooks.items() if isinstance(notebooks, dict) else ()):
            run.notebooks[str(name)] = _notebook_run(name, data)
        errors = reply.get("probe_errors")
        for item, message in (errors.items() if isinstance(errors, dict) else ()):
            if item in requested:
                run.probe_errors[item] = _text(message)
        observed = reply.get("observed")
        with tempfile.TemporaryDirectory(dir=self.dir.parent) as private:  # not the sandbox's
            for item in (observed if isinstance(observed, list) else ()):
                if item in requested and item not in run.probe_errors:
                    self._load_observations(run, item, out_dir, Path(private))
        return run

    def _load_observations(self, run, item, out_dir, private):
        try:
            transfer.copy_tree(out_dir / item, private / item, self.limits.observation_bytes)
            run.observations[item] = observation_files.load(private / item)
        except transfer.TooLarge:
            run.probe_errors[item] = "the probe's observations are too large"
        except (OSError, ValueError, TypeError, KeyError, RecursionError) as error:
            run.probe_errors[item] = f"the probe's observations could not be read: {error}"[:500]


class Launch:
    """How this pool's workers start: the tier (tiers.Isolation), the user of their children."""

    def __init__(self, isolation, python, hidden, bundle):
        self.isolation = isolation
        self.tier = isolation.tier
        self.in_bwrap = self.tier == "bwrap"
        self.python = python
        self.hidden = tuple(hidden)
        self.bundle = bundle
        self.pool_pid = os.getpid()

    def uid(self, index):
        """The children's user id, or None where the worker cannot switch user."""
        unprivileged = self.in_bwrap and not bwrap.privileged()
        if unprivileged or not privileges.can_drop():
            return None
        return privileges.sandbox_uid(self.pool_pid, index)

    def worker_command(self, worker):
        config = {"limits": worker.limits.to_wire(), "uid": worker.uid, "tier": self.tier,
                  "keep_capability": self._keep_capability() if worker.uid is not None else None}
        python = [self.python, "-s", "-c", Path(bootstrap.__file__).read_text()]
        if not self.in_bwrap:
            work = worker.dir / "work"
            config.update(jobs_root=str(worker.jobs_dir), work_root=str(work))
            if self.tier == "landlock":
                config["confinement"] = tiers.worker_plan(self.isolation, self.python,
                                                          self.hidden, work)
            return python, config
        config.update(jobs_root=bwrap.SANDBOX_JOBS, work_root=bwrap.SANDBOX_WORK)
        argv = bwrap.command(self.python, worker.jobs_dir, worker.limits.scratch_bytes,
                             self.hidden, **dict(self.isolation.options))
        return argv + ["--", *python], config

    def _keep_capability(self):
        """Without bwrap the child's own user may not read Python: "none" keeps a
        capability to read it; the namespace-free tier only where Landlock confines it."""
        if self.tier == "none":
            return privileges.read_capability()
        return self.isolation.keep_capability if self.tier == "landlock" else None

    def environment(self, worker):
        """A clean environment: nothing of the parent's (tokens, PYTHONPATH) leaks in."""
        tmp = "/tmp" if self.in_bwrap else str(worker.dir / "tmp")
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "HOME": tmp, "TMPDIR": tmp, "MPLCONFIGDIR": f"{tmp}/matplotlib", "MPLBACKEND": "Agg",
            "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
            "CUDA_VISIBLE_DEVICES": "",  # fork and CUDA do not mix; same results with bwrap or not
        }


def _failed(run, status, message):
    run.status = status.strip() if status.strip() in STATUSES else "crashed"
    run.message = message.strip()
    return run


def _text(value, limit=MAX_TEXT):
    return value[:limit] if isinstance(value, str) else ""


def _notebook_run(name, data):
    data = data if isinstance(data, dict) else {}
    status = data.get("status")
    cells = []
    for cell in data.get("cells") if isinstance(data.get("cells"), list) else ():
        if isinstance(cell, dict) and isinstance(cell.get("index"), int):
            cells.append(CellRun(cell["index"], _text(cell.get("grade_id"), 100),
                                 "timeout" if cell.get("status") == "timeout" else "error",
                                 _text(cell.get("message"))))
    seconds = data.get("seconds")
    return NotebookRun(str(name), status if status in STATUSES else "crashed",
                       _text(data.get("message")), cells,
                       float(seconds) if isinstance(seconds, (int, float)) else 0.0)


def _kill_all_processes_of(uid):
    """kill -KILL -1 as uid: every process of that user (only ours use it)."""
    try:
        subprocess.run(["kill", "-KILL", "-1"], user=uid, group=uid, extra_groups=[],
                       capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        print(f"autograders: could not clean up the processes of user {uid}", file=sys.stderr)
