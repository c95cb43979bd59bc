"""Each layer's input stored before the step, so the output is never stored.

expect: apply_net -> apply_net.missing_output_layer
"""


def apply_net(y_in, weights, biases, f_df=net_f_df_relu):
    y, y_layers, df_layers = y_in, [], []
    for w, b in zip(weights, biases):
        y_layers.append(y)
        y, df = forward_step(y, w, b, f_df)
        df_layers.append(df)
    return y, y_layers, df_layers
