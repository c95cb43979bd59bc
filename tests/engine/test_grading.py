"""autograders.grading: SandboxRun -> SubmissionResult, never raising because of a student."""
import copy
import dataclasses
import json

import pytest

from autograders import grading
from autograders.items import ASSIGNMENT, ITEMS, items_of
from autograders.result import ENGINE_ERROR, CellRun, NotebookRun, SandboxRun, SubmissionResult
from autograders.verdict import Verdict
from tests.engine import fakes



@pytest.fixture(scope="module")
def graded():
    return grading.graded_items()


@pytest.fixture(scope="module")
def honest_run(tmp_path_factory, graded):
    folder = fakes.write_submission(tmp_path_factory.mktemp("honest") / ASSIGNMENT)
    return fakes.run_job(fakes.Job("alice", ASSIGNMENT, folder, fakes.NOTEBOOKS,
                                   tuple(i.id for i in graded)))


def fresh(run, **changes):
    return dataclasses.replace(copy.deepcopy(run), **changes)


def by_item(result):
    return {v.item: v for v in result.verdicts}


def test_honest_run_gets_full_marks_in_table_order(honest_run, graded):
    result = grading.grade_run(honest_run, graded)
    assert result.status == "ok" and result.message == "" and not result.engine_errors
    assert [v.item for v in result.verdicts] == [i.id for i in ITEMS if i in graded]
    assert result.score == result.max_score == sum(i.points for i in graded)


def test_graded_items_follow_the_notebooks(graded):
    assert grading.graded_items(("02_numpy_network",)) == tuple(
        i for i in items_of("02_numpy_network") if i in graded)
    assert all(i.kind == "auto" for i in graded)


def test_unreadable_notebook_costs_its_items_with_the_reason(honest_run, graded):
    nb_items = {i.id for i in items_of("02_numpy_network")}
    run = fresh(honest_run, observations={k: v for k, v in honest_run.observations.items()
                                          if k not in nb_items})
    run.notebooks["02_numpy_network"] = NotebookRun(
        "02_numpy_network", "unreadable", "notebook is not valid JSON at line 12")
    result = grading.grade_run(run, graded)
    verdicts = by_item(result)
    for item_id in nb_items & set(verdicts):
        assert verdicts[item_id].points == 0
        assert verdicts[item_id].message == (
            "not graded: 02_numpy_network.ipynb: notebook is not valid JSON at line 12")
    assert verdicts["sigmoid"].passed
    assert result.status == "unreadable"
    assert "not valid JSON at line 12" in result.message
    assert not result.engine_errors


def test_probe_timeout_is_reported_for_its_item(honest_run, graded):
    run = fresh(honest_run, probe_errors={"backprop": "timed out after 30 s in `backprop`"})
    del run.observations["backprop"]
    result = grading.grade_run(run, graded)
    assert by_item(result)["backprop"].message == "not graded: timed out after 30 s in `backprop`"
    assert by_item(result)["backprop"].points == 0
    assert "timed out after 30 s in `backprop`" in result.message
    assert result.score == result.max_score - 5


def test_crashed_submission_scores_zero_with_the_reason(graded):
    run = SandboxRun("bob", ASSIGNMENT, status="crashed", message="the sandbox was killed (memory)")
    result = grading.grade_run(run, graded)
    assert result.score == 0 and result.status == "crashed"
    assert {v.message for v in result.verdicts} == {"not graded: the sandbox was killed (memory)"}


def test_missing_notebook_default_reason(honest_run, graded):
    nb_items = {i.id for i in items_of("01_activations")}
    run = fresh(honest_run, observations={k: v for k, v in honest_run.observations.items()
                                          if k not in nb_items})
    run.notebooks["01_activations"] = NotebookRun("01_activations", "missing")
    result = grading.grade_run(run, graded)
    assert by_item(result)["sigmoid"].message == (
        "not graded: the submission has no 01_activations.ipynb")
    assert result.status == "missing"


def test_failed_solution_cell_is_named_in_the_feedback(honest_run, graded):
    run = fresh(honest_run)
    run.observations["sigmoid"] = {"missing": True}   # what the probe sees when the cell failed
    run.notebooks["01_activations"].cells.append(
        CellRun(3, "sigmoid", "error", "NameError: name 'np' is not defined"))
    result = grading.grade_run(run, graded)
    message = by_item(result)["sigmoid"].message
    assert "Your cell 'sigmoid' raised an error when the notebook ran: NameError" in message


def broken_judges(monkeypatch, **replacements):
    probes, judges = grading._registry()
    monkeypatch.setattr(grading, "_registry", lambda: (probes, {**judges, **replacements}))


def test_judge_that_raises_is_an_engine_error_for_that_item_only(honest_run, monkeypatch, graded):
    def explode(observations):
        raise ZeroDivisionError("judge bug")
    broken_judges(monkeypatch, backprop=explode)
    result = grading.grade_run(honest_run, graded)
    verdict = by_item(result)["backprop"]
    assert verdict.points == 0 and verdict.message == grading.ENGINE_ERROR_MESSAGE
    assert "Traceback" not in verdict.message and "judge bug" not in verdict.message
    assert "ZeroDivisionError: judge bug" in result.engine_errors["backprop"]
    assert result.status == ENGINE_ERROR and "engine error in backprop" in result.message
    assert result.score == result.max_score - 5


@pytest.mark.parametrize("bad", [
    None,
    Verdict("tanh", 1, 1),                 # another item's verdict
    Verdict("backprop", 7, 5),             # more than the points
    Verdict("backprop", 1, 4),             # wrong max points
])
def test_judge_returning_a_bad_verdict_is_an_engine_error(honest_run, monkeypatch, bad, graded):
    broken_judges(monkeypatch, backprop=lambda observations: bad)
    result = grading.grade_run(honest_run, graded)
    assert "backprop" in result.engine_errors and by_item(result)["backprop"].points == 0


def test_unexplained_missing_observations_are_an_engine_error(honest_run, graded):
    run = fresh(honest_run)
    del run.observations["cost"]
    result = grading.grade_run(run, graded)
    assert "cost" in result.engine_errors and result.status == ENGINE_ERROR


def test_lost_submission(graded):
    result = grading.lost_submission("eve", ASSIGNMENT, graded, "the sandbox returned no result")
    assert result.status == ENGINE_ERROR and result.score == 0
    assert len(result.verdicts) == len(graded) and result.engine_errors


def test_grading_is_deterministic_and_round_trips(honest_run, graded):
    first = grading.grade_run(copy.deepcopy(honest_run), graded).to_json()
    second = grading.grade_run(copy.deepcopy(honest_run), graded).to_json()
    first.pop("execution_time"), second.pop("execution_time")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    result = grading.grade_run(honest_run, graded)
    again = SubmissionResult.from_json(json.loads(json.dumps(result.to_json())))
    assert again.to_json() == json.loads(json.dumps(result.to_json()))


def test_engine_version_matches_the_package():
    import tomllib
    from pathlib import Path
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert grading.ENGINE_VERSION == project["project"]["version"]
