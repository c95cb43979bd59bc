"""
Counts the parameter tensors instead of the numbers in them.

expect: count_parameters -> count_parameters.counts_tensors
"""


def count_parameters(model):
    return len([p for p in model.parameters() if p.requires_grad])
