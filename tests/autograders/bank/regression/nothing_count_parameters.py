"""Does nothing: a constant whole number.

A stub with the right types and shapes and no computation earns no points.
expect: count_parameters -> zero
"""
def count_parameters(model):
    return 0
