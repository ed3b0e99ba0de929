"""A small CNN tells horizontal from vertical bars in synthetic 12x12 images, with a DataLoader."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

CONFIG = {"lr": 0.01, "channels": 6, "epochs": 4, "batch_size": 32, "kernel_size": 3}


def make_images(n, generator):
    images = torch.rand(n, 1, 12, 12, generator=generator) * 0.3
    labels = torch.randint(0, 2, (n,), generator=generator)
    for i in range(n):
        pos = int(torch.randint(1, 11, (1,), generator=generator))
        if labels[i] == 0:
            images[i, 0, pos, :] += 1.0
        else:
            images[i, 0, :, pos] += 1.0
    return images, labels


class BarNet(nn.Module):
    def __init__(self, channels, kernel_size):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, channels, kernel_size, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(channels * 6 * 6, 2)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def accuracy(model, loader):
    correct = total = 0
    model.eval()
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(1) == labels).sum().item()
            total += len(labels)
    return correct / total


gen = torch.Generator().manual_seed(0)
torch.manual_seed(0)
train_x, train_y = make_images(512, gen)
test_x, test_y = make_images(128, gen)
train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=CONFIG["batch_size"], shuffle=True)
test_loader = DataLoader(TensorDataset(test_x, test_y), batch_size=64)

cnn = BarNet(CONFIG["channels"], CONFIG["kernel_size"])
optimizer = torch.optim.Adam(cnn.parameters(), lr=CONFIG["lr"])
for epoch in range(CONFIG["epochs"]):
    cnn.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(cnn(images), labels)
        loss.backward()
        optimizer.step()
test_accuracy = accuracy(cnn, test_loader)
print(f"epochs={CONFIG['epochs']} test accuracy={test_accuracy:.3f}")
