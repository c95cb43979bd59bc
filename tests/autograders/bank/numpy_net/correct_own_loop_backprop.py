"""backprop with a while loop from the output layer down, inserting each layer's
gradients at the front (an independent solution: the sample class's ivan).

expect: full marks
"""


def backprop(y_target, y_layers, df_layers, weights):
    """Gradients by the chain rule."""
    n = y_target.shape[0]
    grads_w, grads_b = [], []
    # error at the output, already divided by the batch size
    delta = (y_layers[-1] - y_target) * df_layers[-1] / n
    layer = len(weights) - 1
    while layer >= 0:
        grads_w.insert(0, np.dot(y_layers[layer].T, delta))
        grads_b.insert(0, np.sum(delta, axis=0))
        if layer > 0:
            # push the error one layer down
            delta = np.dot(delta, weights[layer].T) * df_layers[layer - 1]
        layer -= 1
    return grads_w, grads_b
