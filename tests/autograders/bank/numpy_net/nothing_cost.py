"""Does nothing: a constant float.

A stub with the right types and shapes and no computation earns no points.
expect: cost -> zero
"""
import numpy as np


def cost(y_out, y_target):
    return 0.0
