"""backprop as a recursion from the output layer down, returning tuples.

expect: full marks
"""


def backprop(y_target, y_layers, df_layers, weights):
    def down(j, delta):
        dw, db = (y_layers[j].T @ delta,), (delta.sum(axis=0),)
        if j == 0:
            return dw, db
        below_w, below_b = down(j - 1, backward_step(delta, weights[j], df_layers[j - 1]))
        return below_w + dw, below_b + db

    top = len(weights) - 1
    return down(top, (y_layers[-1] - y_target) * df_layers[-1] / y_target.shape[0])
