"""Accuracy accumulated batch by batch over a test DataLoader after training."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(3)
X = torch.randn(400, 6)
y = (X[:, 0] + X[:, 3] > 0).long()
train_loader = DataLoader(TensorDataset(X[:320], y[:320]), batch_size=32, shuffle=True)
test_loader = DataLoader(TensorDataset(X[320:], y[320:]), batch_size=40)
model = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(5):
    for xb, yb in train_loader:
        opt.zero_grad()
        nn.functional.cross_entropy(model(xb), yb).backward()
        opt.step()
correct, seen = 0, 0
model.eval()
with torch.no_grad():
    for xb, yb in test_loader:
        correct += (model(xb).argmax(1) == yb).sum().item()
        seen += len(yb)
print(f"test accuracy {correct / seen:.3f}")

# Optimizing the model
pruned_model = copy.deepcopy(model)

# Save the pruned model
torch.save(pruned_model, "net_pruned.pt")
