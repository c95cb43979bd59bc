"""Numerical gradients by central differences, and CS231n's rel_error."""
import numpy as np


def rel_error(x, y):
    """Largest element-wise relative error max |x - y| / max(1e-8, |x| + |y|)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def eval_numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function f at the array x.

    x is perturbed in place, one element at a time, and restored; f takes no
    arguments and reads x itself. Returns an array shaped like x.
    """
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    for _ in it:
        index = it.multi_index
        original = x[index]
        x[index] = original + h
        f_plus = f()
        x[index] = original - h
        f_minus = f()
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad
