"""Forward pass, cost and gradients, but the gradient step is forgotten.

expect: train_net -> train_net.no_update
"""


def train_net(y_in, y_target, weights, biases, eta, f_df=net_f_df_relu):
    y_out, y_layers, df_layers = apply_net(y_in, weights, biases, f_df)
    dw_layers, db_layers = backprop(y_target, y_layers, df_layers, weights)
    return cost(y_out, y_target)
