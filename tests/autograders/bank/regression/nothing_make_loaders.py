"""Does nothing: two loaders over the whole dataset, no split, no shuffling.

A stub with the right types and shapes and no computation earns no points.
expect: make_loaders -> zero
"""
from torch.utils.data import DataLoader


def make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0):
    return DataLoader(dataset, batch_size=batch_size), DataLoader(dataset, batch_size=batch_size)
