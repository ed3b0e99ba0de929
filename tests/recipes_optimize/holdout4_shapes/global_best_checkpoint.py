"""Epoch loop with a global best score: evaluate(step) checkpoints the model when its score improves."""
import torch
import torch.nn as nn

torch.manual_seed(11)
inputs = torch.randn(260, 6)
classes = (inputs.sum(1) > 0).long()
model = nn.Sequential(nn.Linear(6, 20), nn.ReLU(), nn.Linear(20, 2))
adam = torch.optim.Adam(model.parameters(), lr=0.01)
lowest_loss = 1e9


def fit_once():
    model.train()
    adam.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs[:200]), classes[:200])
    loss.backward()
    adam.step()


def evaluate(step):
    global lowest_loss
    model.eval()
    with torch.no_grad():
        val_loss = nn.functional.cross_entropy(model(inputs[200:]), classes[200:]).item()
    if val_loss < lowest_loss:
        torch.save({"weights": model.state_dict(), "step": step}, "best.pt")
        lowest_loss = val_loss
    return val_loss


for step in range(25):
    fit_once()
    val_loss = evaluate(step)
    if step % 10 == 9:
        print(f"step {step}: val_loss {val_loss:.4f}")
print(f"lowest_loss={lowest_loss:.4f}")
