"""A tiny CNN on the 8x8 digits images (bundled with scikit-learn), trained for a few epochs."""
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

torch.manual_seed(1)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
targets = torch.tensor(digits.target)
X_train, y_train = images[:1000], targets[:1000]
X_test, y_test = images[1400:], targets[1400:]

net = SmallCNN()
optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
for epoch in range(3):
    for i in range(0, len(X_train), 100):
        optimizer.zero_grad()
        loss = F.cross_entropy(net(X_train[i : i + 100]), y_train[i : i + 100])
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} last batch loss {loss.item():.4f}")


def accuracy(model):
    model.eval()
    with torch.no_grad():
        return (model(X_test).argmax(1) == y_test).float().mean().item()


print(f"test accuracy: {accuracy(net):.4f}")
