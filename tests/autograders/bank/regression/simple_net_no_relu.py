"""
Defines the ReLU but never applies it in forward.

expect: SimpleNet -> SimpleNet.no_activation
"""
from torch import nn


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(1, 32)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(32, 1)

    def forward(self, x):
        return self.fc2(self.fc1(x))
