"""The figures the notebooks show. Each returns its matplotlib Figure."""
import matplotlib.pyplot as plt
import numpy as np


def plot_activations(functions, x=None):
    """A 2x3 grid, one panel per activation function.

    Inputs:
    - functions: dict {title: function}, at most six entries
    - x: the points to plot at (default: 401 points on [-5, 5])
    """
    x = np.linspace(-5, 5, 401) if x is None else x
    fig, axes = plt.subplots(2, 3, figsize=(10, 5.5), sharex=True)
    for ax, (title, function) in zip(axes.flat, functions.items()):
        ax.plot(x, function(x), linewidth=2)
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.axvline(0, color="grey", linewidth=0.5)
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_training_progress(costs, prediction, extent=(-0.5, 0.5, -0.5, 0.5)):
    """Cost per batch beside the network's current prediction image."""
    fig, (ax_cost, ax_image) = plt.subplots(1, 2, figsize=(9, 4))
    ax_cost.plot(costs)
    ax_cost.set_xlabel("batch")
    ax_cost.set_ylabel("cost")
    ax_cost.set_yscale("log")
    ax_cost.set_title("Cost during training")
    image = ax_image.imshow(prediction, origin="lower", extent=extent, interpolation="nearest")
    fig.colorbar(image, ax=ax_image)
    ax_image.set_title("Current network prediction")
    ax_image.set_xlabel("$x_0$")
    ax_image.set_ylabel("$x_1$")
    fig.tight_layout()
    return fig


def plot_loss_curves(history, title="Loss curves", ax=None):
    """Training and validation loss per epoch, with the best epoch marked."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    epochs = np.arange(1, len(history["train_losses"]) + 1)
    ax.plot(epochs, history["train_losses"], label="training")
    ax.plot(epochs, history["val_losses"], label="validation")
    ax.axvline(history["best_epoch"], color="red", linestyle="--",
               label=f"best epoch {history['best_epoch']}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE")
    ax.set_title(title)
    ax.legend()
    ax.grid(True, alpha=0.3)
    return ax.figure


def plot_fit(model, dataset, target, title="Final fit", ax=None):
    """The data points, the true curve and the model's prediction on [-2, 2]."""
    import torch

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    x_data, y_data = dataset.tensors
    x_dense = torch.linspace(-2, 2, 400).reshape(-1, 1)
    model.eval()
    with torch.no_grad():
        device = next(model.parameters()).device
        prediction = model(x_dense.to(device)).cpu()
    ax.scatter(x_data.numpy(), y_data.numpy(), s=12, color="grey", label="data")
    ax.plot(x_dense.numpy(), target(x_dense).numpy(), "b--", label="true function")
    ax.plot(x_dense.numpy(), prediction.numpy(), "r-", linewidth=2, label="model")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend()
    ax.grid(True, alpha=0.3)
    return ax.figure
