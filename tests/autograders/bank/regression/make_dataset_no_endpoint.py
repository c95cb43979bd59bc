"""
Uses np.arange with a step of 4/N: the grid stops one step before 2.

expect: make_dataset -> make_dataset.grid_without_endpoint
"""
import numpy as np
import torch
from torch.utils.data import TensorDataset


def make_dataset(n_points=200, noise_std=0.0, seed=0):
    x = np.arange(-2, 2, 4 / n_points)[:n_points].reshape(-1, 1)
    rng = np.random.default_rng(seed)
    y = target_function(x) + noise_std * rng.standard_normal(x.shape)
    return TensorDataset(torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32))
