"""A torch autoencoder whose fit() returns a loss history."""
import torch
from torch import nn


class AutoEncoder(nn.Module):
    def __init__(self, dim=16, code=4):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(dim, code), nn.Tanh())
        self.decoder = nn.Linear(code, dim)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def fit(model, data, epochs=10, lr=0.01):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(epochs):
        opt.zero_grad()
        loss = ((model(data) - data) ** 2).mean()
        loss.backward()
        opt.step()
        history.append(loss.item())
    return history


if __name__ == "__main__":
    torch.manual_seed(0)
    data = torch.randn(256, 16)
    ae = AutoEncoder()
    history = fit(ae, data, epochs=15, lr=0.02)
    print(f"first loss {history[0]:.4f}, last loss {history[-1]:.4f}")
