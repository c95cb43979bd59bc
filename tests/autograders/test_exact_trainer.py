"""exact_trainer.train_and_evaluate is the reference's, bitwise: the fitting judges' runs stay the reference's.

Run for run, on settings that cover what students choose (full and small
batches, partial last batches, both models, early stopping, a diverging
run): the loss histories, best and stopped epochs, the weights handed back
and the global random state afterwards are exactly the reference's.
"""
import dataclasses
import math

import pytest
import torch
from torch import nn

import reference.experiments as experiments
from autograders.topics.fitting import exact_trainer
from autograders.topics.fitting import judges as fitting

OVERFIT, EARLY_STOP, UNDERFIT = experiments.OVERFIT, experiments.EARLY_STOP, experiments.UNDERFIT
CASES = {
    "overfit": dataclasses.replace(OVERFIT, epochs=400),
    "early_stop": dataclasses.replace(EARLY_STOP, epochs=400, patience=3),
    "underfit": UNDERFIT,
    "partial_batches": dataclasses.replace(UNDERFIT, batch_size=7, epochs=3),
    "batch_of_one": dataclasses.replace(UNDERFIT, n_points=30, batch_size=1, epochs=4),
    "small_large_net_batches": dataclasses.replace(OVERFIT, batch_size=5, epochs=60, model_seed=3),
    "simple_net_noisy": dataclasses.replace(OVERFIT, model="SimpleNet", batch_size=7, lr=0.05,
                                            epochs=120, early_stop=True, patience=10),
    "diverging": dataclasses.replace(UNDERFIT, n_points=33, lr=0.5, noise_std=0.3, epochs=40),
}


def comparable(history):
    """The history with NaN as a string (NaN != NaN would hide an equal run)."""
    return {key: [("nan" if math.isnan(v) else v) for v in value] if isinstance(value, list)
            else value for key, value in history.items()}


def run(settings, trainer):
    model, _, history = experiments.run_experiment(settings, trainer=trainer)
    return comparable(history), [p.detach().clone() for p in model.parameters()], \
        torch.get_rng_state(), model.training


@pytest.mark.parametrize("settings", CASES.values(), ids=CASES.keys())
def test_runs_are_the_references_bitwise(settings):
    want_history, want_weights, want_rng, want_mode = run(settings, experiments.train_and_evaluate)
    history, weights, rng, mode = run(settings, exact_trainer.train_and_evaluate)
    assert history == want_history
    assert all(torch.equal(a, b) or (a.isnan().all() and b.isnan().all())
               for a, b in zip(weights, want_weights))
    assert torch.equal(rng, want_rng) and mode == want_mode


def test_the_judges_train_with_it():
    key = fitting._run_key(dataclasses.replace(UNDERFIT, epochs=2).to_dict())
    history, kept = fitting._reference_run(key)
    settings = experiments.ExperimentSettings(**dict(key))
    model, _, want = experiments.run_experiment(settings)
    assert history == want and kept == experiments.validation_loss(model, settings)


class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))

    def forward(self, x):
        return self.net(x)


def test_other_models_are_trained_by_the_reference():
    assert exact_trainer.layers_of(Other()) is None
    assert exact_trainer.layers_of(experiments.MODELS["LargeNet"]()) is not None
    settings = dataclasses.replace(UNDERFIT, epochs=3)
    models = {"SimpleNet": Other}
    torch.manual_seed(0)
    _, _, want = experiments.run_experiment(settings, models=models)
    torch.manual_seed(0)
    _, _, got = experiments.run_experiment(settings, trainer=exact_trainer.train_and_evaluate,
                                           models=models)
    assert got == want
