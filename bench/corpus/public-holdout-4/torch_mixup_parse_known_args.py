# Mixup training of an MLP on the wine data, in the layout of the popular CIFAR training repos:
# global best_acc, train(epoch)/test(epoch), checkpoint dict saved when test accuracy improves.
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

parser = argparse.ArgumentParser(description="mixup on wine")
parser.add_argument("--lr", default=0.05, type=float, help="learning rate")
parser.add_argument("--alpha", default=0.4, type=float, help="mixup interpolation strength (beta distribution)")
parser.add_argument("--decay", default=1e-4, type=float, help="weight decay")
parser.add_argument("--epochs", default=30, type=int)
parser.add_argument("--batch-size", default=16, type=int)
parser.add_argument("--seed", default=0, type=int)
# notebooks and launchers pass extra flags; ignore what we do not know
args, _unknown = parser.parse_known_args()

torch.manual_seed(args.seed)
np.random.seed(args.seed)
best_acc = 0.0
start_epoch = 0

wine = load_wine()
X_train, X_test, y_train, y_test = train_test_split(
    wine.data, wine.target, test_size=0.3, random_state=args.seed, stratify=wine.target)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
y_train = torch.tensor(y_train)
y_test = torch.tensor(y_test)


class Net(nn.Module):
    def __init__(self, n_in=13, n_hidden=32, n_out=3):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_hidden)
        self.fc3 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


def mixup_data(x, y, alpha=1.0):
    """Returns mixed inputs, pairs of targets, and lambda."""
    lam = np.random.beta(alpha, alpha) if alpha > 0 else 1.0
    index = torch.randperm(x.size(0))
    mixed_x = lam * x + (1 - lam) * x[index, :]
    return mixed_x, y, y[index], lam


def mixup_criterion(criterion, pred, y_a, y_b, lam):
    return lam * criterion(pred, y_a) + (1 - lam) * criterion(pred, y_b)


net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=args.decay)


def train(epoch):
    net.train()
    train_loss, correct, total = 0.0, 0.0, 0
    perm = torch.randperm(len(X_train))
    for start in range(0, len(perm), args.batch_size):
        idx = perm[start:start + args.batch_size]
        inputs, targets = X_train[idx], y_train[idx]
        inputs, targets_a, targets_b, lam = mixup_data(inputs, targets, args.alpha)
        outputs = net(inputs)
        loss = mixup_criterion(criterion, outputs, targets_a, targets_b, lam)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss += loss.item() * len(idx)
        predicted = outputs.argmax(1)
        total += len(idx)
        correct += (lam * (predicted == targets_a).sum().float()
                    + (1 - lam) * (predicted == targets_b).sum().float()).item()
    return train_loss / total, 100.0 * correct / total


def test(epoch):
    global best_acc
    net.eval()
    with torch.no_grad():
        outputs = net(X_test)
        test_loss = criterion(outputs, y_test).item()
        acc = 100.0 * (outputs.argmax(1) == y_test).float().mean().item()
    if acc > best_acc:
        state = {"net": net.state_dict(), "acc": acc, "epoch": epoch}
        os.makedirs("checkpoint", exist_ok=True)
        torch.save(state, os.path.join("checkpoint", "ckpt.pth"))
        best_acc = acc
    return test_loss, acc


for epoch in range(start_epoch, start_epoch + args.epochs):
    train_loss, train_acc = train(epoch)
    test_loss, test_acc = test(epoch)
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1}: train_loss {train_loss:.3f} train_acc {train_acc:.2f} "
              f"test_loss {test_loss:.3f} test_acc {test_acc:.2f}")

print(f"best_acc={best_acc:.2f}")
print(f"final_test_loss={test_loss:.4f}")
