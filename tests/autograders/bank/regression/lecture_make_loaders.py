"""
The lecture's data-loader code moved into make_loaders: no generator and no
seed anywhere, so neither the split nor the shuffling is reproducible.

expect: make_loaders -> make_loaders.split_not_reproducible
"""
import torch
from torch.utils.data import DataLoader


def make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0):
    val_size   = int(val_fraction * len(dataset))
    train_set, val_set = torch.utils.data.random_split(
        dataset, [len(dataset)-val_size, val_size]
    )

    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader   = DataLoader(val_set,   batch_size=batch_size)
    return train_loader, val_loader
