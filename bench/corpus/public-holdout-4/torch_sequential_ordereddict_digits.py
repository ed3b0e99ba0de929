"""Small CNN on the 8x8 digits built as nn.Sequential(OrderedDict(...)), MultiStepLR, inference_mode evaluation."""
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

SEED = 7
device = torch.device("cpu")


def build_model(channels=8, hidden=64, dropout=0.25):
    """LeNet-like stack with named layers, so checkpoints read as conv1.weight, fc1.weight, ..."""
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, channels, kernel_size=3, padding=1)),
        ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(channels, channels * 2, kernel_size=3, padding=1)),
        ("relu2", nn.ReLU()),
        ("pool", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()),
        ("drop", nn.Dropout(dropout)),
        ("fc1", nn.Linear(channels * 2 * 4 * 4, hidden)),
        ("relu3", nn.ReLU()),
        ("fc2", nn.Linear(hidden, 10)),
    ]))


def make_loaders(batch_size):
    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    y = digits.target.astype(np.int64)
    X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)
    X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.2, random_state=SEED, stratify=y_tmp)
    g = torch.Generator().manual_seed(SEED)
    train = DataLoader(TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train)),
                       batch_size=batch_size, shuffle=True, generator=g)
    val = DataLoader(TensorDataset(torch.from_numpy(X_val), torch.from_numpy(y_val)), batch_size=256)
    test = DataLoader(TensorDataset(torch.from_numpy(X_test), torch.from_numpy(y_test)), batch_size=256)
    return train, val, test


def evaluate(model, loader, criterion):
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    with torch.inference_mode():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            out = model(xb)
            total_loss += criterion(out, yb).item() * len(yb)
            correct += (out.argmax(1) == yb).sum().item()
            n += len(yb)
    return total_loss / n, correct / n


def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    lr, epochs, batch_size = 0.05, 8, 32
    train_loader, val_loader, test_loader = make_loaders(batch_size)
    model = build_model().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[4, 6], gamma=0.3)
    for epoch in range(1, epochs + 1):
        model.train()
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        scheduler.step()
        val_loss, val_acc = evaluate(model, val_loader, criterion)
        print(f"epoch {epoch:2d} lr {scheduler.get_last_lr()[0]:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")
    test_loss, test_acc = evaluate(model, test_loader, criterion)
    print(f"test_loss={test_loss:.4f}")
    print(f"test_accuracy={test_acc:.4f}")
    torch.save(model.state_dict(), "digits_seq_cnn.pt")


if __name__ == "__main__":
    main()
