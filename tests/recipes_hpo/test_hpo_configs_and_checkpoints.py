"""hpo-optuna on checkpoints named by a literal or a config entry, settings in sections of a config (a
nested dict or an inline JSON document), list weights, validation results returned by the script's own
methods, and test rows converted to tensors: the adapted scripts run a real Optuna study."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

from ._support import adapted

TRIALS = 2

LITERAL_CHECKPOINT = """
import joblib
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_wine(return_X_y=True)
X_fit, X_val, y_fit, y_val = train_test_split(X, y, random_state=3)
clf = LogisticRegression(C=0.8, max_iter=2000).fit(X_fit, y_fit)
joblib.dump(clf, "wine_model.joblib")
restored = joblib.load("wine_model.joblib")
val_accuracy = restored.score(X_val, y_val)
print("val accuracy:", round(val_accuracy, 4))
"""

SECTIONED_CONFIG = """
import joblib
from sklearn.datasets import make_classification
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

SETTINGS = {
    "seed": 1,
    "data": {"n_samples": 300, "n_rows_test": 60},
    "svm": {"C": 1.5, "kernel": "rbf"},
    "out": {"checkpoint": "svm.joblib"},
}


def main(cfg):
    X, y = make_classification(n_samples=cfg["data"]["n_samples"], random_state=cfg["seed"])
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, random_state=cfg["seed"])
    out = cfg["out"]
    model = SVC(**cfg["svm"]).fit(X_tr, y_tr)
    joblib.dump(model, out["checkpoint"])
    model = joblib.load(out["checkpoint"])
    val_f1 = f1_score(y_va, model.predict(X_va))
    print(f"val f1 {val_f1:.4f}")


if __name__ == "__main__":
    main(SETTINGS)
"""

JSON_CONFIG_RESULTS_DICT = '''
import json

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

DOC = """{"model": {"C": 0.7, "max_iter": 3000}, "seed": 4}"""


def evaluate(cfg):
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=cfg["seed"])
    out = {}
    for name, fit_intercept in (("with", True), ("without", False)):
        clf = LogisticRegression(C=cfg["model"]["C"], max_iter=cfg["model"]["max_iter"], fit_intercept=fit_intercept)
        clf.fit(X_train, y_train)
        pred = clf.predict(X_test)
        out[name] = {"accuracy": accuracy_score(y_test, pred), "f1": f1_score(y_test, pred)}
    return out


if __name__ == "__main__":
    cfg = json.loads(DOC)
    print(json.dumps(evaluate(cfg), sort_keys=True))
'''

LIST_WEIGHTS = """
from sklearn.datasets import load_iris
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

vote_weights = [1, 3]
X, y = load_iris(return_X_y=True)
ensemble = VotingClassifier([("tree", DecisionTreeClassifier(random_state=0)), ("nb", GaussianNB())],
                            voting="soft", weights=vote_weights)
cv_scores = cross_val_score(ensemble, X, y, cv=3)
print("cv accuracy:", round(cv_scores.mean(), 4))
"""

VALIDATION_FROM_OWN_METHODS = """
import numpy as np
import torch
from torch import nn


def make_split(rng):
    x = rng.normal(size=(300, 6)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    return x[:200], x[200:250], y[:200], y[200:250], x[250:], y[250:]


class Loop:
    def __init__(self, net, lr, epochs):
        self.net, self.epochs = net, epochs
        self.opt = torch.optim.SGD(net.parameters(), lr=lr)
        self.last = {}

    def _measure(self, x, y):
        with torch.no_grad():
            logits = self.net(torch.from_numpy(x))
        return self._summary(logits, torch.from_numpy(y))

    def _summary(self, logits, y):
        return {"val_loss": nn.functional.cross_entropy(logits, y).item(),
                "val_acc": (logits.argmax(1) == y).float().mean().item()}

    def fit(self, x, y, x_val, y_val):
        for _ in range(self.epochs):
            self.opt.zero_grad()
            nn.functional.cross_entropy(self.net(torch.from_numpy(x)), torch.from_numpy(y)).backward()
            self.opt.step()
            self.last = self._measure(x_val, y_val)

    def test(self, x, y):
        found = self._measure(x, y)
        print({"test_acc": found["val_acc"]})


if __name__ == "__main__":
    torch.manual_seed(0)
    x_tr, x_va, y_tr, y_va, x_te, y_te = make_split(np.random.default_rng(0))
    loop = Loop(nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 2)), lr=0.1, epochs=5)
    loop.fit(x_tr, y_tr, x_va, y_va)
    loop.test(x_te, y_te)
"""

CONVERTED_ROW_SLICES = """
import numpy as np
import torch
from torch import nn

waves = np.sin(np.linspace(0, 20, 40 * 9)).reshape(40, 9).astype(np.float32)
inputs = torch.from_numpy(waves[5:, :-1])
targets = torch.from_numpy(waves[5:, 1:])
test_inputs = torch.from_numpy(waves[:5, :-1])
test_targets = torch.from_numpy(waves[:5, 1:])
net = nn.Linear(8, 8)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(4):
    opt.zero_grad()
    nn.functional.mse_loss(net(inputs), targets).backward()
    opt.step()
with torch.no_grad():
    test_loss = nn.functional.mse_loss(net(test_inputs), test_targets).item()
print("test loss:", round(test_loss, 5))
"""

IMPUTERS = """
import numpy as np
import pandas as pd
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

rng = np.random.RandomState(0)
rows = 200
frame = pd.DataFrame({"size": rng.normal(size=rows), "colour": rng.choice(["r", "g", "b"], rows)})
frame.loc[rng.rand(rows) < 0.1, "size"] = np.nan
target = (frame["size"].fillna(0) > 0).astype(int)
prep = make_column_transformer(
    (SimpleImputer(strategy="mean"), make_column_selector(dtype_include=np.number)),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
     make_column_selector(dtype_include=object)),
)
model = make_pipeline(prep, LogisticRegression(C=1.0))
cv_scores = cross_val_score(model, frame, target, cv=3)
print("cv accuracy:", round(cv_scores.mean(), 4))
"""


def _suggested(code: str) -> set[str]:
    return set(re.findall(r'suggest_\w+\("([^"]+)"', code))


def _run(source: str, folder: Path) -> dict:
    """Run the script as __main__ in a real Python process: its stdout, the study's trials, the folder's files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "script.py").write_text(source)
    probe = (
        "import contextlib, io, json, os, runpy\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    ns = runpy.run_path('script.py', run_name='__main__')\n"
        "study = ns.get('study')\n"
        "trials = [{'state': t.state.name, 'params': t.params, 'attrs': t.user_attrs} for t in study.trials] if study else []\n"
        "print(json.dumps({'trials': trials, 'stdout': out.getvalue(), 'files': sorted(os.listdir('.'))}, default=str))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=folder, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_literal_checkpoint_is_saved_and_read_back_in_each_trials_scratch_folder(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(LITERAL_CHECKPOINT), n_trials=str(TRIALS))
    assert 'joblib.dump(clf, trial_path("wine_model.joblib"))' in code
    assert 'restored = joblib.load(trial_path("wine_model.joblib"))' in code
    run = _run(code, tmp_path)
    assert [t["state"] for t in run["trials"]] == ["COMPLETE"] * TRIALS
    for trial in run["trials"]:  # each trial wrote and read its own copy
        folder = Path(trial["attrs"]["scratch_folder"])
        assert folder != tmp_path and (folder / "wine_model.joblib").exists()
    assert "wine_model.joblib" in run["files"]  # the final run writes the script's own file


@pytest.mark.slow
def test_a_sectioned_config_is_searched_and_its_checkpoint_entry_goes_to_scratch(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(SECTIONED_CONFIG), n_trials=str(TRIALS))
    assert _suggested(code) == {"C", "kernel"}  # not the data section, the seed or the checkpoint
    assert 'SETTINGS["svm"]["C"] = optuna_trial.suggest_float("C"' in code
    assert 'joblib.dump(model, trial_path(out["checkpoint"]))' in code
    run = _run(code, tmp_path)
    assert [t["state"] for t in run["trials"]] == ["COMPLETE"] * TRIALS
    assert all(Path(t["attrs"]["scratch_folder"]) != tmp_path for t in run["trials"])
    assert {"C", "kernel"} <= set(run["trials"][1]["params"])
    assert "svm.joblib" in run["files"]


@pytest.mark.slow
def test_a_json_config_is_searched_and_a_dict_of_results_is_scored_on_held_out_training_rows(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(JSON_CONFIG_RESULTS_DICT), n_trials=str(TRIALS))
    assert 'cfg["model"]["C"] = optuna_trial.suggest_float("C"' in code
    assert re.search(r'set_user_attr\("(accuracy|f1)", float\(out\[name\]\["(accuracy|f1)"\]\)\)', code)
    # Only a test split exists: a trial re-splits the training rows.
    assert "X_train, X_test, y_train, y_test = train_test_split(X_train, y_train, test_size=0.25" in code
    run = _run(code, tmp_path)
    assert [t["state"] for t in run["trials"]] == ["COMPLETE"] * TRIALS
    assert {"C", "max_iter"} <= set(run["trials"][1]["params"])


@pytest.mark.slow
def test_list_weights_are_searched_element_by_element(tmp_path):
    code = adapted("hpo-optuna", textwrap.dedent(LIST_WEIGHTS), n_trials=str(TRIALS))
    assert 'vote_weights = [optuna_trial.suggest_int("vote_weights[0]", 1, 3), ' in code
    assert "global " in code and "vote_weights" in code.split("global ")[1].splitlines()[0]
    run = _run(code, tmp_path)
    assert [t["state"] for t in run["trials"]] == ["COMPLETE"] * TRIALS
    assert {"vote_weights[0]", "vote_weights[1]"} <= set(run["trials"][1]["params"])
    assert run["trials"][0]["params"]["vote_weights[1]"] == 3  # the first trial runs the script's own weights


def test_validation_results_returned_by_the_scripts_own_methods_are_the_objective():
    code = adapted("hpo-optuna", textwrap.dedent(VALIDATION_FROM_OWN_METHODS))
    # In fit (on the validation rows), not in test, where the same helper measures the test rows.
    fit = code.split("    def fit(")[1].split("    def test(")[0]
    assert re.search(r'set_user_attr\("val_(acc|loss)", float\(self\.last\["val_(acc|loss)"\]\)\)', fit)
    assert "set_user_attr" not in code.split("    def test(")[1].split("\ndef ")[0]


def test_test_rows_converted_to_tensors_are_replaced_by_held_out_training_rows():
    code = adapted("hpo-optuna", textwrap.dedent(CONVERTED_ROW_SLICES))
    assert (
        "inputs, test_inputs, targets, test_targets = inputs[:len(inputs) * 3 // 4], inputs[len(inputs) * 3 // 4:], "
        "targets[:len(targets) * 3 // 4], targets[len(targets) * 3 // 4:]"
    ) in code


def test_each_imputer_searches_strategies_that_suit_its_columns_and_handle_unknown_is_left_alone():
    code = adapted("hpo-optuna", textwrap.dedent(IMPUTERS))
    assert 'suggest_categorical("strategy", ["mean", "median", "most_frequent"]) if optuna_trial is not None else "mean"' in code
    assert '["most_frequent", "constant"]) if optuna_trial is not None else "most_frequent"' in code
    assert 'OneHotEncoder(handle_unknown="ignore")' in code
    assert "rows" not in _suggested(code)


def test_a_checkpoint_read_back_by_keyword_is_a_checkpoint():
    source = textwrap.dedent(LITERAL_CHECKPOINT).replace(
        'restored = joblib.load("wine_model.joblib")', 'restored = joblib.load(filename="wine_model.joblib")'
    )
    result = adapt(source, "hpo-optuna", AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(result, Applied), result
    assert 'joblib.load(filename=trial_path("wine_model.joblib"))' in result.code

