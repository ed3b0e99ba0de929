"""Imbalanced synthetic classes: WeightedRandomSampler, class-weighted loss and a per-class report."""
import argparse
from collections import Counter

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, classification_report, f1_score
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--hidden", type=int, default=48)
    p.add_argument("--sampler", choices=["weighted", "none"], default="weighted")
    p.add_argument("--loss-weighting", action="store_true", default=False)
    p.add_argument("--seed", type=int, default=21)
    return p.parse_args()


class Classifier(nn.Module):
    def __init__(self, n_features, hidden, n_classes):
        super().__init__()
        self.fc1 = nn.Linear(n_features, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, n_classes)
        self.act = nn.LeakyReLU(0.1)

    def forward(self, x):
        return self.out(self.act(self.fc2(self.act(self.fc1(x)))))


def predict(model, X):
    model.eval()
    with torch.no_grad():
        return model(X).argmax(1).numpy()


def main():
    args = get_args()
    torch.manual_seed(args.seed)
    X, y = make_classification(n_samples=4000, n_features=16, n_informative=8, n_classes=3,
                               weights=[0.85, 0.11, 0.04], flip_y=0.01, random_state=args.seed)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=args.seed)
    X_tr, X_va, y_tr, y_va = train_test_split(X_tr, y_tr, test_size=0.2, stratify=y_tr, random_state=args.seed)
    counts = Counter(y_tr.tolist())
    print("train class counts:", dict(sorted(counts.items())))

    X_tr_t, y_tr_t = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(y_tr)
    X_va_t, X_te_t = torch.tensor(X_va, dtype=torch.float32), torch.tensor(X_te, dtype=torch.float32)
    class_weights = torch.tensor([len(y_tr) / (3 * counts[c]) for c in range(3)], dtype=torch.float32)
    dataset = TensorDataset(X_tr_t, y_tr_t)
    if args.sampler == "weighted":
        sample_weights = class_weights[y_tr_t]
        sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True,
                                        generator=torch.Generator().manual_seed(args.seed))
        loader = DataLoader(dataset, batch_size=args.batch_size, sampler=sampler)
    else:
        loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True,
                            generator=torch.Generator().manual_seed(args.seed))

    model = Classifier(X.shape[1], args.hidden, 3)
    criterion = nn.CrossEntropyLoss(weight=class_weights if args.loss_weighting else None)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        model.train()
        seen = Counter()
        for xb, yb in loader:
            seen.update(yb.tolist())
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        va_pred = predict(model, X_va_t)
        print(f"epoch {epoch + 1}: sampled {dict(sorted(seen.items()))} "
              f"val balanced acc {balanced_accuracy_score(y_va, va_pred):.4f} "
              f"val macro f1 {f1_score(y_va, va_pred, average='macro'):.4f}")

    te_pred = predict(model, X_te_t)
    print(classification_report(y_te, te_pred, digits=3))
    print(f"test balanced accuracy: {balanced_accuracy_score(y_te, te_pred):.4f}")
    torch.save(model.state_dict(), "imbalanced_classifier.pt")


if __name__ == "__main__":
    main()
