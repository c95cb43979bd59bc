"""The learning rate forgotten: a full gradient step.

expect: gradient_step -> gradient_step.ignores_eta
"""


def gradient_step(weights, biases, dw_layers, db_layers, eta):
    for j in range(len(weights)):
        weights[j] -= dw_layers[j]
        biases[j] -= db_layers[j]
