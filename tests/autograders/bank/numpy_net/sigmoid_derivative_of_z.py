"""f (1 - f) applied to z instead of to f.

expect: net_f_df_sigmoid -> net_f_df_sigmoid.derivative_uses_z
"""


def net_f_df_sigmoid(z):
    return sigmoid(z), z * (1 - z)
