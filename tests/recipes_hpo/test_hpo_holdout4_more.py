"""hpo-optuna on more public-holdout-4 shapes: a settings class passed as a default argument, validation
data unpacked into a shared scoring method, and test-only scoring carved from returned or sliced parts."""

from __future__ import annotations

import re
import subprocess
import sys

from ._support import adapted


def _run(code: str, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "script.py"
    path.write_text(code)
    return subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=300)


SETTINGS_CLASS = '''
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split


class Settings:
    seed = 3
    n_samples = 300
    learning_rate = 0.1
    n_estimators = 30


def fit_and_score(cfg=Settings):
    X, y = make_classification(n_samples=cfg.n_samples, n_features=8, random_state=cfg.seed)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.3, random_state=cfg.seed)
    booster = GradientBoostingClassifier(learning_rate=cfg.learning_rate, n_estimators=cfg.n_estimators,
                                         random_state=cfg.seed).fit(X_fit, y_fit)
    val_accuracy = booster.score(X_val, y_val)
    print(f"val_accuracy={val_accuracy:.3f}")


if __name__ == "__main__":
    fit_and_score()
'''


def test_a_settings_class_passed_as_a_default_argument_is_searched_on_the_parameter(tmp_path):
    code = adapted("hpo-optuna", SETTINGS_CLASS, n_trials="2")
    assert 'cfg.learning_rate = optuna_trial.suggest_float("learning_rate"' in code
    assert 'cfg.n_estimators = optuna_trial.suggest_int("n_estimators"' in code
    assert "cfg.seed = " not in code  # a seed is not a hyperparameter to search
    assert "cfg.n_samples = " not in code  # it sizes the data, not the model
    done = _run(code, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Best params:" in done.stdout and "'learning_rate'" in done.stdout


UNPACKED_VALIDATION = '''
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split


class Runner:
    def __init__(self, model):
        self.model = model

    def _score(self, X, y):
        return self.model.score(X, y)

    def fit(self, X, y, validation_data, rounds):
        for r in range(rounds):
            self.model.partial_fit(X, y, classes=[0, 1])
            val_acc = self._score(*validation_data)
            logs = {"round": r, "val_acc": val_acc}
        return logs

    def evaluate(self, X, y):
        return self._score(X, y)


def main():
    X, y = load_breast_cancer(return_X_y=True)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    X_fit, X_val, y_fit, y_val = train_test_split(X_rest, y_rest, test_size=0.2, random_state=0)
    runner = Runner(SGDClassifier(alpha=0.001, random_state=0))
    runner.fit(X_fit, y_fit, (X_val, y_val), rounds=5)
    test_acc = runner.evaluate(X_test, y_test)
    print(f"test_acc={test_acc:.3f}")


if __name__ == "__main__":
    main()
'''


def test_validation_data_unpacked_into_a_shared_scorer_is_not_mistaken_for_the_test_split():
    code = adapted("hpo-optuna", UNPACKED_VALIDATION, n_trials="2")
    # `self._score(*validation_data)` scores the validation rows, although `evaluate` passes X_test to it too.
    assert re.search(r'set_user_attr\("val_acc"', code)
    assert 'user_attrs.get("val_acc"' in code
    assert "test_acc" not in code.split("def objective")[1].split("if __name__")[0]


RETURNED_PARTS = '''
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier


def load_parts(seed):
    X, y = make_classification(n_samples=600, n_features=10, random_state=seed)
    return X[:450], X[450:], y[:450], y[450:]


def run(n_estimators=40, max_depth=4, seed=0):
    X_train, X_test, y_train, y_test = load_parts(seed)
    forest = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=seed)
    forest.fit(X_train, y_train)
    return {"test_accuracy": forest.score(X_test, y_test), "n_train": len(X_train)}


if __name__ == "__main__":
    results = run()
    print(results)
'''


def test_test_only_scoring_of_returned_parts_is_carved_from_the_training_rows(tmp_path):
    code = adapted("hpo-optuna", RETURNED_PARTS, n_trials="2")
    assert "X_train, X_test, y_train, y_test = X_train[:len(X_train) * 3 // 4]" in code
    assert "optuna.trial.FixedTrial" in code
    probe = code.replace('    return {"test_accuracy"', '    print("rows", len(X_train), len(X_test))\n    return {"test_accuracy"')
    done = _run(probe, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = re.findall(r"rows (\d+) (\d+)", done.stdout)
    # Trials train on 3/4 of the 450 training rows and score the other quarter; the final run uses the test rows.
    assert ("337", "113") in rows and rows[-1] == ("450", "150")


SLICED_CONSTRUCTIONS = '''
import numpy as np
from sklearn.linear_model import Ridge


class Windows:
    def __init__(self, series, width):
        self.X = np.stack([series[i:i + width] for i in range(len(series) - width)])
        self.y = series[width:]


def main(alpha=1.0, width=5):
    rng = np.random.RandomState(0)
    series = np.sin(np.arange(400) / 7.0) + 0.1 * rng.randn(400)
    cut = len(series) * 3 // 4
    train_windows = Windows(series[:cut], width)
    test_windows = Windows(series[cut:], width)
    model = Ridge(alpha=alpha).fit(train_windows.X, train_windows.y)
    test_r2 = model.score(test_windows.X, test_windows.y)
    print(f"windows={len(train_windows.y)},{len(test_windows.y)}")
    print(f"test_r2={test_r2:.3f}")


if __name__ == "__main__":
    main()
'''


def test_one_constructor_over_complementary_slices_is_rebuilt_on_training_rows_in_trials(tmp_path):
    code = adapted("hpo-optuna", SLICED_CONSTRUCTIONS, n_trials="2")
    assert "series_train = series[:cut]" in code
    assert "test_windows = Windows(series_train[len(series_train) * 3 // 4:], width)" in code
    done = _run(code, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    windows = re.findall(r"windows=(\d+),(\d+)", done.stdout)
    # Trials: 225 training points and 75 held out (each less the window width); the final run: 300 and 100.
    gaps = [int(train) - int(held_out) for train, held_out in windows]
    assert ("220", "70") in windows and set(gaps[:-1]) == {150} and gaps[-1] == 200


ORIGINAL_TABLE = """test_auc=0.9812
             perm_mean  perm_std
worst area      0.0410    0.0100
mean radius     0.0200    0.0050
worst texture   0.0120    0.0030
random_num      0.0010    0.0020
noise_rank=4
"""


def test_a_table_ranked_by_a_result_may_come_in_another_order_when_results_change():
    from mlops_adapt.verify.sandbox import missing_output_lines

    # The final run with the best hyperparameters ranks the features anew: another order, one new name.
    reranked = ORIGINAL_TABLE.replace("worst area      0.0410", "mean radius     0.0500").replace(
        "mean radius     0.0200", "worst area      0.0300").replace("worst texture", "mean texture")
    assert missing_output_lines(ORIGINAL_TABLE, reranked, mask_numbers=True) == []
    # Rows renamed wholesale, or rows dropped, are still lost output; without masking, numbers still count.
    renamed = ORIGINAL_TABLE
    for old, new in [("worst area", "alpha"), ("mean radius", "beta"), ("worst texture", "gamma"), ("random_num", "delta")]:
        renamed = renamed.replace(old, new)
    assert len(missing_output_lines(ORIGINAL_TABLE, renamed, mask_numbers=True)) == 4
    dropped = "\n".join(line for line in ORIGINAL_TABLE.splitlines() if "random_num" not in line and "texture" not in line)
    assert missing_output_lines(ORIGINAL_TABLE, dropped, mask_numbers=True)
    assert missing_output_lines(ORIGINAL_TABLE, reranked, mask_numbers=False)
