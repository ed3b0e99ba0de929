"""A small causal conv net whose convolutions are weight-normed (parametrizations) and whose head is spectral-normed."""
import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm, weight_norm


class Smoother(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv_a = weight_norm(nn.Conv1d(1, width, 3, padding=2))
        self.conv_b = weight_norm(nn.Conv1d(width, width, 3, padding=2))
        self.head = spectral_norm(nn.Linear(width, 1))

    def forward(self, x):
        h = torch.relu(self.conv_a(x)[:, :, :-2])
        h = torch.relu(self.conv_b(h)[:, :, :-2])
        return self.head(h[:, :, -1])


torch.manual_seed(3)
signal = torch.sin(torch.linspace(0, 30, 600)) + 0.1 * torch.randn(600)
xs = torch.stack([signal[i:i + 16] for i in range(500)]).unsqueeze(1)
ys = torch.stack([signal[i + 16] for i in range(500)]).unsqueeze(1)
net = Smoother(8)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(40):
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(xs[:400]), ys[:400])
    loss.backward()
    opt.step()

net.eval()
with torch.no_grad():
    holdout_mse = nn.functional.mse_loss(net(xs[400:]), ys[400:]).item()
print(f"holdout mse {holdout_mse:.4f}")
torch.save(net.state_dict(), "smoother.pt")
