"""The sum of squares halved, not averaged over the batch.

expect: cost -> cost.not_divided_by_batch
"""


def cost(y_out, y_target):
    return float(((y_out - y_target) ** 2).sum() / 2)
