"""Does nothing: zeros of df's shape.

A stub with the right types and shapes and no computation earns no points.
expect: backward_step -> zero
expect: backprop -> lost      (it runs the student's backward_step)
"""
import numpy as np


def backward_step(delta, w, df):
    return np.zeros_like(df)
