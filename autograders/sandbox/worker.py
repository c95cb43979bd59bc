"""The sandboxed worker: preloaded and warmed once, then a fork per submission.

Started by the pool (inside bwrap when available) through bootstrap.py. It
imports numpy, torch, matplotlib (Agg) and the probes, runs one tiny torch
training step so that torch's lazy initialisation (about a second) is paid
once, and only then serves jobs: one JSON line in, one JSON line out.

Per job: copy the submission from the jobs folder (bound to the parent) into
private scratch space, fork a child that runs the notebooks (child.py),
supervise it (timeouts, crashes, captured output), fork another after a kill
or crash to resume where it stopped, without the offending cell or probe,
kill everything the children left behind, and copy the observations out for
the parent. One child per submission, not per notebook: a fork and exit of
this ~400 MB process costs ~40 ms of CPU, more than most notebooks' own work.
"""
import gc
import json
import os
import resource
import select
import sys
import time
import traceback

import numpy as np
import torch

from autograders import registry
from autograders.items import ITEMS_BY_ID, NOTEBOOKS
from autograders.result import STATUSES
from autograders.sandbox import child, namespace_free, processes, protocol, transfer
from autograders.sandbox.limits import Limits
from autograders.sandbox.progress import NotebookProgress, SubmissionProgress

MAX_ATTEMPTS = 4          # children starting on one notebook: the first and 3 after kills
EVENT_BYTES = 8 * 2 ** 20  # what a child may send on its events pipe


def main(config, stdin, phases):
    """Preload, report ready, then grade jobs read from stdin until it closes.

    phases: seconds spent so far by the bootstrap; preload adds its own.
    """
    replies = os.dup(1)
    os.dup2(2, 1)  # a stray print must not corrupt the protocol: stdout goes to the log
    probes = preload(phases)
    processes.become_subreaper()
    processes.not_traceable()
    worker = Worker(config, probes, replies)
    protocol.send(replies, {"event": "ready", "phases": phases, "pid": os.getpid()})
    for line in stdin:
        job = json.loads(line)
        if job.get("command") == "exit":
            break
        protocol.send(replies, worker.grade(job))


def preload(phases):
    """Import and warm everything a child needs; returns the probes by item id.

    phases receives the seconds each part took.
    """
    started = time.monotonic()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from torch.utils.data import DataLoader, TensorDataset, random_split

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    probes = registry.probes()
    phases["imports_in_preload"] = time.monotonic() - started
    started = time.monotonic()
    _warm_torch(DataLoader, TensorDataset, random_split)
    figure, axes = plt.subplots()
    axes.plot([0, 1])
    figure.canvas.draw()
    plt.close("all")
    for probe in probes.values():  # on an empty notebook: imports what probes import lazily
        probe({})
    gc.collect()
    gc.freeze()  # children then do not copy-on-write the preloaded heap when they collect
    phases["warm_up"] = time.monotonic() - started
    return probes


def _warm_torch(DataLoader, TensorDataset, random_split):
    generator = torch.Generator().manual_seed(0)
    data = TensorDataset(torch.linspace(-1, 1, 8).reshape(-1, 1), torch.zeros(8, 1))
    train, _ = random_split(data, [6, 2], generator=generator)
    model = torch.nn.Sequential(torch.nn.Linear(1, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    for x, y in DataLoader(train, batch_size=4, shuffle=True, generator=generator):
        optimiser.zero_grad()
        torch.nn.MSELoss()(model(x), y).backward()
        optimiser.step()
    with torch.no_grad():
        model.eval()
        model(torch.zeros(2, 1))
    np.random.default_rng(0).uniform(size=3)


class Worker:
    def __init__(self, config, probes, replies_fd):
        self.replies_fd = replies_fd  # closed in children
        self.limits = Limits.from_wire(config["limits"])
        self.uid = config["uid"]
        self.keep_capability = config["keep_capability"]
        self.tier = config.get("tier", "none")
        # The namespace-free tier: built here, where every path can still be opened.
        plan = config.get("confinement")
        self.confinement = namespace_free.Confinement(plan) if plan is not None else None
        self.jobs_root = config["jobs_root"]
        self.work_root = config["work_root"]
        self.probes = probes

    def grade(self, job):
        """One submission; returns the reply for the parent (never raises).

        cpu_seconds: what the worker and its children used for it (for the
        benchmark: wall time on a shared machine says little).
        """
        started, cpu_before = time.monotonic(), _cpu_seconds()
        try:
            reply = self._grade(job, started)
        except Exception:  # noqa: BLE001 - a bug here must not take the worker down
            traceback.print_exc()
            reply = {"status": "crashed", "message": "internal error in the grading worker: "
                     + traceback.format_exc(limit=3)[-500:]}
        cpu_after = _cpu_seconds()
        reply.update(id=job.get("id"), seconds=time.monotonic() - started,
                     cpu_seconds={k: cpu_after[k] - cpu_before[k] for k in cpu_after})
        return reply

    def _grade(self, job, started):
        job_dir = os.path.join(self.jobs_root, job["id"])
        scratch = os.path.join(self.work_root, job["id"])
        transfer.remove_tree(scratch)
        assignment = os.path.basename(str(job["assignment"])).strip(".") or "assignment"
        paths = {"workdir": os.path.join(scratch, assignment),
                 "home": os.path.join(scratch, "home"),
                 "observations": os.path.join(scratch, "observations")}
        try:
            try:
                transfer.copy_tree(os.path.join(job_dir, "in"), paths["workdir"],
                                   self.limits.submission_bytes)
                os.mkdir(paths["home"])
                os.mkdir(paths["observations"])
                if self.uid is not None:
                    transfer.chown_tree(scratch, self.uid, self.uid)
                    os.chmod(scratch, 0o700)  # not for another worker's user
            except transfer.TooLarge:
                return {"status": "unreadable", "message": "the submission folder is larger "
                        f"than {self.limits.submission_bytes // 2**20} MB"}
            except OSError as error:  # ENOSPC in the scratch space...: this job fails
                return {"status": "crashed", "message": transfer.copy_failure(error)}
            return self._run_notebooks(job, paths, started, os.path.join(job_dir, "out"))
        finally:
            processes.kill_descendants()
            transfer.remove_tree(scratch)

    def _run_notebooks(self, job, paths, started, out_dir):
        deadline = started + self.limits.submission_timeout
        output = protocol.CappedOutput(self.limits.output_bytes)
        wanted = [item for item in job["items"] if item in ITEMS_BY_ID]
        probe_errors = {item: "unknown item" for item in job["items"] if item not in ITEMS_BY_ID}
        probe_errors.update({item: f"no probe is registered for `{item}`"
                             for item in wanted if item not in self.probes})
        plan = []
        for notebook in [name for name in NOTEBOOKS if name in job["notebooks"]]:
            items = [item for item in wanted
                     if ITEMS_BY_ID[item].notebook == notebook and item in self.probes]
            plan.append(NotebookProgress(notebook, items, self.limits))
        submission = SubmissionProgress(plan)
        self._run_children(submission, dict(paths, processes=self._nproc()), deadline, output)
        notebooks, observed = {}, []
        for progress in plan:
            notebooks[progress.run.name] = progress.close()
            observed += self._copy_out(progress, paths["observations"], out_dir)
            probe_errors.update(progress.probe_errors)
        for item in wanted:
            if item not in observed and item not in probe_errors:
                probe_errors[item] = f"not probed: {ITEMS_BY_ID[item].notebook} was not run"
        worst = max((run.status for run in notebooks.values()), key=STATUSES.index, default="ok")
        return {"status": worst, "message": _summary(notebooks),
                "notebooks": {name: _as_json(run) for name, run in notebooks.items()},
                "observed": observed, "probe_errors": probe_errors, "output": output.text()}

    def _run_children(self, submission, paths, deadline, output):
        """Fork children until every notebook is done: after a kill or a crash in a
        step, the next child resumes with the same notebook, without that step."""
        for _ in range(MAX_ATTEMPTS * len(submission.notebooks)):
            pending = submission.pending()
            if not pending:
                return
            if time.monotonic() >= deadline:
                for progress in pending:
                    progress.not_started(f"not run: the submission's "
                                         f"{self.limits.submission_timeout:g} s were used up")
                return
            first = pending[0]
            first.attempts += 1
            if first.attempts > MAX_ATTEMPTS:
                first.give_up(MAX_ATTEMPTS)
                continue
            if first.attempts > 1:
                output.note(f"--- {first.run.name}, run again without "
                            f"{first.skipped_description()} ---\n")
            task = dict(paths, notebooks=[_notebook_task(p, paths) for p in pending],
                        limits=self.limits.to_wire(), uid=self.uid,
                        keep_capability=self.keep_capability, tier=self.tier,
                        cell_timeout=self.limits.cell_timeout,
                        probe_timeout=self.limits.probe_timeout)
            if self._fork_and_supervise(task, submission, deadline, output) == "stop":
                return

    def _fork_and_supervise(self, task, submission, deadline, output):
        """Run one child to its end; "again" when another child should resume."""
        events_read, events_write = os.pipe()
        output_read, output_write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            child.run(task, self.probes, events_write, output_write,
                      close_fds=(events_read, output_read, self.replies_fd),
                      confinement=self.confinement)
        os.close(events_write)
        os.close(output_write)
        exit_watch = _ExitWatch(pid)
        try:
            return _supervise(exit_watch, events_read, output_read, submission, deadline, output)
        finally:
            processes.kill_descendants()
            exit_watch.close()
            os.close(events_read)
            os.close(output_read)

    def _nproc(self):
        """RLIMIT_NPROC for a child: its own user's tasks, or ours plus the allowance."""
        if self.uid is not None:
            return self.limits.processes
        return _tasks_of_user(os.getuid()) + self.limits.processes

    def _copy_out(self, progress, observations_dir, out_dir):
        """Copy each probed item's observations to the parent's side; returns the items."""
        copied = []
        for item in progress.probed:
            try:
                transfer.copy_tree(os.path.join(observations_dir, item),
                                   os.path.join(out_dir, item), self.limits.observation_bytes)
                copied.append(item)
            except transfer.TooLarge:
                progress.probe_errors[item] = "the probe's observations are too large"
            except OSError as error:
                progress.probe_errors[item] = f"the probe's observations are missing ({error})"
        return copied


def _supervise(exited, events_fd, output_fd, submission, job_deadline, output):
    """Follow one child until it exits or is killed.

    Returns "done" (it finished), "again" (killed, or crashed in a notebook:
    resume with another child) or "stop" (it died outside any notebook, where
    another child would fare no better).
    """
    pid = exited.pid
    events = protocol.LineReader(events_fd, max_total=EVENT_BYTES)
    open_fds = [events_fd, output_fd]
    status = None
    while status is None:
        now = time.monotonic()
        step_deadline = submission.deadline()
        if now >= job_deadline or (step_deadline is not None and now >= step_deadline):
            _kill(pid)
            _drain_output(output_fd, output)
            current = submission.current
            if now < job_deadline:
                current.killed_for_step()
            elif current is not None:
                current.killed_for_submission(current.limits.submission_timeout)
            submission.stop_clock(time.monotonic())
            return "again"  # past the submission's deadline, the caller stops
        wait = min(job_deadline, step_deadline or job_deadline) - now
        for fd in _select(open_fds + exited.fds(), min(wait, exited.poll_interval)):
            if fd == events_fd and not events.feed():
                open_fds.remove(fd)
            elif fd == output_fd and not output.take(fd):
                open_fds.remove(fd)
        for event in events.messages():
            submission.handle(event, time.monotonic())
        status = exited.status()
    events.drain()
    for event in events.messages():
        submission.handle(event, time.monotonic())
    _drain_output(output_fd, output)
    if submission.child_finished:
        return "done"
    lost = os.WIFEXITED(status) and os.WEXITSTATUS(status) == child.EXIT_CHANNEL_LOST
    return _after_crash(submission, "closed the grader's progress pipe" if lost
                        else processes.describe_exit(status))


def _after_crash(submission, how):
    current = submission.current
    submission.stop_clock(time.monotonic())
    if current is None:  # before, between or after the notebooks
        for progress in submission.pending():
            progress.crashed(how)
            progress.finished = True
        return "stop"
    current.crashed(how)
    return "again"


class _ExitWatch:
    """Notices the child's exit: a pidfd in select where the kernel has them."""

    def __init__(self, pid):
        self.pid = pid
        try:
            self.pidfd = os.pidfd_open(pid)
            self.poll_interval = float("inf")
        except (AttributeError, OSError):
            self.pidfd = None
            self.poll_interval = 0.05

    def fds(self):
        return [self.pidfd] if self.pidfd is not None else []

    def status(self):
        done, status = os.waitpid(self.pid, os.WNOHANG)
        return None if done == 0 else status

    def close(self):
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


def _select(fds, timeout):
    try:
        return select.select(fds, [], [], max(timeout, 0))[0]
    except InterruptedError:
        return []


def _drain_output(fd, output, reads=64):
    """What the child wrote before it ended (bounded: a process it left may keep writing)."""
    os.set_blocking(fd, False)
    for _ in range(reads):
        if not (_select([fd], 0) and output.take(fd)):
            return


def _kill(pid):
    """SIGKILL the child's process group (the child itself if it has none yet)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, 9)
        except (ProcessLookupError, PermissionError):
            pass


def _cpu_seconds():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return {"worker": own.ru_utime + own.ru_stime,
            "children": children.ru_utime + children.ru_stime}


def _tasks_of_user(uid):
    """How many tasks (threads included) uid runs now, as RLIMIT_NPROC counts them."""
    count = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as file:
                fields = dict(line.split(":", 1) for line in file if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1"))
    return count


def _summary(notebooks):
    """One line for the submission: each notebook's problem, worst first."""
    problems = sorted((run for run in notebooks.values() if run.status != "ok"),
                      key=lambda run: -STATUSES.index(run.status))
    return "; ".join(run.message if run.name in run.message else f"{run.name}: {run.message}"
                     for run in problems)


def _as_json(run):
    data = dict(run.__dict__)
    data["cells"] = [cell.__dict__ for cell in run.cells]
    return data


def _notebook_task(progress, paths):
    return {"name": progress.run.name, "items": progress.remaining_items(),
            "path": os.path.join(paths["workdir"], f"{progress.run.name}.ipynb"),
            "skip_cells": sorted(progress.skip_cells)}
