"""LR range test (exponential sweep, smoothed loss) picks the learning rate, then the reset model is trained."""
import copy
import math

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(2)
X, y = make_classification(n_samples=2000, n_features=20, n_informative=12, n_redundant=4, n_classes=4,
                           class_sep=1.2, random_state=2)
X = X.astype(np.float32)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2, stratify=y)
X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.2, random_state=2, stratify=y_train)
train_ds = TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train))
train_dl = DataLoader(train_ds, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(2))

model = nn.Sequential(
    nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(),
    nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(),
    nn.Linear(64, 4),
)
criterion = nn.CrossEntropyLoss()
initial_state = copy.deepcopy(model.state_dict())


def lr_find(model, loader, start_lr=1e-5, end_lr=1.0, num_iter=60, beta=0.9):
    """Raise the LR every batch, record the smoothed loss, stop when it diverges."""
    optimizer = torch.optim.SGD(model.parameters(), lr=start_lr, momentum=0.9)
    gamma = (end_lr / start_lr) ** (1 / num_iter)
    lrs, losses = [], []
    avg, best = 0.0, math.inf
    it = 0
    while it < num_iter:
        for xb, yb in loader:
            lr = start_lr * gamma ** it
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            avg = beta * avg + (1 - beta) * loss.item()
            smoothed = avg / (1 - beta ** (it + 1))
            lrs.append(lr)
            losses.append(smoothed)
            best = min(best, smoothed)
            it += 1
            if smoothed > 4 * best or it >= num_iter:
                return lrs, losses
    return lrs, losses


lrs, losses = lr_find(model, train_dl)
grads = np.gradient(np.array(losses), np.log10(np.array(lrs)))
suggested_lr = lrs[int(np.argmin(grads))]
min_loss_lr = lrs[int(np.argmin(losses))]
max_lr = min(suggested_lr * 3, min_loss_lr / 3) if min_loss_lr / 3 > suggested_lr else suggested_lr
print(f"lr finder: {len(lrs)} steps, steepest descent at lr={suggested_lr:.2e}, min loss at lr={min_loss_lr:.2e}")
with open("lr_finder.csv", "w") as fh:
    fh.write("lr,loss\n")
    for lr, loss in zip(lrs, losses):
        fh.write(f"{lr:.6e},{loss:.6f}\n")

# the sweep changed the weights: start the real run from the same initial state
model.load_state_dict(initial_state)
epochs = 6
optimizer = torch.optim.SGD(model.parameters(), lr=max_lr, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(train_dl))


def accuracy(X_np, y_np):
    model.eval()
    with torch.no_grad():
        return (model(torch.from_numpy(X_np)).argmax(1).numpy() == y_np).mean()


for epoch in range(epochs):
    model.train()
    running_loss = 0.0
    for xb, yb in train_dl:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        scheduler.step()
        running_loss += loss.item()
    print(f"[{epoch + 1}] lr {max_lr:.2e} loss: {running_loss / len(train_dl):.3f} valid acc: {accuracy(X_valid, y_valid):.3f}")

print(f"Accuracy of the network on the test set: {100 * accuracy(X_test, y_test):.1f} %")
torch.save(model.state_dict(), "./lr_found_net.pth")
