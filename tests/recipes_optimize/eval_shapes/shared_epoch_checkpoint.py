"""One epoch function for both phases (it trains only when given an optimizer); the best epoch is
saved as a checkpoint dict inside the loop and reloaded for the test."""
import torch
from torch import nn

CKPT = "best_epoch.pt"

torch.manual_seed(3)
X = torch.randn(600, 10)
y = (X[:, :3].sum(1) > X[:, 3:6].sum(1)).long()
X_tr, y_tr, X_va, y_va, X_te, y_te = X[:400], y[:400], X[400:500], y[400:500], X[500:], y[500:]


def one_pass(net, xs, ys, loss_fn, optimizer=None):
    training = optimizer is not None
    net.train(training)
    with torch.set_grad_enabled(training):
        out = net(xs)
        loss = loss_fn(out, ys)
        if training:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return loss.item(), (out.argmax(1) == ys).float().mean().item()


net = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 2))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.02)
best = None
for epoch in range(15):
    one_pass(net, X_tr, y_tr, loss_fn, optimizer)
    val_loss, val_acc = one_pass(net, X_va, y_va, loss_fn)
    if best is None or val_loss < best:
        best = val_loss
        torch.save({"epoch": epoch, "weights": net.state_dict(), "val_loss": val_loss}, CKPT)

state = torch.load(CKPT)
net.load_state_dict(state["weights"])
test_loss, test_acc = one_pass(net, X_te, y_te, loss_fn)
print(f"best epoch {state['epoch']}: test loss {test_loss:.4f}, test accuracy {test_acc:.3f}")
