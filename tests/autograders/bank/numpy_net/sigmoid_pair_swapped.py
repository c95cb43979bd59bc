"""The derivative first, the value second.

expect: net_f_df_sigmoid -> net_f_df_sigmoid.swapped_pair
"""


def net_f_df_sigmoid(z):
    f = sigmoid(z)
    return f * (1 - f), f
