"""The inputs the activation probes feed and the judges replay.

Shared by both sides, so it must not import ``reference``: probes import it
inside the sandbox. Every input is fixed or drawn from a seeded generator.
"""
import numpy as np

# 0 and the values just around it are where step, relu and leaky ReLU differ.
GRID = np.concatenate([np.linspace(-6.0, 6.0, 25), [-1e-12, 1e-12]])
# exp(710) overflows float64; 1e4 is the contract's bound for sigmoid.
EXTREMES = np.array([-1e4, -1e3, -710.0, -50.0, 50.0, 710.0, 1e3, 1e4])


def tensor3():
    """A seeded (2, 3, 4) array: 'any shape' means more than 1-D."""
    return np.random.default_rng(20240601).normal(0.0, 3.0, size=(2, 3, 4))


# (label, arguments) of every call a probe makes, by item. Labels appear in
# feedback, so they say what the input was.
_X = [("x = linspace(-6, 6, 25) with 0 and ±1e-12", (GRID,)),
      ("x of shape (2, 3, 4)", (tensor3(),)),
      ("x = ±1e4, ±1e3, ±710, ±50", (EXTREMES,))]

CALLS = {
    "sigmoid": _X,
    "tanh": _X,
    "relu": _X,
    "linear": _X,
    "step": _X,
    "leaky_relu": _X + [
        ("x on the grid, alpha = 0.2", (GRID, 0.2)),
        ("x on the grid, alpha = 0", (GRID, 0.0)),
        ("x of shape (2, 3, 4), alpha = 0.5", (tensor3(), 0.5)),
    ],
}


def calls(item):
    """[(label, args)] for item, with fresh copies of the input arrays."""
    return [(label, tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a
                          for a in args))
            for label, args in CALLS[item]]
