"""Circles classifier that records loss curves and saves them with matplotlib (Agg backend)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.datasets import make_circles  # noqa: E402
from torch import nn  # noqa: E402

SEED = 21
EPOCHS = 40
LR = 0.03
HIDDEN = 16


def accuracy_fn(y_true, y_pred):
    return (torch.eq(y_true, y_pred).sum().item() / len(y_pred)) * 100


class CircleModel(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.layer_1 = nn.Linear(2, hidden)
        self.layer_2 = nn.Linear(hidden, hidden)
        self.layer_3 = nn.Linear(hidden, 1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))


torch.manual_seed(SEED)
X, y = make_circles(n_samples=800, noise=0.05, factor=0.6, random_state=SEED)
X = torch.from_numpy(X).float()
y = torch.from_numpy(y).float()
X_train, X_test, y_train, y_test = X[:640], X[640:], y[:640], y[640:]

model_0 = CircleModel(HIDDEN)
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(params=model_0.parameters(), lr=LR)

epoch_count, train_loss_values, test_loss_values = [], [], []
for epoch in range(EPOCHS):
    model_0.train()
    y_logits = model_0(X_train).squeeze()
    y_pred = torch.round(torch.sigmoid(y_logits))
    loss = loss_fn(y_logits, y_train)
    acc = accuracy_fn(y_true=y_train, y_pred=y_pred)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    model_0.eval()
    with torch.inference_mode():
        test_logits = model_0(X_test).squeeze()
        test_pred = torch.round(torch.sigmoid(test_logits))
        test_loss = loss_fn(test_logits, y_test)
        test_acc = accuracy_fn(y_true=y_test, y_pred=test_pred)

    if epoch % 5 == 0:
        epoch_count.append(epoch)
        train_loss_values.append(loss.item())
        test_loss_values.append(test_loss.item())
        print(f"Epoch: {epoch} | Loss: {loss:.5f}, Accuracy: {acc:.2f}% | "
              f"Test loss: {test_loss:.5f}, Test acc: {test_acc:.2f}%")

plt.plot(epoch_count, np.array(train_loss_values), label="Train loss")
plt.plot(epoch_count, test_loss_values, label="Test loss")
plt.title("Training and test loss curves")
plt.ylabel("Loss")
plt.xlabel("Epochs")
plt.legend()
plt.savefig("loss_curves.png")
print(f"final test accuracy: {test_acc:.2f}%")
