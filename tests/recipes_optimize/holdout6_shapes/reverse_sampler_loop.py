"""A denoiser trained on noisy points, then used by a sampler object whose step(output, t, x) walks back
from noise; the sampled points are scored against held-out ones."""
import torch
import torch.nn as nn


class Walker:
    def __init__(self, steps):
        self.steps = steps
        self.scale = torch.linspace(0.5, 0.05, steps)

    def step(self, predicted, t, x, rng):
        jitter = torch.randn(x.shape, generator=rng) * 0.01 if t > 0 else 0.0
        return x - self.scale[t] * predicted + jitter


def spread_gap(a, b):
    return (a.std(0) - b.std(0)).abs().sum().item()


torch.manual_seed(1)
points = torch.randn(256, 2) * 0.3
held = torch.randn(64, 2) * 0.3
denoiser = nn.Sequential(nn.Linear(3, 32), nn.Tanh(), nn.Linear(32, 2))
walker = Walker(8)
opt = torch.optim.SGD(denoiser.parameters(), lr=0.05)
for epoch in range(3):
    noise = torch.randn_like(points)
    t = torch.randint(0, walker.steps, (len(points), 1)).float()
    pred = denoiser(torch.cat([points + noise, t], 1))
    loss = ((pred - noise) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()

rng = torch.Generator().manual_seed(2)
x = torch.randn(64, 2, generator=rng)
for t in reversed(range(walker.steps)):
    with torch.no_grad():
        out = denoiser(torch.cat([x, torch.full((64, 1), float(t))], 1))
    x = walker.step(out, t, x, rng)
print(f"spread gap {spread_gap(x, held):.4f}")
