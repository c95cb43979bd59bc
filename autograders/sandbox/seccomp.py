"""The system calls student code may not make, as a seccomp filter (libseccomp via pyseccomp).

A deny-list on top of the namespace-free tier's other walls (its own user
id, Landlock, rlimits): what is left is the usual container deny-list.
Every refused call fails with EPERM (clone3 with ENOSYS, so that the C
library falls back to clone, whose flags a filter can see); nothing is
killed, so a student's program gets an error it can report.

- network: sockets of any family but AF_UNIX (IPv4, IPv6, netlink, packet...);
- other processes: ptrace, process_vm_readv/writev, pidfd_getfd, kcmp;
- the kernel's other doors: bpf, perf_event_open, userfaultfd, keyctl and
  keys, io_uring (its operations bypass seccomp), open_by_handle_at (opens a
  file without a path, so past Landlock), modules, kexec, reboot, swap,
  clock and accounting calls, syslog, ioperm/iopl;
- namespaces and mounts: unshare, setns, mount, umount2, pivot_root, chroot,
  the new mount API, and clone with any namespace flag.

pyseccomp is a ctypes binding of the system's libseccomp (its API is that of
libseccomp's own Python bindings, which are not on PyPI); libseccomp2 is on
every Debian and Ubuntu image (apt needs it).
"""
import errno
import socket

try:
    import pyseccomp
except (ImportError, RuntimeError, OSError) as problem:  # no libseccomp on this system
    pyseccomp, UNAVAILABLE = None, f"libseccomp cannot be loaded ({problem})"
else:
    UNAVAILABLE = None

DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "open_by_handle_at", "name_to_handle_at",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex", "syslog", "ioperm", "iopl", "lookup_dcookie", "vhangup",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
)
# Calls whose rule must be in place, or the filter is not built at all.
ESSENTIAL = {"socket", "socketpair", "ptrace", "process_vm_readv", "process_vm_writev", "clone",
             "unshare", "setns", "mount", "bpf", "io_uring_setup", "open_by_handle_at"}
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
CLONE_NAMESPACE_FLAGS = (0x20000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000,
                         0x40000000)


def build():
    """The filter, not yet loaded (build it once, load it in each child); RuntimeError
    where libseccomp is missing."""
    if pyseccomp is None:
        raise RuntimeError(UNAVAILABLE)
    deny = pyseccomp.ERRNO(errno.EPERM)
    rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    try:  # a binary tree, not a chain of ~60 tests: every allowed system call pays it
        rules.set_attr(pyseccomp.Attr.CTL_OPTIMIZE, 2)
    except OSError:  # libseccomp older than 2.5
        pass
    for name in DENIED:
        _add(rules, deny, name)
    for name in ("socket", "socketpair"):
        _add(rules, deny, name, pyseccomp.Arg(0, pyseccomp.NE, socket.AF_UNIX))
    for flag in CLONE_NAMESPACE_FLAGS:
        _add(rules, deny, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    _add(rules, pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    return rules


def _add(rules, action, name, *conditions):
    try:
        rules.add_rule(action, name, *conditions)
    except (OSError, ValueError):  # a call this architecture or an old libseccomp does not know
        if name in ESSENTIAL:
            raise
