"""f = e^z / (1 + e^z): nan for large positive z, and so is df.

expect: net_f_df_sigmoid -> net_f_df_sigmoid.not_finite
"""


def net_f_df_sigmoid(z):
    e = np.exp(z)
    f = e / (1 + e)
    return f, f * (1 - f)
