"""The bubblewrap command line a worker starts under.

An allow-list, not a deny-list: the sandbox's root is an empty tmpfs into
which only the system (/usr, /etc and the /bin, /lib links) and the folders
of the worker's Python installation are bound, read-only. Everything else of
the machine (the course root with its gradebook, source/ and other students'
submitted/ and autograded/ folders, this repository, home folders) simply is
not there. Where a hidden path lies inside a bound folder (autograders or
reference installed into site-packages, a course inside a venv), a tmpfs is
mounted over it. Writable: a private /tmp and a size-limited scratch tmpfs
(root-owned; the worker hands each child its own folder), and the worker's
jobs folder, bound from the parent (only ever touched by the worker).

Namespaces: network (no interfaces but loopback), pid (the worker is
killed with everything it started when bwrap dies), ipc, uts, cgroup.
As root, bwrap runs without a user namespace, so the worker can give each
child a user id of its own (privileges.py); it keeps only the capabilities
it needs for that. Not as root (an instructor's laptop), bwrap's
unprivileged mode (--unshare-user) is used and children keep the user's id,
each in user, pid and mount namespaces of its own nested in the worker's
(privileges.own_namespaces): so bwrap's --disable-userns is not given; each
child disables nesting below its own namespace instead.
"""
import functools
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SANDBOX_ROOT = "/sandbox"
SANDBOX_JOBS = "/sandbox/jobs"
SANDBOX_WORK = "/sandbox/work"
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
SITE_FOLDERS = ("site-packages", "dist-packages")
HIDDEN_PACKAGES = ("autograders", "reference")
# What the root worker needs: switch children to their user, give them their
# folders, clean up after them, kill them.
WORKER_CAPABILITIES = ("CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_FOWNER",
                       "CAP_DAC_OVERRIDE", "CAP_KILL")
# What to do when bwrap is missing or cannot start (one line, for errors and warnings).
ADVICE = ("install bubblewrap (Debian/Ubuntu: apt install bubblewrap; Ubuntu 24.04 also needs an "
          "AppArmor rule, see the README's 'The sandbox'), or use the namespace-free tier "
          "(--sandbox landlock: Linux 5.13+, or root), or grade without isolation: "
          "--sandbox auto or none")
NAMESPACES = ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
              "--unshare-cgroup-try")


def executable():
    return shutil.which("bwrap")


def privileged():
    return os.geteuid() == 0


def default_hidden():
    """The folders of the autograders and reference packages, wherever they are."""
    hidden = []
    for name in HIDDEN_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            hidden += [os.path.realpath(p) for p in spec.submodule_search_locations]
    return tuple(hidden)


@functools.lru_cache(maxsize=None)
def python_paths(python):
    """The prefixes and sys.path folders of `python` started as the worker is (-s, clean env)."""
    script = ("import json, sys; print(json.dumps([sys.prefix, sys.base_prefix, sys.exec_prefix,"
              " sys.base_exec_prefix] + sys.path))")
    result = subprocess.run([python, "-s", "-c", script], capture_output=True, text=True,
                            env={"PATH": os.defpath}, cwd="/", check=True)
    paths = [path for path in json.loads(result.stdout) if path]
    paths.append(os.path.dirname(os.path.realpath(python)))
    return tuple(paths)


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def mounted_folders(paths, hidden, prefixes):
    """The Python folders to bind: existing, outside the system paths, minus hidden ones.

    A folder inside a hidden path is skipped unless it is a prefix (a venv
    inside the repository); a folder that directly holds a hidden package and
    is not a site-packages folder (the repository root, put on sys.path by an
    editable install) is skipped too.
    """
    chosen = []
    for path in paths:
        if not os.path.isdir(path) or any(_inside(path, system) for system in SYSTEM_PATHS):
            continue
        if path not in prefixes:
            if any(_inside(path, secret) for secret in hidden):
                continue
            holds_package = any(os.path.dirname(secret) == path for secret in hidden)
            if holds_package and os.path.basename(path) not in SITE_FOLDERS:
                continue
        chosen.append(path)
    return sorted(path for path in set(chosen)
                  if not any(other != path and _inside(path, other) for other in chosen))


def command(python, jobs_dir, scratch_bytes, hidden=(), unprivileged=None, disable_userns=False):
    """The bwrap argument list (without the command to run) for a worker."""
    unprivileged = not privileged() if unprivileged is None else unprivileged
    args = [executable() or "bwrap", *NAMESPACES, "--die-with-parent", "--new-session",
            "--hostname", "sandbox"]
    if unprivileged:
        args += ["--unshare-user"] + (["--disable-userns"] if disable_userns else [])
    else:
        args += ["--cap-drop", "ALL"]
        for capability in WORKER_CAPABILITIES:
            args += ["--cap-add", capability]
    args += _system_mounts()
    args += ["--dev", "/dev", "--proc", "/proc", "--perms", "0755", "--tmpfs", "/tmp"]
    paths = python_paths(python)
    bound = mounted_folders(paths, hidden, set(paths[:4]))
    args += _folder_mounts(bound)
    for secret in sorted(hidden):
        if os.path.isdir(secret) and any(_inside(secret, f) for f in bound + list(SYSTEM_PATHS)):
            args += ["--tmpfs", secret]
    args += ["--perms", "0755", "--dir", SANDBOX_ROOT,
             "--perms", "0755", "--size", str(int(scratch_bytes)), "--tmpfs", SANDBOX_WORK,
             "--bind", str(jobs_dir), SANDBOX_JOBS, "--chdir", SANDBOX_WORK]
    return args


def _system_mounts():
    args = []
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args


def _folder_mounts(folders):
    """--ro-bind each folder, creating its missing parents world-traversable first.

    bwrap creates missing parents with mode 700, which the sandbox user could
    not traverse.
    """
    args, created = [], set()
    for folder in folders:
        for parent in reversed(Path(folder).parents[:-1]):  # without "/"
            parent = str(parent)
            inside_another = any(_inside(parent, f) for f in folders if f != folder)
            if parent not in created and not inside_another:
                args += ["--perms", "0755", "--dir", parent]
                created.add(parent)
        args += ["--ro-bind", folder, folder]
    return args


@functools.lru_cache(maxsize=None)
def usable(python, hidden=()):
    """(True, options) if bwrap works here, else (False, why); runs it once per process.

    options are command()'s keyword arguments that worked (e.g. a kernel
    without nested user-namespace control needs disable_userns=False).
    """
    if executable() is None:
        return False, "bwrap is not installed"
    # Not as root each child makes namespaces of its own inside the worker's
    # (privileges.own_namespaces), then disables nesting below it itself.
    variants = [{}]
    reason = ""
    with tempfile.TemporaryDirectory() as jobs_dir:
        for options in variants:
            argv = command(python, jobs_dir, 2 ** 20, hidden, **options)
            result = subprocess.run(argv + ["--", python, "-s", "-c", "pass"],
                                    capture_output=True, text=True, timeout=60)
            if result.returncode == 0:
                return True, options
            reason = " ".join(result.stderr.split())[-300:] or f"exit status {result.returncode}"
    return False, f"bwrap does not work here: {reason}"
