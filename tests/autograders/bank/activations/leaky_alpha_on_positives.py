"""Leaky ReLU with the two branches swapped.

expect: leaky_relu -> leaky_relu.alpha_on_wrong_side
"""


def leaky_relu(x, alpha=0.01):
    return np.where(x > 0, alpha * x, x)
