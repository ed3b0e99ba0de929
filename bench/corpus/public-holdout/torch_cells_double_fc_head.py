"""`# %%` cells: wine classifier in float64 (model.double()) with a Sequential fc head, module-level model."""
# %%
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

torch.manual_seed(17)

# %%
X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=17, stratify=y)
scaler = MinMaxScaler()
X_train = torch.from_numpy(scaler.fit_transform(X_train))
X_test = torch.from_numpy(scaler.transform(X_test))
y_train, y_test = torch.from_numpy(y_train), torch.from_numpy(y_test)
print(X_train.dtype, X_train.shape)

# %%
hidden_units = 24
lr = 0.02
n_epochs = 30


class WineNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(13, hidden_units), nn.ReLU())
        self.fc = nn.Sequential(nn.Linear(hidden_units, hidden_units), nn.ReLU(),
                                nn.Linear(hidden_units, 3))

    def forward(self, x):
        return self.fc(self.features(x))


model = WineNet().double()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=lr)

# %%
for epoch in range(n_epochs):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(X_train), y_train)
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 5 == 0:
        model.eval()
        with torch.no_grad():
            acc = (model(X_test).argmax(1) == y_test).double().mean().item()
        print(f"epoch {epoch + 1}: loss={loss.item():.4f} test_acc={acc:.4f}")

# %%
torch.save(model.state_dict(), "wine_double.pt")
print("final test accuracy:", round(acc, 4))
