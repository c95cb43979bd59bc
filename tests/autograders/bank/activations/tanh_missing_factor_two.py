"""tanh through the sigmoid identity, forgetting to double the argument.

expect: tanh -> tanh.missing_factor_two
"""


def tanh(x):
    return 2 * sigmoid(x) - 1
