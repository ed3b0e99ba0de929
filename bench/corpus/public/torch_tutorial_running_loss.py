"""Classifier tutorial shape: module-level net, SGD with momentum, running_loss printed every N batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)


def make_images(n, generator):
    """Three classes of 3x16x16 images: a bright row, a bright column, or a bright diagonal."""
    labels = torch.randint(0, 3, (n,), generator=generator)
    images = torch.randn(n, 3, 16, 16, generator=generator) * 0.5
    for i, label in enumerate(labels.tolist()):
        pos = int(torch.randint(2, 14, (1,), generator=generator))
        if label == 0:
            images[i, :, pos, :] += 2.0
        elif label == 1:
            images[i, :, :, pos] += 2.0
        else:
            images[i, :, range(16), range(16)] += 2.0
    return images, labels


gen = torch.Generator().manual_seed(1)
trainset = TensorDataset(*make_images(600, gen))
testset = TensorDataset(*make_images(200, gen))
trainloader = DataLoader(trainset, batch_size=8, shuffle=True)
testloader = DataLoader(testset, batch_size=8, shuffle=False)
classes = ("row", "column", "diagonal")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 12, 3)
        self.fc1 = nn.Linear(12 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 16)
        self.fc3 = nn.Linear(16, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

for epoch in range(3):  # loop over the dataset multiple times
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()

        running_loss += loss.item()
        if i % 25 == 24:  # print every 25 mini-batches
            print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 25:.3f}")
            running_loss = 0.0

print("Finished Training")

PATH = "./shapes_net.pth"
torch.save(net.state_dict(), PATH)

correct = 0
total = 0
with torch.no_grad():
    for data in testloader:
        images, labels = data
        outputs = net(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()

print(f"Accuracy of the network on the {total} test images: {100 * correct // total} %")

correct_pred = {classname: 0 for classname in classes}
total_pred = {classname: 0 for classname in classes}
with torch.no_grad():
    for images, labels in testloader:
        _, predictions = torch.max(net(images), 1)
        for label, prediction in zip(labels, predictions):
            if label == prediction:
                correct_pred[classes[label]] += 1
            total_pred[classes[label]] += 1

for classname, correct_count in correct_pred.items():
    accuracy = 100 * float(correct_count) / total_pred[classname]
    print(f"Accuracy for class: {classname:9s} is {accuracy:.1f} %")
