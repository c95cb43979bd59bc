"""Does nothing: zeros of shape (N, 1) as float32 tensors.

A stub with the right types and shapes and no computation earns no points.
expect: make_dataset -> zero
"""
import torch
from torch.utils.data import TensorDataset


def make_dataset(n_points=200, noise_std=0.0, seed=0):
    return TensorDataset(torch.zeros(n_points, 1), torch.zeros(n_points, 1))
