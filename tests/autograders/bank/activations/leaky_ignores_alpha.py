"""Leaky ReLU with the default slope written in instead of alpha.

expect: leaky_relu -> leaky_relu.ignores_alpha
"""


def leaky_relu(x, alpha=0.01):
    return np.where(x > 0, x, 0.01 * x)
