"""net_f_df_sigmoid with its own stable sigmoid through np.logaddexp, and
backward_step with np.matmul and np.multiply.

expect: full marks
"""


def net_f_df_sigmoid(z):
    f = np.exp(-np.logaddexp(0.0, -z))
    return f, f * (1.0 - f)


def backward_step(delta, w, df):
    return np.multiply(np.matmul(delta, w.T), df)
