"""The inputs the NumPy-network probes feed and the judges replay.

Shared by both sides, so it must not import ``reference`` (probes import it
inside the sandbox). Everything is drawn from generators seeded by a fixed
key, so probe and judge rebuild identical arrays.

The fixture activations below are passed as ``f_df`` wherever an item takes
one: a function is then judged apart from the student's own net_f_df_*, and
tanh (neither the default ReLU nor sigmoid) shows whether f_df is used at all.
"""
from dataclasses import dataclass

import numpy as np

from autograders.topics.activations.cases import EXTREMES, GRID, tensor3

SEED = 2024


def rng(*key):
    """A generator for one named purpose: the same key gives the same draws."""
    return np.random.default_rng([SEED, *key])


def f_df_sigmoid(z):
    f = 0.5 * (1.0 + np.tanh(0.5 * z))  # a sigmoid that cannot overflow
    return f, f * (1.0 - f)


def f_df_relu(z):
    return np.maximum(z, 0.0), (z > 0).astype(float)


def f_df_tanh(z):
    f = np.tanh(z)
    return f, 1.0 - f * f


F_DF = {"sigmoid": f_df_sigmoid, "relu": f_df_relu, "tanh": f_df_tanh}


def network(layer_sizes, key):
    """(weights, biases) scaled so every layer is active: weights[j] (n_j, n_{j+1})."""
    g = rng(1, key)
    weights = [g.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out))
               for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]
    biases = [g.normal(0.0, 0.5, size=n_out) for n_out in layer_sizes[1:]]
    # A positive output bias keeps ReLU outputs active: a dead output layer has
    # zero gradients everywhere, which every mistake reproduces.
    biases[-1] = g.uniform(0.5, 1.0, size=layer_sizes[-1])
    return weights, biases


def lecture_function(x):
    """The lecture's target exp(-7 r^2) |x1 + 2 x0| on inputs (B, 2); shape (B, 1)."""
    r2 = x[:, 0] ** 2 + x[:, 1] ** 2
    return (np.exp(-7.0 * r2) * np.abs(x[:, 1] + 2.0 * x[:, 0]))[:, None]


def batch(n_in, n_out, batch_size, key):
    """(y_in (B, n_in), y_target (B, n_out)) with targets in [0, 1)."""
    g = rng(2, key)
    return g.uniform(-1.0, 1.0, size=(batch_size, n_in)), g.uniform(0.0, 1.0, (batch_size, n_out))


def forward(y_in, weights, biases, f_df):
    """(y_layers, df_layers) of a forward pass: the inputs backprop is given."""
    y_layers, df_layers = [y_in], []
    for w, b in zip(weights, biases):
        y, df = f_df(y_layers[-1] @ w + b)
        y_layers.append(y)
        df_layers.append(df)
    return y_layers, df_layers


# --- element-wise f_df functions -------------------------------------------
def f_df_calls():
    return [("z = linspace(-6, 6, 25) with 0 and ±1e-12", (GRID.copy(),)),
            ("z of shape (2, 3, 4)", (tensor3(),)),
            ("z = ±1e4, ±1e3, ±710, ±50", (EXTREMES.copy(),))]


# --- init_network ------------------------------------------------------------
INIT_SIZES = [3, 5, 4, 2]
INIT_LARGE = [60, 50, 1]    # 3050 draws: enough for range and spread statistics
INIT_SEEDS = (1234, 4321)


# --- forward_step, apply_net -------------------------------------------------
def forward_step_inputs():
    """(y (5, 3), w (3, 4), b (4,))."""
    g = rng(3)
    return g.normal(size=(5, 3)), g.normal(size=(3, 4)), g.normal(size=4)


APPLY_SIZES = (3, 4, 4, 2)


def apply_net_inputs():
    """(y_in (5, 3), weights, biases) for APPLY_SIZES."""
    weights, biases = network(APPLY_SIZES, 4)
    return rng(4).normal(size=(5, APPLY_SIZES[0])), weights, biases


# (label, name of the f_df passed, or None to use the default)
ACTIVATION_CALLS = (("f_df = tanh", "tanh"), ("the default f_df", None))


def _f_df_args(activation):
    return (F_DF[activation],) if activation else ()


def forward_step_calls():
    """[(label, (y, w, b[, f_df]))]: tanh given, then the default."""
    return [(f"forward_step(y, w, b) with {label}",
             (*forward_step_inputs(), *_f_df_args(activation)))
            for label, activation in ACTIVATION_CALLS]


def apply_net_calls():
    """[(label, (y_in, weights, biases[, f_df]))]: tanh given, then the default."""
    return [(f"apply_net on a [3, 4, 4, 2] network with {label}",
             (*apply_net_inputs(), *_f_df_args(activation)))
            for label, activation in ACTIVATION_CALLS]


# --- cost ----------------------------------------------------------------------
COST_BATCHES = (1, 7, 100)


def cost_calls():
    """[(label, (y_out, y_target))], both (B, 3): 3 outputs tell a mean over all
    entries apart from a mean over the batch."""
    calls = []
    for batch_size in COST_BATCHES:
        g = rng(5, batch_size)
        calls.append((f"y_out and y_target of shape ({batch_size}, 3)",
                       (g.normal(size=(batch_size, 3)), g.normal(size=(batch_size, 3)))))
    return calls


# --- backward_step -------------------------------------------------------------
def backward_step_calls():
    """[(label, (delta (B, n_out), w (n_in, n_out), df (B, n_in)))]."""
    calls = []
    for label, n_in, n_out in (("delta (6, 2), w (4, 2), df (6, 4)", 4, 2),
                               ("delta (6, 3), w (3, 3), df (6, 3)", 3, 3)):
        g = rng(6, n_in)
        calls.append((label, (g.normal(size=(6, n_out)), g.normal(size=(n_in, n_out)),
                              g.uniform(0.1, 1.0, size=(6, n_in)))))
    return calls


# --- backprop --------------------------------------------------------------------
@dataclass(frozen=True)
class GradientCase:
    label: str
    sizes: tuple
    batch: int
    activation: str
    seed: int

    def inputs(self):
        """dict(y_in, y_target, weights, biases, y_layers, df_layers)."""
        weights, biases = network(self.sizes, 100 + self.seed)
        y_in, y_target = batch(self.sizes[0], self.sizes[-1], self.batch, 100 + self.seed)
        y_layers, df_layers = forward(y_in, weights, biases, F_DF[self.activation])
        return dict(y_in=y_in, y_target=y_target, weights=weights, biases=biases,
                    y_layers=y_layers, df_layers=df_layers)


# Architectures and batch sizes of the issue; [4, 4, 4, 4] has only square
# layers, so a wrong layer index gives wrong numbers instead of a crash.
GRADIENT_CASES = (
    GradientCase("[2, 5, 1], batch 1, sigmoid", (2, 5, 1), 1, "sigmoid", 1),
    GradientCase("[3, 4, 4, 2], batch 7, relu", (3, 4, 4, 2), 7, "relu", 2),
    GradientCase("[2, 100, 1], batch 100, relu", (2, 100, 1), 100, "relu", 3),
    GradientCase("[3, 4, 4, 2], batch 100, sigmoid", (3, 4, 4, 2), 100, "sigmoid", 4),
    GradientCase("[4, 4, 4, 4], batch 7, sigmoid", (4, 4, 4, 4), 7, "sigmoid", 5),
)


# --- gradient_step -----------------------------------------------------------------
STEP_SIZES = (3, 4, 2)
STEP_ETA = 0.3


def gradient_step_inputs():
    """(weights, biases, dw_layers, db_layers) for STEP_SIZES."""
    weights, biases = network(STEP_SIZES, 8)
    dw, db = network(STEP_SIZES, 9)
    return weights, biases, dw, db


# --- train_net -------------------------------------------------------------------------
TRAIN_SIZES, TRAIN_BATCH, TRAIN_ETA, TRAIN_ACTIVATION = (2, 6, 1), 16, 0.5, "sigmoid"
RUN_SIZES, RUN_BATCH, RUN_ETA, RUN_STEPS = (2, 16, 1), 32, 0.2, 20


def train_inputs():
    """(y_in, y_target, weights, biases) for one step with f_df = sigmoid."""
    weights, biases = network(TRAIN_SIZES, 10)
    y_in, y_target = batch(TRAIN_SIZES[0], TRAIN_SIZES[-1], TRAIN_BATCH, 10)
    return y_in, y_target, weights, biases


def run_start():
    """(weights, biases) at the start of the seeded run (default ReLU)."""
    return network(RUN_SIZES, 11)


def run_batch(step):
    """(y_in, y_target) of one step of the run: the lecture's problem."""
    y_in = rng(12, step).uniform(-0.5, 0.5, size=(RUN_BATCH, 2))
    return y_in, lecture_function(y_in)
