"""
Counts every parameter, trainable or frozen.

expect: count_parameters -> count_parameters.counts_frozen
"""


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
