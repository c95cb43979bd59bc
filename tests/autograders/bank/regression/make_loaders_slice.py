"""
Splits by slicing: the last items (the right end of the x range) validate.

expect: make_loaders -> make_loaders.split_not_random
"""
import torch
from torch.utils.data import DataLoader, Subset


def make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0):
    n_val = int(val_fraction * len(dataset))
    n_train = len(dataset) - n_val
    train_set = Subset(dataset, range(n_train))
    val_set = Subset(dataset, range(n_train, len(dataset)))
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(val_set, batch_size=batch_size)
    return train_loader, val_loader
