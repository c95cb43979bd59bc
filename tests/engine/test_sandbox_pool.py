"""Grading through real workers, with bwrap and without: the outcomes of a small class.

One batch per sandbox mode (one test each: see sandbox_support) grades: the
solution (twice, for determinism), a cell that ignores SIGALRM and loops
forever, a probe that does the same, a cell that kills its own process, and
a notebook that is not JSON. Everything
else about each student must still be graded, and judged full marks.
"""
import functools
import json
import os
import signal
import threading

import numpy as np
import pytest

from autograders import registry
from autograders.catalogue import TOPICS, topic_module
from autograders.items import ITEMS_BY_ID
from autograders.sandbox.pool import Job, Limits, WorkerPool
from tests.engine.sandbox_support import SANDBOXES, run_checks, solution_submission, source_notebooks

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::autograders.sandbox.pool.SandboxWarning")]

# Cells of the solution notebooks take up to ~2 s on a loaded 2-core machine.
LIMITS = Limits(cell_timeout=10, probe_timeout=5, kill_grace=1, submission_timeout=120)
HANG_IGNORING_ALARM = ("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                       "while True:\n    pass\n")
SLOW_SIGMOID = ("def sigmoid(x):\n" + "\n".join("    " + line
                for line in HANG_IGNORING_ALARM.splitlines()))


def insert_cell(folder, notebook, position, source):
    path = folder / f"{notebook}.ipynb"
    document = json.loads(path.read_text())
    document["cells"].insert(position, {"cell_type": "code", "metadata": {}, "source": source,
                                        "outputs": [], "execution_count": None})
    path.write_text(json.dumps(document))


def build_class(course):
    folders = {name: solution_submission(course, name)
               for name in ("solution", "solution_again", "hang", "slow_probe", "crash",
                            "not_json")}
    insert_cell(folders["hang"], "01_activations", 2, HANG_IGNORING_ALARM)
    insert_cell(folders["slow_probe"], "01_activations", 999, SLOW_SIGMOID)
    insert_cell(folders["crash"], "02_numpy_network", 2, "import os\nos._exit(3)")
    (folders["not_json"] / "02_numpy_network.ipynb").write_text('{"cells": [\n  {"cell_type": \n')
    return folders


def grade_class(sandbox, course):
    """student -> SandboxRun for the whole class."""
    folders = build_class(course)
    present = source_notebooks()  # while a notebook is not written yet, grade the others
    jobs = [Job(name, "neural_networks", folder, present, tuple(items_of(present)))
            for name, folder in folders.items()]
    with WorkerPool(workers=2, limits=LIMITS, sandbox=sandbox) as pool:
        runs = {run.student_id: run for run in pool.run(jobs)}
    assert set(runs) == set(folders)  # the batch completes
    return runs


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_grading_a_small_class(sandbox, tmp_path):
    runs = grade_class(sandbox, tmp_path)
    run_checks(*(functools.partial(check, sandbox, runs) for check in (
        check_the_solution_gets_full_marks, check_grading_is_deterministic,
        check_a_cell_ignoring_its_alarm_is_killed_and_the_rest_still_graded,
        check_a_probe_ignoring_its_alarm_costs_only_its_item,
        check_a_cell_killing_its_process_is_skipped_on_a_second_run,
        check_a_notebook_that_is_not_json)))


def available_judges():
    """registry.judges(), but without the topics whose judges cannot be imported yet
    (work in progress elsewhere must not fail the sandbox's tests)."""
    judges = {}
    for topic in TOPICS:
        try:
            module = topic_module(topic, "judges")
        except ImportError:
            continue
        judges.update(module.JUDGES if module else {})
    return judges


def lost_points(run):
    """{item: message} of the observed items the judges do not give full marks."""
    judges = available_judges()
    lost = {}
    for item, observations in run.observations.items():
        if item not in judges:
            continue
        verdict = judges[item](observations)
        if not verdict.passed:
            lost[item] = verdict.message
    return lost


def items_of(notebooks):
    return {item for item in registry.probes() if ITEMS_BY_ID[item].notebook in notebooks}


def check_the_solution_gets_full_marks(mode, runs):
    run = runs["solution"]
    present = set(source_notebooks())
    assert set(run.observations) == items_of(present)
    assert lost_points(run) == {}
    assert run.sandboxed == (mode != "none") and run.isolation == mode
    assert run.status == "ok" and run.message == "" and run.probe_errors == {}
    for notebook in run.notebooks.values():
        assert notebook.status == "ok" and notebook.cells == []


def check_grading_is_deterministic(mode, runs):
    first, second = runs["solution"].observations, runs["solution_again"].observations
    assert set(first) == set(second)
    for item in first:
        assert_same(first[item], second[item], item)


def assert_same(a, b, where):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype, where
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, dict):
        assert set(a) == set(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    else:
        assert a == b, where


def check_a_cell_ignoring_its_alarm_is_killed_and_the_rest_still_graded(mode, runs):
    run = runs["hang"]
    assert run.status == "timeout"
    assert run.message == f"01_activations: timed out after {LIMITS.cell_timeout:g} s in cell 3"
    notebook = run.notebooks["01_activations"]
    assert [(c.index, c.status) for c in notebook.cells] == [(2, "timeout")]
    assert set(run.observations) == set(runs["solution"].observations)
    assert lost_points(run) == {}


def check_a_probe_ignoring_its_alarm_costs_only_its_item(mode, runs):
    run = runs["slow_probe"]
    assert run.probe_errors == {"sigmoid": "timed out after 5 s in the probe of `sigmoid`"}
    assert run.status == "timeout"
    assert set(run.observations) == set(runs["solution"].observations) - {"sigmoid"}
    assert lost_points(run) == {}


def check_a_cell_killing_its_process_is_skipped_on_a_second_run(mode, runs):
    run = runs["crash"]
    assert run.status == "crashed"
    assert run.message == ("02_numpy_network: crashed in cell 3: the process exited with "
                           "status 3")
    assert set(run.observations) == set(runs["solution"].observations)
    assert lost_points(run) == {}


def check_a_notebook_that_is_not_json(mode, runs):
    run = runs["not_json"]
    notebook = run.notebooks["02_numpy_network"]
    assert notebook.status == "unreadable"
    assert notebook.message.startswith("02_numpy_network.ipynb is not valid JSON at line 3")
    assert run.status == "unreadable"
    assert run.message.startswith("02_numpy_network.ipynb is not valid JSON at line 3")
    unreadable_items = items_of({"02_numpy_network"})
    assert not unreadable_items & set(run.observations)
    assert all(run.probe_errors[item].startswith("not probed: 02_numpy_network.ipynb is not")
               for item in unreadable_items)
    others = set(source_notebooks()) - {"02_numpy_network"}
    assert set(run.observations) == items_of(others)
    assert lost_points(run) == {}


def test_a_hung_worker_is_replaced_and_the_next_submission_graded(tmp_path):
    """The watchdog outside the worker: here the worker is frozen with SIGSTOP."""
    folder = solution_submission(tmp_path, "frozen")
    insert_cell(folder, "01_activations", 0, "import time\ntime.sleep(2)")
    limits = Limits(submission_timeout=3, watchdog_grace=2)
    jobs = [Job("frozen", "neural_networks", folder, notebooks=("01_activations",)),
            Job("next", "neural_networks", solution_submission(tmp_path, "next"),
                notebooks=("01_activations",))]
    with WorkerPool(workers=1, limits=limits, sandbox="none") as pool:
        worker_pid = pool.workers[0].process.pid
        threading.Timer(1.0, os.kill, (worker_pid, signal.SIGSTOP)).start()
        runs = {run.student_id: run for run in pool.run(jobs)}
    assert runs["frozen"].status == "timeout"
    assert "did not answer within 5 s" in runs["frozen"].message
    assert runs["next"].status == "ok"
    assert set(runs["next"].observations) == items_of({"01_activations"})
