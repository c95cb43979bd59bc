"""Test stand-ins for the grading engine's tests: small courses and an in-process pool.

``InProcessPool`` has the interface of autograders.sandbox.pool.WorkerPool
but runs the notebooks *in this process*, without any sandbox: it exists to
test discovery, judging and reports quickly, and is never a grading path.
``FAKE_POOL`` is a stand-in for the module autograders.sandbox.pool (Job,
Limits, WorkerPool) to pass to ``autograders.cli.main(..., pool_module=...)``.

Notebooks of the sample courses are tiny: the reference modules' source as
code cells (as a student's solution cells would define them), plus a cell
that redefines one function wrongly for the buggy students.
"""
import dataclasses
import functools
import copy
import inspect
import json
import re
import tempfile
import textwrap
import types
from pathlib import Path

import nbformat

import reference.activations
import reference.experiments
import reference.numpy_net
import reference.regression
import reference.training
from autograders import observations as obs_io
from autograders import registry
from autograders.items import ASSIGNMENT, NOTEBOOKS, items_of
from autograders.result import CellRun, NotebookRun, SandboxRun
from autograders.submission import load_notebook

SOURCES = {
    "01_activations": [inspect.getsource(reference.activations)],
    "02_numpy_network": [inspect.getsource(reference.numpy_net)],
    "03_pytorch_training": [
        inspect.getsource(reference.regression), inspect.getsource(reference.training),
        "simple_net_parameter_count = 97",
    ],
    "04_fitting": [
        inspect.getsource(reference.regression), "large_net_parameter_count = 1537",
        "\n".join(f"{name} = {getattr(reference.experiments, constant).to_dict()!r}"
                  for name, constant in (("underfit_settings", "UNDERFIT"),
                                         ("overfit_settings", "OVERFIT"),
                                         ("early_stop_settings", "EARLY_STOP"))),
    ],
}

# Wrong versions of one function each, as a student's solution cell.
BUGS = {
    "backprop_wrong_sign": ("02_numpy_network", textwrap.dedent("""
        _right_backprop = backprop
        def backprop(y_target, y_layers, df_layers, weights):
            dw, db = _right_backprop(y_target, y_layers, df_layers, weights)
            return [-w for w in dw], [-b for b in db]
        """)),
    "train_double_lr": ("03_pytorch_training", textwrap.dedent("""
        _right_train = train_and_evaluate
        def train_and_evaluate(model, train_loader, val_loader, epochs, lr, early_stop=False,
                               patience=5, device="cpu"):
            return _right_train(model, train_loader, val_loader, epochs, 2 * lr,
                                early_stop, patience, device)
        """)),
    "sigmoid_raises": ("01_activations", textwrap.dedent("""
        def sigmoid(x):
            raise ValueError("<script>alert('x')</script> & \\x00\\x1b[31m friends")
        """)),
}

CONFIG = "c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = 'test-course'\n"


def notebook(sources, grade_ids=None):
    """An nbformat notebook of code cells (grade ids as nbgrader's metadata)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for index, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source)
        grade_id = (grade_ids or {}).get(index)
        if grade_id:
            cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True}
        nb.cells.append(cell)
    return nb


def write_submission(folder, bug=None, broken=(), missing=(), notebooks=NOTEBOOKS):
    """One student's assignment folder: honest notebooks, one bug, broken or missing ones."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in notebooks:
        path = folder / f"{name}.ipynb"
        if name in missing:
            continue
        if name in broken:
            path.write_text('{"cells": [\n  {"cell_type": "code",\n   "source": oops\n')
            continue
        sources = list(SOURCES[name])
        grade_ids = {}
        if bug and BUGS[bug][0] == name:
            sources.append(BUGS[bug][1])
            grade_ids[len(sources) - 1] = re.search(r"def (\w+)\(", BUGS[bug][1]).group(1)
        nbformat.write(notebook(sources, grade_ids), path)
    return folder


def make_course(root, students, config=CONFIG):
    """A course folder: nbgrader_config.py and submitted/<student>/<assignment>/.

    students: {student_id: dict of write_submission's keyword arguments}.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(config)
    for student_id, options in students.items():
        write_submission(root / "submitted" / student_id / ASSIGNMENT, **options)
    return root


# ------------------------------------------------------------------ the in-process pool
@dataclasses.dataclass(frozen=True)
class Job:
    student_id: str
    assignment: str
    folder: Path
    notebooks: tuple
    items: tuple


@dataclasses.dataclass(frozen=True)
class Limits:
    cell_timeout: float = 30.0
    probe_timeout: float = 30.0
    submission_timeout: float = 180.0
    submission_bytes: int = 256 * 2**20


class InProcessPool:
    """WorkerPool's interface, run in this process with no isolation (tests only)."""
    instances = []   # every pool made, so tests can look at the arguments it got
    jobs_run = []    # the student id of every job run, in order

    def __init__(self, workers=1, limits=None, sandbox="auto", hide=()):
        self.workers, self.limits, self.sandbox, self.hide = workers, limits, sandbox, hide
        InProcessPool.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def run(self, jobs):
        for job in jobs:
            InProcessPool.jobs_run.append(job.student_id)
            yield run_job(job)


FAKE_POOL = types.SimpleNamespace(Job=Job, Limits=Limits, WorkerPool=InProcessPool)


def run_job(job):
    """A SandboxRun for one job, computed in-process (cached by notebook content)."""
    run = SandboxRun(job.student_id, job.assignment, sandboxed=False, isolation="none")
    for name in job.notebooks:
        path = Path(job.folder) / f"{name}.ipynb"
        if not path.is_file():
            run.notebooks[name] = NotebookRun(name, "missing",
                                              f"the submission has no {name}.ipynb")
            continue
        notebook_run, observations = _notebook_outcome(path.read_bytes(), name)
        run.notebooks[name] = notebook_run
        wanted = {i.id for i in items_of(name)}
        run.observations.update({k: copy.deepcopy(v) for k, v in observations.items()
                                 if k in wanted and k in job.items})
    return run


@functools.lru_cache(maxsize=None)
def _notebook_outcome(content, name):
    try:
        json.loads(content)
    except ValueError as exc:
        message = f"notebook is not valid JSON at line {exc.lineno}"
        return NotebookRun(name, "unreadable", message), {}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"{name}.ipynb"
        path.write_bytes(content)
        loaded = load_notebook(path)
        cells = [CellRun(f.index, f.grade_id, "error", f"{f.error['type']}: {f.error['message']}")
                 for f in loaded.failures]
        observations = {}
        for item_id in [i.id for i in items_of(name)]:
            probe = registry.probes().get(item_id)
            if probe is not None:
                observations[item_id] = obs_io.round_trip(probe(loaded.namespace),
                                                          Path(scratch) / item_id)
    return NotebookRun(name, "ok", "", cells), observations


# ------------------------------------------------------------------ a graded sample class
SAMPLE_CLASS = {
    "alice": {},
    "bob": {"bug": "backprop_wrong_sign"},
    "carol": {"bug": "train_double_lr"},
    "dave": {"broken": ("02_numpy_network",)},
    "eve": {"missing": ("03_pytorch_training",)},
    "mallory": {"bug": "sigmoid_raises"},
}


@functools.lru_cache(maxsize=None)
def sample_results():
    """SubmissionResults of SAMPLE_CLASS plus one engine error (judged for real, in-process)."""
    from autograders import grading
    root = make_course(Path(tempfile.mkdtemp(prefix="sample_course_")), SAMPLE_CLASS)
    items = grading.graded_items()
    results = []
    for student_id in sorted(SAMPLE_CLASS):
        folder = root / "submitted" / student_id / ASSIGNMENT
        run = run_job(Job(student_id, ASSIGNMENT, folder, NOTEBOOKS, tuple(i.id for i in items)))
        results.append(grading.grade_run(run, items))
    results.append(grading.lost_submission("zed", ASSIGNMENT, items,
                                           "the sandbox returned no result"))
    return tuple(results)
