"""y_layers holds the layers' outputs only, without the input.

expect: apply_net -> apply_net.missing_input_layer
"""


def apply_net(y_in, weights, biases, f_df=net_f_df_relu):
    y, y_layers, df_layers = y_in, [], []
    for w, b in zip(weights, biases):
        y, df = forward_step(y, w, b, f_df)
        y_layers.append(y)
        df_layers.append(df)
    return y, y_layers, df_layers
