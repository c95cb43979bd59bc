"""Does nothing: returns None and changes nothing.

A stub with the right types and shapes and no computation earns no points.
expect: gradient_step -> zero
"""
import numpy as np


def gradient_step(weights, biases, dw_layers, db_layers, eta):
    return None
