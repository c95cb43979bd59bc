"""ReLU's derivative taken as 1 at z = 0.

expect: net_f_df_relu -> net_f_df_relu.derivative_at_zero
"""


def net_f_df_relu(z):
    return np.maximum(z, 0), (z >= 0).astype(float)
