"""A classifier module with separate train_epoch/evaluate functions and a main()."""
import mlflow
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, in_features=20, hidden=64, n_classes=3):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.out(x)


def make_blobs(n=900, seed=3):
    gen = torch.Generator().manual_seed(seed)
    centers = torch.randn(3, 20, generator=gen) * 2
    labels = torch.randint(0, 3, (n,), generator=gen)
    X = centers[labels] + torch.randn(n, 20, generator=gen) * 1.5
    return X, labels


def train_epoch(model, optimizer, X, y, batch_size=64):
    model.train()
    total = 0.0
    for start in range(0, len(X), batch_size):
        xb, yb = X[start : start + batch_size], y[start : start + batch_size]
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    return total / len(X)


def evaluate(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).float().mean().item()


def main():
    torch.manual_seed(3)
    X, y = make_blobs()
    X_train, y_train, X_test, y_test = X[:700], y[:700], X[700:], y[700:]
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    with mlflow.start_run():
        mlflow.log_params({"lr": 0.02, "momentum": 0.9, "epochs": 3, "hidden": 64})
        for epoch in range(3):
            loss = train_epoch(model, optimizer, X_train, y_train)
            mlflow.log_metric("loss", loss, step=epoch)
            print(f"epoch {epoch}: loss={loss:.4f}")
        accuracy = evaluate(model, X_test, y_test)
        mlflow.log_metric("accuracy", accuracy)
        print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
