"""A classifier evaluated with a running average of its weights, swapped into the net by a helper class."""
import torch
from torch import nn


class WeightAverage:
    """Running mean of the net's state_dict, loaded into the net for evaluation."""

    def __init__(self, net):
        self.mean = {k: v.detach().clone() for k, v in net.state_dict().items()}
        self.count = 1

    @torch.no_grad()
    def add(self, net):
        self.count += 1
        for k, v in net.state_dict().items():
            self.mean[k] += (v - self.mean[k]) / self.count

    def swap_in(self, net):
        net.load_state_dict(self.mean)


def accuracy(net, xs, ys):
    net.eval()
    with torch.no_grad():
        return (net(xs).argmax(1) == ys).float().mean().item()


torch.manual_seed(5)
xs = torch.randn(400, 6)
ys = (xs[:, 0] + xs[:, 1] * xs[:, 2] > 0).long()
net = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 2))
average = WeightAverage(net)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(30):
    net.train()
    opt.zero_grad()
    nn.functional.cross_entropy(net(xs[:300]), ys[:300]).backward()
    opt.step()
    average.add(net)

average.swap_in(net)
test_acc = accuracy(net, xs[300:], ys[300:])
print(f"test accuracy (averaged weights): {test_acc:.3f}")
torch.save(net.state_dict(), "averaged.pt")
