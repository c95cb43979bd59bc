"""The namespace-free tier's parts (landlock.py, seccomp.py, allow_list.py) and the choice of
tier (tiers.py): Landlock's version checks, what each piece refuses, and what is said where a
protection is missing."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from autograders.sandbox import allow_list, landlock, privileges, tiers
from tests.engine.sandbox_support import ROOT, needs_landlock


@pytest.mark.parametrize("version, fs_extra, net, scoped, size", [
    (1, 0, 0, 0, 8),
    (2, landlock.REFER, 0, 0, 8),
    (3, landlock.REFER | landlock.TRUNCATE, 0, 0, 8),
    (4, landlock.REFER | landlock.TRUNCATE, 3, 0, 16),
    (5, landlock.REFER | landlock.TRUNCATE, 3, 0, 16),
    (6, landlock.REFER | landlock.TRUNCATE, 3, 3, 24),
    (7, landlock.REFER | landlock.TRUNCATE, 3, 3, 24),
])
def test_each_abi_handles_what_it_knows(version, fs_extra, net, scoped, size):
    assert landlock.handled(version) == (landlock.FS_ABI_1 | fs_extra, net, scoped)
    assert landlock.attribute_size(version) == size


def test_no_landlock_is_abi_0():
    assert landlock.abi(lambda *args: -1) == 0   # ENOSYS, EOPNOTSUPP, a seccomp EPERM
    assert landlock.abi(lambda *args: 4) == 4
    assert landlock.handled(0) == (0, 0, 0)
    with pytest.raises(OSError):
        landlock.Ruleset(0)


def confined(code, plan_folder):
    """Run code in a process that applied the tier's Confinement allowing plan_folder."""
    script = textwrap.dedent(f"""
        import json, os, socket
        from autograders.sandbox import namespace_free, processes
        plan = {{"abi": {landlock.abi()}, "read": {allow_list.python_folders(
            sys.executable, ())!r} + ["/usr", "/lib", "/lib64", "/etc", "/proc"],
                "write": [{str(plan_folder)!r}]}}
        confinement = namespace_free.Confinement(plan)
        processes.prctl(processes.PR_SET_NO_NEW_PRIVS, 1)
        confinement.apply()
        def attempt(action):
            try:
                action()
                return "done"
            except OSError as error:
                return error.errno
    """) + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd="/", env={"PYTHONPATH": str(ROOT), "PATH": os.defpath})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_landlock
def test_the_confinement_refuses_reads_writes_network_and_namespaces(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("x")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    found = confined(f"""
        import ctypes, errno
        libc = ctypes.CDLL(None, use_errno=True)
        def unshare():
            if libc.unshare(0x20000) != 0:
                raise OSError(ctypes.get_errno(), "unshare")
        print(json.dumps({{
            "read secret": attempt(lambda: open({str(secret)!r}).read()),
            "write scratch": attempt(lambda: open({str(scratch / 'f')!r}, "w").write("y")),
            "write /tmp": attempt(lambda: open("/tmp/autograders-tier-test", "w")),
            "inet socket": attempt(lambda: socket.socket(socket.AF_INET)),
            "unix socket": attempt(lambda: socket.socket(socket.AF_UNIX).close()),
            "unshare": attempt(unshare),
            "read python": attempt(lambda: open(os.__file__).read(10)),
        }}))
    """, scratch)
    assert found == {"read secret": 13, "write scratch": "done", "write /tmp": 13,
                     "inet socket": 1, "unix socket": "done", "unshare": 1,
                     "read python": "done"}


def test_a_hidden_folder_inside_an_allowed_one_is_only_listed(tmp_path):
    site = tmp_path / "site-packages"
    for name in ("numpy", "autograders", "torch"):
        (site / name).mkdir(parents=True)
    (site / "six.py").write_text("")
    read, list_only = [], []
    allow_list._split_around(str(site), (str(site / "autograders"),), read, list_only)
    assert list_only == [str(site)]
    assert read == [str(site / n) for n in ("numpy", "six.py", "torch")]


def test_with_the_capability_etc_keeps_only_what_others_may_read(tmp_path):
    (tmp_path / "passwd").write_text("")
    (tmp_path / "shadow").write_text("")
    (tmp_path / "shadow").chmod(0o640)
    (tmp_path / "private").mkdir(mode=0o700)
    assert allow_list._others_may_read(str(tmp_path)) == [str(tmp_path / "passwd")]


def test_a_non_root_grader_without_landlock_is_told_it_is_not_isolated(monkeypatch):
    monkeypatch.setattr(landlock, "abi", lambda: 0)
    monkeypatch.setattr(privileges, "can_drop", lambda: False)
    isolation, why = tiers.namespace_free.__wrapped__(sys.executable, ())
    assert isolation is None and why.startswith("student code is not isolated")
    monkeypatch.setattr(tiers.bwrap, "usable", lambda python, hidden=(): (False, "no bwrap"))
    with pytest.raises(tiers.SandboxUnavailable, match="no bwrap; student code is not isolated"):
        tiers.choose("isolated", hidden=("/nowhere",))


def test_root_without_landlock_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(landlock, "abi", lambda: 0)
    monkeypatch.setattr(privileges, "can_drop", lambda: True)
    monkeypatch.setattr(allow_list, "readable_by_others", lambda folders: True)
    monkeypatch.setattr(tiers, "_self_test", lambda python, hidden, isolation: None)
    isolation, _ = tiers.namespace_free.__wrapped__(sys.executable, ())
    assert isolation.tier == "landlock" and "own user id" in isolation.protections
    assert isolation.missing[0].startswith("Landlock (the kernel has none)")
    monkeypatch.setattr(allow_list, "readable_by_others", lambda folders: False)
    isolation, why = tiers.namespace_free.__wrapped__(sys.executable, ())
    assert isolation is None and "not readable by other users" in why


def test_auto_takes_the_strongest_tier_that_starts(monkeypatch):
    monkeypatch.setattr(tiers.bwrap, "usable", lambda python, hidden=(): (False, "no bwrap"))
    landlock_tier = tiers.Isolation("landlock", ("own user id",))
    monkeypatch.setattr(tiers, "namespace_free", lambda python, hidden: (landlock_tier, ""))
    assert tiers.choose("auto") is landlock_tier and tiers.choose("isolated") is landlock_tier
    monkeypatch.setattr(tiers.bwrap, "usable", lambda python, hidden=(): (True, {}))
    assert tiers.choose("auto").tier == "bwrap"
    with pytest.raises(ValueError):
        tiers.choose("namespaces")


def test_the_capability_kept_is_one_the_container_grants(tmp_path):
    status = tmp_path / "status"
    for effective, kept in (("000001ffffffffff", privileges.CAP_DAC_READ_SEARCH),
                            ("00000000a80425fb", privileges.CAP_DAC_OVERRIDE),  # Docker's set
                            ("0000000000000000", None)):
        status.write_text(f"Name:\tpython\nCapEff:\t{effective}\n")
        assert privileges.read_capability(str(status)) == kept
