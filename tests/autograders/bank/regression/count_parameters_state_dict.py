"""
Counts the entries of the state_dict: buffers and shared layers included.

expect: count_parameters -> count_parameters.counts_buffers
"""


def count_parameters(model):
    return sum(t.numel() for t in model.state_dict().values())
