"""Full-batch LBFGS with a closure; after every step the held-out error under no_grad, printed with
the step number; the last step's error is the result."""
import torch
from torch import nn

torch.manual_seed(1)
t = torch.linspace(0, 6, 240).unsqueeze(1)
signal = torch.sin(t) + 0.1 * torch.randn_like(t)
train_t, train_s, test_t, test_s = t[::2], signal[::2], t[1::2], signal[1::2]

curve = nn.Sequential(nn.Linear(1, 24), nn.Tanh(), nn.Linear(24, 24), nn.Tanh(), nn.Linear(24, 1))
mse = nn.MSELoss()
optimizer = torch.optim.LBFGS(curve.parameters(), lr=0.5, max_iter=10)
for step in range(5):
    def closure():
        optimizer.zero_grad()
        loss = mse(curve(train_t), train_s)
        loss.backward()
        return loss

    optimizer.step(closure)
    with torch.no_grad():
        fitted = curve(test_t)
        loss = mse(fitted, test_s)
        print(f"step {step}: held-out mse {loss.item():.5f}")
print(f"final held-out mse {loss.item():.5f}")
