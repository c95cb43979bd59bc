"""ReLU by zeroing the negative entries of the caller's array.

expect: relu -> relu.modifies_input
"""


def relu(x):
    x[x < 0] = 0
    return x
