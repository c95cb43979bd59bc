"""f_df not passed on to apply_net, so every layer uses ReLU.

expect: train_net -> train_net.ignores_f_df
"""


def train_net(y_in, y_target, weights, biases, eta, f_df=net_f_df_relu):
    y_out, y_layers, df_layers = apply_net(y_in, weights, biases)
    batch_cost = cost(y_out, y_target)
    dw_layers, db_layers = backprop(y_target, y_layers, df_layers, weights)
    gradient_step(weights, biases, dw_layers, db_layers, eta)
    return batch_cost
