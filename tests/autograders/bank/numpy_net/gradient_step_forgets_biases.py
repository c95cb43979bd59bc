"""Only the weights are updated.

expect: gradient_step -> gradient_step.biases_not_updated
"""


def gradient_step(weights, biases, dw_layers, db_layers, eta):
    for w, dw in zip(weights, dw_layers):
        w -= eta * dw
