"""db = delta: one bias gradient per sample instead of their sum.

expect: backprop -> backprop.db_not_summed
"""


def backprop(y_target, y_layers, df_layers, weights):
    n_layers = len(weights)
    dw_layers, db_layers = [None] * n_layers, [None] * n_layers
    delta = (y_layers[-1] - y_target) * df_layers[-1] / y_target.shape[0]
    for j in reversed(range(n_layers)):
        dw_layers[j] = y_layers[j].T @ delta
        db_layers[j] = delta
        if j > 0:
            delta = backward_step(delta, weights[j], df_layers[j - 1])
    return dw_layers, db_layers
