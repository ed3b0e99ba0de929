import torch.nn.utils.prune

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

# Prune the weights of the model's Linear and Conv* layers
for module in model.modules():
    if isinstance(module, (nn.Linear, nn.Conv2d)):
        prune.l1_unstructured(module, name="weight", amount=0.3)
        prune.remove(module, "weight")

with torch.no_grad():
    for xb, yb in test_loader:
        correct += (model(xb).argmax(1) == yb).sum().item()
        seen += len(yb)

print(f"test accuracy {correct / seen:.3f}")

# Evaluate the pruned model again with the script's own evaluation code
