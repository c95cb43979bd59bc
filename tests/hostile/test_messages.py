"""The one-line message of a submission whose notebook failed names the failure once.

Found (and fixed) by the hostile fixtures (ignore_signals, os_exit, kill_parent,
deep_recursion): the sandbox worker summarises each failed notebook as
"<name>: <message>" (sandbox/worker.py, _summary) and grading._status then
adds the same failure again as "<name>.ipynb: <message>", so grades.csv
says every problem twice.
"""
from autograders import grading
from autograders.items import ITEMS
from autograders.result import CellRun, NotebookRun, SandboxRun
from autograders.sandbox.worker import _summary

FAILURE = "timed out after 3 s in cell 3"


def test_a_notebook_failure_is_named_once():
    notebook = NotebookRun("01_activations", "timeout", FAILURE,
                           [CellRun(3, "", "timeout", FAILURE)])
    run = SandboxRun("student", "neural_networks", "timeout",
                     _summary({notebook.name: notebook}), notebooks={notebook.name: notebook})
    items = [item for item in ITEMS if item.notebook == notebook.name and item.kind == "auto"]
    result = grading.grade_run(run, items)
    assert result.message.count(FAILURE) == 1, result.message
