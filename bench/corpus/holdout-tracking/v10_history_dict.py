"""Per-epoch validation accuracy collected in a history dict."""
import torch
from torch import nn

config = {"epochs": 6, "lr": 0.1, "hidden": 12}

torch.manual_seed(0)
x = torch.randn(300, 5)
y = (x[:, 0] * x[:, 1] > 0).long()
net = nn.Sequential(nn.Linear(5, config["hidden"]), nn.ReLU(), nn.Linear(config["hidden"], 2))
opt = torch.optim.SGD(net.parameters(), lr=config["lr"])
history = {"train_loss": [], "val_acc": []}
for epoch in range(config["epochs"]):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(net(x[:240]), y[:240])
    loss.backward()
    opt.step()
    with torch.no_grad():
        val_acc = (net(x[240:]).argmax(1) == y[240:]).float().mean().item()
    history["train_loss"].append(loss.item())
    history["val_acc"].append(val_acc)
print("final val acc", history["val_acc"][-1])
