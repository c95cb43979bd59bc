"""Execute a notebook in a fresh python3 kernel and collect its errors."""
import contextlib
import os
import tempfile
import time
from dataclasses import dataclass, field

import nbformat
from nbclient import NotebookClient

# The source notebooks' hidden tests import autograders and reference.
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class CellError:
    index: int
    grade_id: str
    ename: str
    evalue: str


@dataclass
class Execution:
    notebook: nbformat.NotebookNode
    seconds: float
    errors: list = field(default_factory=list)


def execute_notebook(path, timeout=120, allow_errors=False):
    """Run every cell of the notebook at path, in its own folder, Agg backend.

    With allow_errors, failing cells are recorded and execution goes on
    (as nbgrader autograde does); otherwise the first error raises.
    """
    notebook = nbformat.read(path, as_version=4)
    os.environ["MPLBACKEND"] = "Agg"
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if REPO_ROOT not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([REPO_ROOT, *filter(None, paths)])
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    start = time.perf_counter()
    with local_transport(client):
        client.execute()
    seconds = time.perf_counter() - start
    return Execution(notebook, seconds, list(cell_errors(notebook)))


@contextlib.contextmanager
def local_transport(client):
    """Talk to the kernel over Unix sockets where there are any (not Windows).

    Over TCP (nbclient's default) every kernel logs "Kernel is running over TCP
    without encryption", which reads as a problem. The sockets go in a private
    folder of their own (mode 700, a short absolute path: a relative one would
    resolve differently in the kernel's working folder), removed afterwards.
    """
    if os.name != "posix":
        yield
        return
    with tempfile.TemporaryDirectory(prefix="kernel-") as folder:
        client.km = client.create_kernel_manager()
        client.km.transport = "ipc"
        client.km.ip = os.path.join(folder, "ipc")
        yield


def cell_errors(notebook):
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                yield CellError(index, grade_id, output.ename, output.evalue)
