"""hpo-optuna on shapes first seen in public-holdout-6: settings with a bounded range (a vectorizer's
document share, an l1 mixing weight, a width split across attention heads), data files a script writes and
reads back through its own reader, files named per epoch, estimators refit by a wrapping grid search, and a
script's own `itertools.product` grid loop."""

from __future__ import annotations

import re

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

from ._support import adapted, run_batch


def _ranges(code: str) -> dict[str, str]:
    """Optuna name -> the suggest call's arguments after the name."""
    return {m.group(2): m.group(3) for m in re.finditer(r'suggest_(\w+)\("(\w+)", ([^)]*)\)', code)}


TOPICS = '''
from sklearn.datasets import make_classification
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
docs = [" ".join(words[(i * k) % 10] for k in range(1, 8)) for i in range(200)]
labels = [i % 2 for i in range(200)]
docs_tr, docs_va, y_tr, y_va = train_test_split(docs, labels, test_size=0.25, random_state=0)
vec = TfidfVectorizer(max_df=0.9, min_df=2)
X_tr = vec.fit_transform(docs_tr)
nmf = NMF(n_components=4, l1_ratio=1, alpha_W=0.0001, random_state=0, max_iter=300)
Z_tr = nmf.fit_transform(X_tr)
clf = LogisticRegression().fit(Z_tr, y_tr)
val_accuracy = clf.score(nmf.transform(vec.transform(docs_va)), y_va)
print(f"val accuracy {val_accuracy:.3f}")
'''


def test_a_document_share_and_an_l1_mixing_weight_stay_within_zero_and_one():
    ranges = _ranges(adapted("hpo-optuna", TOPICS))
    assert ranges["max_df"] == "0.5, 1.0"  # a float share: sklearn rejects more than 1
    assert ranges["l1_ratio"] == "0.5, 1.0"  # `l1_ratio=1` is a float end point, not a count


HEADS = '''
import torch
from torch import nn

n_head = 4
n_embd = 32
learning_rate = 0.01
epochs = 5


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.out = nn.Linear(n_embd, 1)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(n_embd, dim=2)
        q = q.view(B, T, n_head, C // n_head).transpose(1, 2)
        k = k.view(B, T, n_head, C // n_head).transpose(1, 2)
        v = v.view(B, T, n_head, C // n_head).transpose(1, 2)
        y = torch.softmax(q @ k.transpose(-2, -1), dim=-1) @ v
        return self.out(y.transpose(1, 2).reshape(B, T, C)).mean(dim=(1, 2))


torch.manual_seed(0)
X, y = torch.randn(64, 6, n_embd), torch.randn(64)
X_val, y_val = torch.randn(16, 6, n_embd), torch.randn(16)
model = Attention()
opt = torch.optim.Adam(model.parameters(), lr=learning_rate)
for epoch in range(epochs):
    opt.zero_grad()
    loss = ((model(X) - y) ** 2).mean()
    loss.backward()
    opt.step()
val_loss = ((model(X_val) - y_val) ** 2).mean().item()
print(f"val loss {val_loss:.4f}")
'''


def test_a_width_split_across_heads_is_searched_in_steps_of_the_head_count():
    ranges = _ranges(adapted("hpo-optuna", HEADS))
    assert "n_head" not in ranges  # searched freely, most widths would not split into the heads
    assert ranges["n_embd"].endswith("step=4")


CSV_DATA = '''
import os

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge

DATA = "data"


def write_splits():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    frame["target"] = frame["a"] * 2 - frame["b"] + rng.normal(scale=0.1, size=120)
    os.makedirs(DATA, exist_ok=True)
    frame.iloc[:90].to_csv(f"{DATA}/train.csv", index=False)
    frame.iloc[90:].to_csv(f"{DATA}/val.csv", index=False)


class Table:
    def __init__(self, path):
        frame = pd.read_csv(path)
        self.X, self.y = frame.drop(columns="target").to_numpy(), frame["target"].to_numpy()


write_splits()
train, val = Table(f"{DATA}/train.csv"), Table(f"{DATA}/val.csv")
model = Ridge(alpha=1.0).fit(train.X, train.y)
val_r2 = model.score(val.X, val.y)
print(f"val r2 {val_r2:.4f}")
'''


def test_data_files_the_script_writes_and_reads_back_go_to_each_trials_folder(tmp_path):
    code = adapted("hpo-optuna", CSV_DATA, n_trials="2")
    # written and read in every trial, in the trial's own folder; the final run writes the script's files
    assert code.count("trial_path(f\"{DATA}/train.csv\")") == 2 and code.count("trial_path(f\"{DATA}/val.csv\")") == 2
    outcome = run_batch({"csv": code}, tmp_path)["csv"]
    assert outcome["error"] is None, outcome["error"]
    assert outcome["info"]["completed_trials"] == 2
    assert (tmp_path / "csv" / "data" / "val.csv").exists()


PER_EPOCH = '''
import os

import torch
from torch import nn


def train(model, epochs=4, lr=0.01):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    X, y = torch.randn(32, 3), torch.randn(32, 1)
    for epoch in range(1, epochs + 1):
        opt.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        opt.step()
        os.makedirs("ckpt", exist_ok=True)
        torch.save(model.state_dict(), f"ckpt/epoch{epoch}.pt")
    return model


torch.manual_seed(0)
model = train(nn.Linear(3, 1), epochs=4, lr=0.01)
X_val, y_val = torch.randn(8, 3), torch.randn(8, 1)
val_loss = ((model(X_val) - y_val) ** 2).mean().item()
print(f"val loss {val_loss:.4f}")
'''


def test_a_round_count_that_names_per_epoch_files_is_searched_from_its_default_up():
    ranges = _ranges(adapted("hpo-optuna", PER_EPOCH))
    low = int(ranges["epochs"].split(",")[0])
    assert low == 4  # a final run with fewer epochs would not write ckpt/epoch4.pt


WRAPPED_GRID = '''
import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVR

rng = np.random.RandomState(0)
X = 5 * rng.rand(200, 1)
y = np.sin(X).ravel()
X_val, y_val = X[150:], y[150:]
search = GridSearchCV(SVR(kernel="rbf", gamma=0.1), param_grid={"C": [1.0, 10.0], "gamma": [0.1, 1.0]})
search.fit(X[:150], y[:150])
val_r2 = search.score(X_val, y_val)
print(f"val r2 {val_r2:.4f}")
'''


def test_keywords_a_wrapping_grid_search_sets_are_not_searched_again():
    result = adapt(WRAPPED_GRID, "hpo-optuna", AdaptOptions(backend="recipe"))
    # gamma is set by the grid on every fit; another kernel would not fit the grid chosen for rbf
    assert not isinstance(result, Applied)
    assert "selects its setting by internal cross-validation" in str(result)


PRODUCT_GRID = '''
import itertools

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_digits(return_X_y=True)
X_tr, X_val, y_tr, y_val = train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
Cs = [0.1, 1.0]
tols = [1e-4, 1e-3]
best, best_acc = None, -1.0
for C, tol in itertools.product(Cs, tols):
    clf = LogisticRegression(C=C, tol=tol, max_iter=200).fit(X_tr, y_tr)
    acc = clf.score(X_val, y_val)
    print(f"C {C} tol {tol} val accuracy {acc:.4f}")
    if acc > best_acc:
        best, best_acc = clf, acc
print(f"best val accuracy {best_acc:.4f}")
'''


def test_a_product_grid_loop_is_searched_one_combination_per_trial():
    code = adapted("hpo-optuna", PRODUCT_GRID)
    assert 'suggest_categorical("C", [0.1, 1.0])' in code
    assert 'suggest_categorical("tol", [0.0001, 0.001])' in code
    assert "else itertools.product(Cs, tols)" in code  # the final run prints the script's own table
