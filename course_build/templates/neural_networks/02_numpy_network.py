# %% markdown
# # 2. A neural network in NumPy, with backpropagation by hand
#
# Frameworks such as PyTorch compute gradients for you. Before relying on them, you
# build a small fully connected network with nothing but NumPy: the forward pass,
# the cost, backpropagation by the chain rule and gradient descent. At the end the
# network learns a function of two variables, and you watch it do so.
#
# ## The model
#
# A **neuron** $i$ has one **weight** $w_{ij}$ per incoming connection (how much
# input $j$ matters to it), a **bias** $b_i$ (its own offset) and an **activation
# function** $f$. It first adds up its weighted inputs, then applies $f$ once to the total:
#
# $$z_i = \sum_j w_{ij}\, y_j + b_i, \qquad y_i^{\text{out}} = f(z_i).$$
#
# The order matters. The original lecture notes wrote the layer as
# $z_i = \sum_j f(w_{ij} y_j + b_i)$, with the activation *inside* the sum. That is a
# different and unintended model: every single connection would get its own
# non-linearity, the neuron's output would be a plain (linear) sum of those pieces,
# and the bias would be added once per input instead of once per neuron. It is also
# not what their code computed. The neuron decides on the *total* evidence:
# sum first, activation second.
#
# A **layer** is many neurons reading the same inputs, and a **network** is layers
# in a chain: the outputs of one layer are the inputs of the next
# (**feed-forward**). With a batch of $B$ inputs stored as the rows of a matrix, a
# whole layer is one matrix product. Layer $l$ (counting from $0$) turns the
# activations $y_l$, shape $(B, n_l)$, into
#
# $$z_l = y_l W_l + b_l, \qquad y_{l+1} = f(z_l),$$
#
# where $W_l$ has shape $(n_l, n_{l+1})$ (so the weight from input $j$ to neuron $i$
# is `w[j, i]`) and the bias $b_l$, shape $(n_{l+1},)$, is added to every row. The
# input is $y_0$ and a network of $L$ layers outputs $y_L$.
#
# ## No global variables
#
# The lecture's code kept the weights, the stored activations and the batch size in
# global variables that its functions read and overwrote. That makes every function
# depend on hidden state: you cannot keep two networks side by side, a test cannot
# call a function with its own small example, and a stale global (such as a batch
# size from an earlier cell) silently gives wrong numbers. Here **all state is passed
# in and returned**: the weights and biases are lists of arrays handed to each
# function, and what the forward pass stores for backpropagation is returned. The
# only functions that change their arguments are `gradient_step`, whose job that is,
# and `train_net`, which calls it.
#
# ## Setup
#
# The first cell imports NumPy and Matplotlib. This notebook stands on its own: it
# does not need your notebook 1.

# %% setup imports
import warnings

import matplotlib.pyplot as plt
import numpy as np

# %% markdown
# ## Activations together with their derivatives
#
# Backpropagation needs the derivative $f'(z)$ of the activation at every
# pre-activation $z$, so each activation function here returns a pair `(f, df)`.
#
# * Sigmoid: $\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)$. Compute it from the
#   value of $\sigma$ you already have. The lecture wrote `np.exp(-z) * val**2`, which is
#   the same function on paper, but for $z = -1000$ it is `inf * 0 = nan`. Compute
#   $\sigma$ with the overflow-free trick from notebook 1 (exponentiate only $-|z|$).
# * ReLU: $f(z) = \max(0, z)$ and $f'(z) = 1$ for $z > 0$, $0$ otherwise (at $z = 0$ the
#   derivative is undefined; we take 0).

# %% solution net_f_df_sigmoid from reference.numpy_net:net_f_df_sigmoid

# %% tests net_f_df_sigmoid
f, df = net_f_df_sigmoid(np.array([0.0, 2.0, -2.0]))
assert np.allclose(f, [0.5, 0.8807970779778823, 0.11920292202211755])
assert np.allclose(df, [0.25, 0.10499358540350652, 0.10499358540350652]), "df should be sigmoid'(z)"
with warnings.catch_warnings():
    warnings.simplefilter("error")  # any RuntimeWarning fails this test
    f, df = net_f_df_sigmoid(np.array([-1e4, 1e4]))
assert np.all(np.isfinite(f)) and np.all(np.isfinite(df)) and np.allclose(df, 0.0)
print("net_f_df_sigmoid: visible tests passed")

# %% solution net_f_df_relu from reference.numpy_net:net_f_df_relu

# %% tests net_f_df_relu
f, df = net_f_df_relu(np.array([-2.0, 0.0, 3.0]))
assert np.allclose(f, [0.0, 0.0, 3.0])
assert np.allclose(df, [0.0, 0.0, 1.0]), "relu'(z) is 1 where z > 0 and 0 elsewhere (also at 0)"
assert net_f_df_relu(np.ones((2, 3)))[1].shape == (2, 3)
print("net_f_df_relu: visible tests passed")

# %% markdown
# ## Creating a network
#
# `init_network(layer_sizes, rng)` returns the lists `(weights, biases)`. For
# `layer_sizes = [2, 100, 1]` (two inputs, one hidden layer of 100 neurons, one output)
# there are two layers: `weights[0]` has shape `(2, 100)` and `weights[1]` shape
# `(100, 1)`. Draw the weights uniformly from $[-0.1, 0.1)$ and start the biases at zero.
#
# Take all randomness from the generator `rng` you are given (`rng.uniform(...)`), not
# from `np.random.uniform`: the caller then decides the seed, and the same seed gives
# the same network.

# %% solution init_network from reference.numpy_net:init_network

# %% tests init_network
weights, biases = init_network([2, 5, 3], np.random.default_rng(0))
assert [w.shape for w in weights] == [(2, 5), (5, 3)], "weights[j] has shape (n_j, n_{j+1})"
assert [b.shape for b in biases] == [(5,), (3,)], "biases[j] has shape (n_{j+1},)"
assert all(np.all(np.abs(w) <= 0.1) for w in weights) and all(np.all(b == 0) for b in biases)
again, _ = init_network([2, 5, 3], np.random.default_rng(0))
assert all(np.array_equal(w, v) for w, v in zip(weights, again)), "same seed, same weights"
print("init_network: visible tests passed")

# %% markdown
# ## The forward pass
#
# `forward_step(y, w, b, f_df)` computes one layer, $z = y W + b$, and returns
# `f_df(z)`, that is the layer's output **and** $f'(z)$. `apply_net` chains the layers
# and keeps what backpropagation will need:
#
# * `y_layers`: $y_0$ (the input), $y_1$, ..., $y_L$ (the output): $L + 1$ arrays;
# * `df_layers`: $f'(z_0)$, ..., $f'(z_{L-1})$: $L$ arrays.
#
# The same `f_df` is used by **every** layer, the output layer included. With ReLU
# that means the network can only output values $\ge 0$. That is fine for the
# function we fit at the end, which is never negative; for a target that can be
# negative you would use a linear output layer instead.

# %% solution forward_step from reference.numpy_net:forward_step

# %% tests forward_step
y = np.array([[1.0, -1.0]])
w = np.array([[1.0, 2.0, -1.0], [0.5, 1.0, 1.0]])
b = np.array([0.0, 0.5, 0.0])  # z = y @ w + b = [[0.5, 1.5, -2.0]]
y_next, df = forward_step(y, w, b)
assert np.allclose(y_next, [[0.5, 1.5, 0.0]]), "ReLU by default"
assert np.allclose(df, [[1.0, 1.0, 0.0]])
y_next, df = forward_step(y, w, b, f_df=lambda z: (2 * z, np.full_like(z, 2.0)))
assert np.allclose(y_next, [[1.0, 3.0, -4.0]]), "forward_step must use the f_df it is given"
print("forward_step: visible tests passed")

# %% solution apply_net from reference.numpy_net:apply_net

# %% tests apply_net
rng = np.random.default_rng(0)
weights = [rng.normal(size=(2, 4)), rng.normal(size=(4, 3))]
biases = [rng.normal(size=4), rng.normal(size=3)]
y_in = rng.normal(size=(5, 2))
y_out, y_layers, df_layers = apply_net(y_in, weights, biases)
assert len(y_layers) == 3 and len(df_layers) == 2, "L + 1 activations and L derivatives"
z0 = y_in @ weights[0] + biases[0]
z1 = np.maximum(z0, 0) @ weights[1] + biases[1]
assert np.allclose(y_layers[0], y_in) and np.allclose(y_layers[1], np.maximum(z0, 0))
assert np.allclose(y_out, np.maximum(z1, 0)), "the output layer applies f too"
assert np.allclose(y_layers[-1], y_out) and np.allclose(df_layers[1], z1 > 0)
print("apply_net: visible tests passed")

# %% markdown
# ## The cost
#
# For a batch of $B$ examples with outputs $y_L$ and targets $t$ (both of shape
# $(B, n_L)$) we use the mean squared error with a conventional factor $\frac12$:
#
# $$C = \frac{1}{2B} \sum_{n=1}^{B} \sum_i \bigl(y_{L,ni} - t_{ni}\bigr)^2 .$$
#
# The $\frac{1}{B}$ makes it an average over the batch, so its size does not depend on
# how many examples you use. The $\frac12$ is there so that its derivative,
# $\partial C / \partial y_{L,ni} = (y_{L,ni} - t_{ni})/B$, has no stray factor 2. The
# lecture reported $\frac{1}{B}\sum (y - t)^2$ while its gradients were those of the
# cost with $\frac12$, so the printed cost and the gradient used did not belong together
# (off by a factor 2). Return a Python `float`.

# %% solution cost from reference.numpy_net:cost

# %% tests cost
assert np.isclose(cost(np.array([[1.0], [2.0]]), np.zeros((2, 1))), 1.25)  # (1 + 4) / (2 * 2)
assert np.isclose(cost(np.ones((2, 3)), np.zeros((2, 3))), 1.5), "sum over outputs, divide by 2B"
assert isinstance(cost(np.ones((2, 1)), np.zeros((2, 1))), float), "cost returns a Python float"
print("cost: visible tests passed")

# %% markdown
# ## Backpropagation
#
# We want $\partial C/\partial W_l$ and $\partial C/\partial b_l$ for every layer. The
# useful intermediate quantity is the error signal at the pre-activations,
#
# $$\delta_l = \frac{\partial C}{\partial z_l}, \qquad \text{an array of shape } (B, n_{l+1}).$$
#
# **Output layer.** $y_L = f(z_{L-1})$ element-wise, so the chain rule gives
#
# $$\delta_{L-1} = \frac{\partial C}{\partial y_L} \odot f'(z_{L-1})
#   = \frac{1}{B}\,(y_L - t) \odot f'(z_{L-1}),$$
#
# where $\odot$ is the element-wise product (`*` in NumPy).
#
# **One layer down.** $z_l$ influences the cost only through $y_{l+1} = f(z_l)$,
# which enters $z_{l+1} = y_{l+1} W_{l+1} + b_{l+1}$. For example $n$:
#
# $$\frac{\partial C}{\partial z_{l,ni}} = \sum_k \frac{\partial C}{\partial z_{l+1,nk}}\,
#   \frac{\partial z_{l+1,nk}}{\partial y_{l+1,ni}}\, \frac{\partial y_{l+1,ni}}{\partial z_{l,ni}}
#   = \sum_k \delta_{l+1,nk}\, W_{l+1,ik}\, f'(z_{l,ni}),$$
#
# which for the whole batch is the recursion (this is `backward_step`)
#
# $$\delta_l = \bigl(\delta_{l+1} W_{l+1}^{T}\bigr) \odot f'(z_l).$$
#
# **Weights and biases.** $z_{l,nk} = \sum_i y_{l,ni} W_{l,ik} + b_{l,k}$, and every
# example $n$ of the batch contributes, so
#
# $$\frac{\partial C}{\partial W_l} = y_l^{T}\, \delta_l \quad (n_l \times n_{l+1}),
#   \qquad \frac{\partial C}{\partial b_l} = \sum_{n=1}^{B} \delta_{l,n} \quad (n_{l+1},).$$
#
# The matrix product $y_l^T \delta_l$ already sums over the batch.
#
# **Where the batch size goes.** The $\frac{1}{B}$ of the cost enters once, in
# $\delta_{L-1}$, and the recursion carries it down to every layer. So every layer's
# gradient is divided by $B$ exactly once, and nothing else may divide by $B$ again.
# The lecture left the $\frac1B$ out of $\delta$ and divided the finished gradients
# instead: the output layer's weight gradient and every bias gradient, but not the
# hidden layers' weight gradients, which therefore came out $B = 100$ times too large.
#
# In code, with the lists from `apply_net`: `y_layers[l]` is $y_l$, `df_layers[l]` is
# $f'(z_l)$, and `dw_layers[l]`, `db_layers[l]` must have the shapes of `weights[l]`
# and `biases[l]`. Start from $\delta_{L-1}$ and walk down to $l = 0$.

# %% solution backward_step from reference.numpy_net:backward_step

# %% tests backward_step
delta = np.array([[1.0, 2.0]])
w = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, -1.0]])  # delta @ w.T = [[1.0, 3.0, -2.0]]
assert np.allclose(backward_step(delta, w, np.array([[1.0, 0.0, 1.0]])), [[1.0, 0.0, -2.0]])
print("backward_step: visible tests passed")

# %% solution backprop from reference.numpy_net:backprop

# %% markdown
# ### Check your gradients numerically
#
# A derivation is easy to get slightly wrong, and a wrong gradient often still
# "trains" a little, so mistakes go unnoticed. The cure is a **gradient check**:
# compare with the central difference
#
# $$\frac{\partial C}{\partial \theta} \approx \frac{C(\theta + h) - C(\theta - h)}{2h},$$
#
# one parameter at a time, whose error shrinks like $h^2$. The helpers below (from
# Stanford's CS231n course) compute it for every element of an array, and the largest
# relative error $|a - b| / (|a| + |b|)$. In float64 with $h = 10^{-5}$ and a smooth
# activation, a correct backprop agrees to $10^{-7}$ or better; a bug gives
# errors of order $10^{-2}$ to $1$. (ReLU has a kink at 0, where differences can
# disagree, so the check below uses tanh.)

# %% setup gradient_check from reference.gradient_check:rel_error,eval_numerical_gradient
def f_df_tanh(z):
    """tanh and its derivative: a smooth activation, good for gradient checks."""
    f = np.tanh(z)
    return f, 1.0 - f ** 2

# %% tests backprop
# Visible tests: shapes, and a gradient check of every layer (3 layers, tanh, float64).
rng = np.random.default_rng(1)
sizes = [3, 5, 4, 2]
weights = [rng.normal(size=(m, n)) for m, n in zip(sizes[:-1], sizes[1:])]
biases = [rng.normal(size=n) for n in sizes[1:]]
y_in, y_target = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
_, y_layers, df_layers = apply_net(y_in, weights, biases, f_df_tanh)
dws, dbs = backprop(y_target, y_layers, df_layers, weights)
assert [d.shape for d in dws] == [w.shape for w in weights], "shape of weights[j]"
assert [d.shape for d in dbs] == [b.shape for b in biases], "shape of biases[j]"
batch_cost = lambda: cost(apply_net(y_in, weights, biases, f_df_tanh)[0], y_target)
for j, (dw, db) in enumerate(zip(dws, dbs)):
    assert rel_error(dw, eval_numerical_gradient(batch_cost, weights[j])) < 1e-6, \
        f"dw_layers[{j}] disagrees with the numerical gradient"
    assert rel_error(db, eval_numerical_gradient(batch_cost, biases[j])) < 1e-6, \
        f"db_layers[{j}] disagrees with the numerical gradient"
print("backprop: visible tests passed")

# %% markdown
# Here is such a check printed layer by layer, for another network and a batch of 10,
# next to the lecture's version of backprop (the same as yours except that the hidden
# layers' weight gradients are not divided by the batch size). The check flags the
# lecture's hidden layers (0 and 1) at once, while its output layer, which it did
# divide, agrees.

# %% demo
rng = np.random.default_rng(3)
sizes, batch_size = [3, 5, 4, 2], 10
weights = [rng.normal(size=(m, n)) for m, n in zip(sizes[:-1], sizes[1:])]
biases = [rng.normal(size=n) for n in sizes[1:]]
y_in, y_target = rng.normal(size=(batch_size, 3)), rng.normal(size=(batch_size, 2))
_, y_layers, df_layers = apply_net(y_in, weights, biases, f_df_tanh)
dws, _ = backprop(y_target, y_layers, df_layers, weights)
batch_cost = lambda: cost(apply_net(y_in, weights, biases, f_df_tanh)[0], y_target)
for j, dw in enumerate(dws):
    numerical = eval_numerical_gradient(batch_cost, weights[j])
    lecture = dw * (batch_size if j < len(dws) - 1 else 1)  # hidden layers: no 1/B
    print(f"layer {j}: relative error of dW: yours {rel_error(dw, numerical):.1e}, "
          f"the lecture's {rel_error(lecture, numerical):.1e}")

# %% markdown
# ## Gradient descent
#
# Learning means moving every parameter $\theta$ (each weight and each bias) a small
# step against its gradient,
#
# $$\theta \leftarrow \theta - \eta \, \frac{\partial C}{\partial \theta},$$
#
# with the **learning rate** $\eta$ (the lecture calls it $\alpha$). `gradient_step`
# does this for all layers. It returns nothing: afterwards the `weights` and `biases`
# lists hold the new values (`weights[j] -= eta * dw_layers[j]` updates the array in
# place, which is fine).
#
# `train_net` puts one training step together: forward pass, cost, backprop and
# gradient step, on one batch. It returns the cost of the batch **before** the update,
# the number you plot to follow training.

# %% solution gradient_step from reference.numpy_net:gradient_step

# %% tests gradient_step
weights, biases = [np.ones((2, 2))], [np.zeros(2)]
result = gradient_step(weights, biases, [np.full((2, 2), 2.0)], [np.array([1.0, -1.0])], eta=0.1)
assert result is None, "gradient_step returns None"
assert np.allclose(weights[0], 0.8) and np.allclose(biases[0], [-0.1, 0.1]), "theta - eta * dtheta"
print("gradient_step: visible tests passed")

# %% solution train_net from reference.numpy_net:train_net

# %% tests train_net
rng = np.random.default_rng(2)
weights = [rng.normal(size=(2, 8)), rng.normal(size=(8, 1))]
biases = [rng.normal(size=8), np.ones(1)]
y_in, y_target = rng.uniform(-1, 1, size=(20, 2)), rng.uniform(0, 1, size=(20, 1))
cost_before = cost(apply_net(y_in, weights, biases)[0], y_target)
returned = train_net(y_in, y_target, weights, biases, eta=0.01)
assert isinstance(returned, float) and np.isclose(returned, cost_before), \
    "train_net returns the cost before the update"
cost_after = cost(apply_net(y_in, weights, biases)[0], y_target)
assert cost_after < cost_before, "a small step lowers the cost"
print("train_net: visible tests passed")

# %% markdown
# ## Learning a function of two variables
#
# Now the network $[2, 100, 1]$ learns
#
# $$t(x_0, x_1) = e^{-7 (x_0^2 + x_1^2)}\, \lvert x_1 + 2 x_0 \rvert
#   \qquad \text{on } [-0.5, 0.5]^2,$$
#
# two hills on either side of a valley: the factor $\lvert x_1 + 2x_0 \rvert$ is zero
# along the line $x_1 = -2x_0$, and the Gaussian factor fades away from the origin. It
# is never negative, so a ReLU output layer suits it. The helpers below draw random
# batches of points, evaluate a model on a $40 \times 40$ grid, and plot images whose
# axes show the coordinates $x_0, x_1$ rather than array indices.

# %% setup demo_helpers from reference.numpy_net_demo:target_2d,make_batch,grid_points,target_image,prediction_image,show_image,plot_training_snapshots,relative_rms_error
LOW, HIGH = -0.5, 0.5  # the square the inputs are drawn from
EXTENT = (LOW, HIGH, LOW, HIGH)  # (x0 min, x0 max, x1 min, x1 max) for imshow

# %% demo
fig, ax = plt.subplots(figsize=(4, 3.5))
fig.colorbar(show_image(ax, target_image(), "target $t(x_0, x_1)$"), ax=ax)
plt.show()

# %% markdown
# Each training step uses a fresh random batch of 100 points. The learning rate
# matters a lot here. With the lecture's $\eta = 0.01$ and 100 steps, the prediction
# only rises to a nearly flat sheet at about the target's average height (about
# 0.09 to 0.11 everywhere), with no trace of the hills or the valley. With
# $\eta = 0.5$ and 10 000 steps, about a second of computing, it reproduces the target
# closely. Try other values. Too large a rate, such as $\eta = 2$, can push the output
# neuron's $z$ below zero for every input; then ReLU's derivative is 0 everywhere, no
# gradient reaches any weight, and the network is stuck at predicting 0.

# %% demo
rng = np.random.default_rng(42)  # one generator: the initial weights and every batch
weights, biases = init_network([2, 100, 1], rng)
eta, n_steps, batch_size = 0.5, 10_000, 100
snapshot_steps = (1_000, 5_000, n_steps)

predict = lambda y: apply_net(y, weights, biases)[0]
costs, snapshots = [], [(0, prediction_image(predict))]
for step in range(1, n_steps + 1):
    y_in, y_target = make_batch(rng, batch_size)
    costs.append(train_net(y_in, y_target, weights, biases, eta))
    if step in snapshot_steps:
        snapshots.append((step, prediction_image(predict)))

target = target_image()
plot_training_snapshots(costs, snapshots, target)
plt.show()
print(f"relative RMS error on the grid: {relative_rms_error(snapshots[-1][1], target):.3f} "
      f"(an all-zero prediction scores 1)")

# %% markdown
# The untrained network outputs almost 0 everywhere. The cost first drops quickly
# while the network learns a rough average: after 1000 steps the prediction is a
# blurred ridge. Then it stays on a plateau for a few thousand steps, and only as
# the hidden ReLUs place their kinks along the valley does it fall again: after 5000
# steps the two hills are separated, and after 10 000 the prediction is close to the
# target (the cost is about a hundred times lower than at the start). The curve is
# noisy because each point is the cost of a different random batch.
#
# ## Question
#
# The cost divides by the batch size $B$. Explain (a) why every layer's gradient must
# then be divided by $B$ exactly once, and where that happens in your `backprop`;
# (b) what goes wrong when the hidden layers' weight gradients are not divided by $B$
# (the original lecture divided only the output layer's), and why it gets worse for
# larger batches.

# %% answer why_batch_size
# **Model answer.** (a) The cost is an average over the batch, $C = \frac{1}{B}\sum_n C_n$,
# so every derivative of it, for every parameter in every layer, is the average of the
# per-example derivatives: the factor $\frac1B$ multiplies all of them once. In
# `backprop` it enters once, in $\delta_{L-1} = (y_L - t) \odot f'(z_{L-1}) / B$; the
# recursion $\delta_l = (\delta_{l+1} W_{l+1}^T) \odot f'(z_l)$ is linear in $\delta$, so
# it carries the $\frac1B$ to every layer, and $y_l^T\delta_l$ and the batch sum of
# $\delta_l$ must not divide again. (b) Then the hidden layers' weight gradients are
# $B$ times too large (100 times in the demo): the step is no longer along the gradient
# of the cost, and the hidden weights move as if their learning rate were $B\eta$, so a
# learning rate that suits the output layer can make the hidden layers oscillate or
# diverge (or one must shrink $\eta$ and slow the output layer down). Because the error
# factor is $B$, changing the batch size changes the hidden layers' effective learning
# rate; a gradient check reveals the mismatch immediately.
#
# **Mark scheme (2 points).** 1 point: the cost is a mean over the batch, so the $1/B$
# scales every parameter's gradient exactly once, and it is applied once (at the output
# $\delta$, or equivalently once per layer) and propagated by the chain rule. 1 point:
# with the lecture's version the hidden-layer weight gradients are $B$ times too large,
# i.e. an effective learning rate $B\eta$ for those weights that grows with the batch
# size (instability, or training that depends on $B$). No point for "dividing by $B$
# normalises the gradient" without saying why every layer needs it.
