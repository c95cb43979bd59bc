"""Judging: what the sandbox returned (SandboxRun) -> scores and feedback (SubmissionResult).

Runs in the trusted parent, never beside student code. For every auto item
of the job, the registry's judge reads the item's observations. Nothing here
raises because of a student:
- an item without observations (notebook missing or unreadable, probe timed
  out, sandbox crashed) scores 0 with the reason from the run, e.g.
  "not graded: 02_numpy_network.ipynb: notebook is not valid JSON at line 12";
- a judge that raises, or returns something that is not a valid verdict for
  its item, is an engine error: 0 points for that item, the traceback kept
  for the instructor (``SubmissionResult.engine_errors``, never shown to the
  student), the submission's status ``engine_error``, and the batch goes on.
Verdicts come in points-table order, so results are deterministic.
"""
import dataclasses
import functools
import time
import traceback

from autograders import registry
from autograders.items import ITEMS, ITEMS_BY_ID, NOTEBOOKS
from autograders.result import ENGINE_ERROR, STATUSES, NotebookRun, SubmissionResult
from autograders.verdict import Verdict

# Written into summary.json; shards merge only when it matches (0.2.0: submission.json
# holds each student's graded code, which the class report needs).
ENGINE_VERSION = "0.2.0"

ENGINE_ERROR_MESSAGE = ("Not graded: the grader itself failed on this item (an engine error, "
                        "not your mistake). Your instructor has been told.")
STATUS_REASONS = {
    "missing": "the submission has no {notebook}.ipynb",
    "unreadable": "{notebook}.ipynb could not be read",
    "timeout": "{notebook}.ipynb timed out",
    "crashed": "{notebook}.ipynb crashed the grading process",
}


@functools.lru_cache(maxsize=None)
def _registry():
    return registry.probes(), registry.judges()


def graded_items(notebooks=NOTEBOOKS):
    """The auto items of these notebooks (release names), in points-table order.

    Items whose topic has no probe and judge yet are left out, as the pytest
    runner skips them.
    """
    probes, judges = _registry()
    return tuple(item for item in ITEMS
                 if item.kind == "auto" and item.id in probes and item.id in judges
                 and item.notebook in notebooks)


def grade_run(run, items):
    """Judge one SandboxRun on the given items (see graded_items)."""
    started = time.perf_counter()
    _, judges = _registry()
    notebooks = {name: _notebook_run(nb) for name, nb in run.notebooks.items()}
    verdicts, engine_errors = [], {}
    for item in _in_table_order(items):
        if item.id in run.observations:
            verdict, error = _judge(judges[item.id], item, run.observations[item.id])
        else:
            verdict, error = _not_graded(run, notebooks, item)
        if error:
            engine_errors[item.id] = error
        verdicts.append(_with_cell_note(verdict, notebooks, item))
    status, message = _status(run, notebooks, engine_errors)
    return SubmissionResult(run.student_id, run.assignment, status, message,
                            run.seconds + time.perf_counter() - started, verdicts, notebooks,
                            run.sandboxed, engine_errors, isolation=run.isolation)


def lost_submission(student_id, assignment, items, why):
    """The result of a job the sandbox never returned: an engine error on every item."""
    verdicts = [_engine_error(item) for item in _in_table_order(items)]
    return SubmissionResult(student_id, assignment, ENGINE_ERROR, f"engine error: {why}", 0.0,
                            verdicts, {}, True, {"": why})


# ------------------------------------------------------------------ one item
def _judge(judge, item, observations):
    """(verdict, None), or (a zero verdict, the traceback) when the judge fails."""
    try:
        verdict = judge(observations)
        _check(verdict, item)
        return verdict, None
    except Exception:  # noqa: BLE001 - a judge bug must not sink the batch
        return _engine_error(item), traceback.format_exc()


def _check(verdict, item):
    if not isinstance(verdict, Verdict):
        raise TypeError(f"judge of {item.id} returned {type(verdict).__name__}, not a Verdict")
    if verdict.item != item.id or verdict.max_points != item.points:
        raise ValueError(f"judge of {item.id} returned a verdict for {verdict.item} "
                         f"worth {verdict.max_points}, not {item.points}")
    if not 0 <= verdict.points <= verdict.max_points:
        raise ValueError(f"judge of {item.id} gave {verdict.points} of {verdict.max_points} points")


def _not_graded(run, notebooks, item):
    """A zero verdict saying why the item has no observations (engine error if unexplained)."""
    notebook = notebooks.get(item.notebook)
    failed = notebook is not None and notebook.status != "ok"
    reason = _notebook_reason(notebook) if failed else run.probe_errors.get(item.id)
    if reason is None and run.status != "ok":
        reason = run.message or STATUS_REASONS.get(run.status, run.status).format(
            notebook=item.notebook)
    if reason is None:
        why = f"no observations for {item.id} came back, and the sandbox reported no failure"
        return _engine_error(item), why
    return _zero(item, f"not graded: {reason}", {"not_graded": True}), None


def _notebook_reason(notebook):
    file_name = f"{notebook.name}.ipynb"
    if not notebook.message:
        return STATUS_REASONS.get(notebook.status, notebook.status).format(notebook=notebook.name)
    if file_name in notebook.message:
        return notebook.message
    return f"{file_name}: {notebook.message}"


def _zero(item, message, details):
    return Verdict(item.id, 0, item.points, (), message, details)


def _engine_error(item):
    return _zero(item, ENGINE_ERROR_MESSAGE, {"engine_error": True})


def _with_cell_note(verdict, notebooks, item):
    """Add the error of the item's own solution cell, if it failed when the notebook ran."""
    notebook = notebooks.get(item.notebook)
    cells = notebook.cells if notebook else []
    failed = next((cell for cell in cells if cell.grade_id == item.id), None)
    if failed is None or verdict.passed:
        return verdict
    what = "timed out" if failed.status == "timeout" else "raised an error"
    note = f"\n(Your cell {item.id!r} {what} when the notebook ran: {failed.message})"
    return dataclasses.replace(verdict, message=verdict.message + note)


# ------------------------------------------------------------------ the submission
def _status(run, notebooks, engine_errors):
    """The worst of the run's and its notebooks' statuses, with the reasons in one line."""
    statuses = [run.status] + [nb.status for nb in notebooks.values()]
    known = [s for s in statuses if s in STATUSES]
    status = max(known, key=STATUSES.index) if known else "crashed"
    reasons = [run.message] if run.message else []
    # The worker's summary (run.message) may already name a notebook's failure.
    reasons += [_notebook_reason(nb) for nb in notebooks.values()
                if nb.status != "ok" and not (nb.message and nb.message in run.message)]
    # Probe failures in notebooks that ran (a failed notebook's reason says it all).
    failed = {name for name, nb in notebooks.items() if nb.status != "ok"}
    reasons += [message for item, message in sorted(run.probe_errors.items())
                if item not in ITEMS_BY_ID or ITEMS_BY_ID[item].notebook not in failed]
    if engine_errors:
        status = ENGINE_ERROR
        reasons.insert(0, "engine error in " + ", ".join(sorted(k or "submission"
                                                              for k in engine_errors)))
    return status, "; ".join(dict.fromkeys(reasons))


def _notebook_run(value):
    """A NotebookRun, whether the sandbox sent the dataclass or its JSON."""
    return value if isinstance(value, NotebookRun) else NotebookRun.from_json(value)


def _in_table_order(items):
    order = {item.id: index for index, item in enumerate(ITEMS)}
    return sorted(items, key=lambda item: order[item.id])
