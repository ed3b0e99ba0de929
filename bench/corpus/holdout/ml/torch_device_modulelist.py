"""An nn.ModuleList network moved to a device, evaluated inside an f-string."""
import torch
from torch import nn

device = "cuda" if torch.cuda.is_available() else "cpu"


class Net(nn.Module):
    def __init__(self, width=32, depth=2):
        super().__init__()
        layers = [nn.Linear(10, width), nn.ReLU()]
        for _ in range(depth - 1):
            layers += [nn.Linear(width, width), nn.ReLU()]
        self.layers = nn.ModuleList(layers)
        self.out = nn.Linear(width, 2)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.out(x)


@torch.inference_mode()
def evaluate(model, X, y):
    return (model(X).argmax(1) == y).float().mean().item()


torch.manual_seed(4)
X = torch.randn(400, 10).to(device)
y = (X[:, :3].sum(1) > 0).long().to(device)
model = Net(width=32).to(device)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(40):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(X[:300]), y[:300])
    loss.backward()
    opt.step()
print(f"val accuracy={evaluate(model, X[300:], y[300:]):.3f}")
