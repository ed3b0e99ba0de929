"""Small VAE on synthetic 2-D ring points with argparse main(), log_interval and per-epoch test loss."""
import argparse
import math

import torch
from torch import nn
from torch.nn import functional as F


class VAE(nn.Module):
    def __init__(self, hidden, latent):
        super().__init__()
        self.enc = nn.Linear(2, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, 2)

    def forward(self, x):
        h = torch.tanh(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec2(torch.tanh(self.dec1(z))), mu, logvar


def vae_loss(recon, x, mu, logvar, beta):
    rec = F.mse_loss(recon, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return rec + beta * kld


def ring(n, g):
    theta = torch.rand(n, generator=g) * 2 * math.pi
    r = 1.0 + 0.1 * torch.randn(n, generator=g)
    return torch.stack([r * torch.cos(theta), r * torch.sin(theta)], 1)


def train(args, model, optimizer, data, epoch):
    model.train()
    train_loss = 0
    perm = torch.randperm(len(data))
    for batch_idx, start in enumerate(range(0, len(data), args.batch_size)):
        x = data[perm[start:start + args.batch_size]]
        optimizer.zero_grad()
        recon, mu, logvar = model(x)
        loss = vae_loss(recon, x, mu, logvar, args.beta)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f"Train Epoch: {epoch} [{start}/{len(data)}]\tLoss: {loss.item() / len(x):.6f}")
    print(f"====> Epoch: {epoch} Average loss: {train_loss / len(data):.4f}")


def test(args, model, data):
    model.eval()
    test_loss = 0
    with torch.no_grad():
        recon, mu, logvar = model(data)
        test_loss += vae_loss(recon, data, mu, logvar, args.beta).item()
    test_loss /= len(data)
    print(f"====> Test set loss: {test_loss:.4f}")
    return test_loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--latent", type=int, default=2)
    parser.add_argument("--beta", type=float, default=0.5)
    parser.add_argument("--log-interval", type=int, default=5)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    g = torch.Generator().manual_seed(args.seed)
    train_data, test_data = ring(1000, g), ring(200, g)
    model = VAE(args.hidden, args.latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(1, args.epochs + 1):
        train(args, model, optimizer, train_data, epoch)
        test(args, model, test_data)
    torch.save(model.state_dict(), "ring_vae.pt")


if __name__ == "__main__":
    main()
