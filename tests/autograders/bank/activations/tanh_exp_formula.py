"""tanh from its definition with exponentials: nan once exp overflows.

expect: tanh -> tanh.formula_overflows
"""


def tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
