"""Does nothing: zeros of the input's shape.

A stub with the right types and shapes and no computation earns no points.
expect: leaky_relu -> zero
"""
import numpy as np


def leaky_relu(x, alpha=0.01):
    return np.zeros_like(np.asarray(x, dtype=float))
