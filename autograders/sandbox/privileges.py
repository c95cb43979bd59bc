"""Dropping root before student code runs.

Run as root, bwrap keeps the sandboxed process at uid 0 with its
capabilities, and RLIMIT_NPROC does not apply to root: a fork bomb would not
be contained. So each child switches to a user id of its own (one per
worker: RLIMIT_NPROC counts per user, and a user id shared between workers
would let one submission's fork bomb starve another's threads) and sets
no_new_privs. It cannot then signal or trace the worker (still root), write
anything root owns, or regain privileges through a setuid program. Before the
drop it moves into a mount namespace of its own where every file system but its
scratch folder is read-only, so it leaves nothing in world-writable folders
(/tmp, /var/tmp, /dev/shm) either.

Without bwrap the Python installation may be unreadable to that user (a
pyenv under /root, mode 700), so there the child keeps exactly one
capability (read_capability): CAP_DAC_READ_SEARCH, or where a container's
bounding set lacks it (Docker's default) CAP_DAC_OVERRIDE. Without isolation
it may then read what root reads (the course is readable then anyway, as the
warning says); in the namespace-free tier Landlock confines it to the
allow-list, read-only. It cannot signal root's processes, and the process
limit holds.

Not as root there is no other user to become: the child shares the
instructor's user id. So it moves into namespaces of its own
(own_namespaces): a user namespace with the same ids (since Linux 5.14 the
process limit counts per user namespace, so it counts only what the child
starts, not the instructor's desktop or the other workers), a pid namespace
(kill(-1) cannot reach the grader or the instructor's session) and a mount
namespace in which everything but its scratch folder is read-only (it cannot
change the course, the gradebook or other submissions; it can read them
unless bwrap hides them). Under bwrap's unprivileged mode nested namespaces
are disabled; there each worker is alone in its own bwrap namespaces, which
gives the same for the process limit, kill(-1) and writes.
"""
import collections
import ctypes
import os

from autograders.sandbox.processes import PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS, prctl

CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNS = 0x00020000
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
MOUNT_ATTR_RDONLY, AT_RECURSIVE, AT_FDCWD = 0x1, 0x8000, -100
SYS_MOUNT_SETATTR = 442  # the same number on every architecture (Linux 5.12)
# The first kernel counting RLIMIT_NPROC per user namespace ("ucounts").
NAMESPACED_NPROC_SINCE = (5, 14)
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
# Sandbox users: one per worker of each pool, unique across concurrent pools
# (the pool's pid is in it), far above the ids that distributions hand out.
UID_BASE = 0x40000000


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def sandbox_uid(pool_pid, worker_index):
    return UID_BASE + (pool_pid % (1 << 22)) * 256 + worker_index % 256


def can_drop():
    return os.geteuid() == 0


def drop(uid, keep=None):
    """Become uid (group uid, no supplementary groups) for good, keeping only the
    capability `keep` (a number, or None for none); set no_new_privs."""
    if keep is not None:
        prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if keep is not None:
        _set_capabilities(1 << keep)
        prctl(PR_SET_KEEPCAPS, 0)
    prctl(PR_SET_NO_NEW_PRIVS, 1)


CAPABILITY_NAMES = {CAP_DAC_OVERRIDE: "CAP_DAC_OVERRIDE", CAP_DAC_READ_SEARCH: "CAP_DAC_READ_SEARCH"}


def read_capability(status="/proc/self/status"):
    """The capability a child keeps to read a Python its user cannot: CAP_DAC_READ_SEARCH
    where this process holds it, else CAP_DAC_OVERRIDE (Docker's default set has only
    that one), else None."""
    try:
        with open(status) as file:
            fields = dict(line.split(":", 1) for line in file if ":" in line)
        effective = int(fields["CapEff"].strip(), 16)
    except (OSError, KeyError, ValueError):
        return None
    return next((cap for cap in (CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE)
                 if effective & (1 << cap)), None)


def _set_capabilities(mask):
    libc = _libc
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)(_CapData(mask, mask, 0), _CapData(0, 0, 0))
    if libc.capset(ctypes.byref(header), data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def kernel_version(release=None):
    numbers = []
    for part in (release or os.uname().release).split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit()) or "0"
        numbers.append(int(digits[:4]))
    return tuple(numbers)


Namespaces = collections.namedtuple("Namespaces", "user pid read_only")
NO_NAMESPACES = Namespaces(False, False, False)


def own_namespaces(writable=()):
    """Move this single-threaded process into namespaces of its own, same uid and gid.

    For a child that shares the instructor's user id (grading not as root).
    Returns Namespaces(user, pid, read_only):
    - user: the process limit now counts only this process and what it starts;
    - pid: the next process it forks is pid 1 of a pid namespace of its own,
      so kill(-1) reaches only its own descendants (not the worker, the
      grader or the instructor's session), and everything in it dies with it;
    - read_only: every file system is read-only to it except the `writable`
      folders (its scratch folder), so it cannot change the course, the
      gradebook, other submissions or the instructor's home; it can still
      read what the instructor can (only bwrap hides that).
    NO_NAMESPACES where user namespaces cannot be made (disabled or
    restricted, nested ones disabled by bwrap, a kernel older than 5.14 that
    counts processes per user id anyway). Nothing is gained: the namespace maps
    only the user's own ids, its capabilities are dropped, no_new_privs is set.
    """
    if kernel_version() < NAMESPACED_NPROC_SINCE:
        return NO_NAMESPACES
    uid, gid = os.getuid(), os.getgid()
    if getattr(_libc, "unshare", None) is None or _libc.unshare(CLONE_NEWUSER) != 0:
        return NO_NAMESPACES
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                       ("gid_map", f"{gid} {gid} 1")):
        try:
            with open(f"/proc/self/{name}", "w") as file:
                file.write(text)
        except OSError:  # unmapped ids read as 65534 inside; files and limits are unchanged
            pass
    try:  # no namespaces below this one (what bwrap's --disable-userns does)
        with open("/proc/sys/user/max_user_namespaces", "w") as file:
            file.write("0")
    except OSError:
        pass
    read_only = read_only_except(writable)
    pid = _libc.unshare(CLONE_NEWPID) == 0
    _set_capabilities(0)  # the new namespace's own capabilities: not needed, not kept
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    return Namespaces(True, pid, read_only)


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def read_only_except(writable):
    """In a new mount namespace: every mount read-only, the writable folders bound back rw."""
    try:
        _check(_libc.unshare(CLONE_NEWNS))
        _check(_libc.mount(None, b"/", None, ctypes.c_ulong(MS_REC | MS_PRIVATE), None))
        _set_mount_attributes(b"/", set_=MOUNT_ATTR_RDONLY)
        for folder in writable:
            path = os.fsencode(folder)
            _check(_libc.mount(path, path, None, ctypes.c_ulong(MS_BIND | MS_REC), None))
            _set_mount_attributes(path, clear=MOUNT_ATTR_RDONLY)
    except OSError:  # an old kernel without mount_setattr: the course stays writable
        return False
    return True


def _set_mount_attributes(path, set_=0, clear=0):
    attributes = _MountAttr(set_, clear, 0, 0)
    _check(_libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, path, AT_RECURSIVE,
                         ctypes.byref(attributes), ctypes.sizeof(attributes)))


def _check(result):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
