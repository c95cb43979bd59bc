"""Does nothing: zeros of the input's shape.

A stub with the right types and shapes and no computation earns no points.
expect: tanh -> zero
"""
import numpy as np


def tanh(x):
    return np.zeros_like(np.asarray(x, dtype=float))
