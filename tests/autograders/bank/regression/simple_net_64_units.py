"""
A hidden layer of 64 units.

expect: SimpleNet -> SimpleNet.wrong_hidden_size
"""
from torch import nn


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)
