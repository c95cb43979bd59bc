"""What the namespace-free tier lets student code read: the parent's plan for Landlock.

The same allow-list as bwrap's mounts (bwrap.py): the system folders and the
folders of the worker's Python installation, minus the hidden ones; plus
/proc and /sys, which bwrap makes anew and Landlock cannot. Landlock allows
whole hierarchies, so where a hidden folder lies inside an allowed one (the
autograders package installed into site-packages) that folder may only be
listed, and each of its entries is allowed except the hidden one.

keep_capability: as root, the child switches to a user id of its own;
where the Python installation is not readable by other users (pyenv under
/root, mode 700) it keeps one capability to read it (privileges.read_capability),
and Landlock is then what confines it. /etc then loses the entries that only
root may read (shadow, sudoers, private keys), which the capability would open.
"""
import os
import stat

from autograders.sandbox import bwrap

PROC_AND_SYS = ("/proc", "/sys")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")


def python_folders(python, hidden):
    paths = bwrap.python_paths(python)
    return bwrap.mounted_folders(paths, hidden, set(paths[:4]))


def plan(python, hidden, write, abi, keep_capability):
    """The Confinement's plan (namespace_free.py) for a worker writing under `write`."""
    read, list_only = [], []
    system = [p for p in bwrap.SYSTEM_PATHS + PROC_AND_SYS if os.path.exists(p)]
    for folder in system + list(python_folders(python, hidden)):
        if keep_capability is not None and folder == "/etc":
            read += _others_may_read(folder)
        else:
            _split_around(folder, hidden, read, list_only)
    return {"abi": abi, "read": read, "list_only": list_only,
            "devices": [d for d in DEVICES if os.path.exists(d)], "write": [str(write)]}


def _split_around(folder, hidden, read, list_only):
    """Allow folder, or, where hidden paths lie inside it, everything of it but them."""
    inside = [h for h in hidden if h.startswith(folder.rstrip("/") + "/")]
    if not inside:
        read.append(folder)
        return
    list_only.append(folder)
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if path in hidden:
            continue
        if any(h.startswith(path + "/") for h in inside) and os.path.isdir(path):
            _split_around(path, inside, read, list_only)
        else:
            read.append(path)


def _others_may_read(folder):
    """The entries of folder that a user without privileges could read."""
    entries = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue
        needed = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
        if mode & needed == needed:
            entries.append(path)
    return entries


def readable_by_others(folders):
    """Whether a user of its own can reach and read every one of folders (mode bits)."""
    for folder in folders:
        parts = folder.rstrip("/").split("/")
        for depth in range(1, len(parts)):
            ancestor = "/".join(parts[:depth]) or "/"
            if not os.stat(ancestor).st_mode & stat.S_IXOTH:
                return False
        mode = os.stat(folder).st_mode
        if mode & (stat.S_IROTH | stat.S_IXOTH) != stat.S_IROTH | stat.S_IXOTH:
            return False
    return True
