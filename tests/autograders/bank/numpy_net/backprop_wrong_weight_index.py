"""Looping over the layer below, using weights[j] where weights[j + 1] belongs:
a shape error unless the layers are square, wrong numbers if they are.

expect: backprop -> backprop.wrong_layer_index
"""


def backprop(y_target, y_layers, df_layers, weights):
    n_layers = len(weights)
    dw_layers, db_layers = [None] * n_layers, [None] * n_layers
    delta = (y_layers[-1] - y_target) * df_layers[-1] / y_target.shape[0]
    dw_layers[-1] = y_layers[-2].T @ delta
    db_layers[-1] = delta.sum(axis=0)
    for j in range(n_layers - 2, -1, -1):
        delta = backward_step(delta, weights[j], df_layers[j])
        dw_layers[j] = y_layers[j].T @ delta
        db_layers[j] = delta.sum(axis=0)
    return dw_layers, db_layers
