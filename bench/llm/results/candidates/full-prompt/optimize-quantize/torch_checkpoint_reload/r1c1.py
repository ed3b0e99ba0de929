"""The best checkpoint is saved during training and reloaded before the final evaluation."""
import os
import tempfile

import torch
from torch import nn

torch.manual_seed(6)
X = torch.randn(500, 4)
y = (X[:, 0] * 2 - X[:, 1]).unsqueeze(1)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
best, ckpt = float("inf"), os.path.join(tempfile.mkdtemp(), "best.pt")
for epoch in range(60):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X[:400]), y[:400])
    loss.backward()
    opt.step()
    with torch.no_grad():
        val = nn.functional.mse_loss(model(X[400:]), y[400:]).item()
    if val < best:
        best = val
        torch.save(model.state_dict(), ckpt)
    elif epoch > 30:
        break
model.load_state_dict(torch.load(ckpt))
model.eval()

quantized_model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

with torch.no_grad():
    final_mse = nn.functional.mse_loss(quantized_model(X[400:]), y[400:]).item()
print(f"best val mse {best:.4f}, reloaded {final_mse:.4f}")
