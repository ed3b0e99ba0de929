"""A tiny CNN on synthetic images, saved with torch.save."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 3
LR = 1e-3
BATCH = 32


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.head = nn.Linear(4 * 8 * 8, 3)

    def forward(self, x):
        return self.head(torch.relu(self.conv(x)).flatten(1))


def evaluate(model, loader):
    correct = total = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(1) == yb).sum().item()
            total += len(yb)
    return correct / total


torch.manual_seed(0)
images = torch.randn(192, 1, 8, 8)
labels = torch.randint(0, 3, (192,))
loader = DataLoader(TensorDataset(images, labels), batch_size=BATCH, shuffle=True)
model = SmallCNN()
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
criterion = nn.CrossEntropyLoss()
for epoch in range(EPOCHS):
    for xb, yb in loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    print(f"epoch {epoch} accuracy {evaluate(model, loader):.3f}")
torch.save(model.state_dict(), "cnn.pt")
print("saved")
