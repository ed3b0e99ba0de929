"""Breast-cancer classifier trained from a plain Python batch generator (no DataLoader), an
nn.ModuleDict model, early stopping on validation loss with a deepcopy of the best weights, then
torch.jit.trace export that is reloaded and checked."""
import copy

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

RNG_SEED = 2024
HIDDEN = 24
LEARNING_RATE = 1e-2
MAX_EPOCHS = 60
PATIENCE = 6
BATCH_SIZE = 40


def iterate_minibatches(inputs, targets, batch_size, shuffle=False, rng=None):
    assert len(inputs) == len(targets)
    indices = rng.permutation(len(inputs)) if shuffle else np.arange(len(inputs))
    for start in range(0, len(inputs), batch_size):
        excerpt = indices[start:start + batch_size]
        yield inputs[excerpt], targets[excerpt]


class TabularNet(nn.Module):
    def __init__(self, n_features, hidden):
        super().__init__()
        self.layers = nn.ModuleDict({
            "encoder": nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()),
            "head": nn.Linear(hidden, 1),
        })

    def forward(self, x):
        return self.layers["head"](self.layers["encoder"](x)).squeeze(-1)


def predict_proba(model, X):
    model.eval()
    with torch.no_grad():
        return torch.sigmoid(model(torch.from_numpy(X))).numpy()


torch.manual_seed(RNG_SEED)
rng = np.random.RandomState(RNG_SEED)
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=RNG_SEED, stratify=y)
X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.25, random_state=RNG_SEED, stratify=y_train)
scaler = StandardScaler().fit(X_train)
X_train, X_valid, X_test = (scaler.transform(a).astype(np.float32) for a in (X_train, X_valid, X_test))
y_train, y_valid, y_test = (a.astype(np.float32) for a in (y_train, y_valid, y_test))

model = TabularNet(X_train.shape[1], HIDDEN)
optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
criterion = nn.BCEWithLogitsLoss()

best_loss, best_state, bad_epochs = float("inf"), None, 0
for epoch in range(MAX_EPOCHS):
    model.train()
    train_err, train_batches = 0.0, 0
    for xb, yb in iterate_minibatches(X_train, y_train, BATCH_SIZE, shuffle=True, rng=rng):
        optimizer.zero_grad()
        loss = criterion(model(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        optimizer.step()
        train_err += loss.item()
        train_batches += 1
    model.eval()
    with torch.no_grad():
        val_loss = criterion(model(torch.from_numpy(X_valid)), torch.from_numpy(y_valid)).item()
    if val_loss < best_loss - 1e-4:
        best_loss, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
    else:
        bad_epochs += 1
    if epoch % 5 == 0:
        print(f"epoch {epoch:3d} training loss {train_err / train_batches:.4f} validation loss {val_loss:.4f}")
    if bad_epochs >= PATIENCE:
        print(f"early stop at epoch {epoch}")
        break

model.load_state_dict(best_state)
proba = predict_proba(model, X_test)
print(f"best_val_loss={best_loss:.4f}")
print(f"test_auc={roc_auc_score(y_test, proba):.4f}")
print(f"test_f1={f1_score(y_test, proba > 0.5):.4f}")

example = torch.from_numpy(X_test[:4])
traced = torch.jit.trace(model.eval(), example)
traced.save("tabular_net_traced.pt")
reloaded = torch.jit.load("tabular_net_traced.pt")
with torch.no_grad():
    same = torch.allclose(reloaded(torch.from_numpy(X_test)), model(torch.from_numpy(X_test)))
print(f"traced_matches={same}")
