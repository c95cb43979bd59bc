"""A linear output layer, as is usual for regression, but not the contract.

expect: apply_net -> apply_net.linear_output_layer
"""


def apply_net(y_in, weights, biases, f_df=net_f_df_relu):
    y_layers, df_layers = [y_in], []
    for j, (w, b) in enumerate(zip(weights, biases)):
        if j == len(weights) - 1:
            y, df = y_layers[-1] @ w + b, np.ones((y_in.shape[0], w.shape[1]))
        else:
            y, df = forward_step(y_layers[-1], w, b, f_df)
        y_layers.append(y)
        df_layers.append(df)
    return y_layers[-1], y_layers, df_layers
