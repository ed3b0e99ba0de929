"""Workers share one model and train it in place (Hogwild style, here with threads; one worker, so the run repeats); the parent tests it."""
import threading

import torch
from torch import nn


def fit_worker(seed, net, x, y, steps):
    torch.manual_seed(seed)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()


def check(net, x, y):
    with torch.no_grad():
        err = nn.functional.mse_loss(net(x), y).item()
    print(f"test mse: {err:.4f}")


torch.manual_seed(0)
x = torch.randn(300, 5)
y = x @ torch.tensor([[1.0], [-2.0], [0.5], [0.0], [3.0]])
shared = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
workers = [threading.Thread(target=fit_worker, args=(rank, shared, x[:200], y[:200], 60)) for rank in range(1)]
for w in workers:
    w.start()
for w in workers:
    w.join()
check(shared, x[200:], y[200:])
torch.save(shared.state_dict(), "shared.pt")
