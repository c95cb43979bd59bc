"""Landlock, the kernel's unprivileged file and network allow-list, through ctypes.

A process builds a ruleset (which accesses it handles, and which file
hierarchies keep which of them), sets no_new_privs and restricts itself:
from then on it and everything it starts can reach only what the rules
allow, whatever the file permissions say; root too. No namespaces, so it
works where Docker's and containerd's default seccomp profiles deny them
(they allow the three Landlock calls since 2022).

What each ABI version adds (the kernel says which it has):
    1  files: execute, read, write, list, create, remove (Linux 5.13)
    2  REFER: renaming or linking a file into another folder (5.19)
    3  TRUNCATE (6.2)
    4  TCP bind and connect (6.7)
    5  ioctl on device files (6.10; not handled here: the child's devices are harmless)
    6  scopes: signals and abstract unix sockets only within the domain (6.12)
    7  audit logging flags (6.15; nothing to use)
No maintained Python package wraps this (checked on PyPI, 2026-12): the ABI is
three system calls and three structures, written out below against
<linux/landlock.h>.

    ruleset = Ruleset(abi())                  # in the worker, which can open every path
    ruleset.allow("/usr", READ)               # for each allowed hierarchy
    ruleset.restrict_self()                   # in the child, after no_new_privs
"""
import ctypes
import os
import stat

# The same numbers on every architecture (they came after the syscall tables were unified).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1 << 0
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE = 1 << 13, 1 << 14
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

FS_ABI_1 = (EXECUTE | WRITE_FILE | READ_FILE | READ_DIR | REMOVE_DIR | REMOVE_FILE | MAKE_CHAR
            | MAKE_DIR | MAKE_REG | MAKE_SOCK | MAKE_FIFO | MAKE_BLOCK | MAKE_SYM)
# Rights that a rule on a single file (not a folder) may hold.
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE

READ = EXECUTE | READ_FILE | READ_DIR
READ_WRITE_DEVICE = READ_FILE | WRITE_FILE | TRUNCATE   # /dev/null and the like
READ_WRITE = (FS_ABI_1 | REFER | TRUNCATE) & ~(MAKE_CHAR | MAKE_BLOCK)

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi(syscall=None):
    """The kernel's Landlock ABI version; 0 where it has none (too old, disabled, or
    the call denied by a seccomp filter: ENOSYS, EOPNOTSUPP, EPERM)."""
    syscall = syscall or _libc.syscall
    version = syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0),
                      ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(int(version), 0)


def handled(version):
    """(fs, net, scoped) access masks that ABI `version` knows, all of which we handle."""
    if version < 1:
        return 0, 0, 0
    fs = FS_ABI_1 | (REFER if version >= 2 else 0) | (TRUNCATE if version >= 3 else 0)
    net = NET_BIND_TCP | NET_CONNECT_TCP if version >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= 6 else 0
    return fs, net, scoped


def attribute_size(version):
    """The ruleset attribute's size for an ABI: older kernels refuse the larger struct."""
    return 8 if version < 4 else 16 if version < 6 else 24


class Ruleset:
    """A ruleset handling everything ABI `version` knows; nothing is allowed until allow()."""

    def __init__(self, version):
        if version < 1:
            raise OSError(38, "this kernel has no Landlock")
        self.version = version
        self.fs, self.net, self.scoped = handled(version)
        attribute = _RulesetAttr(*handled(version))
        self.fd = _check(_libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attribute),
                                       ctypes.c_size_t(attribute_size(version)),
                                       ctypes.c_uint32(0)))

    def allow(self, path, access):
        """Allow `access` (masked to what this ABI handles) beneath path; a file
        keeps only the file rights. A path that does not exist is skipped."""
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                access &= FILE_RIGHTS
            rule = _PathBeneathAttr(access & self.fs, fd)
            _check(_libc.syscall(SYS_ADD_RULE, ctypes.c_int(self.fd),
                                 ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                                 ctypes.c_uint32(0)))
        finally:
            os.close(fd)
        return True

    def restrict_self(self):
        """Confine this (single-threaded) process and all it will start; needs no_new_privs."""
        try:
            _check(_libc.syscall(SYS_RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(0)))
        finally:
            self.close()

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _check(result):
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return int(result)
