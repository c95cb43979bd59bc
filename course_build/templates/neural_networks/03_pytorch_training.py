# %% markdown
# # 3. Training a network with PyTorch
#
# In notebook 2 you wrote the forward pass, backpropagation and the gradient step
# by hand. PyTorch does the bookkeeping for you: a model is built from ready-made
# layers, **autograd** computes every gradient when you call `.backward()` on the
# loss, and an **optimizer** applies the update. What stays your job is the part
# that decides whether an experiment can be trusted: preparing the data, splitting
# it, running the training loop and measuring the result honestly.
#
# The task is a one-dimensional regression. The network sees a number $x \in [-2, 2]$
# and must predict
#
# $$y = f(x) = 0.1\,x^3 - 0.5\,x^2 + 2\sin(3x).$$
#
# The cubic and quadratic terms give a slow trend, the sine adds wiggles on top:
# easy to plot, yet not trivial for a small network.
#
# You will write, in order:
#
# 1. `target_function`, the curve to learn;
# 2. `make_dataset`, samples of it as PyTorch tensors;
# 3. `make_loaders`, a reproducible training/validation split in mini-batches;
# 4. `SimpleNet`, a network with one hidden layer, and `count_parameters`;
# 5. `evaluate` and `train_and_evaluate`, the training loop with validation.
#
# Run the cell below first. Cells marked *visible tests* check your work; the
# grader runs further hidden checks of the same kind. Notebook 4 reuses your
# definitions from this notebook, so it pays to get them right here.

# %% setup imports
import time

import numpy as np
import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

# %% markdown
# ## The target function
#
# We need $f$ in two worlds: on NumPy arrays (to draw the curve) and on PyTorch
# tensors (to build training data and compare with predictions). The arithmetic
# `0.1 * x**3 - 0.5 * x**2` works on both, but the sine does not: `np.sin` on a
# tensor takes a detour through NumPy that works on a plain CPU tensor only by
# accident (with a deprecation warning) and fails outright on tensors that take part
# in autograd or live on a GPU, while `torch.sin` does not accept NumPy arrays at
# all. So pick the sine that matches the input:
# `torch.sin` for a `torch.Tensor`, `np.sin` otherwise. The result has the type
# and shape of the input.

# %% solution target_function from reference.regression:target_function

# %% tests target_function
x = np.array([-2.0, 0.0, 1.0])
assert np.allclose(target_function(x), 0.1 * x**3 - 0.5 * x**2 + 2 * np.sin(3 * x))
t = target_function(torch.tensor([0.5]))
assert isinstance(t, torch.Tensor), "for a tensor, return a tensor (use torch.sin)"
assert torch.allclose(t, torch.tensor([0.1 * 0.125 - 0.5 * 0.25 + 2 * np.sin(1.5)], dtype=torch.float32))
print("target_function: visible tests passed")

# %% setup plot_target from reference.regression_demo:plot_target

# %% demo
plot_target(target_function)
plt.show()

# %% markdown
# ## The data as tensors
#
# `make_dataset(n_points=200, noise_std=0.0, seed=0)` samples $f$ at `n_points`
# evenly spaced points of $[-2, 2]$, both ends included (`np.linspace` does
# exactly that), optionally adds Gaussian noise of standard deviation `noise_std`,
# and wraps the result in a `TensorDataset(X, Y)`. Two details matter:
#
# * **`float32`.** NumPy computes in `float64`, but PyTorch layers hold `float32`
#   weights. Feeding `float64` inputs to `nn.Linear` raises a dtype error, so
#   convert with `.float()`. Single precision is also what GPUs are fast at, and
#   it halves the memory; for a network, seven significant digits are plenty.
# * **Shape `(N, 1)`, not `(N,)`.** PyTorch reads the first axis as the batch and
#   the last as the features. `nn.Linear(1, 32)` needs one feature per sample,
#   so `X` must be a column: $N$ samples of one number each. The same goes for
#   `Y`: the network outputs shape `(B, 1)`, and comparing that with targets of
#   shape `(B,)` makes `nn.MSELoss` broadcast the two into a `(B, B)` matrix of
#   every prediction against every target. That loss is wrong, and PyTorch only
#   warns about it.
#
# The noise (notebook 4 needs it; here `noise_std=0`) comes from
# `np.random.default_rng(seed)`, a generator of its own, so the same `seed` gives
# the same data set and nothing else in the program changes its draws.

# %% solution make_dataset from reference.regression:make_dataset

# %% tests make_dataset
X, Y = make_dataset().tensors
assert X.shape == (200, 1) and Y.shape == (200, 1), "X and Y must have shape (N, 1)"
assert X.dtype == torch.float32 and Y.dtype == torch.float32, "use float32 tensors"
assert X[0, 0] == -2 and X[-1, 0] == 2, "x runs from -2 to 2, both ends included"
assert torch.allclose(Y, target_function(X), atol=1e-5), "without noise, y = target_function(x)"
noisy = make_dataset(50, noise_std=0.5, seed=1).tensors[1]
assert torch.equal(noisy, make_dataset(50, noise_std=0.5, seed=1).tensors[1]), "same seed, same data"
assert not torch.equal(noisy, make_dataset(50, noise_std=0.5, seed=2).tensors[1])
print("make_dataset: visible tests passed")

# %% markdown
# ## Training and validation data, in mini-batches
#
# A network is judged on data it was **not** trained on. We hold back a random
# 20 % of the points as a **validation set**: the training loop never updates the
# weights on them, it only measures the loss there after each epoch. Comparing the
# two losses is how notebook 4 will diagnose under- and over-fitting.
#
# `make_loaders(dataset, val_fraction=0.2, batch_size=32, seed=0)` puts
# `int(val_fraction * len(dataset))` items (40 of 200) in the validation set and the
# rest in the training set, and returns a `DataLoader` for each:
#
# * **Seeded split.** `random_split(dataset, [n_train, n_val], generator=...)` with
#   `torch.Generator().manual_seed(seed)`. The original lecture split without a seed,
#   so every run drew a different validation set and printed different losses: no
#   two students, and no grader, could reproduce a result, and comparing two models
#   on two different splits is not a fair comparison either.
# * **Batches.** A `DataLoader` serves the data `batch_size` items at a time; one
#   pass over all batches is an **epoch**. Each batch gives one gradient step, so
#   mini-batches update the weights many times per epoch, at a fraction of the cost
#   of a full-data gradient.
# * **Shuffling only for training.** With `shuffle=True` the training loader draws a
#   new order every epoch, so batches mix different parts of the curve and consecutive
#   steps do not all pull the same way. Give it its own seeded generator as well, so
#   the sequence of orders is reproducible. The validation loader only measures a mean
#   loss, which does not depend on the order: shuffling it buys nothing.
# * **The last partial batch.** 40 validation items in batches of 32 give a batch of
#   32 and one of 8. Keep it (the default, `drop_last=False`): dropping it would
#   silently ignore a fifth of the validation set. It also means batches can differ
#   in size, which matters when you average their losses below.

# %% solution make_loaders from reference.regression:make_loaders

# %% tests make_loaders
dataset = make_dataset()
train_loader, val_loader = make_loaders(dataset, batch_size=50, seed=3)
assert len(train_loader.dataset) == 160 and len(val_loader.dataset) == 40
assert [len(xb) for xb, yb in train_loader] == [50, 50, 50, 10], "keep the last partial batch"
def all_x(loader):
    return torch.cat([xb for xb, yb in loader]).flatten()
assert torch.equal(all_x(val_loader), all_x(val_loader)), "the validation loader must not shuffle"
assert not torch.equal(all_x(train_loader), all_x(train_loader)), "reshuffle the training data every epoch"
train_again, val_again = make_loaders(dataset, batch_size=50, seed=3)
assert torch.equal(all_x(val_again), all_x(val_loader)), "the same seed must give the same split"
assert torch.equal(all_x(train_again), all_x(make_loaders(dataset, batch_size=50, seed=3)[0])), \
    "the same seed must give the same shuffling"
print("make_loaders: visible tests passed")

# %% demo
train_loader, val_loader = make_loaders(make_dataset(), seed=0)
plot_target(target_function, train_loader.dataset, val_loader.dataset)
plt.show()

# %% markdown
# ## The model
#
# A PyTorch model is a subclass of `nn.Module`. Its `__init__` creates the layers
# (assigning them to attributes registers their parameters with the module), and
# its `forward` says how an input batch flows through them; calling `model(x)`
# runs `forward`.
#
# `SimpleNet` has one hidden layer of 32 ReLU units and a linear output:
#
# $$\hat y = W_2\,\mathrm{ReLU}(W_1 x + b_1) + b_2, \qquad
# W_1 \in \mathbb{R}^{32\times 1},\; b_1 \in \mathbb{R}^{32},\;
# W_2 \in \mathbb{R}^{1\times 32},\; b_2 \in \mathbb{R}.$$
#
# In PyTorch: `nn.Linear(1, 32)`, `nn.ReLU()`, `nn.Linear(32, 1)`, conveniently
# chained with `nn.Sequential`. The output has no activation: as in notebook 1, a
# regression output must be able to take any real value. It maps a batch of shape
# `(B, 1)` to predictions of shape `(B, 1)`.

# %% solution SimpleNet from reference.regression:SimpleNet

# %% tests SimpleNet
net = SimpleNet()
assert isinstance(net, nn.Module)
shapes = sorted(tuple(p.shape) for p in net.parameters())
assert shapes == sorted([(32, 1), (32,), (1, 32), (1,)]), f"unexpected parameter shapes {shapes}"
assert net(torch.linspace(-2, 2, 5).reshape(-1, 1)).shape == (5, 1)
print("SimpleNet: visible tests passed")

# %% markdown
# ## Counting parameters
#
# `model.parameters()` yields every weight and bias tensor of a model, and
# `p.numel()` is the number of entries of a tensor. Count only the **trainable**
# ones, those with `p.requires_grad`: a frozen layer (`requires_grad=False`) is
# part of the model but the optimizer never changes it.

# %% solution count_parameters from reference.regression:count_parameters

# %% tests count_parameters
assert count_parameters(nn.Linear(3, 4)) == 3 * 4 + 4
partly_frozen = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
partly_frozen[0].weight.requires_grad_(False)
assert count_parameters(partly_frozen) == 2 + (2 + 1), "count only parameters with requires_grad"
print("count_parameters: visible tests passed")

# %% markdown
# ### Question: how many parameters does `SimpleNet` have?
#
# Count them **by hand** first. A layer `nn.Linear(n_in, n_out)` has a weight
# matrix of `n_out * n_in` entries and one bias per output, `n_out`. Add up both
# layers of `SimpleNet` (ReLU has no parameters), then compare with the summary
# below: the package `torchinfo` runs a dummy batch through the model and lists
# every layer with its output shape and parameter count.

# %% demo
from torchinfo import summary

summary(SimpleNet(), input_size=(1, 1))

# %% markdown
# Set `simple_net_parameter_count` to your count, a whole number (an `int`, like `123`).

# %% solution simple_net_parameter_count
# simple_net_parameter_count = <your count>
### BEGIN SOLUTION
simple_net_parameter_count = 97  # (1*32 weights + 32 biases) + (32*1 weights + 1 bias)
### END SOLUTION

# %% tests simple_net_parameter_count
assert isinstance(simple_net_parameter_count, (int, np.integer)), "write a whole number, e.g. 123"
assert simple_net_parameter_count == count_parameters(SimpleNet()), \
    "your count differs from count_parameters(SimpleNet()): one of the two is wrong"
print("simple_net_parameter_count: visible tests passed")

# %% markdown
# ## Loss, optimizer and the training step
#
# For regression we minimise the **mean squared error** over a batch of $B$ points,
#
# $$L = \frac{1}{B} \sum_{i=1}^{B} \left(\hat y_i - y_i\right)^2 ,$$
#
# which is `nn.MSELoss()`. (Notebook 2's cost had an extra factor $\tfrac12$; it
# only halves the gradient, the same as halving the learning rate.) The optimizer
# `torch.optim.SGD(model.parameters(), lr=lr)` performs plain gradient descent,
# $\theta \leftarrow \theta - \eta\,\partial L / \partial \theta$, on every parameter.
#
# One training step on a batch `(xb, yb)` is always the same five lines:
#
# ```python
# optimizer.zero_grad()          # 1. forget the previous step's gradients
# prediction = model(xb)         # 2. forward pass
# loss = criterion(prediction, yb)  # 3. loss of this batch
# loss.backward()                # 4. autograd fills p.grad for every parameter
# optimizer.step()               # 5. update: p -= lr * p.grad
# ```
#
# **Why `zero_grad`?** `backward()` *adds* the new gradient to whatever is stored in
# `p.grad`. Without step 1 each update would use the sum of all gradients so far,
# and the steps would grow out of control. (The accumulation is deliberate: it lets
# you add up gradients of several small batches before one update.)
#
# ## The training loop: `train_and_evaluate`
#
# `train_and_evaluate(model, train_loader, val_loader, epochs, lr, early_stop=False,
# patience=5, device="cpu")` trains with `torch.optim.SGD(model.parameters(), lr=lr)`
# and `nn.MSELoss()` and returns a **dictionary**, the training history:
#
# | key | value |
# | --- | --- |
# | `"train_losses"` | one Python float per epoch: the mean training loss over the epoch |
# | `"val_losses"` | one Python float per epoch: the mean validation loss after the epoch |
# | `"best_epoch"` | the epoch (counted from 1) with the lowest validation loss |
# | `"stopped_epoch"` | the last epoch that ran |
#
# Each epoch:
#
# 1. **Train.** Put the model in training mode (`model.train()`) and run the five-line
#    step on every training batch. Record each batch's `loss.item()`: that is the loss
#    *before* the batch's update, since it was computed before `optimizer.step()`, and
#    it is free. `.item()` turns a one-element tensor into a Python float; adding up
#    the loss tensors themselves would keep every batch's graph alive in memory.
# 2. **Average with batch-size weights.** The epoch's loss is
#    $\sum_b B_b L_b / \sum_b B_b$, where batch $b$ has $B_b$ items and mean loss $L_b$.
#    That is the mean over all items. A plain mean of batch means would count each of
#    the 8 items in the last validation batch four times as much as the others.
# 3. **Validate.** Compute the same weighted mean on the validation loader in
#    evaluation mode (`model.eval()`) inside `with torch.no_grad():`. `eval()` switches
#    layers such as dropout and batch normalisation to their inference behaviour
#    (`SimpleNet` has none, but your function should work for any model);
#    `no_grad()` stops PyTorch from building the graph for backpropagation, which saves
#    time and memory and guarantees that measuring cannot influence training.
# 4. **Remember the best.** If the validation loss is *strictly lower* than the best
#    so far (the first epoch always counts as the best so far), record the epoch and
#    keep a copy of the weights. With ties, the earlier epoch stays the best.
# 5. **Stop early (optional).** With `early_stop=True`, stop once `patience` epochs in a
#    row have brought no improvement.
#
# At the end, load the best weights back into the model (`model.load_state_dict(...)`)
# and return the history. Three things here fix mistakes in the original lecture's
# version of this function:
#
# * **The best weights stay in memory.** The lecture saved them with
#   `torch.save(model.state_dict(), "best_model.pt")` in the current directory. Every
#   run used that same file name, so two trainings running at the same time (two
#   notebooks, or a grader checking many submissions in one folder) overwrite each
#   other's file, and a model can silently reload *someone else's* weights; the file
#   also stays behind afterwards. Instead keep a copy:
#   `{name: tensor.detach().clone() for name, tensor in model.state_dict().items()}`.
#   The `clone()` is essential: the tensors in `state_dict()` share their memory with
#   the live parameters, they are not a snapshot, so without it your "best" weights
#   would keep changing with training. Your function must write no files.
# * **It returns its result.** The lecture's function returned nothing (its `return`
#   was commented out), yet its early-stopping example stored the result,
#   `stop_epoch = train_and_evaluate(...)`, which was then `None`. Notebook 4 plots
#   the history you return.
# * **Data and device are arguments.** The lecture read the loaders from global
#   variables. Here they are parameters, and so is `device`: move the model to it once
#   (`model.to(device)`) and every batch as you use it (`xb.to(device)`), so the same
#   function runs on `"cpu"` and on `"cuda"`.
#
# Write it in two parts. First `evaluate(model, loader, criterion, device)`, a helper
# for step 3 that returns the batch-size-weighted mean loss over a loader as a
# Python float (eval mode, no graph); an empty loader has no mean, so raise an error
# there rather than divide by zero. It is not graded on its own, but
# `train_and_evaluate` calls it, so write both cells.

# %% solution evaluate from reference.training:evaluate

# %% solution train_and_evaluate from reference.training:train_and_evaluate

# %% tests train_and_evaluate
import os
torch.manual_seed(0)
small_train, small_val = make_loaders(make_dataset(40), batch_size=7, seed=0)  # batches 7,7,7,7,4 and 7,1
files_before = set(os.listdir("."))
model = SimpleNet()
history = train_and_evaluate(model, small_train, small_val, epochs=8, lr=0.05)
assert isinstance(history, dict), "return the history dictionary"
assert set(os.listdir(".")) == files_before, "train_and_evaluate must not write files"
assert len(history["train_losses"]) == len(history["val_losses"]) == 8 and history["stopped_epoch"] == 8
assert all(type(v) is float for v in history["train_losses"] + history["val_losses"]), "use .item()"
assert history["best_epoch"] == 1 + int(np.argmin(history["val_losses"])), "best_epoch: lowest validation loss"
X_val, Y_val = map(torch.cat, zip(*small_val))
with torch.no_grad():
    restored = nn.functional.mse_loss(model(X_val), Y_val).item()
assert np.isclose(restored, history["val_losses"][history["best_epoch"] - 1], rtol=1e-5), \
    "on return the model must hold the best epoch's weights"
# With lr=0 nothing changes: no epoch is strictly better than the first, so early
# stopping with patience 3 stops after epoch 4, and every loss is a full-set mean.
frozen = SimpleNet()
history = train_and_evaluate(frozen, small_train, small_val, epochs=20, lr=0.0, early_stop=True, patience=3)
assert history["best_epoch"] == 1 and history["stopped_epoch"] == 4 and len(history["val_losses"]) == 4
X_train, Y_train = map(torch.cat, zip(*small_train))
with torch.no_grad():
    full_train_loss = nn.functional.mse_loss(frozen(X_train), Y_train).item()
assert np.allclose(history["train_losses"], full_train_loss, rtol=1e-5), "weight each batch's loss by its size"
print("train_and_evaluate: visible tests passed")

# %% markdown
# ## Putting it together
#
# Time to train `SimpleNet` on the 200 noise-free points. The cell below seeds
# PyTorch's global generator (it draws the initial weights), builds the data and
# loaders, trains, and reports how long that took. Plain SGD is slow on this curve,
# so we use small batches of 16 (more steps per epoch) and a few hundred epochs;
# on two CPU cores this takes a few seconds.
#
# **On a GPU.** Nothing in `train_and_evaluate` is specific to the CPU. Choose
# the device once,
#
# ```python
# device = "cuda" if torch.cuda.is_available() else "cpu"
# ```
#
# and pass `device=device`; the cell below does exactly that, so it uses a GPU when
# your machine has one. Do not expect a speed-up for a network this small: the gain
# comes with large models and large batches.

# %% setup plot_training from reference.plotting:plot_loss_curves,plot_fit

# %% demo
torch.manual_seed(0)
dataset = make_dataset(n_points=200, noise_std=0.0, seed=0)
train_loader, val_loader = make_loaders(dataset, batch_size=16, seed=0)
model = SimpleNet()
device = "cuda" if torch.cuda.is_available() else "cpu"

start = time.perf_counter()
history = train_and_evaluate(model, train_loader, val_loader, epochs=400, lr=0.05, device=device)
print(f"trained {history['stopped_epoch']} epochs on {device} in {time.perf_counter() - start:.1f} s")
print(f"best epoch {history['best_epoch']}: validation MSE {min(history['val_losses']):.4f}")

fig, (ax_loss, ax_fit) = plt.subplots(1, 2, figsize=(12, 4))
plot_loss_curves(history, title="SimpleNet: loss per epoch", ax=ax_loss)
plot_fit(model, dataset, target_function, title="SimpleNet after training", ax=ax_fit)
fig.tight_layout()
plt.show()

# %% markdown
# **Reading the figures.** On the left, both losses fall from about 2 to about 0.01
# (note the logarithmic axis), and they stay close together: the data are noise-free
# and densely sampled, so what the network learns on the training points carries over
# to the validation points between them. Both curves zigzag. With `lr=0.05` some
# updates overshoot, and the validation loss, measured on the weights of one moment
# (after the epoch's last step), shows such a step as a spike; the training loss
# averages ten batches taken while the weights moved, which smooths most of them out. Because the
# last epoch may well be a spike, `train_and_evaluate` hands back the weights of the
# best epoch (dashed line) rather than the last ones.
#
# On the right, the trained network (red) follows the true curve (dashed) closely.
# It is piecewise linear, a straight segment between neighbouring ReLU kinks, and its
# largest errors sit at the ends of the interval, above all beyond $x \approx 1.5$,
# where the curve turns back up but the network still draws a single straight
# segment: no kink has moved there yet. More epochs keep shrinking that error,
# slowly: plain SGD is patient work.
#
# Things to try (none of them is graded):
#
# * Change the seed in `torch.manual_seed`. With some initial weights, SGD sits on a
#   plateau for a long while before it finds the wiggles: the same code, a different
#   result. This is why every random choice in an experiment needs a seed.
# * Raise the learning rate to `0.1` or `0.2`. Training turns erratic and the loss
#   stalls far above what `0.05` reaches; some ReLU units are pushed to where they
#   output 0 for every input ("dead" units) and stop learning for good.
# * Train for only a handful of epochs and look at the fit. Notebook 4 studies this
#   and the opposite problem, over-fitting, using the functions you wrote here.
