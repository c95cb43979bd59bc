"""Figures of notebook 3 (PyTorch regression) beyond those in plotting.py."""
import matplotlib.pyplot as plt
import numpy as np


def plot_target(target, train_set=None, val_set=None, ax=None):
    """The target curve on [-2, 2], with the training and validation points if given.

    Inputs:
    - target: function mapping a NumPy array to a NumPy array of the same shape
    - train_set, val_set: optional datasets whose items are (x, y) pairs of
      tensors of shape (1,), e.g. the Subsets behind the two DataLoaders
    Returns the matplotlib Figure.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    x = np.linspace(-2, 2, 400)
    ax.plot(x, target(x), "b-", linewidth=2, label=r"$0.1x^3 - 0.5x^2 + 2\sin(3x)$")
    for subset, style, name in ((train_set, "o", "training"), (val_set, "s", "validation")):
        if subset is not None:
            points = np.array([[float(xi), float(yi)] for xi, yi in subset]).reshape(-1, 2)
            ax.plot(points[:, 0], points[:, 1], style, markersize=4, alpha=0.7,
                    label=f"{name} ({len(points)} points)")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("Target function")
    ax.legend()
    ax.grid(True, alpha=0.3)
    return ax.figure
