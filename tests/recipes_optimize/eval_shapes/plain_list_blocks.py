"""A model that keeps its blocks in a plain Python list (torch does not register them) and scores
itself with its own predict() method."""
import itertools

import torch
from torch import nn

torch.manual_seed(2)
X = torch.randn(400, 8)
y = (X[:, 0] * X[:, 1] > 0).long()


class Stack(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.blocks = []
        for n_in, n_out in itertools.pairwise(sizes):
            self.blocks.append(nn.Linear(n_in, n_out))

    def forward(self, x):
        for block in self.blocks[:-1]:
            x = torch.relu(block(x))
        return self.blocks[-1](x)

    def trainable(self):
        return [p for block in self.blocks for p in block.parameters()]

    def predict(self, x):
        with torch.no_grad():
            return self.forward(x).argmax(1)


stack = Stack([8, 32, 32, 2])
opt = torch.optim.Adam(stack.trainable(), lr=0.01)
for epoch in range(60):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(stack(X[:300]), y[:300])
    loss.backward()
    opt.step()
error = 1.0 - stack.predict(X[300:]).eq(y[300:]).float().mean().item()
print(f"test error {error:.4f}")
