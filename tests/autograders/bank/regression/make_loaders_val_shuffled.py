"""
Copies shuffle=True to the validation loader too.

expect: make_loaders -> make_loaders.val_shuffled
"""
import torch
from torch.utils.data import DataLoader, random_split


def make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0):
    n_val = int(val_fraction * len(dataset))
    generator = torch.Generator().manual_seed(seed)
    train_set, val_set = random_split(dataset, [len(dataset) - n_val, n_val], generator=generator)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=generator)
    val_loader = DataLoader(val_set, batch_size=batch_size, shuffle=True, generator=generator)
    return train_loader, val_loader
