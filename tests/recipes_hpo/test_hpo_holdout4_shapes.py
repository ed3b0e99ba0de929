"""hpo-optuna on shapes first seen in public-holdout-4: config dicts bound as default arguments, ..."""

from __future__ import annotations

import re
import subprocess
import sys

from ._support import adapted

CONFIG_AS_DEFAULT = '''
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

SETTINGS = {"seed": 0, "C": 1.0, "max_iter": 200}


def train(cfg=SETTINGS):
    X, y = load_iris(return_X_y=True)
    X_tr, X_val, y_tr, y_val = train_test_split(X, y, test_size=0.3, random_state=cfg["seed"])
    clf = LogisticRegression(C=cfg["C"], max_iter=cfg["max_iter"]).fit(X_tr, y_tr)
    val_accuracy = clf.score(X_val, y_val)
    print(f"val_accuracy={val_accuracy:.3f}")


if __name__ == "__main__":
    train()
'''


def _run(code: str, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "script.py"
    path.write_text(code)
    return subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_a_config_read_by_a_default_argument_stays_defined_where_the_function_reads_it(tmp_path):
    code = adapted("hpo-optuna", CONFIG_AS_DEFAULT, n_trials="2")
    # `def train(cfg=SETTINGS)` binds SETTINGS when defined: it must still exist at module level.
    assert code.index("SETTINGS = {") < code.index("def train(cfg=SETTINGS)")
    assert 'SETTINGS["C"] = optuna_trial.suggest_float("C"' in code
    done = _run(code, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Best params:" in done.stdout and "val_accuracy=" in done.stdout


BUSINESS_COST = '''
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import confusion_matrix, make_scorer
from sklearn.model_selection import train_test_split

PAYOFF = {"tp": 2.0, "fp": -1.0, "fn": -4.0, "tn": 0.0}


def payoff(y, y_pred):
    tn, fp, fn, tp = confusion_matrix(y, y_pred).ravel()
    return PAYOFF["tp"] * tp + PAYOFF["fp"] * fp + PAYOFF["fn"] * fn + PAYOFF["tn"] * tn


def main(n_estimators=50, max_depth=4):
    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_val, y_tr, y_val = train_test_split(X, y, test_size=0.3, random_state=0)
    business_scorer = make_scorer(payoff)
    model = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=0)
    model.fit(X_tr, y_tr)
    val_score = business_scorer(model, X_val, y_val)
    print(f"val_score={val_score:.2f}")


if __name__ == "__main__":
    main()
'''


def test_a_cost_matrix_is_not_searched_and_a_scorer_object_is_not_the_objective():
    code = adapted("hpo-optuna", BUSINESS_COST, n_trials="2")
    suggested = set(re.findall(r'suggest_\w+\("(\w+)"', code))
    # The payoff of each confusion-matrix cell defines the score: tuning it would change what is measured.
    assert not suggested & {"tp", "fp", "fn", "tn"}
    assert {"n_estimators", "max_depth"} <= suggested
    # `make_scorer(...)` returns a scoring function, not a result the study could optimise.
    assert 'set_user_attr("business_scorer"' not in code
    assert 'set_user_attr("val_score"' in code


LOG_ERROR_PRINTED = '''
import numpy as np
from sklearn.datasets import make_regression
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_log_error

if __name__ == "__main__":
    X, y = make_regression(n_samples=400, n_features=6, noise=5.0, random_state=1)
    y = np.abs(y)
    X_fit, X_valid, y_fit, y_valid = X[:300], X[300:], y[:300], y[300:]
    model = GradientBoostingRegressor(n_estimators=60, learning_rate=0.1, random_state=0).fit(X_fit, y_fit)
    history = {"valid": {"rmsle": [mean_squared_log_error(y_valid, model.predict(X_valid)) ** 0.5]}}
    print(f"valid_rmsle={history['valid']['rmsle'][-1]:.4f}")
'''


def test_a_printed_log_error_on_the_validation_split_is_minimised():
    code = adapted("hpo-optuna", LOG_ERROR_PRINTED, n_trials="2")
    # RMSLE is an error: a study over it must minimise it.
    assert 'set_user_attr("valid_rmsle"' in code
    assert 'direction="minimize"' in code
