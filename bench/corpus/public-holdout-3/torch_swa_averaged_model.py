"""Stochastic Weight Averaging for an MLP regressor on the diabetes data.

Cosine annealing until swa_start, then SWALR and AveragedModel.update_parameters each epoch;
update_bn recomputes the BatchNorm statistics of the averaged model before it is evaluated.
"""
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.optim.swa_utils import SWALR, AveragedModel, update_bn
from torch.utils.data import DataLoader, TensorDataset

cfg = dict(
    seed=5,
    hidden=64,
    lr=0.01,
    weight_decay=1e-4,
    batch_size=32,
    epochs=40,
    swa_start=25,
    swa_lr=0.005,
)

torch.manual_seed(cfg["seed"])

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=cfg["seed"])
x_scaler, y_mean, y_std = StandardScaler().fit(X_train), y_train.mean(), y_train.std()


def to_tensors(features, target):
    return (torch.tensor(x_scaler.transform(features), dtype=torch.float32),
            torch.tensor((target - y_mean) / y_std, dtype=torch.float32).unsqueeze(1))


loader = DataLoader(TensorDataset(*to_tensors(X_train, y_train)), batch_size=cfg["batch_size"], shuffle=True,
                    drop_last=True)  # a last batch of one row would break BatchNorm
test_input, test_target = to_tensors(X_test, y_test)

model = nn.Sequential(
    nn.Linear(X.shape[1], cfg["hidden"]),
    nn.BatchNorm1d(cfg["hidden"]),
    nn.ReLU(),
    nn.Linear(cfg["hidden"], cfg["hidden"]),
    nn.ReLU(),
    nn.Linear(cfg["hidden"], 1),
)
optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=cfg["weight_decay"])
loss_fn = nn.MSELoss()
swa_model = AveragedModel(model)
scheduler = CosineAnnealingLR(optimizer, T_max=cfg["swa_start"])
swa_scheduler = SWALR(optimizer, swa_lr=cfg["swa_lr"], anneal_epochs=5)

for epoch in range(cfg["epochs"]):
    model.train()
    total = 0.0
    for input, target in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(input), target)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(input)
    if epoch > cfg["swa_start"]:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    else:
        scheduler.step()
    if epoch % 5 == 0 or epoch == cfg["epochs"] - 1:
        print(f"epoch {epoch:2d} train mse {total / len(loader.dataset):.4f} "
              f"lr {optimizer.param_groups[0]['lr']:.5f}")

# Update bn statistics for the swa_model at the end
update_bn(loader, swa_model)


def evaluate(net):
    net.eval()
    with torch.no_grad():
        preds = net(test_input).squeeze(1).numpy() * y_std + y_mean
    return {"rmse": float(np.sqrt(mean_squared_error(y_test, preds))), "r2": float(r2_score(y_test, preds))}


last = evaluate(model)
averaged = evaluate(swa_model)
print(f"last model: rmse {last['rmse']:.2f} r2 {last['r2']:.4f}")
print(f"SWA model:  rmse {averaged['rmse']:.2f} r2 {averaged['r2']:.4f}")
torch.save(swa_model.module.state_dict(), "swa_regressor.pt")
