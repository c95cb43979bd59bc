"""Resource limits of one submission, and how a sandboxed child applies them.

Wall-clock limits are enforced twice: by the child itself (an interval timer
raising an exception in the running cell or probe) and, for code that ignores
that, by the worker (SIGKILL of the child's process group a grace period
later). The pool's watchdog adds a third layer around the worker. Everything
else is an rlimit of the child (per process, inherited by what it forks).
"""
import dataclasses
import resource
from dataclasses import dataclass

GiB = 2 ** 30
MiB = 2 ** 20
KiB = 2 ** 10


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 30.0          # wall seconds per notebook cell
    probe_timeout: float = 30.0         # wall seconds per item's probe
    submission_timeout: float = 180.0   # wall seconds for all notebooks and probes
    cpu_seconds: int = 180              # RLIMIT_CPU of each sandboxed process
    memory_bytes: int = 4 * GiB         # RLIMIT_AS (a process with torch maps ~0.7 GB)
    processes: int = 64                 # RLIMIT_NPROC: tasks (threads too) of the sandbox user
    file_bytes: int = 64 * MiB          # RLIMIT_FSIZE: the largest file student code may write
    open_files: int = 256               # RLIMIT_NOFILE
    output_bytes: int = 64 * KiB        # captured stdout + stderr kept per submission
    scratch_bytes: int = 512 * MiB      # the private writable file system (bwrap only)
    submission_bytes: int = 256 * MiB   # largest submission folder copied into the sandbox
    observation_bytes: int = 64 * MiB   # observation files read back per item
    kill_grace: float = 2.0             # seconds after a timeout before the hard kill
    watchdog_grace: float = 30.0        # beyond submission_timeout before a worker counts as hung

    def to_wire(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_wire(cls, data):
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def apply_rlimits(limits, processes):
    """Set the child's rlimits; processes is the RLIMIT_NPROC value to use.

    RLIMIT_NPROC counts every task of the real user id, so the caller passes
    limits.processes when the child runs as a user of its own, and more when
    it shares its user id with other processes (see worker.nproc_limit).
    """
    cpu = int(limits.cpu_seconds)
    for name, soft, hard in (
        (resource.RLIMIT_CPU, cpu, cpu + 5),   # soft: SIGXCPU; hard: SIGKILL
        (resource.RLIMIT_AS, limits.memory_bytes, limits.memory_bytes),
        (resource.RLIMIT_NPROC, processes, processes),
        (resource.RLIMIT_FSIZE, limits.file_bytes, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files, limits.open_files),
        (resource.RLIMIT_CORE, 0, 0),
    ):
        _lower(name, soft, hard)


def _lower(name, soft, hard):
    """setrlimit, never above the current hard limit (only root may raise it)."""
    _, current_hard = resource.getrlimit(name)
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    try:
        resource.setrlimit(name, (soft, hard))
    except (ValueError, OSError):  # a limit this kernel does not enforce (RLIMIT_AS on macOS)
        pass
