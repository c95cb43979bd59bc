"""The sign in the exponent lost: 1 / (1 + e^x), stable but mirrored.

expect: sigmoid -> sigmoid.sign_flipped
"""


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x < 0, 1 / (1 + e), e / (1 + e))
