"""The worker's record of a notebook run, from the child's events and its own verdicts."""
from autograders.sandbox.limits import Limits
from autograders.sandbox.progress import NotebookProgress, SubmissionProgress

LIMITS = Limits(cell_timeout=30, probe_timeout=20, kill_grace=2)


def progress(items=("sigmoid", "tanh")):
    return NotebookProgress("01_activations", items, LIMITS)


def test_a_cell_killed_for_ignoring_its_alarm():
    record = progress()
    record.handle({"event": "cell", "index": 6, "grade_id": "backprop"}, now=100.0)
    assert record.deadline() == 132.0
    record.killed_for_step()
    assert record.run.status == "timeout"
    assert record.run.message == "timed out after 30 s in cell 7 (grade id backprop)"
    assert record.skip_cells == {6}
    assert record.remaining_items() == ["sigmoid", "tanh"]
    assert record.skipped_description() == "cell 7"


def test_a_probe_killed_is_not_probed_again():
    record = progress()
    record.handle({"event": "probe", "item": "sigmoid"}, now=0.0)
    record.handle({"event": "probe_end", "item": "sigmoid", "outcome": "ok"}, now=1.0)
    record.handle({"event": "probe", "item": "tanh"}, now=1.0)
    record.killed_for_step()
    assert record.probed == ["sigmoid"]
    assert record.probe_errors == {"tanh": "timed out after 20 s in the probe of `tanh`"}
    assert record.remaining_items() == []


def test_cell_errors_and_cooperative_timeouts_are_recorded():
    record = progress()
    record.handle({"event": "cell", "index": 0, "grade_id": ""}, now=0.0)
    record.handle({"event": "cell_end", "outcome": "error", "error": "NameError: x"}, now=0.1)
    record.handle({"event": "cell", "index": 2, "grade_id": "tanh"}, now=0.1)
    record.handle({"event": "cell_end", "outcome": "timeout"}, now=30.1)
    assert [(c.index, c.status, c.message) for c in record.run.cells] == [
        (0, "error", "NameError: x"),
        (2, "timeout", "timed out after 30 s in cell 3 (grade id tanh)")]
    assert record.run.status == "timeout"


def test_a_crash_names_the_step_and_the_signal():
    record = progress()
    record.handle({"event": "cell", "index": 3, "grade_id": "relu"}, now=0.0)
    step = record.crashed("was killed by SIGSEGV")
    assert step.key == 3 and record.skip_cells == {3}
    assert record.run.status == "crashed"
    assert record.run.message == (
        "crashed in cell 4 (grade id relu): the process was killed by SIGSEGV")


def test_the_submission_limit_leaves_the_rest_unprobed():
    record = progress()
    record.handle({"event": "probe", "item": "sigmoid"}, now=0.0)
    record.killed_for_submission(180)
    record.close()
    assert record.probe_errors["sigmoid"] == (
        "timed out after 180 s (the submission's time limit) in the probe of `sigmoid`")
    assert record.probe_errors["tanh"].startswith("not probed: timed out after 180 s")


def test_forged_or_malformed_events_are_ignored():
    record = progress()
    for event in ({"event": "probe", "item": "not_an_item"}, {"event": "cell", "index": "x"},
                  {"event": "cell_end", "outcome": "error"}, {"event": "malformed"},
                  {"event": "unreadable", "status": "ok"}):
        record.handle(event, now=0.0)
    assert record.step is None and record.run.status == "ok" and not record.run.cells


def test_a_submission_routes_events_to_the_running_notebook():
    first, second = progress(), NotebookProgress("02_numpy_network", ["cost"], LIMITS)
    submission = SubmissionProgress([first, second])
    for now, event in enumerate([
            {"event": "notebook", "name": "01_activations"},
            {"event": "probe", "item": "sigmoid"},
            {"event": "probe_end", "outcome": "ok"},
            {"event": "notebook_end"},
            {"event": "notebook", "name": "02_numpy_network"},
            {"event": "probe", "item": "cost"}]):
        submission.handle(event, float(now))
    assert first.finished and first.probed == ["sigmoid"] and first.run.seconds == 3.0
    assert submission.current is second and submission.pending() == [second]
    assert submission.deadline() == 5.0 + LIMITS.probe_timeout + LIMITS.kill_grace
    second.killed_for_step()
    submission.stop_clock(9.0)
    assert second.run.seconds == 5.0 and not submission.child_finished
    submission.handle({"event": "finished"}, 10.0)
    assert submission.child_finished
