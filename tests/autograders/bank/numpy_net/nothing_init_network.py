"""Does nothing: zero weights and zero biases of the right shapes, rng unused.

A stub with the right types and shapes and no computation earns no points.
expect: init_network -> zero
"""
import numpy as np


def init_network(layer_sizes, rng):
    pairs = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    return [np.zeros((a, b)) for a, b in pairs], [np.zeros(b) for _, b in pairs]
