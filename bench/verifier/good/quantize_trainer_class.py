"""A Trainer class owns the torch model, optimizer and loop."""
import torch
from torch import nn

torch.manual_seed(4)


class Trainer:
    def __init__(self, lr=0.05, epochs=6, hidden=24):
        self.model = nn.Sequential(nn.Linear(5, hidden), nn.ReLU(), nn.Linear(hidden, 2))
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=lr)
        self.epochs = epochs
        self.loss_fn = nn.CrossEntropyLoss()

    def fit(self, X, y):
        for epoch in range(self.epochs):
            self.optimizer.zero_grad()
            loss = self.loss_fn(self.model(X), y)
            loss.backward()
            self.optimizer.step()
        return loss.item()

    def accuracy(self, X, y):
        with torch.no_grad():
            return (self.model(X).argmax(1) == y).float().mean().item()


X = torch.randn(250, 5)
y = (X[:, 2] > 0).long()
trainer = Trainer(lr=0.1, epochs=8)
final_loss = trainer.fit(X[:200], y[:200])
accuracy = trainer.accuracy(X[200:], y[200:])
print(f"loss {final_loss:.4f} accuracy {accuracy:.3f}")
trainer.model = torch.ao.quantization.quantize_dynamic(trainer.model, {nn.Linear}, dtype=torch.qint8)
quantized_accuracy = trainer.accuracy(X[200:], y[200:])
print(f"quantized accuracy {quantized_accuracy:.3f}")
