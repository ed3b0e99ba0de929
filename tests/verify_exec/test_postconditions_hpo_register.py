"""Postconditions of hpo-optuna and register-mlflow: wrong edits seen on public examples are rejected
for a named reason; correct edits in other people's styles are accepted.

Each case is a small original script and a candidate adaptation of it, written out in full.
"""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed
from mlops_adapt.verify.executed import check_executed
from mlops_adapt.verify.pipeline import verify_candidate


def _code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _failures(original: str, candidate: str, task: str) -> list[str]:
    report = verify_candidate(_code(original), _code(candidate), task, AdaptOptions(verify="static"))
    return list(report.failures)


def _rejected_for(original: str, candidate: str, task: str, *words: str) -> str:
    failures = _failures(original, candidate, task)
    text = " ".join(failures)
    assert failures, "the candidate was accepted"
    for word in words:
        assert word in text, failures
    return text


def _accepted(original: str, candidate: str, task: str) -> None:
    failures = _failures(original, candidate, task)
    assert not failures, failures


# ----------------------------------------------------------------------------- hpo-optuna
RF = """
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 50
MAX_DEPTH = 4

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=0)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy: {accuracy:.3f}")
"""

# The head every Optuna candidate of RF shares; each case adds its objective and study.
RF_TUNED_HEAD = """
import optuna
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.model_selection import cross_val_score

N_ESTIMATORS = 50
MAX_DEPTH = 4

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
"""

RF_TUNED_TAIL = """
print("best params:", study.best_params)
N_ESTIMATORS = study.best_params["n_estimators"]
MAX_DEPTH = study.best_params["max_depth"]
model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=0)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy: {accuracy:.3f}")
"""


def _rf_candidate(objective: str, study: str = 'study = optuna.create_study(direction="maximize")') -> str:
    optimize = "study.optimize(objective, n_trials=5)"
    return _code(RF_TUNED_HEAD) + "\n\n" + _code(objective) + "\n\n" + study + "\n" + optimize + "\n" + _code(RF_TUNED_TAIL)


CROSS_VALIDATED = """
def objective(trial):
    model = RandomForestClassifier(
        n_estimators=trial.suggest_int("n_estimators", 10, 80),
        max_depth=trial.suggest_int("max_depth", 2, 8),
        random_state=0,
    )
    return cross_val_score(model, X_train, y_train, cv=3).mean()
"""

CARVED = """
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)


def objective(trial):
    n_estimators = trial.suggest_int("n_estimators", 10, 80)
    max_depth = trial.suggest_int("max_depth", 2, 8)
    candidate = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=0)
    candidate.fit(X_fit, y_fit)
    return accuracy_score(y_val, candidate.predict(X_val))
"""


def test_an_objective_on_cross_validation_of_the_training_split_is_accepted():
    _accepted(RF, _rf_candidate(CROSS_VALIDATED), "hpo-optuna")


def test_an_objective_on_a_validation_split_carved_from_training_is_accepted():
    _accepted(RF, _rf_candidate(CARVED), "hpo-optuna")


def test_a_params_dict_splatted_into_the_model_and_a_lambda_objective_are_accepted():
    objective = """
    X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)


    def objective(trial, X_a, y_a, X_b, y_b):
        params = {
            "n_estimators": trial.suggest_int("n_estimators", 10, 80),
            "max_depth": trial.suggest_int("max_depth", 2, 8),
        }
        candidate = RandomForestClassifier(**params, random_state=0).fit(X_a, y_a)
        return candidate.score(X_b, y_b)
    """
    candidate = _rf_candidate(objective).replace(
        "study.optimize(objective, n_trials=5)",
        "study.optimize(lambda t: objective(t, X_fit, y_fit, X_val, y_val), n_trials=5)",
    )
    _accepted(RF, candidate, "hpo-optuna")
    # The same objective bound to the test split is scored on it.
    on_test = candidate.replace("objective(t, X_fit, y_fit, X_val, y_val)", "objective(t, X_fit, y_fit, X_test, y_test)")
    text = _rejected_for(RF, on_test, "hpo-optuna", "scored on the test split")
    assert "(`X_test`)" in text or "(`y_test`)" in text


def test_an_objective_returning_the_test_accuracy_is_rejected():
    objective = """
    def objective(trial):
        candidate = RandomForestClassifier(n_estimators=trial.suggest_int("n_estimators", 10, 80), random_state=0)
        candidate.fit(X_train, y_train)
        return accuracy_score(y_test, candidate.predict(X_test))
    """
    text = _rejected_for(RF, _rf_candidate(objective), "hpo-optuna", "the objective is scored on the test split")
    assert "score it on a validation split or cross-validation" in text


def test_a_test_score_passed_through_a_variable_or_a_validation_name_is_rejected():
    through_variable = """
    def objective(trial):
        candidate = RandomForestClassifier(n_estimators=trial.suggest_int("n_estimators", 10, 80), random_state=0)
        candidate.fit(X_train, y_train)
        pred = candidate.predict(X_test)
        acc = accuracy_score(y_test, pred)
        return acc
    """
    _rejected_for(RF, _rf_candidate(through_variable), "hpo-optuna", "scored on the test split")
    renamed = """
    X_val, y_val = X_test, y_test


    def objective(trial):
        candidate = RandomForestClassifier(n_estimators=trial.suggest_int("n_estimators", 10, 80), random_state=0)
        candidate.fit(X_train, y_train)
        return candidate.score(X_val, y_val)
    """
    _rejected_for(RF, _rf_candidate(renamed), "hpo-optuna", "scored on the test split (`X_test`)")


def test_cross_validation_on_the_test_split_is_rejected():
    objective = CROSS_VALIDATED.replace("X_train, y_train, cv=3", "X_test, y_test, cv=3")
    _rejected_for(RF, _rf_candidate(objective), "hpo-optuna", "scored on the test split")


def test_the_direction_must_fit_the_score():
    minimized = _rf_candidate(CROSS_VALIDATED, 'study = optuna.create_study(direction="minimize")')
    text = _rejected_for(RF, minimized, "hpo-optuna", "direction")
    assert "should maximize" in text
    default = _rf_candidate(CROSS_VALIDATED, "study = optuna.create_study()")
    assert "Optuna's default" in _rejected_for(RF, default, "hpo-optuna", "direction")
    # An error negated by scikit-learn's scorer is maximised too.
    neg_mse = CROSS_VALIDATED.replace("cv=3)", 'cv=3, scoring="neg_mean_squared_error")')
    _rejected_for(RF, _rf_candidate(neg_mse, 'study = optuna.create_study(direction="minimize")'), "hpo-optuna", "direction")
    _accepted(RF, _rf_candidate(neg_mse), "hpo-optuna")


def test_a_loss_may_be_minimised_by_optunas_default_direction():
    objective = """
    from sklearn.metrics import log_loss

    X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)


    def objective(trial):
        candidate = RandomForestClassifier(
            n_estimators=trial.suggest_int("n_estimators", 10, 80), max_depth=trial.suggest_int("max_depth", 2, 8)
        )
        candidate.fit(X_fit, y_fit)
        val_loss = log_loss(y_val, candidate.predict_proba(X_val), labels=[0, 1, 2])
        return val_loss
    """
    _accepted(RF, _rf_candidate(objective, "study = optuna.create_study()"), "hpo-optuna")
    maximized = _rf_candidate(objective, 'study = optuna.create_study(direction="maximize")')
    assert "should minimize" in _rejected_for(RF, maximized, "hpo-optuna", "direction")


def test_a_suggestion_that_is_only_printed_or_unused_does_not_change_the_model():
    printed = CROSS_VALIDATED.replace(
        "    model = RandomForestClassifier(",
        '    criterion = trial.suggest_categorical("criterion", ["gini", "entropy"])\n'
        '    print("trying", criterion)\n'
        "    model = RandomForestClassifier(",
    )
    text = _rejected_for(RF, _rf_candidate(printed), "hpo-optuna", "`criterion`", "does not change the model")
    assert "only printed or logged" in text
    unused = CROSS_VALIDATED.replace(
        "    model = RandomForestClassifier(",
        '    min_samples_leaf = trial.suggest_int("min_samples_leaf", 1, 5)\n    model = RandomForestClassifier(',
    )
    _rejected_for(RF, _rf_candidate(unused), "hpo-optuna", "`min_samples_leaf`", "does not change the model")


def test_suggestions_put_into_a_config_that_is_never_used_do_not_change_the_model():
    original = """
    from dataclasses import dataclass

    from sklearn.datasets import load_wine
    from sklearn.model_selection import cross_val_score
    from sklearn.svm import SVC


    @dataclass
    class Config:
        C: float = 1.0
        gamma: float = 0.1


    def run(cfg):
        X, y = load_wine(return_X_y=True)
        scores = cross_val_score(SVC(C=cfg.C, gamma=cfg.gamma), X, y, cv=3)
        print(f"cv accuracy {scores.mean():.3f}")


    run(Config())
    """
    good = """
    from dataclasses import dataclass
    from dataclasses import replace

    import optuna
    from sklearn.datasets import load_wine
    from sklearn.model_selection import cross_val_score
    from sklearn.svm import SVC


    @dataclass
    class Config:
        C: float = 1.0
        gamma: float = 0.1


    def run(cfg):
        X, y = load_wine(return_X_y=True)
        scores = cross_val_score(SVC(C=cfg.C, gamma=cfg.gamma), X, y, cv=3)
        print(f"cv accuracy {scores.mean():.3f}")


    def objective(trial):
        X, y = load_wine(return_X_y=True)
        cfg = replace(Config(), C=trial.suggest_float("C", 0.01, 100, log=True), gamma=trial.suggest_float("gamma", 1e-3, 1.0, log=True))
        return cross_val_score(SVC(C=cfg.C, gamma=cfg.gamma), X, y, cv=3).mean()


    run(Config())
    study = optuna.create_study(direction="maximize")
    study.optimize(objective, n_trials=5)
    print("best params:", study.best_params)
    run(replace(Config(), **study.best_params))
    """
    _accepted(original, good, "hpo-optuna")
    ignored = good.replace("SVC(C=cfg.C, gamma=cfg.gamma), X, y, cv=3).mean()", "SVC(C=1.0, gamma=0.1), X, y, cv=3).mean()")
    text = _rejected_for(original, ignored, "hpo-optuna", "does not change the model")
    assert "`C`" in text and "`gamma`" in text


# A script in the shape of PyTorch's MNIST example (synthetic data): train()/test() functions,
# a test DataLoader with its own batch size, an args namespace.
TORCH = """
import argparse

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split


class Net(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.fc1 = nn.Linear(10, hidden)
        self.fc2 = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def train(model, loader, optimizer):
    model.train()
    for data, target in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()


def test(model, loader):
    model.eval()
    test_loss, correct = 0.0, 0
    with torch.no_grad():
        for data, target in loader:
            output = model(data)
            test_loss += F.cross_entropy(output, target, reduction="sum").item()
            correct += (output.argmax(1) == target).sum().item()
    test_loss /= len(loader.dataset)
    print(f"test loss {test_loss:.4f}, accuracy {correct / len(loader.dataset):.3f}")
    return test_loss


def make_dataset(train=True):
    gen = torch.Generator().manual_seed(0 if train else 1)
    X = torch.randn(400 if train else 100, 10, generator=gen)
    return TensorDataset(X, (X[:, 0] > 0).long())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--test-batch-size", type=int, default=100)
    args = parser.parse_args([])
    torch.manual_seed(0)
    train_loader = DataLoader(make_dataset(train=True), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(make_dataset(train=False), batch_size=args.test_batch_size)
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        train(model, train_loader, optimizer)
        test(model, test_loader)


if __name__ == "__main__":
    main()
"""

TORCH_OBJECTIVE = """
def objective(trial):
    args = argparse.Namespace(lr=0.05, epochs=3, batch_size=32, test_batch_size=100)
    args.lr = trial.suggest_float("lr", 1e-3, 0.3, log=True)
    args.batch_size = trial.suggest_categorical("batch_size", [16, 32, 64])
    torch.manual_seed(0)
    train_set, val_set = random_split(make_dataset(train=True), [320, 80], generator=torch.Generator().manual_seed(0))
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=args.test_batch_size)
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        train(model, train_loader, optimizer)
    return test(model, val_loader)


if __name__ == "__main__":
    study = optuna.create_study(direction="minimize")
    study.optimize(objective, n_trials=3)
    print("best params:", study.best_params)
    main()
"""


def _torch_candidate(objective: str = TORCH_OBJECTIVE) -> str:
    head = _code(TORCH).replace("import argparse\n", "import argparse\n\nimport optuna\n", 1)
    head = head.replace('\n\nif __name__ == "__main__":\n    main()\n', "\n")
    return head + "\n\n" + _code(objective)


def test_reusing_the_test_function_on_a_validation_loader_is_accepted():
    # test() names its locals test_loss: what it is called with decides, not the names inside it.
    _accepted(TORCH, _torch_candidate(), "hpo-optuna")


def test_an_objective_returning_the_test_loaders_score_is_rejected():
    on_test = _torch_candidate().replace(
        "    return test(model, val_loader)",
        "    test_loader = DataLoader(make_dataset(train=False), batch_size=args.test_batch_size)\n"
        "    return test(model, test_loader)",
    )
    text = _rejected_for(TORCH, on_test, "hpo-optuna", "scored on the test split")
    assert "(`test_loader`)" in text or "(`train=False`)" in text


def test_tuning_only_the_evaluation_batch_size_does_not_change_the_model():
    eval_only = _torch_candidate().replace(
        '    args.lr = trial.suggest_float("lr", 1e-3, 0.3, log=True)\n'
        '    args.batch_size = trial.suggest_categorical("batch_size", [16, 32, 64])\n',
        '    args.test_batch_size = trial.suggest_categorical("test_batch_size", [50, 100, 200])\n',
    )
    text = _rejected_for(TORCH, eval_only, "hpo-optuna", "`test_batch_size`", "does not change the model")
    assert "only reaches evaluation code" in text


def test_the_recipe_scores_trials_on_a_validation_split_carved_from_training():
    result = adapt(_code(RF), "hpo-optuna", AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(result, Applied), result
    assert "if optuna_trial is not None and not isinstance(optuna_trial, optuna.trial.FixedTrial):" in result.code
    assert "train_test_split(X_train, y_train, test_size=0.25, random_state=0)" in result.code
    assert result.report.ok
    # Without the re-split, the same edit is scored on the test split and rejected.
    lines = result.code.splitlines()
    start = next(i for i, line in enumerate(lines) if "isinstance(optuna_trial, optuna.trial.FixedTrial)" in line)
    uncarved = "\n".join(lines[:start] + lines[start + 3 :]) + "\n"
    _rejected_for(RF, uncarved, "hpo-optuna", "scored on the test split (`X_test`)")


def test_the_recipe_prefers_a_validation_metric_and_refuses_a_test_only_loader():
    both = _code(RF).replace(
        "model.fit(X_train, y_train)\n",
        "X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, random_state=0)\n"
        "model.fit(X_fit, y_fit)\n"
        "val_accuracy = accuracy_score(y_val, model.predict(X_val))\n"
        'print(f"val accuracy: {val_accuracy:.3f}")\n',
    )
    result = adapt(both, "hpo-optuna", AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(result, Applied), result
    assert 'set_user_attr("val_accuracy"' in result.code and "FixedTrial):\n" not in result.code
    test_only = """
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    LR = 0.05
    X = torch.randn(300, 6)
    y = (X[:, 0] > 0).long()
    test_loader = DataLoader(TensorDataset(X[240:], y[240:]), batch_size=30)
    model = nn.Linear(6, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    for epoch in range(5):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X[:240]), y[:240]).backward()
        optimizer.step()
    correct = sum((model(a).argmax(1) == b).sum().item() for a, b in test_loader)
    test_accuracy = correct / 60
    print(f"test accuracy {test_accuracy:.3f}")
    """
    refused = adapt(_code(test_only), "hpo-optuna", AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(refused, Failed), refused
    assert "only on the test split" in " ".join(refused.reasons)


# ----------------------------------------------------------------------------- register-mlflow
LOGREG = """
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

C = 1.0

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = LogisticRegression(C=C, max_iter=300)
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.3f}")
"""


def _registered(lines: str, original: str = LOGREG, imports: str = "import mlflow\nimport mlflow.sklearn\n") -> str:
    return imports + _code(original) + _code(lines)


IN_A_RUN = """
with mlflow.start_run():
    mlflow.sklearn.log_model(model, name="model", registered_model_name="iris-logreg")
"""
OUTSIDE_A_RUN = """
mlflow.sklearn.log_model(model, name="model", registered_model_name="iris-logreg")
"""


def test_log_model_with_registered_model_name_in_or_outside_a_run_is_accepted():
    _accepted(LOGREG, _registered(IN_A_RUN), "register-mlflow")
    _accepted(LOGREG, _registered(OUTSIDE_A_RUN), "register-mlflow")


def test_register_model_after_log_model_and_signature_keywords_are_accepted():
    runs_uri = """
    with mlflow.start_run() as run:
        mlflow.sklearn.log_model(
            model, name="model", signature=infer_signature(X_train, model.predict(X_train)), input_example=X_train[:2]
        )
    mlflow.register_model(f"runs:/{run.info.run_id}/model", "iris-logreg")
    """
    imports = "import mlflow\nimport mlflow.sklearn\nfrom mlflow.models import infer_signature\n"
    _accepted(LOGREG, _registered(runs_uri, imports=imports), "register-mlflow")
    model_info = """
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(sk_model=model, name="model")
    mlflow.register_model(info.model_uri, "iris-logreg")
    """
    _accepted(LOGREG, _registered(model_info), "register-mlflow")


def test_logging_the_training_data_as_the_model_is_rejected():
    data = IN_A_RUN.replace("log_model(model,", "log_model(X_train,")
    text = _rejected_for(LOGREG, _registered(data), "register-mlflow", "the logged object `X_train`")
    assert "is not a trained model of the script (trained: model)" in text


def test_logging_the_model_before_it_is_trained_is_rejected():
    before = _code(LOGREG).replace(
        "model.fit(X_train, y_train)\n",
        'mlflow.sklearn.log_model(model, name="model", registered_model_name="iris-logreg")\nmodel.fit(X_train, y_train)\n',
    )
    text = _rejected_for(LOGREG, "import mlflow\nimport mlflow.sklearn\n" + before, "register-mlflow", "before it is trained")
    assert "register the trained model" in text


SWEEP = """
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
for C in [0.1, 10.0]:
    model = LogisticRegression(C=C, max_iter=300)
    model.fit(X_train, y_train)
    print(f"C={C}: accuracy {model.score(X_test, y_test):.3f}")
"""
SWEEP_REGISTERED = "import mlflow\nimport mlflow.sklearn\n" + textwrap.dedent(SWEEP).lstrip("\n").replace(
    "    model.fit(X_train, y_train)\n",
    "    model.fit(X_train, y_train)\n"
    '    mlflow.sklearn.log_model(model, name="model", registered_model_name="iris-logreg")\n',
)


def test_registering_every_model_of_a_sweep_under_one_name_is_rejected():
    # One version per iteration leaves the last model as "latest", not the best (issue 15).
    _rejected_for(SWEEP, SWEEP_REGISTERED, "register-mlflow", "every iteration", "after the loop")


TORCH_REG = """
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
X = torch.randn(200, 4)
y = X @ torch.tensor([[2.0], [-1.0], [0.5], [3.0]])
train_loader = DataLoader(TensorDataset(X[:160], y[:160]), batch_size=32)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
for epoch in range(5):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        nn.functional.mse_loss(net(xb), yb).backward()
        optimizer.step()
print(f"test mse {nn.functional.mse_loss(net(X[160:]), y[160:]).item():.4f}")
"""


def test_a_torch_model_is_accepted_and_its_dataloader_rejected():
    good = "import mlflow\nimport mlflow.pytorch\n" + _code(TORCH_REG) + (
        'mlflow.pytorch.log_model(net, name="net", registered_model_name="regression-net", '
        "input_example=X[:2].numpy())\n"
    )
    _accepted(TORCH_REG, good, "register-mlflow")
    loader = good.replace("log_model(net,", "log_model(train_loader,")
    _rejected_for(TORCH_REG, loader, "register-mlflow", "the logged object `train_loader`", "not a trained model")


# ----------------------------------------------------------------------------- executed (V5)
def _executed(original: str, candidate: str, task: str):
    return check_executed(_code(original), candidate, task, AdaptOptions(timeout=180))


@pytest.mark.slow
def test_v5_a_registered_default_format_model_loads_as_the_trained_class():
    check = _executed(LOGREG, _registered(OUTSIDE_A_RUN), "register-mlflow")
    assert check.status == "pass", check.reasons


@pytest.mark.slow
def test_v5_the_training_data_registered_as_a_model_is_not_the_trained_model():
    # V4 rejects it first; V5 on its own names the same problem from the registry.
    data = IN_A_RUN.replace("log_model(model,", 'log_model(X_train, serialization_format="cloudpickle",')
    check = _executed(LOGREG, _registered(data), "register-mlflow")
    assert check.status == "fail"
    assert any("not one of the script's models ['LogisticRegression']" in r for r in check.reasons), check.reasons


@pytest.mark.slow
def test_v5_a_model_registered_before_training_is_reported_untrained():
    before = "import mlflow\nimport mlflow.sklearn\n" + _code(LOGREG).replace(
        "model.fit(X_train, y_train)\n",
        'mlflow.sklearn.log_model(model, name="model", registered_model_name="iris-logreg")\nmodel.fit(X_train, y_train)\n',
    )
    check = _executed(LOGREG, before, "register-mlflow")
    assert check.status == "fail"
    assert any("was never trained" in r for r in check.reasons), check.reasons


@pytest.mark.slow
def test_v5_a_sweep_registering_every_candidate_passes_with_a_warning():
    check = _executed(SWEEP, SWEEP_REGISTERED, "register-mlflow")
    assert check.status == "pass", check.reasons
    assert any("warning: 2 model versions were registered in one run" in r for r in check.reasons), check.reasons


@pytest.mark.slow
def test_v5_a_cross_validated_study_runs_and_its_direction_is_checked():
    good = _rf_candidate(CROSS_VALIDATED)
    assert _executed(RF, good, "hpo-optuna").status == "pass"
    minimized = _rf_candidate(CROSS_VALIDATED, 'study = optuna.create_study(direction="minimize")')
    check = _executed(RF, minimized, "hpo-optuna")
    assert check.status == "fail"
    assert any("direction" in r and "maximize" in r for r in check.reasons), check.reasons
