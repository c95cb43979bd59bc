"""
Separate layer attributes and torch.relu in forward; parameters counted
through named_parameters; the counts written as arithmetic.

expect: full marks
"""
import torch
from torch import nn
import torch.nn.functional as F


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(1, 32)
        self.output = nn.Linear(32, 1)

    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))


class LargeNet(nn.Module):
    def __init__(self, width=512):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(1, width), nn.Linear(width, 1)])

    def forward(self, x):
        return self.layers[1](torch.relu(self.layers[0](x)))


def count_parameters(model):
    total = 0
    for _name, parameter in model.named_parameters():
        if parameter.requires_grad:
            total += parameter.numel()
    return total


simple_net_parameter_count = (1 * 32 + 32) + (32 * 1 + 1)
large_net_parameter_count = count_parameters(LargeNet())
