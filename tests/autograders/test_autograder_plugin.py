"""The hidden pytest autograders end to end: ``pytest autograders --submission``.

A submission folder holding the lecture's original code as notebooks 01 and
02 is graded in a fresh pytest process; the points summary must show the
losses the bank expects of it, and the missing notebooks 03 and 04 score 0.
"""
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
LECTURE = Path(__file__).parent / "bank" / "numpy_net" / "lecture_original.py"


def write_notebook(path, sources):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)


def run_autograders(submission):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "autograders", "--submission", str(submission),
         "-n", "0", "-p", "no:cacheprovider", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_lecture_code_scores_as_the_bank_says(tmp_path):
    for name in ("01_activations", "02_numpy_network"):
        write_notebook(tmp_path / f"{name}.ipynb", ["import numpy as np", LECTURE.read_text()])
    result = run_autograders(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr  # some tests failed
    lines = result.stdout.splitlines()
    assert "01_activations: 6/7" in lines  # sigmoid's RuntimeWarning
    assert "02_numpy_network: 8.5/16" in lines  # see lecture_original.py
    assert "the submission has no 03_pytorch_training.ipynb" in result.stdout
    assert any(line.startswith("score ") for line in lines)


def test_without_submission_everything_skips():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "autograders", "-n", "0", "-p", "no:cacheprovider",
         "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "skipped" in result.stdout and "passed" not in result.stdout
