"""
Uses torch.sin, which fails on NumPy arrays. make_dataset, which builds x
with NumPy and calls target_function on it, crashes as a consequence.

expect: target_function -> target_function.torch_only
expect: make_dataset -> make_dataset.error
"""
import torch


def target_function(x):
    return 0.1 * x**3 - 0.5 * x**2 + 2 * torch.sin(3 * x)
