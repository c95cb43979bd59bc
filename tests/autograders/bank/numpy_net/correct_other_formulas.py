"""Other right formulas: init from rng.random, cost via a per-sample sum and
np.mean, forward_step with np.dot, apply_net with preallocated lists, and
train_net computing the cost inline.

expect: full marks
"""


def init_network(layer_sizes, rng):
    weights, biases = [], []
    for n_in, n_out in zip(layer_sizes, layer_sizes[1:]):
        weights.append(0.2 * rng.random((n_in, n_out)) - 0.1)
        biases.append(np.zeros(n_out))
    return weights, biases


def cost(y_out, y_target):
    return 0.5 * np.mean(np.sum((y_out - y_target) ** 2, axis=1))


def forward_step(y, w, b, f_df=net_f_df_relu):
    z = np.dot(y, w) + b
    return f_df(z)


def apply_net(y_in, weights, biases, f_df=net_f_df_relu):
    n_layers = len(weights)
    y_layers, df_layers = [None] * (n_layers + 1), [None] * n_layers
    y_layers[0] = y_in
    for j in range(n_layers):
        y_layers[j + 1], df_layers[j] = forward_step(y_layers[j], weights[j], biases[j], f_df)
    return y_layers[-1], y_layers, df_layers


def train_net(y_in, y_target, weights, biases, eta, f_df=net_f_df_relu):
    y_out, y_layers, df_layers = apply_net(y_in, weights, biases, f_df)
    before = float(((y_out - y_target) ** 2).sum() / (2 * len(y_in)))
    gradient_step(weights, biases, *backprop(y_target, y_layers, df_layers, weights), eta)
    return before
