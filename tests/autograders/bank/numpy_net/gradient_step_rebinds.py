"""New lists bound to the local names: the caller never sees the update.

expect: gradient_step -> gradient_step.no_update
"""


def gradient_step(weights, biases, dw_layers, db_layers, eta):
    weights = [w - eta * dw for w, dw in zip(weights, dw_layers)]
    biases = [b - eta * db for b, db in zip(biases, db_layers)]
    return weights, biases
