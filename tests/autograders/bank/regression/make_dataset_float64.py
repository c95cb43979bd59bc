"""
Builds the tensors with torch.from_numpy and forgets .float(): float64 tensors.

expect: make_dataset -> make_dataset.not_float32
"""
import numpy as np
import torch
from torch.utils.data import TensorDataset


def make_dataset(n_points=200, noise_std=0.0, seed=0):
    x = np.linspace(-2, 2, n_points).reshape(-1, 1)
    rng = np.random.default_rng(seed)
    y = target_function(x) + rng.normal(0, noise_std, size=x.shape)
    return TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
