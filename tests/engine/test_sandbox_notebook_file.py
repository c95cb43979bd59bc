"""Reading submitted notebooks: the graded cells, or a message saying what is wrong."""
import json

import pytest

from autograders.sandbox.notebook_file import Unreadable, code_cells
from tests.engine.sandbox_support import write_notebook


def problem(path):
    with pytest.raises(Unreadable) as caught:
        code_cells(path)
    return caught.value.status, caught.value.message


def test_graded_cells_skip_demo_cells_and_magics(tmp_path):
    path = write_notebook(tmp_path / "01_activations.ipynb", [
        ("x = 1", "setup", []),
        ("%matplotlib inline\ny = 2", "", []),
        ("long_training()", "", ["demo"]),
    ])
    cells = code_cells(path)
    assert [(index, grade_id) for index, grade_id, _ in cells] == [(0, "setup"), (1, "")]
    assert "%matplotlib" not in cells[1][2] and "y = 2" in cells[1][2]


def test_a_source_given_as_a_list_of_lines_is_joined(tmp_path):
    path = write_notebook(tmp_path / "a.ipynb", ["placeholder"])
    notebook = json.loads(path.read_text())
    notebook["cells"][0]["source"] = ["a = 1\n", "b = a + 1\n"]
    path.write_text(json.dumps(notebook))
    assert code_cells(path)[0][2] == "a = 1\nb = a + 1"


def test_not_json_says_where(tmp_path):
    path = write_notebook(tmp_path / "02_numpy_network.ipynb", ["x = 1", "y = 2"])
    lines = json.dumps(json.loads(path.read_text()), indent=1).splitlines()
    lines[11] += " oops"
    path.write_text("\n".join(lines))
    status, message = problem(path)
    assert status == "unreadable"
    assert "02_numpy_network.ipynb is not valid JSON at line 12" in message


def test_truncated_json(tmp_path):
    path = write_notebook(tmp_path / "a.ipynb", ["x = 1"])
    path.write_text(path.read_text()[:40])
    assert "is not valid JSON at line 1" in problem(path)[1]


@pytest.mark.parametrize("content, expected", [
    ("", "a.ipynb is empty"),
    ("[1, 2]", "is not a notebook"),
    ('{"nbformat": 4, "cells": []}', "a.ipynb has no cells"),
    ('{"nbformat": 4}', "a.ipynb has no cells"),
    ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}', "cell 1 is malformed"),
    (b"\xff\xfe{}", "is not UTF-8 text"),
])
def test_broken_notebooks(tmp_path, content, expected):
    path = tmp_path / "a.ipynb"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    status, message = problem(path)
    assert status == "unreadable" and expected in message


def test_a_missing_notebook(tmp_path):
    assert problem(tmp_path / "01_activations.ipynb") == (
        "missing", "01_activations.ipynb is missing")
