"""delta @ w instead of delta @ w.T: fails unless w is square.

expect: backward_step -> backward_step.missing_transpose
expect: backprop -> lost
"""


def backward_step(delta, w, df):
    return (delta @ w) * df
