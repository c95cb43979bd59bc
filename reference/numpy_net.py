"""A fully connected network in NumPy with hand-written backpropagation.

No globals: the weights, biases and stored activations are passed in and
returned. Shapes: a batch of B inputs of size n is an array (B, n); layer j
maps size layer_sizes[j] to layer_sizes[j+1] with weights (n_j, n_{j+1}).
"""
import numpy as np


def net_f_df_sigmoid(z):
    """Sigmoid and its derivative at z.

    Inputs:
    - z: array of pre-activations, any shape

    Returns a tuple (f, df) of float arrays shaped like z, where
    f = sigmoid(z) and df = sigmoid'(z) = f * (1 - f).
    """
    z = np.asarray(z, dtype=float)
    # As in activations.sigmoid: exp(-|z|) <= 1 cannot overflow. Written out
    # here so this notebook does not depend on notebook 1.
    e = np.exp(-np.abs(z))
    f = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return f, f * (1.0 - f)


def net_f_df_relu(z):
    """ReLU and its derivative at z.

    Inputs:
    - z: array of pre-activations, any shape

    Returns a tuple (f, df): f = max(0, z) and df = 1 where z > 0, else 0.
    """
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0), (z > 0).astype(float)


def init_network(layer_sizes, rng):
    """Random weights and zero biases for a fully connected network.

    Inputs:
    - layer_sizes: list of ints [n_0, n_1, ..., n_L], input size first
    - rng: a np.random.Generator, the only source of randomness

    Returns a tuple (weights, biases) of lists with L arrays each:
    - weights[j]: shape (n_j, n_{j+1}), drawn uniformly from [-0.1, 0.1)
    - biases[j]: zeros of shape (n_{j+1},)
    """
    pairs = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    weights = [rng.uniform(-0.1, 0.1, size=(n_in, n_out)) for n_in, n_out in pairs]
    biases = [np.zeros(n_out) for _, n_out in pairs]
    return weights, biases


def forward_step(y, w, b, f_df=net_f_df_relu):
    """One layer forward: z = y @ w + b, then the activation.

    Inputs:
    - y: activations of the layer below, shape (B, n_in)
    - w: weights, shape (n_in, n_out)
    - b: biases, shape (n_out,)
    - f_df: function returning (f(z), f'(z))

    Returns the tuple f_df(z): (y_next, df), both of shape (B, n_out).
    """
    return f_df(y @ w + b)


def apply_net(y_in, weights, biases, f_df=net_f_df_relu):
    """Forward pass through every layer, storing what backprop needs.

    Inputs:
    - y_in: input batch, shape (B, n_0)
    - weights, biases: lists of L arrays (see init_network)
    - f_df: activation used by every layer, the output layer included

    Returns a tuple (y_out, y_layers, df_layers):
    - y_out: network output, shape (B, n_L)
    - y_layers: L + 1 arrays, y_layers[0] = y_in, y_layers[L] = y_out
    - df_layers: L arrays, df_layers[j] = f'(z) of layer j, shape (B, n_{j+1})
    """
    y = y_in
    y_layers, df_layers = [y], []
    for w, b in zip(weights, biases):
        y, df = forward_step(y, w, b, f_df)
        y_layers.append(y)
        df_layers.append(df)
    return y, y_layers, df_layers


def cost(y_out, y_target):
    """Mean squared error with the conventional 1/2: sum((y_out - y)^2) / (2B).

    Inputs:
    - y_out, y_target: arrays of shape (B, n_L)

    Returns a Python float.
    """
    batch_size = np.shape(y_out)[0]
    return float(((y_out - y_target) ** 2).sum() / (2 * batch_size))


def backward_step(delta, w, df):
    """Propagate the error one layer down: (delta @ w.T) * df.

    Inputs:
    - delta: dCost/dz of the layer above, shape (B, n_out)
    - w: weights of the layer above, shape (n_in, n_out)
    - df: f'(z) of this layer, shape (B, n_in)

    Returns dCost/dz of this layer, shape (B, n_in).
    """
    return (delta @ w.T) * df


def backprop(y_target, y_layers, df_layers, weights):
    """Gradients of cost(y_layers[-1], y_target) by the chain rule.

    Inputs:
    - y_target: targets, shape (B, n_L)
    - y_layers, df_layers: as returned by apply_net
    - weights: list of L weight arrays

    Returns a tuple (dw_layers, db_layers) of lists shaped like the weights
    and biases. Every layer's gradient is divided by the batch size B once,
    through delta, so hidden and output layers are scaled alike.
    """
    batch_size = y_target.shape[0]
    n_layers = len(weights)
    dw_layers, db_layers = [None] * n_layers, [None] * n_layers
    # d cost / d y_out = (y_out - y) / B, because cost carries 1 / (2B).
    delta = (y_layers[-1] - y_target) * df_layers[-1] / batch_size
    for j in reversed(range(n_layers)):
        dw_layers[j] = y_layers[j].T @ delta
        db_layers[j] = delta.sum(axis=0)
        if j > 0:
            delta = backward_step(delta, weights[j], df_layers[j - 1])
    return dw_layers, db_layers


def gradient_step(weights, biases, dw_layers, db_layers, eta):
    """Plain gradient descent, in place: theta <- theta - eta * dtheta.

    Inputs:
    - weights, biases: lists of arrays, updated in place
    - dw_layers, db_layers: gradients shaped like them
    - eta: learning rate

    Returns None.
    """
    for j in range(len(weights)):
        weights[j] -= eta * dw_layers[j]
        biases[j] -= eta * db_layers[j]


def train_net(y_in, y_target, weights, biases, eta, f_df=net_f_df_relu):
    """One training step on a batch: forward, backprop, gradient step.

    Inputs:
    - y_in: inputs, shape (B, n_0); y_target: targets, shape (B, n_L)
    - weights, biases: lists of arrays, updated in place
    - eta: learning rate; f_df: activation of every layer

    Returns the cost of the batch before the update, a Python float.
    """
    y_out, y_layers, df_layers = apply_net(y_in, weights, biases, f_df)
    batch_cost = cost(y_out, y_target)
    dw_layers, db_layers = backprop(y_target, y_layers, df_layers, weights)
    gradient_step(weights, biases, dw_layers, db_layers, eta)
    return batch_cost
