"""The bwrap command line: an allow-list of system and Python folders, nothing else."""
import json
import os
import subprocess
import sys

import pytest

from autograders.sandbox import bwrap
from tests.engine.sandbox_support import needs_bwrap


@pytest.fixture
def layout(tmp_path, monkeypatch):
    """A repository holding a venv and the hidden packages; a base Python elsewhere."""
    repo = tmp_path / "repo"
    venv_site = repo / ".venv" / "lib" / "site-packages"
    base = tmp_path / "pyenv" / "versions" / "3.11"
    installed = tmp_path / "pyenv" / "versions" / "3.11" / "site-packages"
    for folder in (venv_site, repo / "autograders", repo / "reference", base / "lib",
                   installed / "reference", tmp_path / "course"):
        folder.mkdir(parents=True, exist_ok=True)
    paths = (str(repo / ".venv"), str(base), str(repo / ".venv"), str(base),
             str(base / "lib"), str(venv_site), str(repo), str(installed))
    monkeypatch.setattr(bwrap, "python_paths", lambda python: paths)
    hidden = (str(repo / "autograders"), str(repo / "reference"), str(installed / "reference"),
              str(tmp_path / "course"))
    return tmp_path, hidden


def binds(args):
    return [args[i + 1] for i, arg in enumerate(args) if arg == "--ro-bind"]


def test_only_the_system_and_python_folders_are_bound(layout):
    root, hidden = layout
    args = bwrap.command("python", root / "jobs", 2 ** 20, hidden, unprivileged=False)
    bound = binds(args)
    assert "/usr" in bound and "/etc" in bound
    assert str(root / "repo" / ".venv") in bound          # a venv inside the hidden repository
    assert str(root / "pyenv" / "versions" / "3.11") in bound
    assert str(root / "repo") not in bound                 # the repository root on sys.path
    assert str(root / "course") not in " ".join(bound)
    # reference installed into a bound site-packages: covered by a tmpfs
    tmpfs = [args[i + 1] for i, arg in enumerate(args) if arg == "--tmpfs"]
    assert str(root / "pyenv" / "versions" / "3.11" / "site-packages" / "reference") in tmpfs


def test_parents_of_bound_folders_are_traversable(layout):
    root, hidden = layout
    args = bwrap.command("python", root / "jobs", 2 ** 20, hidden, unprivileged=False)
    venv = str(root / "repo" / ".venv")
    parent = str(root / "repo")
    made = args.index(parent)
    assert args[made - 3:made] == ["--perms", "0755", "--dir"]
    assert made < args.index(venv)


def test_root_keeps_few_capabilities_and_no_user_namespace(layout):
    root, hidden = layout
    args = bwrap.command("python", root / "jobs", 2 ** 20, hidden, unprivileged=False)
    assert "--unshare-user" not in args
    assert args[args.index("--cap-drop") + 1] == "ALL"
    assert {"--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session"} <= set(args)
    assert args[args.index("--bind") + 1:args.index("--bind") + 3] == [
        str(root / "jobs"), bwrap.SANDBOX_JOBS]
    assert args[args.index("--size") + 1] == str(2 ** 20)


def test_unprivileged_mode_uses_a_user_namespace(layout):
    """Nesting stays allowed: each child makes its own namespaces, then disables it."""
    root, hidden = layout
    args = bwrap.command("python", root / "jobs", 2 ** 20, hidden, unprivileged=True)
    assert "--unshare-user" in args and "--disable-userns" not in args
    assert "--cap-drop" not in args


def test_the_worker_python_folders_come_from_a_clean_interpreter():
    paths = bwrap.python_paths(sys.executable)
    assert sys.base_prefix in paths and sys.prefix in paths
    assert "" not in paths


@needs_bwrap
def test_inside_bwrap_the_repository_and_network_are_gone(tmp_path):
    repo = os.path.dirname(bwrap.default_hidden()[0])
    script = ("import json, os, socket\n"
              "def reach():\n"
              "    try:\n"
              "        socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
              "    except OSError as e:\n"
              "        return e.errno\n"
              f"print(json.dumps([os.path.exists({repo!r} + '/autograders'),"
              f" os.path.exists({str(tmp_path)!r}), reach(), os.listdir('/sandbox')]))")
    args = bwrap.command(sys.executable, tmp_path, 2 ** 20, bwrap.default_hidden(),
                         **bwrap.usable(sys.executable)[1])
    done = subprocess.run(args + ["--", sys.executable, "-s", "-c", script],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    sees_repo, sees_tmp, network_error, sandbox = json.loads(done.stdout)
    assert not sees_repo and not sees_tmp
    assert network_error is not None                     # ENETUNREACH: no interface
    assert sorted(sandbox) == ["jobs", "work"]
