"""backward_step without the activation's derivative; backprop uses it.

expect: backward_step -> backward_step.missing_df
expect: backprop -> backprop.missing_hidden_derivative
"""


def backward_step(delta, w, df):
    return delta @ w.T
