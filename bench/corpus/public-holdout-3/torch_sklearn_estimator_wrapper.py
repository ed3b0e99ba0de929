"""A torch network wrapped as a scikit-learn estimator (skorch-like), used inside a Pipeline.

TorchMLPClassifier keeps its hyperparameters in __init__, builds `module_` in fit(), and
exposes predict_proba/predict, so cross_val_score and Pipeline work on it. The fitted pipeline
is pickled with joblib.
"""
import joblib
import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_wine
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from torch import nn


class TorchMLPClassifier(BaseEstimator, ClassifierMixin):
    def __init__(self, hidden_units=32, lr=0.01, max_epochs=30, batch_size=16, random_state=0):
        self.hidden_units = hidden_units
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.random_state = random_state

    def _build(self, n_features, n_classes):
        return nn.Sequential(nn.Linear(n_features, self.hidden_units), nn.ReLU(),
                             nn.Linear(self.hidden_units, n_classes))

    def fit(self, X, y):
        torch.manual_seed(self.random_state)
        self.classes_ = np.unique(y)
        X_t = torch.as_tensor(X, dtype=torch.float32)
        y_t = torch.as_tensor(np.searchsorted(self.classes_, y), dtype=torch.long)
        self.module_ = self._build(X_t.shape[1], len(self.classes_))
        optimizer = torch.optim.Adam(self.module_.parameters(), lr=self.lr)
        loss_fn = nn.CrossEntropyLoss()
        self.history_ = []
        for _ in range(self.max_epochs):
            self.module_.train()
            perm = torch.randperm(len(X_t))
            epoch_loss = 0.0
            for start in range(0, len(X_t), self.batch_size):
                idx = perm[start:start + self.batch_size]
                optimizer.zero_grad()
                loss = loss_fn(self.module_(X_t[idx]), y_t[idx])
                loss.backward()
                optimizer.step()
                epoch_loss += loss.item() * len(idx)
            self.history_.append(epoch_loss / len(X_t))
        return self

    def predict_proba(self, X):
        self.module_.eval()
        with torch.no_grad():
            logits = self.module_(torch.as_tensor(X, dtype=torch.float32))
        return torch.softmax(logits, dim=1).numpy()

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=1)

pipe = Pipeline([
    ("scale", StandardScaler()),
    ("net", TorchMLPClassifier(hidden_units=32, lr=0.01, max_epochs=30)),
])

cv = StratifiedKFold(n_splits=4, shuffle=True, random_state=1)
scores = cross_val_score(pipe, X_train, y_train, cv=cv)
print("cv accuracy per fold:", np.round(scores, 4))
print(f"cv accuracy: {scores.mean():.4f} +/- {scores.std():.4f}")

pipe.fit(X_train, y_train)
net = pipe.named_steps["net"]
print(f"final training loss: {net.history_[-1]:.4f} after {len(net.history_)} epochs")
print(f"test accuracy: {pipe.score(X_test, y_test):.4f}")
joblib.dump(pipe, "wine_torch_pipeline.joblib")
