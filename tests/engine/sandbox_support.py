"""Submissions for the sandbox tests and benchmark: the solution, and hand-made notebooks.

``solution_submission`` is what a student who solved everything hands in:
the source notebooks (solutions included) without the hidden test blocks,
which the release strips and a student never has. ``write_notebook`` makes
a notebook from code cells, for hostile or broken submissions.

``run_checks`` runs several named checks on one graded batch and reports
every failure. The batch tests are one test per sandbox mode because a pool
costs seconds to start and pytest-xdist 3.8's xdist_group has no effect
under pytest 9 (it renames item._nodeid; pytest 9 reads item._id), so
separate tests sharing a module fixture would start it on both workers.
"""
import json
import os
import re
import sys
from pathlib import Path

import pytest

from autograders.items import ASSIGNMENT
from autograders.sandbox import bwrap, pool, tiers

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source" / ASSIGNMENT
# Tests that need bubblewrap skip where it cannot start, saying why and what to do;
# where AUTOGRADERS_REQUIRE_BWRAP is set (CI, which installs it) they fail instead,
# so a broken install cannot turn the sandbox tests into silent skips.
BWRAP_WORKS, _BWRAP_DETAIL = bwrap.usable(sys.executable)
BWRAP_MISSING = "" if BWRAP_WORKS else f"needs the bwrap sandbox: {_BWRAP_DETAIL}; {bwrap.ADVICE}"


def needs_bwrap(test=None):
    """Mark a test (or, called without one, give the mark for a pytest.param)."""
    skip = bool(BWRAP_MISSING) and not os.environ.get("AUTOGRADERS_REQUIRE_BWRAP")
    mark = pytest.mark.skipif(skip, reason=BWRAP_MISSING or "bwrap works")
    return mark if test is None else mark(test)


LANDLOCK_WORKS, _LANDLOCK_DETAIL = tiers.namespace_free(sys.executable, pool.hidden_folders())
LANDLOCK_MISSING = "" if LANDLOCK_WORKS else f"needs the namespace-free tier: {_LANDLOCK_DETAIL}"


def needs_landlock(test=None):
    """As needs_bwrap, for the namespace-free tier (AUTOGRADERS_REQUIRE_BWRAP: fail, not skip)."""
    skip = bool(LANDLOCK_MISSING) and not os.environ.get("AUTOGRADERS_REQUIRE_BWRAP")
    mark = pytest.mark.skipif(skip, reason=LANDLOCK_MISSING or "the namespace-free tier works")
    return mark if test is None else mark(test)


# The sandbox tiers of the grading tests: bwrap and the namespace-free tier where they
# work, and without isolation.
SANDBOXES = [pytest.param("bwrap", marks=needs_bwrap()),
             pytest.param("landlock", marks=needs_landlock()), "none"]

HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)


def source_notebooks():
    """The assignment's notebooks that exist in source/ (names without .ipynb)."""
    return tuple(sorted(path.stem for path in SOURCE.glob("*.ipynb")))


def submission_folder(course, student):
    folder = Path(course) / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def solution_submission(course, student):
    """submitted/<student>/<assignment>/ holding every solution notebook."""
    folder = submission_folder(course, student)
    for path in sorted(SOURCE.glob("*.ipynb")):
        notebook = json.loads(path.read_text())
        for cell in notebook["cells"]:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cell["source"] = HIDDEN_TESTS.sub("", source)
        (folder / path.name).write_text(json.dumps(notebook))
    return folder


def write_notebook(path, cells):
    """A notebook of code cells; a cell is source text or (source, grade_id, tags)."""
    entries = []
    for cell in cells:
        source, grade_id, tags = (cell, "", []) if isinstance(cell, str) else cell
        metadata = {"tags": list(tags)}
        if grade_id:
            metadata["nbgrader"] = {"grade_id": grade_id, "solution": True}
        entries.append({"cell_type": "code", "metadata": metadata, "source": source,
                        "outputs": [], "execution_count": None})
    document = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": entries}
    Path(path).write_text(json.dumps(document))
    return Path(path)


def run_checks(*checks):
    """Call each check(); fail with the messages of all the checks that failed."""
    failures = []
    for check in checks:
        try:
            check()
        except AssertionError as error:
            name = getattr(check, "__name__", None) or check.func.__name__
            failures.append(f"{name}: {error}")
    assert not failures, "\n\n".join(failures)
