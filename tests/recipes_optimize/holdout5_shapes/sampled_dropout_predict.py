"""Predictions averaged over dropout samples (the net left in train mode), beside a script function named train."""
import torch
from torch import nn


def sampled_predict(net, xs, draws):
    net.train()  # keep dropout on: each draw is another sub-network
    with torch.no_grad():
        outs = torch.stack([net(xs).squeeze(-1) for _ in range(draws)])
    return outs.mean(0), outs.std(0)


def train(seed):
    torch.manual_seed(seed)
    xs = torch.randn(200, 5)
    ys = xs @ torch.tensor([1.0, -2.0, 0.5, 0.0, 1.5]) + 0.1 * torch.randn(200)
    net = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 1))
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    for epoch in range(60):
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(xs).squeeze(-1), ys)
        loss.backward()
        opt.step()
    centre, spread = sampled_predict(net, xs, 20)
    mse = ((centre - ys) ** 2).mean().item()
    band = spread.mean().item()
    torch.save(net.state_dict(), "sampled.pt")
    return {"mse": mse, "band": band}


if __name__ == "__main__":
    summary = train(1)
    print({k: round(v, 4) for k, v in summary.items()})
