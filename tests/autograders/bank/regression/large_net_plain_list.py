"""
Keeps the layers in a plain Python list: they are not registered.

expect: LargeNet -> LargeNet.unregistered_layers
"""
import torch
from torch import nn


class LargeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(1, 512), nn.Linear(512, 1)]

    def forward(self, x):
        return self.layers[1](torch.relu(self.layers[0](x)))
