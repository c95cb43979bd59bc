"""The lecture's bug alone: the hidden layers' dw are not divided by the batch size.

expect: backprop -> backprop.hidden_not_divided_by_batch
"""


def backprop(y_target, y_layers, df_layers, weights):
    batch_size = y_target.shape[0]
    n_layers = len(weights)
    dw_layers, db_layers = [None] * n_layers, [None] * n_layers
    delta = (y_layers[-1] - y_target) * df_layers[-1]
    dw_layers[-1] = y_layers[-2].T @ delta / batch_size
    db_layers[-1] = delta.sum(axis=0) / batch_size
    for j in range(n_layers - 2, -1, -1):
        delta = backward_step(delta, weights[j + 1], df_layers[j])
        dw_layers[j] = y_layers[j].T @ delta
        db_layers[j] = delta.sum(axis=0) / batch_size
    return dw_layers, db_layers
