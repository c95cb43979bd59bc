"""Element-wise activation functions on NumPy arrays of any shape."""
import numpy as np


def sigmoid(x):
    """Logistic sigmoid 1 / (1 + exp(-x)), element-wise.

    Inputs:
    - x: array of any shape

    Returns an array of floats of the same shape, finite for every finite x.
    """
    x = np.asarray(x, dtype=float)
    # exp(-|x|) lies in (0, 1], so it never overflows, even at |x| = 1e4.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(x):
    """Hyperbolic tangent, element-wise; same shape as x."""
    return np.tanh(np.asarray(x, dtype=float))


def relu(x):
    """Rectified linear unit max(0, x), element-wise; same shape as x."""
    return np.maximum(0.0, np.asarray(x, dtype=float))


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: x where x > 0, alpha * x elsewhere (0 <= alpha < 1)."""
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * x)


def linear(x):
    """Identity activation: returns x unchanged (as a float array)."""
    return np.array(x, dtype=float)


def step(x):
    """Heaviside step: 1 where x >= 0, 0 elsewhere; same shape as x."""
    return np.where(np.asarray(x) >= 0, 1.0, 0.0)
