"""An encoder trained with a loss that is itself an nn.Module (passed to the training function after the
model, under a second name), then scored by a nearest-centroid probe fitted on its outputs."""
import torch
import torch.nn as nn
from sklearn.neighbors import NearestCentroid


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))

    def forward(self, x):
        return self.body(x)


class SpreadLoss(nn.Module):
    def forward(self, z, y):
        centres = torch.stack([z[y == c].mean(0) for c in range(2)])
        return ((z - centres[y]) ** 2).mean() - 0.1 * (centres[0] - centres[1]).pow(2).sum()


def run(loader_x, loader_y, net, criterion, opt, epochs):
    for _ in range(epochs):
        loss = criterion(net(loader_x), loader_y)
        opt.zero_grad()
        loss.backward()
        opt.step()


def encode(net, x):
    with torch.no_grad():
        return net(x).numpy()


torch.manual_seed(0)
xs = torch.randn(120, 4)
ys = (xs[:, 0] > 0).long()
encoder = Encoder()
net = encoder
criterion = SpreadLoss()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
run(xs[:80], ys[:80], net, criterion, opt, 5)
probe = NearestCentroid().fit(encode(net, xs[:80]), ys[:80].numpy())
print(f"probe accuracy {probe.score(encode(net, xs[80:]), ys[80:].numpy()):.3f}")
torch.save(net.state_dict(), "encoder.pt")
