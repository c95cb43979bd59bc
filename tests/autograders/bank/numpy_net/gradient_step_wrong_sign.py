"""Gradient ascent.

expect: gradient_step -> gradient_step.wrong_sign
"""


def gradient_step(weights, biases, dw_layers, db_layers, eta):
    for j in range(len(weights)):
        weights[j] += eta * dw_layers[j]
        biases[j] += eta * db_layers[j]
