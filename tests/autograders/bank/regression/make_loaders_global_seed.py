"""
Seeds torch's global generator and gives neither random_split nor the
DataLoader a generator: the split is reproducible, but the training loader
draws its shuffles from the global generator whenever it is iterated.

expect: make_loaders -> make_loaders.shuffle_not_seeded
"""
import torch
from torch.utils.data import DataLoader, random_split


def make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0):
    torch.manual_seed(seed)
    n_val = int(val_fraction * len(dataset))
    train_set, val_set = random_split(dataset, [len(dataset) - n_val, n_val])
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=batch_size)
    return train_loader, val_loader
