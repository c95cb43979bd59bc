"""init_network making a fresh generator with a fixed seed instead of using rng.

expect: init_network -> init_network.ignores_rng
"""


def init_network(layer_sizes, rng):
    generator = np.random.default_rng(0)
    weights = [generator.uniform(-0.1, 0.1, size=(n, m))
               for n, m in zip(layer_sizes[:-1], layer_sizes[1:])]
    biases = [np.zeros(m) for m in layer_sizes[1:]]
    return weights, biases
