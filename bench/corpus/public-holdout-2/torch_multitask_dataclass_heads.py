"""Multi-task network on the diabetes data: a shared trunk, a regression head for the disease score
and a classification head for "above median"; the loss is a weighted sum, hyperparameters live in a
dataclass with field(default_factory=...), gradients are clipped, evaluate() returns a dict."""
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


@dataclass
class HParams:
    hidden_sizes: list = field(default_factory=lambda: [64, 32])
    lr: float = 2e-3
    epochs: int = 30
    batch_size: int = 32
    cls_weight: float = 0.5
    clip_norm: float = 1.0
    seed: int = 3


class MultiTaskNet(nn.Module):
    def __init__(self, n_in, hidden_sizes):
        super().__init__()
        layers, prev = [], n_in
        for h in hidden_sizes:
            layers += [nn.Linear(prev, h), nn.ReLU()]
            prev = h
        self.trunk = nn.Sequential(*layers)
        self.reg_head = nn.Linear(prev, 1)
        self.cls_head = nn.Linear(prev, 2)

    def forward(self, x):
        z = self.trunk(x)
        return self.reg_head(z).squeeze(1), self.cls_head(z)


def evaluate(model, x, y_reg, y_cls):
    model.eval()
    with torch.no_grad():
        reg, logits = model(x)
    return {
        "r2": float(r2_score(y_reg.numpy(), reg.numpy())),
        "accuracy": float(accuracy_score(y_cls.numpy(), logits.argmax(1).numpy())),
    }


def train(hp: HParams):
    torch.manual_seed(hp.seed)
    X, y = load_diabetes(return_X_y=True)
    y_cls = (y > np.median(y)).astype(int)
    y_std = (y - y.mean()) / y.std()
    X_tr, X_te, r_tr, r_te, c_tr, c_te = train_test_split(X, y_std, y_cls, test_size=0.25,
                                                          random_state=hp.seed)
    scaler = StandardScaler().fit(X_tr)
    X_tr = torch.tensor(scaler.transform(X_tr), dtype=torch.float32)
    X_te = torch.tensor(scaler.transform(X_te), dtype=torch.float32)
    r_tr, r_te = torch.tensor(r_tr, dtype=torch.float32), torch.tensor(r_te, dtype=torch.float32)
    c_tr, c_te = torch.tensor(c_tr), torch.tensor(c_te)

    model = MultiTaskNet(X_tr.shape[1], hp.hidden_sizes)
    opt = torch.optim.Adam(model.parameters(), lr=hp.lr)
    mse, ce = nn.MSELoss(), nn.CrossEntropyLoss()
    for epoch in range(hp.epochs):
        model.train()
        perm = torch.randperm(len(X_tr))
        for i in range(0, len(perm), hp.batch_size):
            idx = perm[i:i + hp.batch_size]
            reg, logits = model(X_tr[idx])
            loss = mse(reg, r_tr[idx]) + hp.cls_weight * ce(logits, c_tr[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), hp.clip_norm)
            opt.step()
        if (epoch + 1) % 10 == 0:
            m = evaluate(model, X_te, r_te, c_te)
            print(f"epoch {epoch + 1}: loss={loss.item():.4f} r2={m['r2']:.4f} acc={m['accuracy']:.4f}")
    return model, evaluate(model, X_te, r_te, c_te)


if __name__ == "__main__":
    hp = HParams()
    print("hparams:", asdict(hp))
    model, metrics = train(hp)
    print("test metrics:", {k: round(v, 4) for k, v in metrics.items()})
    torch.save(model, "multitask.pt")
