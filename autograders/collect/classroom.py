"""Copy a folder of GitHub Classroom repositories into the course's submitted/.

Each student's repository (cloned, e.g. by ``gh classroom clone
student-repos``) goes to ``<course>/submitted/<student>/neural_networks/``,
where ``<student>`` is the repository's name without the assignment prefix
Classroom puts before the GitHub user name. The notebooks are taken from the
repository's root or its ``neural_networks/`` folder; only the release's
notebook names are copied, and only files of the student's own repository: a
notebook that is a link leading out of it (say, to another student's clone)
is not copied, and the log says so. ``timestamp.txt`` (nbgrader reads it for
late submissions) gets a submission time the student cannot forge, never a
commit's date (push_time.py says which and why); the log line of each
repository says which time was used.
"""
import os
import re
import shutil
from pathlib import Path

from autograders.collect.push_time import gh_activity, nbgrader_timestamp, submission_time
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


def own_file(repo, path):
    """path's real location when it lies inside the repository (links followed only
    within it), else None: a link out of the student's repository is not their work."""
    try:
        real, root = path.resolve(strict=True), repo.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root) and real.is_file() else None


def collect_classroom(repos_dir, course, prefix=None, log=print, activity_of=gh_activity):
    """Copy each repository's notebooks to submitted/; returns {student id: folder}.

    activity_of: owner/name -> GitHub's activity list (push_time.gh_activity).
    """
    entries = sorted(p for p in Path(repos_dir).iterdir() if not p.name.startswith("."))
    for link in (p for p in entries if p.is_symlink()):
        log(f"{link.name}: a link, not a repository: skipped")
    repos = [p for p in entries if p.is_dir() and not p.is_symlink()]
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
        copied, outside = [], []
        for name in names:
            if not os.path.lexists(source / name):
                continue
            real = own_file(repo, source / name)
            if real is None:
                outside.append(name)
                continue
            shutil.copyfile(real, target / name)
            copied.append(name)
        moment, which = submission_time(repo, activity_of)
        if moment is not None:
            (target / "timestamp.txt").write_text(nbgrader_timestamp(moment) + "\n")
        missing = sorted(set(names) - set(copied))
        log(f"{repo.name} -> submitted/{student}/{ASSIGNMENT}/ ({len(copied)} notebooks"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; NOT COPIED, links out of the repository: {', '.join(outside)}"
               if outside else "")
            + (f"; submitted {nbgrader_timestamp(moment)}, {which})" if moment is not None
               else f"; NO SUBMISSION TIME: {which})"))
        collected[student] = target
    return collected
