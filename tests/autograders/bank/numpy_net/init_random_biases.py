"""Random biases as well as random weights.

expect: init_network -> init_network.nonzero_biases
"""


def init_network(layer_sizes, rng):
    weights = [rng.uniform(-0.1, 0.1, size=(n, m))
               for n, m in zip(layer_sizes[:-1], layer_sizes[1:])]
    biases = [rng.uniform(-0.1, 0.1, size=m) for m in layer_sizes[1:]]
    return weights, biases
