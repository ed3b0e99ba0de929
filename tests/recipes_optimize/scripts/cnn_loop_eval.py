"""A small CNN whose only evaluation happens inside the epoch loop."""
import torch
import torch.nn.functional as F
from torch import nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3, padding=1)
        self.fc = nn.Linear(8 * 2 * 2, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


torch.manual_seed(2)
images = torch.randn(150, 1, 8, 8)
labels = torch.randint(0, 3, (150,))
images[labels == 1] += 0.8
images[labels == 2] -= 0.8
train_x, train_y, val_x, val_y = images[:120], labels[:120], images[120:], labels[120:]

cnn = SmallCNN()
opt = torch.optim.Adam(cnn.parameters(), lr=0.01)
for epoch in range(6):
    cnn.train()
    for i in range(0, 120, 30):
        opt.zero_grad()
        loss = F.cross_entropy(cnn(train_x[i:i + 30]), train_y[i:i + 30])
        loss.backward()
        opt.step()
    cnn.eval()
    with torch.no_grad():
        val_loss = F.cross_entropy(cnn(val_x), val_y).item()
    print(f"epoch {epoch} val_loss {val_loss:.4f}")
