"""The right value, returned as a (1, 1) array.

expect: cost -> cost.not_a_float
"""


def cost(y_out, y_target):
    return ((y_out - y_target) ** 2).sum(keepdims=True) / (2 * len(y_out))
