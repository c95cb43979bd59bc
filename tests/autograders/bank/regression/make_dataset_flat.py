"""
Forgets to reshape: X and Y are 1-D tensors of shape (N,).

expect: make_dataset -> make_dataset.wrong_shape
"""
import torch
from torch.utils.data import TensorDataset


def make_dataset(n_points=200, noise_std=0.0, seed=0):
    x = torch.linspace(-2, 2, n_points)
    generator = torch.Generator().manual_seed(seed)
    y = target_function(x) + noise_std * torch.randn(n_points, generator=generator)
    return TensorDataset(x, y)
