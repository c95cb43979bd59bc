"""Does nothing: zeros of every layer's shape.

A stub with the right types and shapes and no computation earns no points.
expect: apply_net -> zero
"""
import numpy as np


def apply_net(y_in, weights, biases, f_df=net_f_df_relu):
    batch = y_in.shape[0]
    y_layers = [np.zeros((batch, w.shape[0])) for w in weights] + [np.zeros((batch, weights[-1].shape[1]))]
    df_layers = [np.zeros((batch, w.shape[1])) for w in weights]
    return y_layers[-1], y_layers, df_layers
