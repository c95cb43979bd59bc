"""Which isolation tier grades here: the one place it is chosen.

Tiers, strongest first:
    bwrap     namespaces (bwrap.py): student code sees only the system and Python
    landlock  no namespaces (namespace_free.py): as root a user id of its own, Landlock's
              allow-list of paths, TCP and signals, a seccomp deny-list; for Docker's
              default container (Gradescope), hub pods, laptops without bubblewrap
    none      rlimits and timeouts only: student code can read the course
--sandbox takes a tier, or "auto" (the strongest that starts here, else "none"
with a warning) or "isolated" (the strongest that starts here, never "none":
what Gradescope uses). Each tier is tried by really starting it: bwrap runs
`python -c pass`; the namespace-free tier confines a small process exactly
as a child is confined and checks that it still reads Python and no longer
reads a hidden folder.
"""
import dataclasses
import functools
import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from autograders.sandbox import allow_list, bwrap, landlock, privileges, seccomp

TIERS = ("bwrap", "landlock", "none")          # strongest first
CHOICES = ("auto", "isolated", *TIERS)
STRENGTH = {tier: len(TIERS) - index for index, tier in enumerate(TIERS)}


class SandboxUnavailable(RuntimeError):
    """The requested tier (or, for "isolated", every tier) cannot start here."""


class SandboxWarning(UserWarning):
    """Grading with a tier that leaves student code able to read the course, or more."""


@dataclasses.dataclass(frozen=True)
class Isolation:
    """The tier that grades, and what it does and does not protect."""
    tier: str
    protections: tuple = ()
    missing: tuple = ()
    options: tuple = ()                 # bwrap.command's keyword arguments, as pairs
    abi: int = 0                        # landlock: the kernel's Landlock ABI
    keep_capability: int = None         # landlock as root: the capability the child keeps

    @property
    def isolated(self):
        return self.tier != "none"

    def describe(self):
        """One line for reports: the tier, what it does, what it lacks."""
        text = f"{self.tier} ({', '.join(self.protections)})" if self.protections else self.tier
        return text + (f"; missing: {'; '.join(self.missing)}" if self.missing else "")

    def to_json(self):
        return {"tier": self.tier, "description": self.describe(),
                "protections": list(self.protections), "missing": list(self.missing)}


NONE = Isolation("none", ("time, memory and process limits",),
                 ("isolation: student code can read the course (gradebook, source notebooks, "
                  "other students' submissions)",))
_warned = set()


def choose(requested, python=None, hidden=()):
    """The Isolation for --sandbox `requested`; SandboxUnavailable when it cannot start."""
    if requested not in CHOICES:
        raise ValueError(f"sandbox must be one of {CHOICES}, not {requested!r}")
    python, hidden = python or sys.executable, tuple(sorted(hidden))
    if requested == "none":
        _warn(NONE, "--sandbox none was requested")
        return NONE
    reasons = []
    for tier in (TIERS[:-1] if requested in ("auto", "isolated") else (requested,)):
        isolation, reason = _try(tier, python, hidden)
        if isolation is not None:
            _warn(isolation, "")
            return isolation
        reasons.append(reason)
    if requested != "auto":
        raise SandboxUnavailable(f"{'; '.join(reasons)}; {bwrap.ADVICE}")
    _warn(NONE, "; ".join(reasons))
    return NONE


def _try(tier, python, hidden):
    """(Isolation, "") if tier starts here, else (None, why)."""
    if tier == "bwrap":
        works, detail = bwrap.usable(python, hidden)
        if not works:
            return None, detail
        return Isolation("bwrap", ("namespaces: only the system and Python are visible",
                                   "no network", "own user id" if bwrap.privileged()
                                   else "own user namespace"),
                         options=tuple(sorted(detail.items()))), ""
    return namespace_free(python, hidden)


@functools.lru_cache(maxsize=None)
def namespace_free(python, hidden):
    """(Isolation, "") if the namespace-free tier confines a process here, else (None, why)."""
    if seccomp.UNAVAILABLE:
        return None, f"the namespace-free tier needs libseccomp: {seccomp.UNAVAILABLE}"
    abi, root = landlock.abi(), privileges.can_drop()
    readable = allow_list.readable_by_others(allow_list.python_folders(python, hidden))
    if not abi and not root:
        return None, ("student code is not isolated: this kernel has no Landlock (or denies it) "
                      "and grading does not run as root, so no user id of its own either")
    keep = privileges.read_capability() if root and not readable else None
    if root and not readable and (not abi or keep is None):
        return None, ("the Python installation is not readable by other users, so student code "
                      "would need to keep a capability to read it, " + (
                          "with no Landlock to confine it" if not abi else
                          "and this process holds neither CAP_DAC_READ_SEARCH nor "
                          "CAP_DAC_OVERRIDE") + " (make it readable: chmod o+rx on its folders)")
    isolation = Isolation("landlock", *_protections(abi, root, keep), abi=abi,
                          keep_capability=keep)
    problem = _self_test(python, hidden, isolation)
    return (None, f"the namespace-free tier did not start: {problem}") if problem else (
        isolation, "")


def _protections(abi, root, keep_capability):
    protections = ["own user id" if root else "the grader's user id"]
    missing = []
    if abi:
        fs, net, scoped = landlock.handled(abi)
        parts = ["files"] + (["TCP"] if net else []) + (["signals"] if scoped else [])
        protections.append(f"Landlock ABI {abi}: {', '.join(parts)}")
    else:
        missing.append("Landlock (the kernel has none): the course is protected by its file "
                       "permissions only, and world-writable folders can be written")
    protections.append("seccomp")
    if keep_capability is not None:
        protections.append(f"{privileges.CAPABILITY_NAMES[keep_capability]}, confined by "
                           "Landlock (Python is not readable by other users)")
    if not root and abi < 6:
        missing.append("signal scoping (Landlock ABI < 6): student code can signal the "
                       "grader's processes")
    return tuple(protections), tuple(missing)


def worker_plan(isolation, python, hidden, write):
    """The namespace-free worker's Confinement plan (namespace_free.py)."""
    return allow_list.plan(python, hidden, write, isolation.abi, isolation.keep_capability)


SELF_TEST = """
import json, os, sys
from autograders.sandbox import namespace_free, privileges, processes
settings = json.loads(sys.argv[1])
confinement = namespace_free.Confinement(settings["plan"])
if settings["uid"] is not None:
    privileges.drop(settings["uid"], keep=settings["keep_capability"])
processes.prctl(processes.PR_SET_NO_NEW_PRIVS, 1)
confinement.apply()
problems = []
for folder in settings["readable"]:
    try:
        os.listdir(folder)
    except OSError as error:
        problems.append(f"cannot read {folder}: {error.strerror}")
for folder in settings["hidden"]:
    try:
        os.listdir(folder)
        problems.append(f"can still read {folder}")
    except OSError:
        pass
print(json.dumps(problems))
"""


def _self_test(python, hidden, isolation):
    """None if a process confined as a child reads Python and not a hidden folder; else why."""
    package_parent = str(Path(__file__).resolve().parents[2])
    with tempfile.TemporaryDirectory(prefix="autograders-selftest-") as write:
        root = privileges.can_drop()
        settings = {"plan": worker_plan(isolation, python, hidden, write),
                    "uid": privileges.sandbox_uid(os.getpid(), 255) if root else None,
                    "keep_capability": isolation.keep_capability,
                    "readable": list(allow_list.python_folders(python, hidden)),
                    "hidden": [h for h in hidden if os.path.isdir(h)][:3]}
        try:
            done = subprocess.run([python, "-s", "-c", SELF_TEST, json.dumps(settings)],
                                  capture_output=True, text=True, timeout=60, cwd="/",
                                  env={"PATH": os.defpath, "PYTHONPATH": package_parent})
        except (OSError, subprocess.SubprocessError) as error:
            return str(error)
    if done.returncode != 0:
        return " ".join(done.stderr.split())[-300:] or f"exit status {done.returncode}"
    try:
        problems = json.loads(done.stdout)
    except ValueError:
        return f"unexpected output: {done.stdout[-200:]!r}"
    return "; ".join(problems) or None


def _warn(isolation, reason):
    """Once per process and tier: what student code can still do."""
    if not isolation.missing or isolation.describe() in _warned:
        return
    _warned.add(isolation.describe())
    text = (f"grading without isolation ({reason}): student code runs with time, memory and "
            "process limits only, and can read the course (gradebook, source notebooks, "
            f"other students' submissions); {bwrap.ADVICE}" if not isolation.isolated else
            f"grading with the {isolation.tier} tier, which lacks: {'; '.join(isolation.missing)}")
    warnings.warn(text, SandboxWarning, stacklevel=4)
