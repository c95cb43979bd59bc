"""init_network drawing from np.random as the lecture did, ignoring rng.

expect: init_network -> init_network.uses_global_random
"""


def init_network(layer_sizes, rng):
    weights = [np.random.uniform(-0.1, 0.1, size=(n, m))
               for n, m in zip(layer_sizes[:-1], layer_sizes[1:])]
    biases = [np.zeros(m) for m in layer_sizes[1:]]
    return weights, biases
