"""step returning a bool array (right values, another dtype), relu via np.where,
and a stable sigmoid with boolean-mask assignment into a new array.

expect: full marks
"""


def step(x):
    return x >= 0


def relu(x):
    return np.where(x > 0, x, 0.0)


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1 / (1 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1 + e)
    return out
