"""A submission whose copy for grading fails (a full /dev/shm, say) fails alone, with a clear message.

No worker process starts here: the parent's side (WorkerProcess inside a
WorkerPool) answers for a worker that would grade every job, and the worker's
side (Worker) is called in this process; the copy fails as on a full disk.
"""
import errno
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograders.sandbox import pool as pool_module
from autograders.sandbox import tiers, transfer, worker
from autograders.sandbox.pool import Job, Limits, WorkerPool
from autograders.sandbox.worker_process import WorkerProcess

pytestmark = pytest.mark.filterwarnings("ignore::autograders.sandbox.pool.SandboxWarning")
FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_for_big(monkeypatch):
    """copy_tree fails as on a full disk for a submission folder named "big"."""
    copy_tree = transfer.copy_tree

    def copy_or_fail(source, destination, max_bytes, *args):
        if Path(source).name == "big" or Path(destination).parent.name == "big":
            raise FULL
        return copy_tree(source, destination, max_bytes, *args)
    monkeypatch.setattr(transfer, "copy_tree", copy_or_fail)


class AnsweringWorker(WorkerProcess):
    """The parent's side of a worker that grades any job it is sent: every item observed."""

    def _ask(self, request):
        return {"id": request["id"], "status": "ok", "message": "", "notebooks": {},
                "observed": [], "probe_errors": {}}


def test_a_copy_failing_with_any_oserror_fails_that_submission_only(tmp_path, full_for_big):
    launch = SimpleNamespace(uid=lambda index: None, in_bwrap=False, tier="none",
                             isolation=tiers.NONE)
    folders = {name: tmp_path / "submitted" / name for name in ("alice", "big", "carol", "dan")}
    for folder in folders.values():
        folder.mkdir(parents=True)
        (folder / "01_activations.ipynb").write_text("{}")
    pool = WorkerPool(workers=2, sandbox="none")  # not started: its workers are made here
    pool.workers = [AnsweringWorker(i, tmp_path / "pool", Limits(), launch) for i in range(2)]
    for one in pool.workers:
        one.jobs_dir.mkdir(parents=True)
    runs = {run.student_id: run for run in pool.run(
        Job(name, "neural_networks", folder) for name, folder in folders.items())}
    assert set(runs) == set(folders)
    assert runs["big"].status == "crashed"
    assert runs["big"].message == transfer.copy_failure(FULL)
    assert "No space left on device" in runs["big"].message
    assert all(runs[name].status == "ok" for name in ("alice", "carol", "dan"))


def test_the_workers_copy_failing_gives_the_submission_a_clear_message(tmp_path, monkeypatch,
                                                                        full_for_big):
    monkeypatch.setattr(worker.processes, "kill_descendants", lambda: True)  # not pytest's
    (tmp_path / "jobs" / "big" / "in").mkdir(parents=True)
    config = {"limits": Limits().to_wire(), "uid": None, "keep_capability": None,
              "jobs_root": str(tmp_path / "jobs"), "work_root": str(tmp_path / "work")}
    reply = worker.Worker(config, {}, None).grade(
        {"id": "big", "assignment": "neural_networks", "notebooks": [], "items": []})
    # Before: "internal error in the grading worker:" and a traceback.
    assert reply["status"] == "crashed" and "internal error" not in reply["message"]
    assert "could not be copied for grading (No space left on device)" in reply["message"]


@pytest.mark.parametrize("free, expected", [(64 * 2**20, None), (2**40, "/dev/shm")],
                         ids=["docker_default_64_mb", "roomy"])
def test_the_pool_uses_dev_shm_only_with_room_for_its_jobs(monkeypatch, free, expected):
    monkeypatch.setattr(pool_module.os.path, "isdir", lambda path: True)
    monkeypatch.setattr(pool_module.os, "access", lambda path, mode: True)
    monkeypatch.setattr(pool_module.os, "statvfs",
                        lambda path: SimpleNamespace(f_bavail=free // 4096, f_frsize=4096))
    assert pool_module._memory_folder(2, Limits()) == expected
