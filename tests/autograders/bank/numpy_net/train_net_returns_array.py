"""The right cost, wrapped in a one-element array.

expect: train_net -> train_net.not_a_float
"""


def train_net(y_in, y_target, weights, biases, eta, f_df=net_f_df_relu):
    y_out, y_layers, df_layers = apply_net(y_in, weights, biases, f_df)
    dw_layers, db_layers = backprop(y_target, y_layers, df_layers, weights)
    gradient_step(weights, biases, dw_layers, db_layers, eta)
    return np.array([cost(y_out, y_target)])
