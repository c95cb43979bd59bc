"""Does nothing: zero gradients of the right shapes.

A stub with the right types and shapes and no computation earns no points.
expect: backprop -> zero
"""
import numpy as np


def backprop(y_target, y_layers, df_layers, weights):
    return [np.zeros_like(w) for w in weights], [np.zeros(w.shape[1]) for w in weights]
