"""The fitting judges' run with early stopping is the run without it, cut: checked against full runs.

The rule is stated beside the code that relies on it (_without_early_stop in
autograders/topics/fitting/judges.py). Each case here runs both ways with the
reference implementation and compares everything the judges read.
"""
import dataclasses

import pytest

import reference.experiments as experiments
from autograders import registry
from autograders.reference_runs import Prefetcher, ReferenceCache
from autograders.topics.fitting import judges as fitting

EARLY_STOP = dataclasses.replace(experiments.EARLY_STOP, epochs=900)
CASES = {
    "the_notebooks": (EARLY_STOP, 50),
    "patience_one": (EARLY_STOP, 1),
    "never_triggers": (dataclasses.replace(EARLY_STOP, epochs=120), 500),
    "small_batches": (dataclasses.replace(EARLY_STOP, batch_size=5, epochs=150), 4),
    "simple_net": (dataclasses.replace(EARLY_STOP, model="SimpleNet", lr=0.05, batch_size=7,
                                       epochs=200), 10),
    "diverging": (dataclasses.replace(experiments.UNDERFIT, n_points=33, lr=0.5, noise_std=0.3,
                                      epochs=40, early_stop=True), 3),
}


def direct(settings):
    """(history, kept validation loss) of the reference's own run of these settings."""
    model, _, history = experiments.run_experiment(settings)
    finite = fitting._finite(history)
    return history, experiments.validation_loss(model, settings) if finite else None


def same(a, b):
    """Equal, NaN equal to NaN (a diverged run)."""
    return repr(a) == repr(b)


@pytest.mark.parametrize("settings, patience", CASES.values(), ids=CASES.keys())
def test_a_cut_run_is_the_run_with_early_stopping(settings, patience):
    with_stop = dataclasses.replace(settings, early_stop=True, patience=patience)
    without = dataclasses.replace(settings, early_stop=False)
    key = fitting._run_key(with_stop.to_dict())
    base, cut = fitting._without_early_stop(key)
    assert base == fitting._run_key(without.to_dict())
    assert same(cut(direct(without)), direct(with_stop))


def test_runs_without_early_stopping_share_one_key_whatever_the_patience():
    plain = dataclasses.replace(EARLY_STOP, early_stop=False)
    assert fitting._run_key(plain.to_dict()) == fitting._run_key(
        dataclasses.replace(plain, patience=7).to_dict())
    assert fitting._without_early_stop(fitting._run_key(plain.to_dict())) is None


def test_the_cache_derives_from_a_base_it_holds():
    calls = []
    cache = ReferenceCache(lambda key: calls.append(key) or key * 10,
                           derive=lambda key: (key - 1, lambda v: v + 1) if key % 2 else None)
    assert cache.get(3) == 30 and calls == [3]  # no base held: computed
    assert cache.get(4) == 40 and cache.get(5) == 41 and calls == [3, 4]
    assert cache.base_of(5) == 4 and cache.base_of(4) is None


def observed(item, settings):
    return registry.probes()[item]({item: settings.to_dict()})


def test_the_prefetcher_computes_only_the_base_when_both_are_asked():
    fitting.REFERENCE_RUNS.clear()
    cheap = dataclasses.replace(EARLY_STOP, epochs=30, patience=3)
    observations = {"early_stop_settings": observed("early_stop_settings", cheap),
                    "overfit_settings": observed("overfit_settings",
                                                 dataclasses.replace(cheap, early_stop=False))}
    with Prefetcher(1, registry.prefetch_hooks(), preload=registry.judge_modules()) as prefetch:
        wanted = prefetch.ask(observations)
        assert [key for _, key, _ in wanted] == [
            fitting._run_key(dataclasses.replace(cheap, early_stop=False).to_dict())]
        prefetch.wait(wanted)
        prefetch.store(wanted)
    computed = []
    fitting.REFERENCE_RUNS.compute = lambda key: computed.append(key)
    try:
        verdict = registry.judges()["early_stop_settings"](observations["early_stop_settings"])
    finally:
        fitting.REFERENCE_RUNS.compute = fitting._reference_run
    assert computed == []
    fitting.REFERENCE_RUNS.clear()  # now the judge runs it with early stopping itself
    alone = registry.judges()["early_stop_settings"](observations["early_stop_settings"])
    assert (verdict.points, verdict.misconceptions, verdict.message) == (
        alone.points, alone.misconceptions, alone.message)
