"""Reference solutions for the neural-networks lecture.

This package is the one place where each solution is written. The solution
cells of the nbgrader source notebooks are generated from these functions
(see ``course_build``), and the autograders compute expected values with them.

Modules follow the lecture's data path:
    activations      element-wise activation functions (NumPy)
    numpy_net        a fully connected network with hand-written backprop
    gradient_check   central differences and CS231n's rel_error
    regression       the PyTorch data set, loaders and models
    training         train_and_evaluate (training loop with early stopping)
    experiments      under-fitting, over-fitting and early-stopping settings
    plotting         the figures the notebooks show
"""
from reference.activations import leaky_relu, linear, relu, sigmoid, step, tanh
from reference.numpy_net import (
    apply_net,
    backprop,
    backward_step,
    cost,
    forward_step,
    gradient_step,
    init_network,
    net_f_df_relu,
    net_f_df_sigmoid,
    train_net,
)
from reference.regression import (
    LargeNet,
    SimpleNet,
    count_parameters,
    make_dataset,
    make_loaders,
    target_function,
)
from reference.training import train_and_evaluate

CONTRACT_NAMES = (
    "sigmoid", "tanh", "relu", "leaky_relu", "linear", "step",
    "net_f_df_sigmoid", "net_f_df_relu", "init_network", "forward_step",
    "apply_net", "cost", "backward_step", "backprop", "gradient_step",
    "train_net",
    "target_function", "make_dataset", "make_loaders", "SimpleNet",
    "LargeNet", "count_parameters", "train_and_evaluate",
)
__all__ = list(CONTRACT_NAMES)
