"""Flat script: each epoch fills lists of validation labels and predictions, then prints a banner."""
import numpy as np
import torch
from torch import nn

torch.manual_seed(1)
STEPS = 5
X = torch.randn(400, 10)
Y = (X[:, :3].sum(dim=1) > 0).long()
train_batches = [(X[i:i + 50], Y[i:i + 50]) for i in range(0, 300, 50)]
val_batches = [(X[i:i + 50], Y[i:i + 50]) for i in range(300, 400, 50)]
clf = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(clf.parameters(), lr=0.01)

for step in range(STEPS):
    clf.train()
    for xb, yb in train_batches:
        opt.zero_grad()
        nn.functional.cross_entropy(clf(xb), yb).backward()
        opt.step()
    clf.eval()
    seen, guessed = [], []
    with torch.no_grad():
        for xb, yb in val_batches:
            seen.extend(yb.tolist())
            guessed.extend(clf(xb).argmax(dim=1).tolist())
    hit_rate = np.mean(np.array(seen) == np.array(guessed))
    print("=" * 20)
    print(f"STEP {step + 1} validation hit rate {hit_rate:.3f}")
