"""The net is picked by name from a registry a class decorator fills, then trained and scored."""
import torch
from torch import nn

ARCHS = {}


def arch(key):
    def keep(cls):
        ARCHS[key] = cls
        return cls
    return keep


@arch("wide")
class Wide(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, size), nn.Tanh(), nn.Linear(size, 3))

    def forward(self, x):
        return self.body(x)


def build(spec):
    extra = {k: v for k, v in spec.items() if k != "arch"}
    return ARCHS[spec["arch"]](**extra)


def main(spec):
    torch.manual_seed(2)
    xs = torch.randn(150, 4)
    ys = (xs[:, 1] > 0).long() + (xs[:, 2] > 1).long()
    net = build(spec)
    opt = torch.optim.Adam(net.parameters(), lr=0.03)
    for epoch in range(30):
        opt.zero_grad()
        nn.functional.cross_entropy(net(xs), ys).backward()
        opt.step()
    torch.save(net.state_dict(), "last.pt")
    net.load_state_dict(torch.load("last.pt"))
    with torch.no_grad():
        acc = (net(xs).argmax(1) == ys).float().mean().item()
    print(f"acc={acc:.3f}")
    torch.save({"net": net.state_dict(), "spec": spec}, "final.pt")
    return acc


if __name__ == "__main__":
    main({"arch": "wide", "size": 16})
