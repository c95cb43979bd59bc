"""The derivative of the square's 2 kept, as if the cost had no 1/2.

expect: backprop -> backprop.off_by_two
"""


def backprop(y_target, y_layers, df_layers, weights):
    n_layers = len(weights)
    dw_layers, db_layers = [None] * n_layers, [None] * n_layers
    delta = 2 * (y_layers[-1] - y_target) * df_layers[-1] / y_target.shape[0]
    for j in reversed(range(n_layers)):
        dw_layers[j] = y_layers[j].T @ delta
        db_layers[j] = delta.sum(axis=0)
        if j > 0:
            delta = backward_step(delta, weights[j], df_layers[j - 1])
    return dw_layers, db_layers
