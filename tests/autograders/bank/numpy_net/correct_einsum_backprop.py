"""backprop with einsum and the batch mean taken at the end of each layer.

expect: full marks
"""


def backprop(y_target, y_layers, df_layers, weights):
    batch_size = len(y_target)
    delta = (y_layers[-1] - y_target) * df_layers[-1]
    dw_layers, db_layers = [], []
    for j in range(len(weights) - 1, -1, -1):
        dw_layers.insert(0, np.einsum("bi,bj->ij", y_layers[j], delta) / batch_size)
        db_layers.insert(0, np.einsum("bj->j", delta) / batch_size)
        if j:
            delta = np.einsum("bj,ij->bi", delta, weights[j]) * df_layers[j - 1]
    return dw_layers, db_layers
