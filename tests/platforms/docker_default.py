"""Run a command as in a Docker container with default settings (Gradescope's), here.

    python -m tests.platforms.docker_default [--no-landlock] [--readable-python] [--user U] -- CMD...

Emulates, as root, what Docker's defaults leave a container's root
(../shared/engineering-facts.md, moby's profiles/seccomp/default.json):
- the capability bounding set 0xa80425fb (chown, dac_override, fowner,
  fsetid, kill, setgid, setuid, setpcap, net_bind_service, net_raw,
  sys_chroot, mknod, audit_write, setfcap), through setpriv;
- moby's seccomp rules for a process without CAP_SYS_ADMIN: unshare,
  setns, mount, umount2, pivot_root and the new mount API -> EPERM; clone
  with any namespace flag -> EPERM; clone3 -> ENOSYS.
--no-landlock: the three Landlock calls -> ENOSYS too (an older kernel).
--readable-python: first, in a mount namespace of its own, the folders above
the Python installation that other users cannot enter (pyenv under /root)
become enterable, as a Python under /usr or /opt is in a real image.
The seccomp filter is loaded with CAP_SYS_ADMIN still held, without
no_new_privs (as Docker does), then setpriv drops the capabilities and execs.
"""
import argparse
import ctypes
import errno
import os
import shutil
import stat
import sys
import tempfile

import pyseccomp

DOCKER_CAPABILITIES = ("chown", "dac_override", "fowner", "fsetid", "kill", "setgid", "setuid",
                       "setpcap", "net_bind_service", "net_raw", "sys_chroot", "mknod",
                       "audit_write", "setfcap")
DENIED = ("unshare", "setns", "mount", "umount2", "pivot_root", "open_tree", "move_mount",
          "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr")
NAMESPACE_FLAGS = 0x7E020000
MARK = "AUTOGRADERS_DOCKER_EMULATION"
LANDLOCK = ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self")
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
CLONE_NEWNS = 0x20000


def emulation_filter(landlock=True):
    rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    rules.set_attr(pyseccomp.Attr.CTL_NNP, 0)
    for name in DENIED:
        rules.add_rule(pyseccomp.ERRNO(errno.EPERM), name)
    for bit in range(32):
        if NAMESPACE_FLAGS & (1 << bit):
            rules.add_rule(pyseccomp.ERRNO(errno.EPERM), "clone",
                           pyseccomp.Arg(0, pyseccomp.MASKED_EQ, 1 << bit, 1 << bit))
    rules.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    if not landlock:
        for name in LANDLOCK:
            rules.add_rule(pyseccomp.ERRNO(errno.ENOSYS), name)
    return rules


def make_python_readable(python):
    """In a new mount namespace: each folder above python's installation that others
    cannot enter is replaced by an enterable tmpfs holding its entries, bound back."""
    libc = ctypes.CDLL(None, use_errno=True)

    def check(result):
        if result != 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    check(libc.unshare(CLONE_NEWNS))
    check(libc.mount(None, b"/", None, ctypes.c_ulong(MS_REC | MS_PRIVATE), None))
    path = os.path.realpath(python)
    closed = [p for p in _ancestors(path) if not os.stat(p).st_mode & stat.S_IXOTH]
    for folder in closed:
        stash = tempfile.mkdtemp(prefix="stash-")
        check(libc.mount(folder.encode(), stash.encode(), None, ctypes.c_ulong(MS_BIND), None))
        check(libc.mount(b"tmpfs", folder.encode(), b"tmpfs", 0, b"mode=0755"))
        for name in os.listdir(stash):
            source, target = os.path.join(stash, name), os.path.join(folder, name)
            if os.path.isdir(source) and not os.path.islink(source):
                os.mkdir(target)
            elif not os.path.islink(source):
                open(target, "w").close()
            else:
                continue
            check(libc.mount(source.encode(), target.encode(), None,
                             ctypes.c_ulong(MS_BIND | MS_REC), None))


def _ancestors(path):
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(2, len(parts))]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-landlock", dest="landlock", action="store_false")
    parser.add_argument("--readable-python", action="store_true")
    parser.add_argument("--user", help="run the command as this user (its uid and groups)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if args.readable_python:
        make_python_readable(sys.executable)
    emulation_filter(args.landlock).load()
    os.environ[MARK] = "1"  # tests that run only here (tests/hostile's namespace-free case)
    capabilities = ",".join(f"+{name}" for name in DOCKER_CAPABILITIES)
    user = ["--reuid", args.user, "--regid", args.user, "--init-groups"] if args.user else []
    os.execv(shutil.which("setpriv"), ["setpriv", f"--bounding-set=-all,{capabilities}",
                                       "--inh-caps=-all", *user, "--", *command])


def wrapper(*options):
    """The command prefix that runs a command under this emulation (for subprocess)."""
    return [sys.executable, os.path.abspath(__file__), *options, "--"]


if __name__ == "__main__":
    main()
