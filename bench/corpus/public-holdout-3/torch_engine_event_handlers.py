"""An Ignite-style training engine written by hand: events, decorated handlers, an evaluator.

The training loop itself never prints: handlers registered with @trainer.on(...) log the
running loss, run the evaluator at the end of each epoch and keep the best weights on disk.
"""
from collections import defaultdict

import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset


class Events:
    STARTED = "started"
    EPOCH_COMPLETED = "epoch_completed"
    ITERATION_COMPLETED = "iteration_completed"
    COMPLETED = "completed"


class State:
    def __init__(self):
        self.epoch = 0
        self.iteration = 0
        self.output = None
        self.metrics = {}


class Engine:
    def __init__(self, process_function):
        self._process_function = process_function
        self._handlers = defaultdict(list)
        self.state = State()

    def on(self, event_name, every=1):
        def decorator(handler):
            self._handlers[event_name].append((handler, every))
            return handler
        return decorator

    def _fire(self, event_name):
        counter = self.state.iteration if event_name == Events.ITERATION_COMPLETED else self.state.epoch
        for handler, every in self._handlers[event_name]:
            if counter % every == 0:
                handler(self)

    def run(self, data, max_epochs=1):
        self.state = State()
        self._fire(Events.STARTED)
        for _ in range(max_epochs):
            self.state.epoch += 1
            for batch in data:
                self.state.iteration += 1
                self.state.output = self._process_function(self, batch)
                self._fire(Events.ITERATION_COMPLETED)
            self._fire(Events.EPOCH_COMPLETED)
        self._fire(Events.COMPLETED)
        return self.state


class Accuracy:
    def reset(self):
        self.correct, self.total = 0, 0

    def update(self, y_pred, y):
        self.correct += (y_pred.argmax(dim=1) == y).sum().item()
        self.total += len(y)

    def compute(self):
        return self.correct / self.total


class Loss:
    def __init__(self, loss_fn):
        self.loss_fn = loss_fn

    def reset(self):
        self.sum, self.total = 0.0, 0

    def update(self, y_pred, y):
        self.sum += self.loss_fn(y_pred, y).item() * len(y)
        self.total += len(y)

    def compute(self):
        return self.sum / self.total


def create_supervised_trainer(model, optimizer, loss_fn):
    def _update(engine, batch):
        model.train()
        x, y = batch
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()
    return Engine(_update)


def create_supervised_evaluator(model, metrics):
    def _inference(engine, batch):
        model.eval()
        with torch.no_grad():
            x, y = batch
            y_pred = model(x)
        for metric in metrics.values():
            metric.update(y_pred, y)
        return y_pred

    evaluator = Engine(_inference)

    @evaluator.on(Events.STARTED)
    def reset_metrics(engine):
        for metric in metrics.values():
            metric.reset()

    @evaluator.on(Events.COMPLETED)
    def compute_metrics(engine):
        engine.state.metrics = {name: metric.compute() for name, metric in metrics.items()}

    return evaluator


torch.manual_seed(11)
X, y = make_classification(n_samples=1500, n_features=20, n_informative=8, n_classes=3,
                           n_clusters_per_class=2, class_sep=1.2, random_state=11)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=11)
train_loader = DataLoader(TensorDataset(torch.tensor(X_train, dtype=torch.float32), torch.tensor(y_train)),
                          batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.tensor(X_val, dtype=torch.float32), torch.tensor(y_val)),
                        batch_size=256)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 32), nn.ReLU(),
                      nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
criterion = nn.CrossEntropyLoss()
max_epochs = 10
log_interval = 10

trainer = create_supervised_trainer(model, optimizer, criterion)
evaluator = create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "nll": Loss(criterion)})
best = {"accuracy": 0.0, "epoch": 0}


@trainer.on(Events.ITERATION_COMPLETED, every=log_interval)
def log_training_loss(engine):
    print(f"Epoch[{engine.state.epoch}] Iteration[{engine.state.iteration}] Loss: {engine.state.output:.4f}")


@trainer.on(Events.EPOCH_COMPLETED)
def log_validation_results(engine):
    metrics = evaluator.run(val_loader).metrics
    print(f"Validation Results - Epoch: {engine.state.epoch}  "
          f"Avg accuracy: {metrics['accuracy']:.4f} Avg loss: {metrics['nll']:.4f}")
    if metrics["accuracy"] > best["accuracy"]:
        best.update(accuracy=metrics["accuracy"], epoch=engine.state.epoch)
        torch.save(model.state_dict(), "best_model.pt")


@trainer.on(Events.COMPLETED)
def report_best(engine):
    print(f"Best validation accuracy {best['accuracy']:.4f} at epoch {best['epoch']}")


trainer.run(train_loader, max_epochs=max_epochs)
