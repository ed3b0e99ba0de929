"""A trainer object in the Keras manner: fit() with callbacks, one shared epoch method for both modes."""
import torch
import torch.nn as nn


class PrintLoss:
    def epoch_done(self, trainer, epoch, stats):
        if epoch % 4 == 3:
            print(f"epoch {epoch + 1}: {stats}")


class Learner:
    def __init__(self, net, opt, criterion):
        self.net, self.opt, self.criterion = net, opt, criterion

    def _epoch(self, xs, ys, learn):
        self.net.train(learn)
        with torch.set_grad_enabled(learn):
            out = self.net(xs)
            loss = self.criterion(out, ys)
            if learn:
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()
        return loss.item(), (out.argmax(1) == ys).float().mean().item()

    def fit(self, xs, ys, epochs, callbacks=()):
        for epoch in range(epochs):
            stats = self._epoch(xs, ys, True)
            for cb in callbacks:
                cb.epoch_done(self, epoch, stats)

    def score(self, xs, ys):
        return self._epoch(xs, ys, learn=False)


torch.manual_seed(3)
xs = torch.randn(256, 6)
ys = (xs[:, 0] + xs[:, 1] > 0).long()
net = nn.Sequential(nn.Linear(6, 24), nn.ReLU(), nn.Linear(24, 2))
learner = Learner(net, torch.optim.Adam(net.parameters(), lr=0.01), nn.CrossEntropyLoss())
learner.fit(xs, ys, epochs=12, callbacks=[PrintLoss()])
holdout_loss, holdout_acc = learner.score(xs[:64], ys[:64])
print(f"holdout_loss={holdout_loss:.4f}")
print(f"holdout_acc={holdout_acc:.4f}")
