"""The fitting experiments of notebook 4: under-fitting, over-fitting, early stopping.

Each experiment is a small frozen settings record; ``run_experiment`` turns it
into data, loaders and a seeded model and trains it with train_and_evaluate,
deterministically: data_seed fixes the noise, the split and the shuffling,
model_seed the initial weights. The property helpers state in numbers what the
notebook's text claims, so the notebook, the tests and the autograder's judge
share one definition.

Why these settings (measured on 2 cores, torch 2.13 CPU):

- UNDERFIT is the lecture's example: SimpleNet on 200 noise-free points for
  only 5 epochs (25 SGD steps). Both losses end at about 0.9 times the
  target's variance: barely better than predicting the mean. About 0.03 s.
- The lecture's setting (LECTURE_SETTING: 200 noise-free points, 80/20) does
  not over-fit: the validation points sit between dense training points and
  there is no noise to memorise; validation loss still falls at epoch 1000.
- OVERFIT: 24 points with noise of standard deviation 1.0, half of them for
  validation, LargeNet, full-batch gradient descent (batch_size = n_points,
  one step per epoch) with lr 0.005 for 2500 epochs: about 1.7 s of CPU.
  Validation loss falls to 1.72 at epoch 814, then rises steadily to 2.33
  (+36 %) while training loss falls at every epoch (1.19 at epoch 814, 0.35
  at the end).
  Full batch, because with small batches the validation loss jumps up and
  down from epoch to epoch: its minimum is then a lucky dip and the "rise"
  after it mostly noise (20 points, batch 4, lr 0.01, 1500 epochs, seeds 1
  report +220 % while the 50-epoch moving average of the validation loss is
  still falling at the end). lr 0.005, because LargeNet's starting point is
  too sharp for more: with lr 0.01 both losses first shoot up from about 3 to
  about 1000 before training settles, with 0.0075 they also jump later on.
- The U-shape depends on which 12 points are drawn for training, hardly on
  the initial weights: with data_seed 37 both ends of [-2, 2] are training
  points and no gap between them is wider than 0.7, and model seeds 0-4 all
  give a minimum at epochs 741-872 and a rise of 35-43 %. With data seeds 0-4
  the same setting is either still improving at epoch 2500 (0, 1, 2) or has
  its lowest validation loss after one or two epochs (3, whose validation
  points include both ends of the interval, and 4).
- EARLY_STOP is OVERFIT with early stopping and patience 50: it stops at epoch
  864 of 2500 (about 0.6 s of CPU) and keeps the weights of epoch 814, the
  minimum of the full run. Full-batch steps are the same with or without
  early stopping, so its history is the first 864 epochs of OVERFIT's.
"""
from dataclasses import asdict, dataclass, fields, replace

import torch
from torch import nn

from reference.regression import LargeNet, SimpleNet, make_dataset, make_loaders
from reference.training import evaluate, train_and_evaluate

MODELS = {"SimpleNet": SimpleNet, "LargeNet": LargeNet}


@dataclass(frozen=True)
class ExperimentSettings:
    """Everything that fixes one training run (data, split, model, optimiser)."""
    model: str               # "SimpleNet" or "LargeNet"
    n_points: int            # samples on [-2, 2]
    noise_std: float         # Gaussian noise added to the targets
    val_fraction: float      # share of the points held out for validation
    batch_size: int
    lr: float                # SGD learning rate
    epochs: int              # the most epochs to run
    early_stop: bool = False
    patience: int = 5
    data_seed: int = 0       # noise, split and shuffling
    model_seed: int = 0      # initial weights

    @classmethod
    def from_dict(cls, settings):
        """Settings from a plain dict (as students write them); unknown keys refused."""
        known = {f.name for f in fields(cls)}
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        return cls(**settings)

    def to_dict(self):
        return asdict(self)


UNDERFIT = ExperimentSettings(
    model="SimpleNet", n_points=200, noise_std=0.0, val_fraction=0.2,
    batch_size=32, lr=0.01, epochs=5)
OVERFIT = ExperimentSettings(
    model="LargeNet", n_points=24, noise_std=1.0, val_fraction=0.5,
    batch_size=24,       # = n_points: full batch, a smooth validation curve
    lr=0.005,            # no initial loss spike, no oscillation
    epochs=2500,
    data_seed=37)        # both ends of [-2, 2] among the training points
EARLY_STOP = replace(OVERFIT, early_stop=True, patience=50)
# The lecture's over-fitting attempt, for comparison: it does not over-fit.
LECTURE_SETTING = ExperimentSettings(
    model="LargeNet", n_points=200, noise_std=0.0, val_fraction=0.2,
    batch_size=32, lr=0.01, epochs=1000)


def run_experiment(settings, device="cpu", trainer=train_and_evaluate, models=MODELS):
    """Train one experiment; returns (model, dataset, history).

    trainer and models default to the reference; notebooks pass the student's.
    The same settings always give the same history; the model holds the
    weights of history["best_epoch"].
    """
    dataset = make_dataset(settings.n_points, settings.noise_std, settings.data_seed)
    train_loader, val_loader = make_loaders(
        dataset, settings.val_fraction, settings.batch_size, settings.data_seed)
    torch.manual_seed(settings.model_seed)  # right before the weights are drawn
    model = models[settings.model]()
    history = trainer(model, train_loader, val_loader, settings.epochs, settings.lr,
                      early_stop=settings.early_stop, patience=settings.patience,
                      device=device)
    return model, dataset, history


def validation_loss(model, settings, device="cpu"):
    """The model's loss on the experiment's validation points, measured as in training."""
    dataset = make_dataset(settings.n_points, settings.noise_std, settings.data_seed)
    _, val_loader = make_loaders(
        dataset, settings.val_fraction, settings.batch_size, settings.data_seed)
    return evaluate(model, val_loader, nn.MSELoss(), device)


# ------------------------------------------------- the properties, as numbers
def training_cost(settings):
    """Optimiser steps the run may take: epochs x training batches (its cost)."""
    n_train = settings.n_points - int(settings.val_fraction * settings.n_points)
    return settings.epochs * -(-n_train // settings.batch_size)


def overfitting_rise(history):
    """How far validation loss ends above its minimum: last / min - 1."""
    val = history["val_losses"]
    return val[-1] / min(val) - 1.0


def training_drop_after_best(history):
    """Training loss at the end relative to the best epoch's: < 1 means it kept falling."""
    train = history["train_losses"]
    return train[-1] / train[history["best_epoch"] - 1]


def target_variance(n_points=200):
    """Variance of the noise-free target on [-2, 2]: the loss of predicting its mean."""
    _, y = make_dataset(n_points).tensors
    return float(y.var(unbiased=False))


def relative_final_losses(history):
    """(last training loss, last validation loss) / target_variance().

    About 1: no better than predicting the mean. Under-fitting keeps both high.
    """
    variance = target_variance()
    return history["train_losses"][-1] / variance, history["val_losses"][-1] / variance


def stopped_fraction(history, settings):
    """Epochs run / epochs allowed: 1 when training ran to the end."""
    return history["stopped_epoch"] / settings.epochs
