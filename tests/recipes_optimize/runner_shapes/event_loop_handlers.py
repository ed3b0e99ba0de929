"""A tiny event-driven training loop: handlers hang on the loop's events, one runs the evaluator."""
import torch
from torch import nn


class Loop:
    def __init__(self, step):
        self.step = step
        self.handlers = {}
        self.epoch = 0
        self.metrics = {}

    def on(self, event):
        def register(handler):
            self.handlers.setdefault(event, []).append(handler)
            return handler
        return register

    def add_event_handler(self, event, handler):
        self.handlers.setdefault(event, []).append(handler)

    def fire(self, event):
        for handler in self.handlers.get(event, []):
            handler(self)

    def run(self, batches, max_epochs=1):
        for self.epoch in range(1, max_epochs + 1):
            for batch in batches:
                self.output = self.step(batch)
            self.fire("epoch_end")
        self.fire("done")
        return self


def make_trainer(net, opt, loss_fn):
    def step(batch):
        x, y = batch
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    return Loop(step)


def make_evaluator(net):
    def step(batch):
        x, y = batch
        with torch.no_grad():
            return (net(x).argmax(dim=1) == y).float().sum().item(), len(y)

    loop = Loop(step)

    @loop.on("done")
    def summarize(engine):
        engine.metrics = {"accuracy": engine.output[0] / engine.output[1]}

    return loop


torch.manual_seed(3)
x = torch.randn(256, 6)
y = (x[:, 0] - x[:, 1] > 0).long()
batches = [(x[i:i + 64], y[i:i + 64]) for i in range(0, 192, 64)]
held_out = [(x[192:], y[192:])]
net = nn.Sequential(nn.Linear(6, 24), nn.ReLU(), nn.Linear(24, 2))
opt = torch.optim.SGD(net.parameters(), lr=0.2)
trainer = make_trainer(net, opt, nn.functional.cross_entropy)
evaluator = make_evaluator(net)


@trainer.on("epoch_end")
def show_loss(engine):
    print(f"epoch {engine.epoch} last loss {engine.output:.4f}")


best = {"accuracy": -1.0}


def validate(engine):
    scores = evaluator.run(held_out).metrics
    print(f"epoch {engine.epoch} held-out accuracy {scores['accuracy']:.3f}")


trainer.add_event_handler("epoch_end", validate)


@trainer.on("epoch_end")
def keep_best(engine):
    accuracy = evaluator.metrics["accuracy"]
    if accuracy > best["accuracy"]:
        best["accuracy"] = accuracy
        torch.save(net.state_dict(), "best.pt")


trainer.run(batches, max_epochs=6)
print("finished")
