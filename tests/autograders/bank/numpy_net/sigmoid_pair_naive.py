"""The right derivative f (1 - f), but f from the textbook formula: the values
are right and finite, yet exp(-z) overflows with a RuntimeWarning at z = -1e4.

expect: net_f_df_sigmoid -> net_f_df_sigmoid.overflow_warning
"""


def net_f_df_sigmoid(z):
    f = 1 / (1 + np.exp(-z))
    return f, f * (1 - f)
