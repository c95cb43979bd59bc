"""The PyTorch regression task: target, data set, loaders and models."""
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split


def target_function(x):
    """The curve to learn: 0.1 x^3 - 0.5 x^2 + 2 sin(3x).

    Works on NumPy arrays (returns an array) and on tensors (returns a tensor).
    """
    sin = torch.sin if isinstance(x, torch.Tensor) else np.sin
    return 0.1 * x**3 - 0.5 * x**2 + 2 * sin(3 * x)


def make_dataset(n_points=200, noise_std=0.0, seed=0):
    """Evenly spaced samples of target_function on [-2, 2], optionally noisy.

    Inputs:
    - n_points: number of samples N; both ends -2 and 2 are included
    - noise_std: standard deviation of Gaussian noise added to y
    - seed: the noise is the same for the same seed

    Returns a TensorDataset(X, Y) of float32 tensors of shape (N, 1).
    """
    x = np.linspace(-2.0, 2.0, n_points).reshape(-1, 1)
    noise = np.random.default_rng(seed).normal(0.0, 1.0, size=x.shape) * noise_std
    y = target_function(x) + noise
    return TensorDataset(torch.from_numpy(x).float(), torch.from_numpy(y).float())


def make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0):
    """Seeded random train/validation split and its two DataLoaders.

    Inputs:
    - dataset: any map-style dataset
    - val_fraction: int(val_fraction * len(dataset)) items go to validation
    - batch_size: batch size of both loaders (the last batch may be partial)
    - seed: fixes the split and the training loader's shuffling

    Returns (train_loader, val_loader). The training loader reshuffles every
    epoch, reproducibly for the same seed; the validation loader keeps order.
    """
    n_val = int(val_fraction * len(dataset))
    train_set, val_set = random_split(
        dataset, [len(dataset) - n_val, n_val],
        generator=torch.Generator().manual_seed(seed),
    )
    train_loader = DataLoader(
        train_set, batch_size=batch_size, shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    val_loader = DataLoader(val_set, batch_size=batch_size, shuffle=False)
    return train_loader, val_loader


class SimpleNet(nn.Module):
    """One hidden layer of 32 ReLU units: Linear(1, 32), ReLU, Linear(32, 1).

    Maps a batch x of shape (B, 1) to predictions of shape (B, 1).
    """

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x)


class LargeNet(nn.Module):
    """One hidden layer of 512 ReLU units: Linear(1, 512), ReLU, Linear(512, 1).

    Maps a batch x of shape (B, 1) to predictions of shape (B, 1).
    """

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 512), nn.ReLU(), nn.Linear(512, 1))

    def forward(self, x):
        return self.net(x)


def count_parameters(model):
    """Number of trainable parameters (those with requires_grad) of a model."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
