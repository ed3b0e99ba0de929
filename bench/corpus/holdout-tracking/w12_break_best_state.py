"""Early stopping with break and a deep-copied best state."""
import copy

import torch
from torch import nn

PATIENCE = 2
EPOCHS = 30

torch.manual_seed(5)
x = torch.randn(320, 4)
y = (x.sum(1) > 0).float().unsqueeze(1)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.05)
best_loss, best_state, waited = float("inf"), None, 0
for epoch in range(EPOCHS):
    opt.zero_grad()
    train_loss = nn.functional.binary_cross_entropy_with_logits(model(x[:256]), y[:256])
    train_loss.backward()
    opt.step()
    with torch.no_grad():
        val_loss = nn.functional.binary_cross_entropy_with_logits(model(x[256:]), y[256:]).item()
    if val_loss < best_loss:
        best_loss, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
    else:
        waited += 1
        if waited > PATIENCE:
            print(f"early stop at epoch {epoch}")
            break
model.load_state_dict(best_state)
print(f"best validation loss {best_loss:.4f}")
