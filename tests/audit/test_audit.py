"""The audit: mutants of the reference, graded, classified and reported.

Kept lean: the mutants of small items only (relu's four, step's, net_f_df_relu's).
"""
import json

import numpy as np
import pytest

from autograders import cli, grading, registry
from autograders.audit import equivalence, mutants
from autograders.topics.activations import cases
from autograders.verdict import Verdict
from tests.engine import fakes


def mutant(item, description):
    """The one mutant of item whose description contains this text."""
    found = [m for m in mutants.all_mutants({item}) if description in m.description]
    assert len(found) == 1, [m.description for m in found]
    return found[0]


def audit(tmp_path, *args, pool_module=None):
    """Run the audit command; (exit status, audit.json's data)."""
    out = tmp_path / "audit"
    status = cli.main(["audit", "--out", str(out), "--workers", "2", *args],
                      pool_module=pool_module)
    return status, json.loads((out / "audit.json").read_text())


def outcomes(data):
    return {m["description"]: m for m in data["mutants"]}


def test_swapped_arguments_of_maximum_are_probably_equivalent():
    swapped = mutant("relu", "arguments 1 and 2 swapped in `np.maximum(0.0")
    wrong = mutant("relu", "constant 0.0 -> 1.0")
    reference = equivalence.Reference()
    assert equivalence.compare(swapped.to_json(), reference)["equivalent"]
    answer = equivalence.compare(wrong.to_json(), reference)
    assert not answer["equivalent"]
    assert answer["input"].startswith("the judge's input: relu(array(")


def test_mutants_are_distinct_compiling_and_the_same_every_time():
    first, second = mutants.all_mutants({"backprop"}), mutants.all_mutants({"backprop"})
    assert first == second
    assert len({m.source for m in first}) == len(first)
    for m in first:
        compile(m.source, m.id, "exec")
    operators = {m.operator for m in first}
    assert {"batch_division", "transposes", "axes", "constants"} <= operators
    assert mutants.all_mutants({"backprop"}, sample=5) == mutants.all_mutants({"backprop"}, 5)


def shape_only_relu(observations):
    """A relu judge with its values check removed: right shapes get full marks."""
    calls = observations.get("calls") or []
    inputs = [args[0] for _label, args in cases.calls("relu")]
    ok = len(calls) == len(inputs) and all(
        call.get("error") is None and np.shape(call.get("value")) == np.shape(x)
        for call, x in zip(calls, inputs))
    return Verdict("relu", 1 if ok else 0, 1, (), "checked shapes only")


@pytest.fixture
def weakened_relu(monkeypatch):
    judges = dict(registry.judges(), relu=shape_only_relu)
    monkeypatch.setattr(registry, "judges", lambda: judges)
    grading._registry.cache_clear()
    yield
    grading._registry.cache_clear()


def test_a_weakened_judge_lowers_the_score_and_lists_what_it_lets_through(tmp_path,
                                                                           weakened_relu):
    status, data = audit(tmp_path, "--items", "relu", pool_module=fakes.FAKE_POOL)
    assert status == 0
    relu = data["summary"]["items"]["relu"]
    # The real judge scores 1.0 here (test_a_sampled_audit_on_the_sandboxed_engine).
    assert relu["score"] < 1.0 and relu["missed"] == 2
    missed = [m for m in data["mutants"] if m["outcome"] == "missed"]
    assert {m["description"].split(": ", 1)[1][:20] for m in missed} == {
        "constant 0.0 -> 1.0", "returns `x` instead "}
    for m in missed:
        assert m["input"].startswith("the judge's input: relu(array(") and m["difference"]
    assert "Distinguishing input" in (tmp_path / "audit" / "audit.html").read_text()


def test_a_sampled_audit_on_the_sandboxed_engine(tmp_path):
    """End to end on the real pool: hand-picked mutants' outcomes, the report, and a
    rerun that reuses every result and classifies the same."""
    args = ("--items", "relu", "net_f_df_relu", "--sample", "6")
    status, data = audit(tmp_path, *args)
    assert status == 0
    got = outcomes(data)
    swapped = mutant("relu", "arguments 1 and 2 swapped in `np.maximum(0.0")
    wrong_relu = mutant("relu", "constant 0.0 -> 1.0")
    wrong_pair = mutant("net_f_df_relu", "constant 0.0 -> 1.0")
    assert got[swapped.description]["outcome"] == "equivalent"
    assert got[wrong_relu.description]["outcome"] == "killed_on_item"
    assert got[wrong_relu.description]["lost"] == {"relu": [0, 1]}
    # The whole notebook is graded: forward_step, whose default activation it is, loses too.
    pair = got[wrong_pair.description]
    assert pair["outcome"] == "killed_on_item"
    assert {"net_f_df_relu", "forward_step"} <= set(pair["lost"])
    # The real judge kills every non-equivalent relu mutant (the weakened one above does not).
    assert data["summary"]["items"]["relu"]["score"] == 1.0
    assert data["summary"]["items"]["relu"]["equivalent"] == 1
    assert (tmp_path / "audit" / "audit.html").read_text().startswith("<!DOCTYPE html>")
    status, again = audit(tmp_path, *args)
    assert status == 0 and again["timings"]["reused"] == again["timings"]["graded"]
    assert [(m["id"], m["outcome"]) for m in again["mutants"]] == [
        (m["id"], m["outcome"]) for m in data["mutants"]]
