"""Siamese network on pairs of 8x8 digits: one shared MLP tower, the two embeddings concatenated
into a linear head with a sigmoid, BCELoss on "same digit or not"; argparse, Adam with StepLR,
train(args, model, device, loader, optimizer, epoch) and test(model, device, loader)."""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import load_digits
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, Dataset


class PairDataset(Dataset):
    def __init__(self, images, labels, n_pairs, seed):
        rng = np.random.default_rng(seed)
        by_class = [np.flatnonzero(labels == c) for c in range(10)]
        self.images = torch.tensor(images, dtype=torch.float32)
        self.pairs = []
        for i in range(n_pairs):
            a = int(rng.integers(len(labels)))
            if i % 2 == 0:
                b = int(rng.choice(by_class[labels[a]]))
                target = 1.0
            else:
                other = (labels[a] + int(rng.integers(1, 10))) % 10
                b = int(rng.choice(by_class[other]))
                target = 0.0
            self.pairs.append((a, b, target))

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, idx):
        a, b, target = self.pairs[idx]
        return self.images[a], self.images[b], torch.tensor(target)


class SiameseNetwork(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.tower = nn.Sequential(
            nn.Linear(64, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
        )
        self.fc = nn.Sequential(nn.Linear(hidden * 2, 32), nn.ReLU(), nn.Linear(32, 1))
        self.sigmoid = nn.Sigmoid()

    def forward_once(self, x):
        return self.tower(x)

    def forward(self, input1, input2):
        out = torch.cat((self.forward_once(input1), self.forward_once(input2)), 1)
        return self.sigmoid(self.fc(out))


def train(args, model, device, train_loader, optimizer, epoch):
    model.train()
    criterion = nn.BCELoss()
    for batch_idx, (images_1, images_2, targets) in enumerate(train_loader):
        images_1, images_2, targets = images_1.to(device), images_2.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = model(images_1, images_2).squeeze()
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print("Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                epoch, batch_idx * len(images_1), len(train_loader.dataset),
                100.0 * batch_idx / len(train_loader), loss.item()))


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    criterion = nn.BCELoss(reduction="sum")
    with torch.no_grad():
        for images_1, images_2, targets in test_loader:
            images_1, images_2, targets = images_1.to(device), images_2.to(device), targets.to(device)
            outputs = model(images_1, images_2).squeeze()
            test_loss += criterion(outputs, targets).item()
            pred = torch.where(outputs > 0.5, 1, 0)
            correct += pred.eq(targets.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print("\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
        test_loss, correct, len(test_loader.dataset), 100.0 * correct / len(test_loader.dataset)))


def main():
    parser = argparse.ArgumentParser(description="Siamese network on digit pairs")
    parser.add_argument("--batch-size", type=int, default=64, metavar="N")
    parser.add_argument("--test-batch-size", type=int, default=500, metavar="N")
    parser.add_argument("--epochs", type=int, default=5, metavar="N")
    parser.add_argument("--lr", type=float, default=0.005, metavar="LR")
    parser.add_argument("--gamma", type=float, default=0.8, metavar="M")
    parser.add_argument("--dry-run", action="store_true", default=False)
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--log-interval", type=int, default=20, metavar="N")
    parser.add_argument("--save-model", action="store_true", default=False)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    device = torch.device("cpu")

    digits = load_digits()
    images = digits.data / 16.0
    labels = digits.target
    train_dataset = PairDataset(images[:1300], labels[:1300], 2000, seed=args.seed)
    test_dataset = PairDataset(images[1300:], labels[1300:], 500, seed=args.seed + 1)
    train_loader = DataLoader(train_dataset, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test_dataset, batch_size=args.test_batch_size)

    model = SiameseNetwork().to(device)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test(model, device, test_loader)
        scheduler.step()
        if args.dry_run:
            break

    if args.save_model:
        torch.save(model.state_dict(), "siamese_network.pt")


if __name__ == "__main__":
    main()
