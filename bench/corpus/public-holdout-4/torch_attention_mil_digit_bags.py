"""Attention-based multiple-instance learning: bags of 8x8 digits, a bag is positive when it holds a 9.
The model computes its own objective and error (calculate_objective / calculate_classification_error)."""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from sklearn.datasets import load_digits


class DigitBags:
    """Fixed list of (instances, bag_label, instance_labels) drawn from one part of the digits."""

    def __init__(self, images, targets, target_number, n_bags, mean_len, seed):
        rng = np.random.RandomState(seed)
        self.bags = []
        for _ in range(n_bags):
            length = int(np.clip(rng.normal(mean_len, 2), 3, 2 * mean_len))
            idx = rng.randint(0, len(images), length)
            inst_labels = targets[idx] == target_number
            x = torch.tensor(images[idx], dtype=torch.float32).unsqueeze(1)
            self.bags.append((x, torch.tensor(float(inst_labels.any())), torch.tensor(inst_labels)))

    def __len__(self):
        return len(self.bags)

    def __getitem__(self, i):
        return self.bags[i]


class Attention(nn.Module):
    def __init__(self, M=64, L=32):
        super().__init__()
        self.feature_extractor_part1 = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.feature_extractor_part2 = nn.Sequential(nn.Linear(8 * 4 * 4, M), nn.ReLU())
        self.attention = nn.Sequential(nn.Linear(M, L), nn.Tanh(), nn.Linear(L, 1))
        self.classifier = nn.Sequential(nn.Linear(M, 1), nn.Sigmoid())

    def forward(self, x):
        H = self.feature_extractor_part1(x).flatten(1)
        H = self.feature_extractor_part2(H)            # K x M
        A = self.attention(H).transpose(1, 0)          # 1 x K
        A = F.softmax(A, dim=1)
        Z = torch.mm(A, H)                             # 1 x M
        Y_prob = self.classifier(Z)
        Y_hat = torch.ge(Y_prob, 0.5).float()
        return Y_prob, Y_hat, A

    def calculate_classification_error(self, X, Y):
        _, Y_hat, _ = self.forward(X)
        return 1.0 - Y_hat.eq(Y).float().mean().item(), Y_hat

    def calculate_objective(self, X, Y):
        Y_prob, _, A = self.forward(X)
        Y_prob = torch.clamp(Y_prob, min=1e-5, max=1.0 - 1e-5)
        neg_log_likelihood = -1.0 * (Y * torch.log(Y_prob) + (1.0 - Y) * torch.log(1.0 - Y_prob))
        return neg_log_likelihood.sum(), A


def train(model, optimizer, train_bags, epoch):
    model.train()
    train_loss, train_error = 0.0, 0.0
    for data, bag_label, _ in train_bags:
        optimizer.zero_grad()
        loss, _ = model.calculate_objective(data, bag_label)
        train_loss += loss.item()
        error, _ = model.calculate_classification_error(data, bag_label)
        train_error += error
        loss.backward()
        optimizer.step()
    n = len(train_bags)
    print(f"Epoch: {epoch}, Loss: {train_loss / n:.4f}, Train error: {train_error / n:.4f}")


def test(model, test_bags):
    model.eval()
    test_loss, test_error, hits = 0.0, 0.0, 0
    with torch.no_grad():
        for data, bag_label, inst_labels in test_bags:
            loss, attention = model.calculate_objective(data, bag_label)
            test_loss += loss.item()
            error, _ = model.calculate_classification_error(data, bag_label)
            test_error += error
            # for positive bags, does the highest attention fall on a 9?
            if bag_label.item() == 1:
                hits += int(inst_labels[attention.argmax()].item())
    n = len(test_bags)
    n_pos = sum(int(b[1].item()) for b in test_bags.bags)
    return test_loss / n, test_error / n, hits / max(1, n_pos)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="attention MIL on digit bags")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--reg", type=float, default=1e-4, help="weight decay")
    parser.add_argument("--target_number", type=int, default=9)
    parser.add_argument("--mean_bag_length", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    digits = load_digits()
    images = digits.images / 16.0
    half = len(images) // 2
    train_bags = DigitBags(images[:half], digits.target[:half], args.target_number, 100, args.mean_bag_length, args.seed)
    test_bags = DigitBags(images[half:], digits.target[half:], args.target_number, 60, args.mean_bag_length, args.seed + 1)

    model = Attention()
    optimizer = optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), weight_decay=args.reg)
    for epoch in range(1, args.epochs + 1):
        train(model, optimizer, train_bags, epoch)
    test_loss, test_error, attention_hit_rate = test(model, test_bags)
    print(f"test_loss={test_loss:.4f}")
    print(f"test_error={test_error:.4f}")
    print(f"attention_hit_rate={attention_hit_rate:.4f}")
    torch.save(model.state_dict(), "attention_mil.pt")
