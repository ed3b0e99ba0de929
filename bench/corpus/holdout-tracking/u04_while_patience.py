"""Torch regression trained until validation loss stops improving (while loop, patience)."""
import torch
from torch import nn

PATIENCE = 3
MAX_EPOCHS = 40
LR = 0.05

torch.manual_seed(1)
x = torch.randn(300, 4)
y = x @ torch.tensor([1.0, -1.0, 0.5, 2.0]) + 0.1 * torch.randn(300)
x_tr, y_tr, x_va, y_va = x[:240], y[:240], x[240:], y[240:]
net = nn.Linear(4, 1)
opt = torch.optim.SGD(net.parameters(), lr=LR)
best, bad, epoch = float("inf"), 0, 0
while bad < PATIENCE and epoch < MAX_EPOCHS:
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(x_tr).squeeze(1), y_tr)
    loss.backward()
    opt.step()
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(net(x_va).squeeze(1), y_va).item()
    if val_loss < best - 1e-4:
        best, bad = val_loss, 0
    else:
        bad += 1
    epoch += 1
print(f"stopped after {epoch} epochs, best val loss {best:.4f}")
