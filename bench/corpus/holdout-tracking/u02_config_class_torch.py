"""A small torch MLP with a plain Config class holding hyperparameters."""
import torch
from torch import nn


class Config:
    hidden = 32
    lr = 0.01
    epochs = 8
    batch_size = 64


def make_data(n=512):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 10, generator=g)
    y = (x[:, 0] + x[:, 1] > 0).long()
    return x, y


def main():
    cfg = Config()
    torch.manual_seed(0)
    x, y = make_data()
    model = nn.Sequential(nn.Linear(10, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, 2))
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(cfg.epochs):
        perm = torch.randperm(len(x))
        total = 0.0
        for i in range(0, len(x), cfg.batch_size):
            idx = perm[i:i + cfg.batch_size]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item()
        print(f"epoch {epoch}: loss {total:.3f}")
    with torch.no_grad():
        acc = (model(x).argmax(1) == y).float().mean().item()
    print(f"train accuracy {acc:.3f}")


if __name__ == "__main__":
    main()
