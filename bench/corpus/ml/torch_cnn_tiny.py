"""A tiny CNN on random 8x8 images, with argparse options."""
import argparse

import torch
from torch import nn


class TinyCNN(nn.Module):
    def __init__(self, channels=4):
        super().__init__()
        self.conv = nn.Conv2d(1, channels, kernel_size=3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(2)
        self.head = nn.Linear(channels * 4, 2)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        return self.head(x.flatten(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--channels", type=int, default=4)
    args = parser.parse_args()
    torch.manual_seed(6)
    images = torch.randn(128, 1, 8, 8)
    labels = (images.mean(dim=(1, 2, 3)) > 0).long()
    model = TinyCNN(channels=args.channels)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images[:96]), labels[:96])
        loss.backward()
        optimizer.step()
        print(f"epoch={epoch} loss={loss.item():.4f}")
    with torch.no_grad():
        accuracy = (model(images[96:]).argmax(1) == labels[96:]).float().mean().item()
    print(f"accuracy={accuracy:.3f}")


if __name__ == "__main__":
    main()
