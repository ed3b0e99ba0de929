"""Flat tutorial-style script: module-level net on blobs, running_loss printed every 10 batches."""
import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import make_blobs
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(2024)
X, y = make_blobs(n_samples=1000, centers=5, n_features=6, cluster_std=2.5, random_state=2024)
X = torch.tensor(X, dtype=torch.float32)
y = torch.tensor(y)
trainloader = DataLoader(TensorDataset(X[:800], y[:800]), batch_size=16, shuffle=True)
testloader = DataLoader(TensorDataset(X[800:], y[800:]), batch_size=50)

net = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 5))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.005, momentum=0.9)

for epoch in range(4):
    running_loss = 0.0
    for i, (inputs, labels) in enumerate(trainloader):
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        if i % 10 == 9:
            print("[%d, %5d] loss: %.3f" % (epoch + 1, i + 1, running_loss / 10))
            running_loss = 0.0
print("Finished Training")

correct = 0
total = 0
net.eval()
with torch.no_grad():
    for inputs, labels in testloader:
        predicted = net(inputs).argmax(1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
print("Accuracy on the test points: %d %%" % (100 * correct / total))
torch.save(net.state_dict(), "blobs_net.pth")
