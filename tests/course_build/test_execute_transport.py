"""Kernels started for the demo and the student check talk over Unix sockets.

The kernel runs in the notebook's folder, the client here in the repository:
the sockets' path must not depend on either.

Over TCP, nbclient's default, every kernel logs "Kernel is running over TCP
without encryption", which a newcomer reads as a problem (`make demo` printed
it once per notebook).
"""
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = """
import sys
import nbformat
from course_build.execute import execute_notebook
run = execute_notebook(sys.argv[1])
print(run.notebook.cells[0].outputs[0]["text"].strip())
"""


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets: POSIX only (TCP elsewhere)")
def test_a_notebook_runs_without_the_tcp_warning(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]),
                   path)
    done = subprocess.run([sys.executable, "-c", RUN, str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "42"
    assert "without encryption" not in done.stderr, done.stderr
    # The sockets lived in a folder of their own: none left beside the notebook.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.ipynb"]
