"""Gaussian weights with standard deviation 0.1 instead of U(-0.1, 0.1).

expect: init_network -> init_network.wrong_range
"""


def init_network(layer_sizes, rng):
    weights = [rng.normal(0.0, 0.1, size=(n, m))
               for n, m in zip(layer_sizes[:-1], layer_sizes[1:])]
    biases = [np.zeros(m) for m in layer_sizes[1:]]
    return weights, biases
