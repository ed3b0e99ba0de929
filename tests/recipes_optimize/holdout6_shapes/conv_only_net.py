"""A fully convolutional net (no Linear layer) trained to denoise small images."""
import torch
import torch.nn as nn


class Smooth(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(ch, ch, 3, padding=1), nn.BatchNorm2d(ch), nn.ReLU())

    def forward(self, x):
        return x + self.conv(x)


class Denoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = nn.Conv2d(1, 4, 3, padding=1)
        self.mid = Smooth(4)
        self.out = nn.Conv2d(4, 1, 1)

    def forward(self, x):
        return self.out(self.mid(self.inc(x)))


torch.manual_seed(0)
clean = torch.rand(16, 1, 8, 8)
noisy = clean + 0.1 * torch.randn_like(clean)
model = Denoiser()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(3):
    loss = ((model(noisy) - clean) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
model.eval()
with torch.no_grad():
    mse = ((model(noisy) - clean) ** 2).mean().item()
print(f"mse {mse:.4f}")
