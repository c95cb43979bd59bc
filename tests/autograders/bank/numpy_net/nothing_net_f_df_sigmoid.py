"""Does nothing: zeros for f and df.

A stub with the right types and shapes and no computation earns no points.
expect: net_f_df_sigmoid -> zero
"""
import numpy as np


def net_f_df_sigmoid(z):
    return np.zeros_like(z), np.zeros_like(z)
