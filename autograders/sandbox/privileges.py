"""Dropping root before student code runs.

Run as root, bwrap keeps the sandboxed process at uid 0 with its
capabilities, and RLIMIT_NPROC does not apply to root: a fork bomb would not
be contained. So each child switches to a user id of its own (one per
worker: RLIMIT_NPROC counts per user, and a user id shared between workers
would let one submission's fork bomb starve another's threads) and sets
no_new_privs. It cannot then signal or trace the worker (still root), write
anything root owns, or regain privileges through a setuid program.

Without bwrap the Python installation may be unreadable to that user (a
pyenv under /root, mode 700), so there the child keeps exactly one
capability, CAP_DAC_READ_SEARCH: it may read what root reads (the course is
readable without bwrap anyway, as the pool's warning says) but not write it,
not signal root's processes, and the process limit holds.
"""
import ctypes
import os

from autograders.sandbox.processes import PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS, prctl

CAP_DAC_READ_SEARCH = 2
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
# Sandbox users: one per worker of each pool, unique across concurrent pools
# (the pool's pid is in it), far above the ids that distributions hand out.
UID_BASE = 0x40000000


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def sandbox_uid(pool_pid, worker_index):
    return UID_BASE + (pool_pid % (1 << 22)) * 256 + worker_index % 256


def can_drop():
    return os.geteuid() == 0


def drop(uid, keep_read_search=False):
    """Become uid (group uid, no supplementary groups) for good; set no_new_privs."""
    if keep_read_search:
        prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if keep_read_search:
        _set_capabilities(1 << CAP_DAC_READ_SEARCH)
        prctl(PR_SET_KEEPCAPS, 0)
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def _set_capabilities(mask):
    libc = ctypes.CDLL(None, use_errno=True)
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)(_CapData(mask, mask, 0), _CapData(0, 0, 0))
    if libc.capset(ctypes.byref(header), data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
