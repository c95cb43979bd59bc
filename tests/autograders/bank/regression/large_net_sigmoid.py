"""
Uses a sigmoid in the large network.

expect: LargeNet -> LargeNet.wrong_activation
"""
from torch import nn


class LargeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 512), nn.Sigmoid(), nn.Linear(512, 1))

    def forward(self, x):
        return self.net(x)
