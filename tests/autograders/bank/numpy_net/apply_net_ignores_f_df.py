"""f_df not passed on to forward_step, so every layer uses its default ReLU.

expect: apply_net -> apply_net.ignores_f_df
"""


def apply_net(y_in, weights, biases, f_df=net_f_df_relu):
    y_layers, df_layers = [y_in], []
    for w, b in zip(weights, biases):
        y, df = forward_step(y_layers[-1], w, b)
        y_layers.append(y)
        df_layers.append(df)
    return y_layers[-1], y_layers, df_layers
