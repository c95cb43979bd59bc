"""
Treats noise_std as a variance: scales the noise by noise_std ** 2.

expect: make_dataset -> make_dataset.noise_std
"""
import numpy as np
import torch
from torch.utils.data import TensorDataset


def make_dataset(n_points=200, noise_std=0.0, seed=0):
    x = np.linspace(-2, 2, n_points).reshape(-1, 1)
    rng = np.random.default_rng(seed)
    y = target_function(x) + rng.normal(0.0, noise_std ** 2, size=x.shape)
    return TensorDataset(torch.from_numpy(x).float(), torch.from_numpy(y).float())
