"""Grading as an instructor who is not root, for real: as an unprivileged user.

Run as root (CI), this test makes the user ``nn-grader`` (if missing), gives
it a Python it can run (a venv from a system python3.11 and requirements.txt,
made once under /var/tmp and reused: the venv of the suite may live under a
folder the user cannot read), copies the repository where that user can read
but not write it, and runs there, as that user:
- the sandbox and hostile tests (tests/engine/test_sandbox_isolation.py,
  test_sandbox_pool.py, tests/hostile/), with and without bwrap: every hostile
  fixture gains nothing, reads and writes nothing of the course, the limits
  hold, kill(-1) hurts nobody;
- the hostile tests in the namespace-free tier under an emulation of Docker's
  defaults (tests/platforms/docker_default.py): a hub pod's case;
- ``python -m autograders grade`` on a small class (the reference, a buggy and
  the hostile student of the sample class), whose reports must equal those of
  the same class graded as root.
Afterwards no process of that user may remain. Run not as root, it skips:
the sandbox tests themselves are then this mode. Where AUTOGRADERS_REQUIRE_NONROOT
is set (CI), what would skip fails instead.
"""
import contextlib
import csv
import fcntl
import hashlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.engine.sandbox_support import BWRAP_WORKS
from tests.engine.test_sandbox_isolation import processes_of
from tests.platforms import docker_default

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
USER = "nn-grader"
COPIED = ("autograders", "reference", "course_build", "source", "release", "tests",
          "nbgrader_config.py", "pyproject.toml", "requirements.txt")
SANDBOX_TESTS = ("tests/engine/test_sandbox_isolation.py", "tests/engine/test_sandbox_pool.py",
                 "tests/hostile")
STUDENTS = ("alice-reference", "carol-sigmoid-naive", "mallory-hostile")
PYTHONS = ("/usr/bin/python3.11", "/usr/local/bin/python3.11", "/usr/bin/python3",
           shutil.which("python3.11") or "", os.path.realpath(sys._base_executable))


def unavailable(reason):
    if os.environ.get("AUTOGRADERS_REQUIRE_NONROOT"):
        pytest.fail(f"AUTOGRADERS_REQUIRE_NONROOT is set, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def user():
    if os.geteuid() != 0:
        pytest.skip("not root: the sandbox tests of this run are the non-root mode")
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        pass
    home = f"/var/tmp/{USER}-home"
    made = subprocess.run(["useradd", "--system", "--create-home", "--home-dir", home,
                           "--shell", "/usr/sbin/nologin", USER], capture_output=True, text=True)
    if made.returncode != 0 and "already exists" not in made.stderr:
        unavailable(f"could not make the user {USER}: {made.stderr.strip()}")
    return pwd.getpwnam(USER)


@contextlib.contextmanager
def one_at_a_time():
    """Whatever runs processes of the user, one at a time across xdist workers: each test
    checks that no process of the user is left, which another running beside it would
    break (xdist_group has no effect under pytest 9, see tests/engine/sandbox_support.py)."""
    with open(f"/var/tmp/{USER}-tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture
def alone():
    with one_at_a_time():
        yield


def as_user(user, argv, cwd, env=None, timeout=900):
    environment = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": user.pw_dir, "LANG": "C.UTF-8",
                   "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run(argv, cwd=cwd, env=environment, user=user.pw_uid, group=user.pw_gid,
                          extra_groups=[], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def python(user):
    """A venv the user can run: a Python 3.11 it can execute, with requirements.txt."""
    with one_at_a_time():
        base = next((p for p in PYTHONS if p and os.path.exists(p) and as_user(
            user, [p, "-c", "import sys; assert sys.version_info[:2] == (3, 11)"],
            "/").returncode == 0), None)
    if base is None:
        unavailable(f"no Python 3.11 that {USER} may run (tried {', '.join(filter(None, PYTHONS))})")
    requirements = (ROOT / "requirements.txt").read_bytes()
    key = hashlib.sha256(requirements + base.encode()).hexdigest()[:12]
    venv = Path(f"/var/tmp/autograders-nonroot-venv-{key}")
    with open(f"{venv}.lock", "w") as lock:  # one maker at a time (pytest-xdist)
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".complete").exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([base, "-m", "venv", str(venv)], check=True)
            installed = subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r",
                 str(ROOT / "requirements.txt")], capture_output=True, text=True)
            assert installed.returncode == 0, installed.stderr[-3000:]
            (venv / ".complete").touch()
    subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
    return str(venv / "bin" / "python")


@pytest.fixture(scope="module")
def repository(user):
    """The repository's code and tests, readable by the user, writable only by root."""
    folder = Path(tempfile.mkdtemp(prefix="autograders-nonroot-", dir="/var/tmp"))
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / name)
    subprocess.run(["chmod", "-R", "u+rwX,go+rX,go-w", str(folder)], check=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_sandbox_tests_pass_as_an_unprivileged_user(alone, user, python, repository):
    env = {"AUTOGRADERS_REQUIRE_BWRAP": "1"} if BWRAP_WORKS else {}
    done = as_user(user, [python, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=",
                          "-n", "2", "-q", "-rs", *SANDBOX_TESTS], repository, env)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout, done.stdout[-2000:]
    if BWRAP_WORKS:  # where bwrap works here, it works for the user too: nothing skips
        assert "skipped" not in done.stdout, done.stdout[-2000:]
    assert_no_process_left(user)


def test_the_namespace_free_tier_holds_as_an_unprivileged_user_under_docker_defaults(
        alone, user, python, repository):
    """A hub pod's case: not root, namespaces denied; the hostile bank in the landlock tier."""
    environment = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": user.pw_dir,
                   "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
                   "AUTOGRADERS_REQUIRE_BWRAP": "1"}  # the landlock tier must not skip
    done = subprocess.run([*docker_default.wrapper("--user", USER), python, "-m", "pytest", "-p",
                           "no:cacheprovider", "-o", "addopts=", "-q",
                           "tests/hostile/test_hostile.py", "-k", "landlock"],
                          cwd=repository, env=environment, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout, done.stdout[-2000:]
    assert_no_process_left(user)


def test_a_class_graded_as_an_unprivileged_user_equals_the_root_run(alone, user, python,
                                                                    repository):
    graded = {}
    for who in ("root", "user"):
        course = Path(tempfile.mkdtemp(prefix=f"autograders-class-{who}-", dir="/var/tmp"))
        try:
            graded[who] = grade_class(course, who, user, python, repository)
        finally:
            shutil.rmtree(course, ignore_errors=True)
    assert graded["user"] == graded["root"]
    scores = {student: float(row["total"]) for student, row in graded["user"]["grades"].items()}
    assert scores["alice-reference"] == graded["user"]["max"]
    assert scores["carol-sigmoid-naive"] < scores["alice-reference"]
    assert_no_process_left(user)


def grade_class(course, who, user, python, repository):
    """Grade the small class as root or as the user; the reports without timings."""
    for name in ("nbgrader_config.py", "source", "release"):
        source = repository / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, course / name)
    subprocess.run([sys.executable, "-m", "course_build.sample_class", "--course", str(course)],
                   cwd=ROOT, check=True, capture_output=True)
    for folder in (course / "submitted").iterdir():
        if folder.name not in STUDENTS:
            shutil.rmtree(folder)
    out = course / "reports"
    argv = [python if who == "user" else sys.executable, "-m", "autograders", "grade",
            "--course", str(course), "--out", str(out), "--workers", "2"]
    env = {"PYTHONPATH": str(repository)}
    if who == "user":
        subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(course)], check=True)
        done = as_user(user, argv, course, env)
    else:
        done = subprocess.run(argv, cwd=course, env=dict(os.environ, **env),
                              capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{who}: {done.stderr[-3000:]}"
    with open(out / "grades.csv", newline="") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle)}
    results = {s: json.loads((out / s / "results.json").read_text()) for s in STUDENTS}
    for result in results.values():
        result.pop("execution_time", None)
    return {"grades": grades, "results": results,
            "max": results["alice-reference"]["extra_data"]["max_score"]}


def assert_no_process_left(user, seconds=15):
    """No process of the user remains (the engine's own forkserver takes a moment to exit
    once the command has; anything a submission left would still be there)."""
    deadline = time.monotonic() + seconds
    while (left := processes_of({user.pw_uid})) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert left == [], f"processes of {USER} outlived the grading: {left}"
