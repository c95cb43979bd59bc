"""Deterministic inputs shared by the regression probes and judges.

No ``reference`` import: probes use these builders beside student code, and
judges rebuild the very same inputs to compute expected values.
"""
import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset

# target_function: a grid with 0, the interval ends and points outside [-2, 2].
TARGET_XS = np.concatenate([np.linspace(-3.0, 3.0, 25), [0.0, 1e-3, -2.0, 2.0, 0.7]])

# make_dataset calls: (name, kwargs). "default" checks the default arguments.
DATASET_CALLS = {
    "default": {},
    "exact": {"n_points": 41, "noise_std": 0.0, "seed": 3},
    "noisy": {"n_points": 20001, "noise_std": 0.5, "seed": 1},
    "seed7_a": {"n_points": 50, "noise_std": 0.3, "seed": 7},
    "seed7_b": {"n_points": 50, "noise_std": 0.3, "seed": 7},
    "seed8": {"n_points": 50, "noise_std": 0.3, "seed": 8},
}
# Global RNG states set before each call, so an implementation that ignores
# `seed` and draws from the global generators is caught (seeds differ per call).
DATASET_GLOBAL_SEEDS = {name: 1000 + i for i, name in enumerate(DATASET_CALLS)}
NOISY_STD = DATASET_CALLS["noisy"]["noise_std"]


def id_dataset(n):
    """n items whose x is the item's id 0..n-1 (so a batch names its items)."""
    x = torch.arange(n, dtype=torch.float32).reshape(-1, 1)
    return TensorDataset(x, 2 * x + 1)


# make_loaders calls: (dataset size, kwargs, global seed set before the call,
# global seed set before iterating, epochs to iterate). 53 items: int(0.2*53)=10
# (round would give 11); 43 training items in batches of 8 end with a batch of 3.
LOADER_CALLS = {
    "a": (53, {"val_fraction": 0.2, "batch_size": 8, "seed": 1}, 11, 12, 2),
    "b": (53, {"val_fraction": 0.2, "batch_size": 8, "seed": 1}, 21, 22, 2),
    "c": (53, {"val_fraction": 0.2, "batch_size": 8, "seed": 2}, 31, 32, 1),
    "d": (100, {}, 41, 42, 1),
    "e": (53, {"val_fraction": 0.3, "batch_size": 16, "seed": 5}, 51, 52, 1),
}
LOADER_DEFAULTS = {"val_fraction": 0.2, "batch_size": 32, "seed": 0}

# The networks: hidden sizes, and the inputs of the forward check.
HIDDEN = {"SimpleNet": 32, "LargeNet": 512}
MODEL_XS = np.linspace(-2.5, 2.5, 41).reshape(-1, 1)
MODEL_INIT_SEED = 0


# count_parameters: models built with plain torch, named by what they test.
class Tied(nn.Module):
    """One Linear layer used twice: its parameters count once."""

    def __init__(self):
        super().__init__()
        self.first = nn.Linear(4, 4)
        self.second = self.first
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        return self.out(self.second(torch.relu(self.first(x))))


def count_models():
    """{name: model}; fresh models on every call (seeded, though counts don't care)."""
    torch.manual_seed(0)
    frozen = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    for p in frozen[0].parameters():
        p.requires_grad_(False)
    return {
        "simple": nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 1)),
        "large": nn.Sequential(nn.Linear(1, 512), nn.ReLU(), nn.Linear(512, 1)),
        "frozen": frozen,
        "batchnorm": nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)),
        "tied": Tied(),
    }
