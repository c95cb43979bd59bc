"""Well-typed but extreme settings get a verdict that names the setting, never an engine error.

Each case goes probe -> safe round trip (JSON + .npy) -> judge, as the engine
does; an exception anywhere there would be "the grader itself failed".
"""
import pytest

import reference.experiments as experiments
from autograders import registry
from autograders.topics.fitting import judges, probes

ITEM = "overfit_settings"


def grade(scratch, **changes):
    settings = dict(experiments.OVERFIT.to_dict(), **changes)
    return registry.grade_item(ITEM, {ITEM: settings}, scratch)


@pytest.mark.parametrize("changes, misconception, named", [
    ({"lr": 10**400}, "bad_value", "'lr' is too large for a float"),
    ({"noise_std": 10**400}, "bad_value", "'noise_std' is too large for a float"),
    ({"val_fraction": 10**400}, "bad_value", "'val_fraction' is too large for a float"),
    ({"lr": 1e300}, "bad_value", "'lr' must be at most 3.4e+38"),
    ({"n_points": 10**400}, "too_expensive", "'n_points' = more than 10^12"),
    ({"epochs": 10**400}, "too_expensive", "more than 10^12 SGD steps"),
    ({"data_seed": 2**64}, "bad_value", "'data_seed' must be at most 18446744073709551615"),
    ({"model_seed": 2**70}, "bad_value", "'model_seed' must be at most 18446744073709551615"),
    ({"epochs": 10**5000}, "too_expensive", "more than 10^12 SGD steps"),
    ({"lr": -10**5000}, "bad_value", "'lr' is too large for a float"),
], ids=["int_lr", "int_noise", "int_val_fraction", "float32_lr", "huge_n_points",
        "huge_epochs", "data_seed", "model_seed", "int_beyond_json", "negative_beyond_json"])
def test_an_extreme_value_gets_a_verdict_naming_it(tmp_path, changes, misconception, named):
    verdict = grade(tmp_path, **changes)
    assert verdict.misconceptions[0] == f"{ITEM}.{misconception}"
    assert named in verdict.message


def test_the_largest_seed_torch_takes_is_run(tmp_path):
    verdict = grade(tmp_path, data_seed=2**64 - 1, model_seed=2**64 - 1, epochs=3)
    assert verdict.misconceptions[0] == f"{ITEM}.no_rise"


def test_a_batch_larger_than_the_set_is_the_whole_set(tmp_path):
    whole = grade(tmp_path / "whole", epochs=30)
    for size in (10**30, 2**63):
        huge = grade(tmp_path / str(size), epochs=30, batch_size=size)
        assert (huge.points, huge.misconceptions, huge.message) == (
            whole.points, whole.misconceptions, whole.message)


def validated(**changes):
    entries = {name: {"value": value, "type": type(value).__name__} for name, value in
               dict(experiments.OVERFIT.to_dict(), **changes).items()}
    return judges.validate(ITEM, {"is_dict": True, "entries": entries})


def test_validation_passes_count_against_a_budget():
    # 2 training points, 1998 validation points in batches of 1: 3750 SGD steps, but
    # 3.7 million validation batches (minutes of CPU).
    heavy = dict(n_points=2000, val_fraction=0.999, batch_size=1, epochs=1875)
    assert experiments.training_cost(experiments.ExperimentSettings(
        **dict(experiments.OVERFIT.to_dict(), **heavy))) <= judges.STEP_BUDGET
    settings, (misconception, facts) = validated(**heavy)
    assert settings is None and misconception == f"{ITEM}.too_expensive"
    assert "3746250 validation batches" in facts["got"]
    assert validated(**dict(heavy, epochs=judges.VALIDATION_BUDGET // 1998))[1] is None


def test_points_through_the_network_count_against_a_budget():
    # Full-batch epochs on 2000 points: one SGD step each, but 2000 points each.
    heavy = dict(n_points=2000, val_fraction=0.0005, batch_size=2000, epochs=3750)
    settings, (misconception, facts) = validated(**heavy)
    assert settings is None and misconception == f"{ITEM}.too_expensive"
    assert "7500000 points through the network ('epochs' times 'n_points')" in facts["got"]
    assert validated(**dict(heavy, epochs=judges.POINT_BUDGET // 2000))[1] is None


def test_the_notebooks_settings_fit_every_budget():
    for settings in (experiments.UNDERFIT, experiments.OVERFIT, experiments.EARLY_STOP):
        observed = probes.PROBES[ITEM]({ITEM: settings.to_dict()})
        assert judges.validate(ITEM, observed)[1] is None


def test_the_notebooks_visible_check_states_the_graders_budgets():
    """A student whose settings pass check_settings is never refused as too expensive."""
    import inspect
    from reference.fitting_demo import check_settings
    defaults = {name: p.default for name, p in inspect.signature(check_settings).parameters.items()
                if p.default is not inspect.Parameter.empty}
    assert defaults == {"max_steps": judges.STEP_BUDGET,
                        "max_validation_batches": judges.VALIDATION_BUDGET,
                        "max_points": judges.POINT_BUDGET}
