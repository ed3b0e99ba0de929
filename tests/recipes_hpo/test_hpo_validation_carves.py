"""hpo-optuna on scripts with only a test split, a parser built in a helper, and a sweep over a listed
constant: the adapted scripts run a real Optuna study, and each trial is scored on rows carved out of
the training data while only the final run touches the test split."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

from ._support import adapted

TRIALS = 2

# Both scripts record what their evaluation function scored, and in which kind of run: the module
# global `optuna_trial` is None in the script's own run, a Trial in a trial, a FixedTrial in the
# final run (read through globals(), so that the original script runs unchanged). The list they record
# into is made once: the adapted script runs its top-level statements again in every trial.
LOADERS_OVER_INLINE_DATA = """
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

scored = globals().setdefault("scored", [])  # one list over every run of the script


class Recorded(TensorDataset):
    def __getitem__(self, index):
        scored.append(("test", type(globals().get("optuna_trial")).__name__))
        return super().__getitem__(index)


torch.manual_seed(0)
X = torch.randn(120, 4)
y = (X[:, 0] > 0).long()
trainloader = DataLoader(TensorDataset(X[:80], y[:80]), batch_size=16, shuffle=True)
testloader = DataLoader(Recorded(X[80:], y[80:]), batch_size=40)

net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for epoch in range(2):
    for inputs, labels in trainloader:
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()

correct = 0
total = 0
with torch.no_grad():
    for inputs, labels in testloader:
        correct += (net(inputs).argmax(1) == labels).sum().item()
        total += labels.size(0)
print("Accuracy on the test points: %d %%" % (100 * correct / total))
"""

TENSOR_PAIR = """
import argparse

import torch
from torch import nn

scored = globals().setdefault("scored", [])  # one list over every run of the script


def points(n, radius, g):
    return radius + 0.01 * torch.randn(n, 2, generator=g)


def test(model, data):
    scored.append((round(float(data.mean()), 1), type(globals().get("optuna_trial")).__name__))
    with torch.no_grad():
        test_loss = nn.functional.mse_loss(model(data), data).item()
    print(f"====> Test set loss: {test_loss:.4f}")
    return test_loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    # Training points sit around 1.0, test points around 5.0: what a score was taken on shows in its mean.
    train_data, test_data = points(64, 1.0, g), points(16, 5.0, g)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(train_data), train_data)
        loss.backward()
        optimizer.step()
        test(model, test_data)


if __name__ == "__main__":
    main()
"""

PARSER_IN_HELPER = """
import argparse

from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--max-iter", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    return ap.parse_args()


def main():
    args = parse()
    X, y = load_iris(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=args.seed)
    model = LogisticRegression(C=args.C, max_iter=args.max_iter).fit(X_tr, y_tr)
    print("accuracy:", round(accuracy_score(y_te, model.predict(X_te)), 4))


if __name__ == "__main__":
    main()
"""

LISTED_SWEEP = """
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

X, _ = make_blobs(n_samples=150, centers=3, random_state=1)
range_n_clusters = [2, 3, 4]
for n_clusters in range_n_clusters:
    labels = KMeans(n_clusters=n_clusters, n_init=3, random_state=0).fit_predict(X)
    silhouette_avg = silhouette_score(X, labels)
    print("For n_clusters =", n_clusters, "silhouette:", round(silhouette_avg, 4))
"""


EARLY_STOPPING_HELPER = """
import numpy as np
import torch
import torch.nn as nn

saved = globals().setdefault("saved", [])  # one list over every run of the script


class EarlyStopping:
    def __init__(self, patience=2, path="checkpoint.pt"):
        self.patience = patience
        self.path = path
        self.best = np.inf
        self.counter = 0
        self.early_stop = False

    def __call__(self, val_loss, model):
        if val_loss < self.best:
            self.best = val_loss
            saved.append((self.path, type(globals().get("optuna_trial")).__name__))
            torch.save(model.state_dict(), self.path)
            self.counter = 0
        else:
            self.counter += 1
            self.early_stop = self.counter >= self.patience


def main(epochs=5, lr=0.05):
    torch.manual_seed(0)
    X = torch.randn(80, 3)
    y = X.sum(1, keepdim=True)
    X_tr, X_va, y_tr, y_va = X[:60], X[60:], y[:60], y[60:]
    model = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    early_stopping = EarlyStopping()
    for epoch in range(epochs):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(X_tr), y_tr).backward()
        optimizer.step()
        with torch.no_grad():
            val_loss = nn.functional.mse_loss(model(X_va), y_va).item()
        early_stopping(val_loss, model)
        if early_stopping.early_stop:
            break
    model.load_state_dict(torch.load("checkpoint.pt"))
    print(f"best val loss: {early_stopping.best:.4f}")


if __name__ == "__main__":
    main()
"""


def _run(source: str, folder: Path, *names: str) -> dict:
    """Run the script as __main__ in a real Python process; its stdout and the named module globals."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "script.py").write_text(source)
    probe = (
        "import contextlib, io, json, runpy\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    ns = runpy.run_path('script.py', run_name='__main__')\n"
        "study = ns.get('study')\n"
        f"found = {{name: ns.get(name) for name in {list(names)!r}}}\n"
        "found['best_params'] = study.best_params if study is not None else None\n"
        "found['completed'] = sum(t.state.name == 'COMPLETE' for t in study.trials) if study is not None else 0\n"
        "found['stdout'] = out.getvalue()\n"
        "print(json.dumps(found, default=str))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=folder, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _suggested(code: str) -> set[str]:
    return set(re.findall(r'suggest_\w+\("(\w+)"', code))


def test_loaders_over_inline_data_are_rebuilt_over_a_split_of_the_training_set():
    code = adapted("hpo-optuna", textwrap.dedent(LOADERS_OVER_INLINE_DATA))
    assert "random_split(trainloader.dataset, [0.75, 0.25], generator=torch.Generator().manual_seed(0))" in code
    # Both loaders keep their own settings; a tuned batch size is the trial's in the rebuilt loader too.
    assert re.search(r"trainloader = DataLoader\(train_part, batch_size=optuna_trial\.suggest_int\(\"batch_size\"", code)
    assert "testloader = DataLoader(validation_part, batch_size=40)" in code


@pytest.mark.slow
def test_trials_over_inline_loaders_never_read_the_test_points(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(LOADERS_OVER_INLINE_DATA), n_trials=str(TRIALS))
    run = _run(code, tmp_path / "tuned", "scored")
    assert run["completed"] == TRIALS
    runs_that_read_the_test_points = {kind for _, kind in run["scored"]}
    assert runs_that_read_the_test_points == {"FixedTrial"}  # the final run only, never a trial
    original = _run(textwrap.dedent(LOADERS_OVER_INLINE_DATA), tmp_path / "original", "scored")
    assert {kind for _, kind in original["scored"]} == {"NoneType"}  # the recording itself works
    assert "Accuracy on the test points" in run["stdout"]


@pytest.mark.slow
def test_a_train_test_pair_of_tensors_is_carved_by_slicing_the_training_part(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(TENSOR_PAIR), n_trials=str(TRIALS))
    assert "train_data, test_data = train_data[:len(train_data) * 3 // 4], train_data[len(train_data) * 3 // 4:]" in code
    assert _suggested(code) == {"lr", "epochs"}
    run = _run(code, tmp_path / "tuned", "scored")
    assert run["completed"] == TRIALS
    by_kind: dict[str, set[float]] = {}
    for mean, kind in run["scored"]:
        by_kind.setdefault(kind, set()).add(mean)
    assert by_kind["Trial"] == {1.0}  # trials score held-out training points
    assert by_kind["FixedTrial"] == {5.0}  # the final run still reports the test points


@pytest.mark.slow
def test_a_parser_built_in_a_helper_is_tuned(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(PARSER_IN_HELPER), n_trials=str(TRIALS))
    assert "args = parse()\n    if optuna_trial is not None:\n        args.C = optuna_trial.suggest_float(\"C\"" in code
    assert _suggested(code) == {"C", "max_iter"}  # not the seed
    # The only split is a test split: trials re-split the training part.
    assert "X_tr, X_te, y_tr, y_te = train_test_split(X_tr, y_tr, test_size=0.25" in code
    run = _run(code, tmp_path / "tuned")
    assert run["completed"] == TRIALS and set(run["best_params"]) == {"C", "max_iter"}


def test_a_parser_built_in_a_helper_and_passed_to_the_training_function_is_tuned():
    source = textwrap.dedent(PARSER_IN_HELPER).replace("def main():\n    args = parse()\n", "def main(args):\n")
    source = source.replace("    main()\n", "    main(parse())\n")
    code = adapted("hpo-optuna", source)
    assert "def main(args):\n    if optuna_trial is not None:\n        args.C = optuna_trial.suggest_float" in code


@pytest.mark.slow
def test_a_loop_over_a_listed_constant_is_one_value_per_trial_and_the_final_run_prints_the_table(tmp_path):
    source = textwrap.dedent(LISTED_SWEEP)
    code = adapted("hpo-optuna", source, n_trials=str(TRIALS))
    assert 'suggest_categorical("n_clusters", [2, 3, 4])' in code
    run = _run(code, tmp_path / "tuned")
    assert run["completed"] == TRIALS and "n_clusters" in run["best_params"]
    final = run["stdout"].split("Best value:")[1]
    assert [line.split()[3] for line in final.splitlines() if line.startswith("For n_clusters")] == ["2", "3", "4"]


@pytest.mark.slow
def test_a_checkpoint_helper_class_saves_trials_to_a_scratch_folder_and_reads_them_back_from_there(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(EARLY_STOPPING_HELPER), n_trials=str(TRIALS))
    assert "model.load_state_dict(torch.load(early_stopping.path))" in code
    run = _run(code, tmp_path / "tuned", "saved")
    assert run["completed"] == TRIALS  # each trial read back the checkpoint it saved
    by_kind: dict[str, set[str]] = {}
    for path, kind in run["saved"]:
        by_kind.setdefault(kind, set()).add(path)
    assert by_kind["FixedTrial"] == {"checkpoint.pt"}  # the final run writes the script's own file
    assert "checkpoint.pt" not in by_kind["Trial"]
    assert all(Path(path).parent != tmp_path / "tuned" for path in by_kind["Trial"])


COMPLEMENTARY_SLICES = """
import torch
import torch.nn as nn

torch.manual_seed(0)
data = torch.randn(40, 6)
input = data[4:, :-1]
target = data[4:, 1:]
test_input = data[:4, :-1]
test_target = data[:4, 1:]
model = nn.Linear(5, 5)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.MSELoss()
for step in range(5):
    optimizer.zero_grad()
    loss = criterion(model(input), target)
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        test_loss = criterion(model(test_input), test_target)
    print("test loss:", round(test_loss.item(), 4))
"""

SPLIT_IN_A_CONFIGURED_FUNCTION = """
from dataclasses import dataclass

from sklearn.datasets import make_regression
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split


@dataclass
class Config:
    n_samples: int = 200
    alpha: float = 1.0
    seed: int = 0


def run(cfg):
    X, y = make_regression(n_samples=cfg.n_samples, n_features=5, noise=5.0, random_state=cfg.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=cfg.seed)
    records = []
    model = Ridge(alpha=cfg.alpha).fit(X_train, y_train)
    records.append({"r2": r2_score(y_test, model.predict(X_test))})
    return records


if __name__ == "__main__":
    cfg = Config()
    results = run(cfg)
    print("r2:", round(results[0]["r2"], 4))
"""


def test_test_rows_sliced_beside_training_rows_are_replaced_by_held_out_training_rows():
    code = adapted("hpo-optuna", textwrap.dedent(COMPLEMENTARY_SLICES))
    assert (
        "input, test_input, target, test_target = input[:len(input) * 3 // 4], input[len(input) * 3 // 4:], "
        "target[:len(target) * 3 // 4], target[len(target) * 3 // 4:]"
    ) in code
    assert 'set_user_attr("test_loss"' in code and 'direction="minimize"' in code


def test_a_test_split_made_from_a_functions_parameters_is_still_a_test_split():
    code = adapted("hpo-optuna", textwrap.dedent(SPLIT_IN_A_CONFIGURED_FUNCTION))
    # The score reaches the split through a list it was appended to; trials re-split the training part.
    assert "X_train, X_test, y_train, y_test = train_test_split(X_train, y_train, test_size=0.25" in code
    uncarved = code.replace(
        "        X_train, X_test, y_train, y_test = train_test_split(X_train, y_train, test_size=0.25, random_state=cfg.seed)\n",
        "        pass\n",
    )
    assert uncarved != code
    report = verify_candidate(textwrap.dedent(SPLIT_IN_A_CONFIGURED_FUNCTION), uncarved, "hpo-optuna", AdaptOptions())
    assert any(re.search(r"scored on the test split \(`[Xy]_test`\)", f) for f in report.failures), report.failures
