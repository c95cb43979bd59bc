"""The lecture's original code, moved into the contract's signatures.

The globals (Weights, Biases, y_layer, df_layer, dw_layer, db_layer,
batchsize, NumLayers) became parameters and return values; the bodies are the
lecture's. Its bugs, each flagged:
- sigmoid: 1 / (1 + exp(-x)) overflows (RuntimeWarning) for large negative x;
- net_f_df_sigmoid: the derivative exp(-z) * val**2 is inf * 0 = nan there;
- init_network: the weights came from np.random's global generator;
- forward_step: ReLU hard-wired, so the f_df argument has no effect;
- cost (train_net's value): sum of squares / batchsize, without the 1/2;
- backprop: the hidden layers' dw are not divided by batchsize.
apply_net and train_net are right given these parts (they are not charged),
and so are the other activations (step returns ints, linear returns x).

expect: sigmoid -> sigmoid.naive_overflow
expect: net_f_df_sigmoid -> net_f_df_sigmoid.overflowing_derivative
expect: init_network -> init_network.uses_global_random
expect: forward_step -> forward_step.ignores_f_df
expect: cost -> cost.missing_half
expect: backprop -> backprop.hidden_not_divided_by_batch
"""
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def tanh(x):
    return np.tanh(x)


def relu(x):
    return np.maximum(0, x)


def leaky_relu(x, alpha=0.01):
    return np.maximum(alpha * x, x)


def linear(x):
    return x


def step(x):
    return np.where(x >= 0, 1, 0)


def net_f_df_sigmoid(z):  # calculate f(z) and f'(z)
    val = 1 / (1 + np.exp(-z))  # sigmoid
    return (val, np.exp(-z) * (val ** 2))  # return both f and f'


def net_f_df_relu(z):  # calculate f(z) and f'(z)
    val = z * (z > 0)
    return (val, z > 0)  # return both f and f'


def init_network(layer_sizes, rng):
    NumLayers = len(layer_sizes) - 1
    LayerSizes = layer_sizes
    Weights = [np.random.uniform(low=-0.1, high=+0.1, size=[LayerSizes[j], LayerSizes[j + 1]])
               for j in range(NumLayers)]
    Biases = [np.zeros(LayerSizes[j + 1]) for j in range(NumLayers)]
    return Weights, Biases


def forward_step(y, w, b, f_df=net_f_df_relu):  # calculate values in next layer, from input y
    z = np.dot(y, w) + b  # w=weights, b=bias, performing the weighted sum
    return (net_f_df_relu(z))  # applying the activation function and returning both f and df


def apply_net(y_in, Weights, Biases, f_df=net_f_df_relu):  # forward pass through the network
    NumLayers = len(Weights)
    y_layer = [None] * (NumLayers + 1)
    df_layer = [None] * NumLayers
    y = y_in  # start with input values
    y_layer[0] = y
    for j in range(NumLayers):  # loop through all layers
        # j=0 corresponds to the first layer above the input
        y, df = forward_step(y, Weights[j], Biases[j], f_df)  # one step at a time
        df_layer[j] = df  # store f'(z) [needed later in backprop]
        y_layer[j + 1] = y  # store f(z) [also needed in backprop]
    return y, y_layer, df_layer


def cost(y_out, y_target):
    batchsize = np.shape(y_out)[0]
    return ((y_target - y_out) ** 2).sum() / batchsize


def backward_step(delta, w, df):
    return (np.dot(delta, np.transpose(w)) * df)


def backprop(y_target, y_layer, df_layer, Weights):  # one backward pass through the network
    NumLayers = len(Weights)
    batchsize = np.shape(y_target)[0]
    dw_layer = [None] * NumLayers
    db_layer = [None] * NumLayers

    delta = (y_layer[-1] - y_target) * df_layer[-1]
    dw_layer[-1] = np.dot(np.transpose(y_layer[-2]), delta) / batchsize
    db_layer[-1] = delta.sum(0) / batchsize
    for j in range(NumLayers - 1):
        delta = backward_step(delta, Weights[-1 - j], df_layer[-2 - j])
        dw_layer[-2 - j] = np.dot(np.transpose(y_layer[-3 - j]), delta)
        db_layer[-2 - j] = delta.sum(0) / batchsize
    return dw_layer, db_layer


def gradient_step(Weights, Biases, dw_layer, db_layer, eta):  # update weights & biases
    for j in range(len(Weights)):
        Weights[j] -= eta * dw_layer[j]
        Biases[j] -= eta * db_layer[j]


def train_net(y_in, y_target, Weights, Biases, eta, f_df=net_f_df_relu):  # one training batch
    batchsize = np.shape(y_in)[0]
    y_out_result, y_layer, df_layer = apply_net(y_in, Weights, Biases, f_df)
    dw_layer, db_layer = backprop(y_target, y_layer, df_layer, Weights)
    gradient_step(Weights, Biases, dw_layer, db_layer, eta)
    cost = ((y_target - y_out_result) ** 2).sum() / batchsize
    return (cost)
