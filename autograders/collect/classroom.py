"""Copy a folder of GitHub Classroom repositories into the course's submitted/.

Each student's repository (cloned, e.g. by ``gh classroom clone
student-repos``) goes to ``<course>/submitted/<student>/neural_networks/``,
where ``<student>`` is the repository's name without the assignment prefix
Classroom puts before the GitHub user name. The notebooks are taken from the
repository's root or its ``neural_networks/`` folder; only the release's
notebook names are copied, and ``timestamp.txt`` gets the time of the
repository's last commit (nbgrader reads it for late submissions).
"""
import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

from autograders.items import ASSIGNMENT, NOTEBOOKS

SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def release_notebooks(course):
    """The notebook names students submit: the release's, else the points table's."""
    release = Path(course) / "release" / ASSIGNMENT
    names = sorted(path.name for path in release.glob("*.ipynb"))
    return names or [f"{name}.ipynb" for name in NOTEBOOKS]


def classroom_prefix(repo_names):
    """The common '<assignment>-' part of Classroom repository names (ending in '-')."""
    if len(repo_names) < 2:
        return ""
    common = os.path.commonprefix(list(repo_names))
    return common[: common.rfind("-") + 1]


def safe_id(text):
    """A student id the course layout accepts: letters, digits, '.', '_' and '-'."""
    return SAFE_ID.sub("-", text).strip("-.")


def student_id(repo_name, prefix):
    name = repo_name[len(prefix):] if prefix and repo_name.startswith(prefix) else repo_name
    return safe_id(name) or "unnamed"


def notebook_folder(repo, names):
    """Where a repository keeps the notebooks: its root or its assignment folder."""
    for folder in (repo, repo / ASSIGNMENT):
        if any((folder / name).is_file() for name in names):
            return folder
    return None


def last_commit_time(repo):
    """The last commit's time in nbgrader's timestamp format, or None (no git, no commits)."""
    try:
        seconds = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%ct"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    if not seconds:
        return None
    moment = datetime.datetime.fromtimestamp(int(seconds), datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def collect_classroom(repos_dir, course, prefix=None, log=print):
    """Copy each repository's notebooks to submitted/; returns {student id: folder}."""
    repos = sorted(p for p in Path(repos_dir).iterdir()
                   if p.is_dir() and not p.name.startswith("."))
    prefix = classroom_prefix([repo.name for repo in repos]) if prefix is None else prefix
    names = release_notebooks(course)
    collected = {}
    for repo in repos:
        student = student_id(repo.name, prefix)
        if student in collected:
            raise ValueError(f"{repo.name}: a second repository for student {student!r}")
        source = notebook_folder(repo, names)
        if source is None:
            log(f"{repo.name}: no assignment notebooks, skipped")
            continue
        target = Path(course) / "submitted" / student / ASSIGNMENT
        shutil.rmtree(target, ignore_errors=True)   # a fresh copy: no stale notebooks
        target.mkdir(parents=True)
        copied = [name for name in names if (source / name).is_file()]
        for name in copied:
            shutil.copyfile(source / name, target / name)
        timestamp = last_commit_time(repo)
        if timestamp:
            (target / "timestamp.txt").write_text(timestamp + "\n")
        missing = sorted(set(names) - set(copied))
        log(f"{repo.name} -> submitted/{student}/{ASSIGNMENT}/ ({len(copied)} notebooks"
            + (f"; missing {', '.join(missing)})" if missing else ")"))
        collected[student] = target
    return collected
