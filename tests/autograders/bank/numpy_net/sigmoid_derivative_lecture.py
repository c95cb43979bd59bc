"""The lecture's derivative exp(-z) * f**2 on a stable f: inf * 0 = nan at z = -1e4.

expect: net_f_df_sigmoid -> net_f_df_sigmoid.overflowing_derivative
"""


def net_f_df_sigmoid(z):
    f = sigmoid(z)
    return f, np.exp(-z) * f ** 2
