"""Train with an evaluate() every few epochs, save the weights, load them into a fresh model and
show a few of its predictions."""
import torch
from torch import nn

LABELS = ["small", "large"]
torch.manual_seed(5)
X = torch.rand(500, 4)
y = (X.sum(1) > 2).long()


class Scorer(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))

    def forward(self, x):
        return self.body(x)


def evaluate(model, xs, ys):
    model.eval()
    with torch.no_grad():
        acc = (model(xs).argmax(1) == ys).float().mean().item()
    nonzero = sum(int((p != 0).sum()) for p in model.parameters())
    print(f"accuracy {acc:.3f} with {nonzero} nonzero parameters")


model = Scorer()
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(20):
    model.train()
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(X[:400]), y[:400])
    loss.backward()
    opt.step()
    if epoch % 5 == 4:
        evaluate(model, X[400:], y[400:])

torch.save(model.state_dict(), "scorer.pt")
model = Scorer()
model.load_state_dict(torch.load("scorer.pt"))
model.eval()
for row in range(3):
    with torch.no_grad():
        guess = model(X[400 + row].unsqueeze(0)).argmax(1).item()
    print(f"sample {row}: predicted {LABELS[guess]}, actual {LABELS[y[400 + row]]}")
