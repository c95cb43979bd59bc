"""Does nothing: a constant cost, no forward pass, no update.

A stub with the right types and shapes and no computation earns no points.
expect: train_net -> zero
"""
import numpy as np


def train_net(y_in, y_target, weights, biases, eta, f_df=net_f_df_relu):
    return 0.0
