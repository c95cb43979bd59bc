"""autograders.reference_runs: the judges' slow reference values, cached and computed ahead.

The fitting judges' reference runs are the real user: keys are frozen
settings, values (history, kept validation loss). Cheap settings (a few
epochs) keep these tests fast.
"""
import csv
import dataclasses

import pytest

import reference.experiments
from autograders import cli, registry
from autograders.reference_runs import Prefetcher, ReferenceCache
from autograders.topics.fitting import judges as fitting
from tests.engine import fakes

CHEAP = dataclasses.replace(reference.experiments.UNDERFIT, epochs=2)


def observed(item, settings):
    """The fitting probe's observations of a settings dict."""
    return registry.probes()[item]({item: settings})


@pytest.fixture
def prefetch():
    with Prefetcher(2, registry.prefetch_hooks(), preload=registry.judge_modules()) as pool:
        yield pool


def test_the_cache_computes_each_key_once():
    calls = []
    cache = ReferenceCache(lambda key: calls.append(key) or key * 2)
    assert cache.get(3) == 6 and cache.get(3) == 6 and calls == [3]
    cache.put(3, "other")  # a value computed elsewhere never replaces one already there
    assert cache.get(3) == 6 and 4 not in cache


def test_only_fitting_items_have_prefetch_hooks():
    hooks = registry.prefetch_hooks()
    assert set(hooks) == set(fitting.JUDGES)
    assert all(cache is fitting.REFERENCE_RUNS for cache, _ in hooks.values())


@pytest.mark.parametrize("item, change, expected_keys", [
    ("underfit_settings", {}, 1),
    ("underfit_settings", {"epochs": "many"}, 0),          # invalid: the judge says why
    ("overfit_settings", {"early_stop": True}, 0),        # fails before any run
    ("early_stop_settings", {"early_stop": False}, 0),
    ("early_stop_settings", {"early_stop": True}, 1),
])
def test_only_runs_the_judge_will_look_up_are_asked_for(item, change, expected_keys):
    _, keys_of = registry.prefetch_hooks()[item]
    assert len(keys_of(observed(item, {**CHEAP.to_dict(), **change}))) == expected_keys


def test_prefetched_runs_equal_the_judges_own(prefetch):
    fitting.REFERENCE_RUNS.clear()
    observations = {"underfit_settings": observed("underfit_settings", CHEAP.to_dict())}
    wanted = prefetch.ask(observations)
    assert len(wanted) == 1
    assert prefetch.ask(observations) == wanted  # asked twice, computed once
    prefetch.wait(wanted)
    assert prefetch.ready(wanted)
    prefetch.store(wanted)
    key = fitting._run_key(CHEAP.to_dict())
    assert key in fitting.REFERENCE_RUNS
    assert fitting.REFERENCE_RUNS.get(key) == fitting._reference_run(key)
    assert prefetch.ask(observations) == ()  # cached: nothing more to compute


def test_a_failed_computation_is_left_to_the_judge():
    bad_key = fitting._run_key({**CHEAP.to_dict(), "model": "NoSuchNet"})
    cache, _ = registry.prefetch_hooks()["underfit_settings"]
    hooks = {"underfit_settings": (cache, lambda observations: (bad_key,))}
    with Prefetcher(1, hooks, preload=registry.judge_modules()) as failing:
        wanted = failing.ask({"underfit_settings": {}})
        failing.wait(wanted)
        failing.store(wanted)
    assert bad_key not in cache


def test_without_hooks_or_workers_nothing_is_computed_ahead():
    observations = {"underfit_settings": observed("underfit_settings", CHEAP.to_dict())}
    assert Prefetcher(2, {}).ask(observations) == ()
    assert Prefetcher(0, registry.prefetch_hooks()).ask(observations) == ()


def grade_course(tmp_path, monkeypatch, students):
    """(reference runs made in this process, fitting scores per student) of a graded course."""
    fitting.REFERENCE_RUNS.clear()
    in_parent = []
    real = reference.experiments.run_experiment
    monkeypatch.setattr(reference.experiments, "run_experiment",
                        lambda *args, **kwargs: in_parent.append(args) or real(*args, **kwargs))
    course = fakes.make_course(tmp_path / "course", {name: {} for name in students})
    out = tmp_path / "out"
    assert cli.main(["grade", "--course", str(course), "--out", str(out)],
                    pool_module=fakes.FAKE_POOL) == 0
    with open(out / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: [row[item] for item in fitting.JUDGES]
                for row in csv.DictReader(handle)}
    return in_parent, rows


def test_the_engine_judges_a_class_with_runs_computed_ahead(tmp_path, monkeypatch):
    """No reference run happens in the engine's parent: the pool computed them all."""
    in_parent, rows = grade_course(tmp_path, monkeypatch, ("alice", "bob"))
    assert in_parent == []
    assert rows == {"alice": ["2", "3", "3"], "bob": ["2", "3", "3"]}
    assert len([key for key in (fitting._run_key(s.to_dict()) for s in (
        reference.experiments.UNDERFIT, reference.experiments.OVERFIT,
        reference.experiments.EARLY_STOP)) if key in fitting.REFERENCE_RUNS]) == 3


def test_one_submission_is_judged_without_a_pool(tmp_path, monkeypatch):
    """Alone, the parent (which waits for it anyway) runs the reference: no pool to start,
    and the run with early stopping is cut from the over-fitting run."""
    started = []
    monkeypatch.setattr(Prefetcher, "_submit", lambda *args: started.append(args))
    in_parent, rows = grade_course(tmp_path, monkeypatch, ("alice",))
    assert started == [] and rows == {"alice": ["2", "3", "3"]}
    assert sorted(args[0].early_stop for args in in_parent) == [False, False]


def test_wait_any_returns_when_one_runs_values_are_all_done():
    import threading
    from concurrent.futures import Future
    first, second, third = Future(), Future(), Future()
    run_a = ((None, "a", first), (None, "b", second))
    run_b = ((None, "c", third),)
    second.set_result(1)  # run_a still waits for first
    threading.Timer(0.2, third.set_result, (2,)).start()
    Prefetcher.wait_any([run_a, run_b])
    assert third.done() and not first.done()
    assert not Prefetcher.ready(run_a) and Prefetcher.ready(run_b)
    Prefetcher.wait_any([run_b, run_a])  # one is ready: no wait
    Prefetcher.wait_any([((None, "d", second),), ()])
    Prefetcher.wait_any([])
