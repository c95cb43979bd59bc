"""Known wrong implementations: a wrong result that equals one names the mistake.

Trusted, judge-side code (it uses ``reference``). Each mutant takes the
arguments the student's function was given and returns what that mistake
returns; judges compare a wrong observation with every mutant of its item.
Scale mistakes (a factor B, 2 or -1) are recognised by ratios in the
judges instead, since they combine freely across layers.
"""
from functools import partial

import numpy as np

import reference as ref


def _relu_pair(z):
    return np.maximum(z, 0.0), (z > 0).astype(float)


NET_F_DF_SIGMOID = [
    ("net_f_df_sigmoid.overflowing_derivative",
     lambda z: (ref.sigmoid(z), np.exp(-z) * ref.sigmoid(z) ** 2)),
    ("net_f_df_sigmoid.derivative_uses_z", lambda z: (ref.sigmoid(z), z * (1 - z))),
    ("net_f_df_sigmoid.swapped_pair", lambda z: ref.net_f_df_sigmoid(z)[::-1]),
]

NET_F_DF_RELU = [
    ("net_f_df_relu.derivative_at_zero", lambda z: (np.maximum(z, 0.0), (z >= 0) * 1.0)),
    ("net_f_df_relu.swapped_pair", lambda z: ref.net_f_df_relu(z)[::-1]),
]

FORWARD_STEP = [
    ("forward_step.ignores_f_df", lambda y, w, b, f_df=None: _relu_pair(y @ w + b)),
    ("forward_step.missing_bias",
     lambda y, w, b, f_df=ref.net_f_df_relu: f_df(y @ w)),
]


def _apply_net(y_in, weights, biases, f_df=ref.net_f_df_relu, *, linear_output=False,
               relu=False, drop_input=False, drop_output=False):
    f_df = _relu_pair if relu else f_df
    y_layers, df_layers = [y_in], []
    for j, (w, b) in enumerate(zip(weights, biases)):
        z = y_layers[-1] @ w + b
        y, df = (z, np.ones_like(z)) if linear_output and j == len(weights) - 1 else f_df(z)
        y_layers.append(y)
        df_layers.append(df)
    y_out = y_layers[-1]
    if drop_input:
        y_layers = y_layers[1:]
    if drop_output:
        y_layers = y_layers[:-1]
    return y_out, y_layers, df_layers


# Matched on (y_out, y_layers) only: df_layers of a mistaken output layer varies.
APPLY_NET = [
    ("apply_net.linear_output_layer", partial(_apply_net, linear_output=True)),
    ("apply_net.missing_input_layer", partial(_apply_net, drop_input=True)),
    ("apply_net.missing_output_layer", partial(_apply_net, drop_output=True)),
    ("apply_net.ignores_f_df", partial(_apply_net, relu=True)),
]


def _sum_of_squares(y_out, y_target):
    return float(((y_out - y_target) ** 2).sum())


COST = [
    ("cost.missing_half", lambda y, t: _sum_of_squares(y, t) / len(y)),
    ("cost.not_divided_by_batch", lambda y, t: _sum_of_squares(y, t) / 2),
    ("cost.not_divided_by_batch", lambda y, t: _sum_of_squares(y, t)),
    ("cost.mean_over_outputs", lambda y, t: _sum_of_squares(y, t) / (2 * y.size)),
    ("cost.mean_over_outputs", lambda y, t: _sum_of_squares(y, t) / y.size),
]

BACKWARD_STEP = [
    ("backward_step.missing_df", lambda delta, w, df: delta @ w.T),
    ("backward_step.missing_transpose", lambda delta, w, df: (delta @ w) * df),
]


def _backprop(y_target, y_layers, df_layers, weights, *, output_df=True, hidden_df=True,
              transpose=False, w_shift=0, df_shift=0, y_shift=0, db="sum"):
    """The reference's chain rule with one knob turned."""
    n_layers = len(weights)
    dw_layers, db_layers = [None] * n_layers, [None] * n_layers
    delta = (y_layers[-1] - y_target) / y_target.shape[0]
    if output_df:
        delta = delta * df_layers[-1]
    for j in reversed(range(n_layers)):
        y = y_layers[j + y_shift]
        dw_layers[j] = delta.T @ y if transpose else y.T @ delta
        db_layers[j] = {"sum": delta.sum(axis=0), "none": delta, "rows": delta.sum(axis=1)}[db]
        if j > 0:
            delta = delta @ weights[j - w_shift].T
            if hidden_df:
                delta = delta * df_layers[j - 1 + df_shift]
    return dw_layers, db_layers


BACKPROP = [
    ("backprop.missing_output_derivative", partial(_backprop, output_df=False)),
    ("backprop.missing_hidden_derivative", partial(_backprop, hidden_df=False)),
    ("backprop.transposed_dw", partial(_backprop, transpose=True)),
    # weights[j] where weights[j+1] belongs (in a loop over the layer below) ...
    ("backprop.wrong_layer_index", partial(_backprop, w_shift=1)),
    # ... and df_layers or y_layers one off
    ("backprop.wrong_layer_index", partial(_backprop, df_shift=1)),
    ("backprop.wrong_layer_index", partial(_backprop, y_shift=1)),
    ("backprop.db_not_summed", partial(_backprop, db="none")),
    ("backprop.db_not_summed", partial(_backprop, db="rows")),
]


def gradient_step_mutants(weights, biases, dw_layers, db_layers, eta):
    """[(misconception, (weights after, biases after))] of gradient_step's mistakes."""
    def step(w_scale, b_scale):
        return ([w - w_scale * dw for w, dw in zip(weights, dw_layers)],
                [b - b_scale * db for b, db in zip(biases, db_layers)])
    return [
        ("gradient_step.no_update", step(0, 0)),
        ("gradient_step.wrong_sign", step(-eta, -eta)),
        ("gradient_step.biases_not_updated", step(eta, 0)),
        ("gradient_step.ignores_eta", step(1, 1)),
    ]
