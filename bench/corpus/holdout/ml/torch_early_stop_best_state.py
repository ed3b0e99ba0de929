"""Early stopping on validation loss; the best weights are restored before the final test."""
import copy

import torch
from torch import nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

LEARNING_RATE = 0.003
HIDDEN = 20
MAX_EPOCHS = 150
PATIENCE = 8
BATCH_SIZE = 64

torch.manual_seed(21)
features, labels = load_breast_cancer(return_X_y=True)
x_train, x_rest, y_train, y_rest = train_test_split(features, labels, test_size=0.4, random_state=21)
x_val, x_test, y_val, y_test = train_test_split(x_rest, y_rest, test_size=0.5, random_state=21)
mean, std = x_train.mean(0), x_train.std(0) + 1e-8
to_t = lambda a: torch.tensor((a - mean) / std, dtype=torch.float32)
x_train, x_val, x_test = to_t(x_train), to_t(x_val), to_t(x_test)
y_train, y_val, y_test = (torch.tensor(v, dtype=torch.float32) for v in (y_train, y_val, y_test))

classifier = nn.Sequential(nn.Linear(30, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))
optimizer = torch.optim.Adam(classifier.parameters(), lr=LEARNING_RATE)
loss_fn = nn.BCEWithLogitsLoss()

best_loss = float("inf")
best_state = None
waited = 0
for epoch in range(MAX_EPOCHS):
    classifier.train()
    order = torch.randperm(len(x_train))
    for start in range(0, len(order), BATCH_SIZE):
        idx = order[start:start + BATCH_SIZE]
        optimizer.zero_grad()
        loss = loss_fn(classifier(x_train[idx]).squeeze(1), y_train[idx])
        loss.backward()
        optimizer.step()
    classifier.eval()
    with torch.no_grad():
        val_loss = loss_fn(classifier(x_val).squeeze(1), y_val).item()
    if val_loss < best_loss:
        best_loss, best_state, waited = val_loss, copy.deepcopy(classifier.state_dict()), 0
    else:
        waited += 1
        if waited >= PATIENCE:
            print(f"stopped early at epoch {epoch}")
            break

classifier.load_state_dict(best_state)
with torch.no_grad():
    test_probs = torch.sigmoid(classifier(x_test).squeeze(1))
test_accuracy = ((test_probs > 0.5).float() == y_test).float().mean().item()
print(f"best val loss: {best_loss:.4f}")
print(f"test accuracy: {test_accuracy:.3f}")
