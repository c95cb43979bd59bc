"""The README stays true: its points table and its commands."""
import re
from pathlib import Path

from autograders.items import points_table_markdown

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_points_table_matches_the_items():
    table = re.search(r"<!-- points-table -->\n(.*?)\n<!-- /points-table -->", README, re.S)
    assert table, "README lost its points-table markers"
    assert table[1] == points_table_markdown(), (
        "README points table is stale: paste `python -m autograders.items` between the markers")


def test_ci_runs_the_readme_test_command():
    assert "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_makefile_has_the_two_commands():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
