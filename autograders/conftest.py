"""Hidden autograders: ``pytest autograders --submission PATH``.

PATH is a notebook (``.ipynb``) or an assignment folder holding the notebooks
by their release names (``01_activations.ipynb`` ... ``04_fitting.ipynb``).
A notebook named like a release notebook is graded for that notebook's items
(the others are skipped); a notebook with another name is graded for every
item. A folder lacking a notebook scores 0 on its items. Each notebook runs
once per session (demo cells skipped; see autograders.submission).
Without --submission every test skips. The last line of the report is the
score, e.g. ``score 51/58``; it is summed from the test reports, so it is
right under pytest-xdist too.
"""
from pathlib import Path

import pytest

from autograders.items import ITEMS, ITEMS_BY_ID, NOTEBOOKS


def pytest_addoption(parser):
    parser.addoption("--submission", action="store", default=None, metavar="PATH",
                     help="a submitted notebook (.ipynb) or assignment folder to grade")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): the points an autograder test is worth")


def notebook_path(submission, notebook):
    """The file that holds notebook's items in submission, or None if there is none."""
    if submission.is_dir():
        path = submission / f"{notebook}.ipynb"
        return path if path.is_file() else None
    return submission


def in_submission(submission, notebook):
    """False for the items of other notebooks when one release notebook is graded."""
    return submission.is_dir() or submission.stem not in NOTEBOOKS or submission.stem == notebook


@pytest.fixture(scope="session")
def submission(request):
    value = request.config.getoption("--submission")
    if not value:
        pytest.skip("no --submission PATH given")
    path = Path(value).resolve()
    if not path.exists():
        pytest.fail(f"--submission {value}: no such file or folder", pytrace=False)
    return path


@pytest.fixture(scope="session")
def loaded_notebook(submission):
    """loaded_notebook(name) -> LoadedNotebook, or None when the submission lacks it.

    Skips the test when a single release notebook is graded and name is another.
    """
    from autograders.submission import load_notebook  # nbformat: 1.5 s, only when grading
    cache = {}

    def load(notebook):
        if not in_submission(submission, notebook):
            pytest.skip(f"the submission is {submission.name} only")
        if notebook not in cache:
            path = notebook_path(submission, notebook)
            cache[notebook] = load_notebook(path) if path else None
        return cache[notebook]
    return load


def pytest_terminal_summary(terminalreporter):
    """Points per notebook and in total, from the verdicts the tests recorded."""
    verdicts = [value for reports in terminalreporter.stats.values() for report in reports
                if getattr(report, "when", None) == "call"
                for name, value in getattr(report, "user_properties", ()) if name == "verdict"]
    if not verdicts:
        return
    write = terminalreporter.write_line
    terminalreporter.section("points")
    for notebook in NOTEBOOKS:
        mine = [v for v in verdicts if ITEMS_BY_ID[v["item"]].notebook == notebook]
        if mine:
            write(f"{notebook}: {_points(mine)}")
    graded = {v["item"] for v in verdicts}
    notebooks = {ITEMS_BY_ID[item].notebook for item in graded}
    ungraded = [i for i in ITEMS
                if i.kind == "auto" and i.id not in graded and i.notebook in notebooks]
    manual = sum(i.points for i in ITEMS if i.kind == "manual")
    if ungraded:
        write(f"not graded in this run: {', '.join(i.id for i in ungraded)}")
    write(f"graded by hand (not included): {manual} points")
    write(f"score {_points(verdicts)}")


def _points(verdicts):
    got = sum(v["points"] for v in verdicts)
    total = sum(v["max_points"] for v in verdicts)
    return f"{got:g}/{total:g}"
