"""Leaky ReLU whose def line was changed to a default of 0.1.

expect: leaky_relu -> leaky_relu.wrong_default_alpha
"""


def leaky_relu(x, alpha=0.1):
    return np.where(x > 0, x, alpha * x)
