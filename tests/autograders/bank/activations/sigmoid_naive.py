"""The textbook formula: right values, but exp(-x) overflows for x = -1e4.

expect: sigmoid -> sigmoid.naive_overflow
"""


def sigmoid(x):
    return 1 / (1 + np.exp(-x))
