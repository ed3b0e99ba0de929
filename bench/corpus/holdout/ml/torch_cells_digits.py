# %% [markdown]
# Digits with a two-layer torch network, written as notebook-style cells.

# %%
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.manual_seed(5)
lr = 0.05
n_hidden = 64
n_epochs = 30

# %%
digits = load_digits()
X = torch.tensor(digits.data / 16.0, dtype=torch.float32)
y = torch.tensor(digits.target)
perm = torch.randperm(len(X))
train_idx, test_idx = perm[:1400], perm[1400:]

# %%
model = torch.nn.Sequential(
    torch.nn.Linear(64, n_hidden),
    torch.nn.ReLU(),
    torch.nn.Linear(n_hidden, 10),
)
opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
for ep in range(n_epochs):
    opt.zero_grad()
    train_loss = F.cross_entropy(model(X[train_idx]), y[train_idx])
    train_loss.backward()
    opt.step()
    if ep % 10 == 0:
        print(f"epoch {ep}: loss {train_loss.item():.3f}")

# %%
with torch.no_grad():
    out = model(X[test_idx])
test_loss = F.cross_entropy(out, y[test_idx]).item()
test_acc = (out.argmax(1) == y[test_idx]).float().mean().item()
print(f"test loss {test_loss:.4f}")
print(f"test acc {test_acc:.3f}")
