"""
Squeezes the output to shape (B,).

expect: SimpleNet -> SimpleNet.output_shape
"""
from torch import nn


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)
