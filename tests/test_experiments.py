"""reference/experiments.py: the three fitting experiments show what they claim.

Only the default seeds are run (other seeds: see the module's docstring).
Each experiment runs once per test process (module-scoped fixtures): OVERFIT
takes about 1.7 s of CPU, EARLY_STOP 0.6 s and UNDERFIT 0.03 s.
"""
import dataclasses

import pytest
import torch

from reference.experiments import (
    EARLY_STOP,
    OVERFIT,
    UNDERFIT,
    ExperimentSettings,
    overfitting_rise,
    relative_final_losses,
    run_experiment,
    stopped_fraction,
    training_cost,
    training_drop_after_best,
    validation_loss,
)


@pytest.fixture(scope="module")
def underfit_run():
    return run_experiment(UNDERFIT)


@pytest.fixture(scope="module")
def overfit_run():
    return run_experiment(OVERFIT)


@pytest.fixture(scope="module")
def early_stop_run():
    return run_experiment(EARLY_STOP)


def test_underfit_leaves_both_losses_high(underfit_run):
    _, _, history = underfit_run
    assert history["stopped_epoch"] == UNDERFIT.epochs == 5
    train, val = relative_final_losses(history)
    assert train > 0.3 and val > 0.3  # measured: 0.90 and 0.92 of the variance


def test_overfit_validation_rises_while_training_falls(overfit_run):
    _, _, history = overfit_run
    assert history["stopped_epoch"] == OVERFIT.epochs
    assert overfitting_rise(history) >= 0.15  # measured: +36 %
    assert training_drop_after_best(history) < 0.5  # measured: 0.30
    # A minimum after a long descent, well before the end: a U, not a slope.
    assert 0.1 * OVERFIT.epochs <= history["best_epoch"] <= 0.5 * OVERFIT.epochs
    # Full-batch steps below the edge of stability: training loss never goes up.
    train = history["train_losses"]
    assert all(later < earlier for earlier, later in zip(train, train[1:]))


def test_overfit_is_cheap():
    # Full batch: one step per epoch (the autograder's budget is counted in steps).
    assert training_cost(OVERFIT) == OVERFIT.epochs


def test_early_stop_stops_early_at_best_epoch_plus_patience(early_stop_run):
    _, _, history = early_stop_run
    assert stopped_fraction(history, EARLY_STOP) <= 0.6  # measured: 864 / 2500
    assert history["stopped_epoch"] == history["best_epoch"] + EARLY_STOP.patience


def test_early_stop_keeps_the_model_of_the_validation_minimum(early_stop_run):
    model, _, history = early_stop_run
    assert validation_loss(model, EARLY_STOP) == pytest.approx(
        min(history["val_losses"]), rel=1e-6)


def test_early_stop_finds_the_minimum_of_the_full_run(overfit_run, early_stop_run):
    _, _, full = overfit_run
    _, _, stopped = early_stop_run
    # Same seeds, same steps: early stopping only cuts the full run short.
    n = stopped["stopped_epoch"]
    assert stopped["val_losses"] == full["val_losses"][:n]
    assert stopped["train_losses"] == full["train_losses"][:n]
    assert stopped["best_epoch"] == full["best_epoch"]


def test_run_experiment_is_deterministic(early_stop_run):
    model, _, history = early_stop_run
    again_model, _, again_history = run_experiment(EARLY_STOP)
    assert again_history == history
    again_state = again_model.state_dict()
    for name, tensor in model.state_dict().items():
        assert torch.equal(again_state[name], tensor), name


def test_early_stop_is_overfit_with_early_stopping():
    assert EARLY_STOP.early_stop and not OVERFIT.early_stop
    assert dataclasses.replace(EARLY_STOP, early_stop=False,
                               patience=OVERFIT.patience) == OVERFIT


def test_settings_are_frozen_and_round_trip_through_dicts():
    with pytest.raises(dataclasses.FrozenInstanceError):
        OVERFIT.epochs = 10
    assert ExperimentSettings.from_dict(OVERFIT.to_dict()) == OVERFIT
    with pytest.raises(ValueError):
        ExperimentSettings.from_dict({**OVERFIT.to_dict(), "momentum": 0.9})
