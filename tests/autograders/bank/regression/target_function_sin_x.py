"""
Forgets the factor 3 inside the sine.

expect: target_function -> target_function.wrong_formula
"""
import numpy as np
import torch


def target_function(x):
    sin = torch.sin if torch.is_tensor(x) else np.sin
    return 0.1 * x**3 - 0.5 * x**2 + 2 * sin(x)
