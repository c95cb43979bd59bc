"""
Drops the last, smaller training batch "so all batches are the same size".

expect: make_loaders -> make_loaders.drop_last
"""
import torch
from torch.utils.data import DataLoader, random_split


def make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0):
    n_val = int(val_fraction * len(dataset))
    train_set, val_set = random_split(dataset, [len(dataset) - n_val, n_val],
                                      generator=torch.Generator().manual_seed(seed))
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, drop_last=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(val_set, batch_size=batch_size)
    return train_loader, val_loader
