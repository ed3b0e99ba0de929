"""A train() function taking keyword hyperparameters from a dict."""
import torch
from torch import nn


def train(lr, epochs, hidden, weight_decay):
    torch.manual_seed(0)
    x = torch.randn(200, 6)
    y = x.sum(1, keepdim=True)
    model = nn.Sequential(nn.Linear(6, hidden), nn.ReLU(), nn.Linear(hidden, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    for epoch in range(epochs):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    hparams = {"lr": 0.01, "epochs": 30, "hidden": 16, "weight_decay": 1e-4}
    final_loss = train(**hparams)
    print(f"final loss {final_loss:.4f}")
