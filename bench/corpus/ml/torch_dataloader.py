"""A torch DataLoader with mini-batches and a train/eval split."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(2)
BATCH_SIZE = 32
EPOCHS = 5
LR = 0.1

X = torch.randn(320, 6)
y = (X @ torch.tensor([1.0, -1.0, 0.5, 0.0, 2.0, -0.5]) > 0).long()
train_loader = DataLoader(TensorDataset(X[:256], y[:256]), batch_size=BATCH_SIZE, shuffle=True)
model = nn.Sequential(nn.Linear(6, 12), nn.Tanh(), nn.Linear(12, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    total = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    train_loss = total / 256
    print(f"epoch {epoch}: train_loss={train_loss:.4f}")

model.eval()
with torch.no_grad():
    test_acc = (model(X[256:]).argmax(1) == y[256:]).float().mean().item()
print(f"test_acc={test_acc:.3f}")
