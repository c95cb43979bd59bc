"""e^x / (1 + e^x): inf / inf = nan for large positive x.

expect: sigmoid -> sigmoid.not_finite
"""


def sigmoid(x):
    e = np.exp(x)
    return e / (1 + e)
