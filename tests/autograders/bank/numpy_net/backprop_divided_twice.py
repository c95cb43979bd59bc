"""delta already carries 1/B, and dw and db are divided by B again.

expect: backprop -> backprop.divided_by_batch_twice
"""


def backprop(y_target, y_layers, df_layers, weights):
    batch_size = y_target.shape[0]
    n_layers = len(weights)
    dw_layers, db_layers = [None] * n_layers, [None] * n_layers
    delta = (y_layers[-1] - y_target) * df_layers[-1] / batch_size
    for j in reversed(range(n_layers)):
        dw_layers[j] = y_layers[j].T @ delta / batch_size
        db_layers[j] = delta.sum(axis=0) / batch_size
        if j > 0:
            delta = backward_step(delta, weights[j], df_layers[j - 1])
    return dw_layers, db_layers
