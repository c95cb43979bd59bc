"""The cost measured again after the step.

expect: train_net -> train_net.returns_cost_after_update
"""


def train_net(y_in, y_target, weights, biases, eta, f_df=net_f_df_relu):
    y_out, y_layers, df_layers = apply_net(y_in, weights, biases, f_df)
    dw_layers, db_layers = backprop(y_target, y_layers, df_layers, weights)
    gradient_step(weights, biases, dw_layers, db_layers, eta)
    return cost(apply_net(y_in, weights, biases, f_df)[0], y_target)
