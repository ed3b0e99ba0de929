"""A module-level model trained by run(), which then scores it through a function reading the global."""
import torch
import torch.nn as nn

torch.manual_seed(7)
points = torch.randn(300, 4)
labels = (points[:, 0] * points[:, 1] > 0).long()
classifier = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 2))
sgd = torch.optim.Adam(classifier.parameters(), lr=0.02)


def accuracy_on_holdout():
    classifier.eval()
    with torch.no_grad():
        hits = (classifier(points[250:]).argmax(1) == labels[250:]).float().mean()
    classifier.train()
    return float(hits)


def run():
    last = 0.0
    for step in range(60):
        sgd.zero_grad()
        loss = nn.functional.cross_entropy(classifier(points[:250]), labels[:250])
        loss.backward()
        sgd.step()
        last = loss.item()
    holdout_acc = accuracy_on_holdout()
    print(f"last_loss={last:.3f}")
    print(f"holdout_acc={holdout_acc:.3f}")


if __name__ == "__main__":
    run()
