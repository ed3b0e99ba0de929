"""A small MLP trained with mini-batches on synthetic data; per-epoch loss and a test pass."""
import torch
import torch.nn.functional as F
import wandb
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)

LR = 0.05
EPOCHS = 5
BATCH_SIZE = 32
HIDDEN = 32

config = {"learning_rate": LR, "epochs": EPOCHS, "batch_size": BATCH_SIZE, "hidden": HIDDEN}

features = torch.randn(600, 12)
labels = ((features[:, 0] - features[:, 3] + 0.5 * features[:, 5]) > 0).long()
train_ds = TensorDataset(features[:480], labels[:480])
test_ds = TensorDataset(features[480:], labels[480:])
train_loader = DataLoader(train_ds, batch_size=BATCH_SIZE, shuffle=True)
test_loader = DataLoader(test_ds, batch_size=BATCH_SIZE)

model = nn.Sequential(nn.Linear(12, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)

with wandb.init(project="synthetic-mlp", config=config) as run:
    for epoch in range(1, EPOCHS + 1):
        model.train()
        running = 0.0
        for xb, yb in train_loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            running += loss.item() * xb.size(0)
        train_loss = running / len(train_ds)
        run.log({"epoch": epoch, "train/loss": train_loss})
        print(f"Epoch {epoch}: train loss {train_loss:.4f}")

    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for xb, yb in test_loader:
            output = model(xb)
            test_loss += F.cross_entropy(output, yb, reduction="sum").item()
            correct += (output.argmax(dim=1) == yb).sum().item()
    test_loss /= len(test_ds)
    test_acc = correct / len(test_ds)
    run.log({"test/loss": test_loss, "test/accuracy": test_acc})
    print(f"Test set: average loss {test_loss:.4f}, accuracy {test_acc:.4f}")
