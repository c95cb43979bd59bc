"""Does nothing: zeros of the input's type and shape.

A stub with the right types and shapes and no computation earns no points.
expect: target_function -> zero
"""
import numpy as np
import torch


def target_function(x):
    return torch.zeros_like(x) if torch.is_tensor(x) else np.zeros_like(np.asarray(x, dtype=float))
