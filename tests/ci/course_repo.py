"""Test stand-ins for the repositories the CI templates run in.

- ``make_course_repo``: an instructor's course repository as grade.yml expects
  it: this project at the root (linked, not copied), source/ and release/, and
  sample-class submissions in submitted/;
- ``make_student_folder``: a student's assignment folder as the release ships
  it (notebooks and check.py), optionally with the reference solutions or a
  bank variant filled in, as course_build.sample_class writes students;
- ``runner_environment``: PATH with this venv first and a stand-in for the
  runner's ``sudo`` (these tests run as root or as the developer; GitHub's
  runner user has password-less sudo).
"""
import os
import re
import shutil
import sys
from pathlib import Path

from autograders.items import ASSIGNMENT
from course_build import sample_class

ROOT = Path(__file__).resolve().parents[2]
INSTRUCTOR = ROOT / "ci-templates" / "instructor"
STUDENT = ROOT / "ci-templates" / "student"
GRADE_WORKFLOW = INSTRUCTOR / ".github" / "workflows" / "grade.yml"
CHECK_WORKFLOW = STUDENT / ".github" / "workflows" / "check.yml"
COURSE_ENV_ACTION = INSTRUCTOR / ".github" / "actions" / "course-env" / "action.yml"
RELEASE = ROOT / "release" / ASSIGNMENT
# The parts of this project a course repository holds at its root.
PROJECT_PARTS = ("autograders", "reference", "course_build", "requirements.txt",
                 "nbgrader_config.py", "pyproject.toml")
INSTALL = re.compile(r"^(sudo )?(apt-get|python -m pip) ")
SUDO_STAND_IN = """#!/bin/sh
# Test stand-in for the runner's password-less sudo: drop the options, run the command.
while [ $# -gt 0 ]; do case "$1" in -*) shift;; *) break;; esac; done
exec "$@"
"""


def students(*ids):
    by_id = {student.id: student for student in sample_class.CLASS}
    return tuple(by_id[student_id] for student_id in ids)


def make_course_repo(folder, student_ids):
    """A course repository at folder with the sample-class students named; returns it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        (folder / part).symlink_to(ROOT / part)
    for tree in ("source", "release"):
        shutil.copytree(ROOT / tree, folder / tree)
    sample_class.write_class(folder, students(*student_ids))
    return folder


def make_student_folder(folder, student_id=None, notebooks=None):
    """The release folder (notebooks and check.py) at folder; with student_id, that
    sample-class student's work in it. notebooks: only these (release names)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(RELEASE / "check.py", folder / "check.py")
    if student_id is None:
        texts = {path.stem: path.read_text() for path in RELEASE.glob("*.ipynb")}
    else:
        pairs = sample_class.assignment_notebooks(ROOT)
        texts = sample_class.student_notebooks(students(student_id)[0], pairs)
    for name, text in texts.items():
        if notebooks is None or name in notebooks:
            (folder / f"{name}.ipynb").write_text(text)
    return folder


def runner_environment(tmp):
    """The environment a CI step sees here: this venv's python first, sudo stood in for."""
    bin_dir = Path(tmp) / "runner-bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    sudo = bin_dir / "sudo"
    sudo.write_text(SUDO_STAND_IN)
    sudo.chmod(0o755)
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent),
                            os.environ.get("PATH", "")])
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("PYTHON", "PYTEST", "COV_"))}
    return {**environment, "PATH": path, "MPLBACKEND": "Agg", "CI": "true"}


def is_install(command):
    """Whether a run: command only installs packages (left out: the venv has them)."""
    parts = [part.strip() for line in command.splitlines() for part in line.split("&&")]
    parts = [part for part in parts if part]
    return bool(parts) and all(INSTALL.match(part) for part in parts)
