"""The 2-D regression demo of the NumPy network: target, batches, images.

The network learns a function of two inputs on the square [-0.5, 0.5]^2.
Points are rows: a batch of B points is an array (B, 2) with columns x0, x1,
and the targets are an array (B, 1). Images are (n, n) arrays whose row i
is x1 = grid[i] and column j is x0 = grid[j], drawn with origin="lower" and
extent EXTENT so that the axes show coordinates, not array indices.

The notebook inlines these functions in a setup cell whose body repeats the
constants LOW, HIGH and EXTENT (tests/reference/test_numpy_net_demo.py checks
that they agree).
"""
import matplotlib.pyplot as plt
import numpy as np

LOW, HIGH = -0.5, 0.5
EXTENT = (LOW, HIGH, LOW, HIGH)  # (x0 min, x0 max, x1 min, x1 max) for imshow


def target_2d(x0, x1):
    """The function to learn: exp(-7 r^2) * |x1 + 2 x0|, with r^2 = x0^2 + x1^2.

    x0 and x1 are arrays of the same shape (or scalars); returns that shape.
    It is non-negative, zero along the line x1 = -2 x0, and peaks near 0.35.
    """
    r2 = x0 ** 2 + x1 ** 2
    return np.exp(-7 * r2) * np.abs(x1 + 2 * x0)


def make_batch(rng, batch_size=100):
    """A random batch: points uniform on the square, and their targets.

    Inputs:
    - rng: a np.random.Generator, the only source of randomness
    - batch_size: number of points B

    Returns (inputs, targets) of shapes (B, 2) and (B, 1).
    """
    inputs = rng.uniform(LOW, HIGH, size=(batch_size, 2))
    targets = target_2d(inputs[:, 0], inputs[:, 1])[:, None]
    return inputs, targets


def grid_points(n=40):
    """The n x n grid of the square, as a batch.

    Returns (points, shape): points (n*n, 2), row-major with x0 varying
    fastest, and shape (n, n) to reshape n*n outputs into an image.
    """
    axis = np.linspace(LOW, HIGH, n)
    x0, x1 = np.meshgrid(axis, axis)
    return np.column_stack([x0.ravel(), x1.ravel()]), x0.shape


def target_image(n=40):
    """The target on the n x n grid, an (n, n) image (see grid_points)."""
    points, shape = grid_points(n)
    return target_2d(points[:, 0], points[:, 1]).reshape(shape)


def prediction_image(predict, n=40):
    """A model's output on the n x n grid, as an (n, n) image.

    predict maps a batch (N, 2) to outputs (N, 1), e.g.
    ``lambda y: apply_net(y, weights, biases)[0]``.
    """
    points, shape = grid_points(n)
    return np.asarray(predict(points)).reshape(shape)


def show_image(ax, image, title, vmax=None):
    """Draw an (n, n) image on ax with coordinate axes; returns the AxesImage."""
    shown = ax.imshow(image, origin="lower", extent=EXTENT, interpolation="nearest",
                      vmin=0.0, vmax=vmax)
    ax.set_title(title)
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return shown


def plot_training_snapshots(costs, snapshots, target):
    """The cost curve above; the prediction at a few steps and the target below.

    Inputs:
    - costs: the cost of each training batch, in order
    - snapshots: list of (step, image) pairs, each image (n, n)
    - target: the target image (n, n)

    All images share one colour scale, that of the target. Returns the Figure.
    """
    names = [f"snapshot {k}" for k in range(len(snapshots))] + ["target"]
    fig, axes = plt.subplot_mosaic([["cost"] * len(names), names], figsize=(2.8 * len(names), 6),
                                   height_ratios=[1, 1.2], layout="constrained")
    axes["cost"].plot(np.arange(1, len(costs) + 1), costs, linewidth=0.5)
    axes["cost"].set_yscale("log")
    axes["cost"].set_xlabel("batch (training step)")
    axes["cost"].set_ylabel("cost of the batch")
    axes["cost"].set_title("Cost during training")
    axes["cost"].grid(True, alpha=0.3)
    vmax = float(np.max(target))
    for name, (step, image) in zip(names, snapshots):
        show_image(axes[name], image, f"network after {step} steps", vmax)
    shown = show_image(axes["target"], target, "target", vmax)
    for name in names[1:]:
        axes[name].set_ylabel("")
    fig.colorbar(shown, ax=[axes[name] for name in names], shrink=0.8)
    return fig


def relative_rms_error(image, target):
    """sqrt(mean((image - target)^2) / mean(target^2)): 0 is perfect, 1 is all zeros."""
    image, target = np.asarray(image, dtype=float), np.asarray(target, dtype=float)
    return float(np.sqrt(np.mean((image - target) ** 2) / np.mean(target ** 2)))
