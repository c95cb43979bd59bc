"""Does nothing: zeros of the next layer's shape for y_next and df.

A stub with the right types and shapes and no computation earns no points.
expect: forward_step -> zero
"""
import numpy as np


def forward_step(y, w, b, f_df=net_f_df_relu):
    shape = (y.shape[0], w.shape[1])
    return np.zeros(shape), np.zeros(shape)
