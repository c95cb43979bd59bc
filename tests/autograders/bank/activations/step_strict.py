"""step with > instead of >=: step(0) is 0.

expect: step -> step.wrong_value_at_zero
"""


def step(x):
    return np.where(x > 0, 1, 0)
