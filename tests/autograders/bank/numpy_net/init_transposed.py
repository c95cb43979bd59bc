"""Weights shaped (n_out, n_in), as in y = W x.

expect: init_network -> init_network.transposed_weights
"""


def init_network(layer_sizes, rng):
    weights = [rng.uniform(-0.1, 0.1, size=(m, n))
               for n, m in zip(layer_sizes[:-1], layer_sizes[1:])]
    biases = [np.zeros(m) for m in layer_sizes[1:]]
    return weights, biases
