"""evaluate() returns (loss, accuracy) each epoch."""
import torch
from torch import nn

EPOCHS = 5
LEARNING_RATE = 0.05


def evaluate(model, x, y):
    with torch.no_grad():
        out = model(x)
        loss = nn.functional.cross_entropy(out, y).item()
        acc = (out.argmax(1) == y).float().mean().item()
    return loss, acc


torch.manual_seed(3)
x = torch.randn(400, 8)
y = (x[:, :2].sum(1) > 0).long()
model = nn.Linear(8, 2)
opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
for epoch in range(EPOCHS):
    opt.zero_grad()
    nn.functional.cross_entropy(model(x[:300]), y[:300]).backward()
    opt.step()
    val_loss, val_acc = evaluate(model, x[300:], y[300:])
    print(f"epoch {epoch}: val_loss={val_loss:.3f} val_acc={val_acc:.3f}")
