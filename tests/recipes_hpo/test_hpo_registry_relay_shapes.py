"""hpo-optuna on shapes from public-holdout-4/5's second round: registries filled by decorators, one
evaluation function called on validation and test data, sizes halved per direction, keyword arguments of
estimator builders, cross-validated fold arrays, dict comprehensions of splits, and SimpleNamespace settings."""

from __future__ import annotations

import re
import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

from ._support import adapted, run_batch


def _suggested(code: str) -> set[str]:
    return set(re.findall(r'suggest_\w+\("(\w+)"', code))


def _objective_key(code: str) -> str:
    return re.search(r'return trial\.user_attrs\.get\("(\w+)"', code).group(1)


# Estimators are registered by name with a decorator; the run looks the configured one up.
REGISTRY = textwrap.dedent('''
    import numpy as np
    from sklearn.linear_model import Ridge
    from sklearn.metrics import mean_squared_error

    SETTINGS = {"name": "ridge", "alpha": 2.0}
    BUILDERS = {}


    def register(name):
        def wrap(fn):
            BUILDERS[name] = fn
            return fn
        return wrap


    @register("ridge")
    def build_ridge(alpha):
        return Ridge(alpha=alpha)


    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 5))
    y = X @ np.arange(1.0, 6.0) + rng.normal(0, 0.3, 300)
    X_fit, y_fit, X_val, y_val = X[:220], y[:220], X[220:], y[220:]
    model = BUILDERS[SETTINGS["name"]](SETTINGS["alpha"])
    model.fit(X_fit, y_fit)
    val_mse = mean_squared_error(y_val, model.predict(X_val))
    print(f"val_mse={val_mse:.4f}")
''')


def test_a_registry_filled_by_decorators_stays_where_the_definitions_fill_it():
    code = adapted("hpo-optuna", REGISTRY, n_trials="2")
    module_level = code.split("def run_experiment")[0]
    assert "BUILDERS = {}" in module_level  # not emptied again by each trial
    assert "BUILDERS = {}" not in code.split("def run_experiment")[1]
    assert _suggested(code) == {"alpha"}


@pytest.mark.slow
def test_the_adapted_registry_script_runs_its_trials(tmp_path):
    code = adapted("hpo-optuna", REGISTRY, n_trials="2")
    outcome = run_batch({"registry": code}, tmp_path)["registry"]
    assert outcome["error"] is None, outcome["error"]
    assert outcome["info"]["completed_trials"] == 2


# One accuracy function scores the validation rows each epoch and the test rows at the end.
SHARED_EVALUATION = textwrap.dedent('''
    import torch
    import torch.nn as nn

    HIDDEN = 16
    EPOCHS = 3
    torch.manual_seed(0)
    X = torch.randn(240, 4)
    y = (X[:, 0] > 0).long()
    train_x, train_y = X[:160], y[:160]
    dev_x, dev_y = X[160:200], y[160:200]
    test_x, test_y = X[200:], y[200:]


    class Pair(nn.Module):
        def __init__(self, hidden):
            super().__init__()
            self.rnn = nn.GRU(4, hidden // 2, batch_first=True, bidirectional=True)
            self.out = nn.Linear(hidden, 2)

        def forward(self, x):
            h, _ = self.rnn(x.unsqueeze(1))
            return self.out(h[:, -1])


    def accuracy(model, inputs, labels):
        with torch.no_grad():
            hits = (model(inputs).argmax(1) == labels).sum().item()
        return hits / len(labels)


    model = Pair(HIDDEN)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(EPOCHS):
        opt.zero_grad()
        nn.functional.cross_entropy(model(train_x), train_y).backward()
        opt.step()
        print(f"epoch {epoch} dev acc {accuracy(model, dev_x, dev_y):.3f}")
    print(f"test acc {accuracy(model, test_x, test_y):.3f}")
''')


def test_a_function_scoring_validation_and_test_data_hands_the_study_its_validation_call():
    code = adapted("hpo-optuna", SHARED_EVALUATION, n_trials="2")
    key = _objective_key(code)
    lines = code.splitlines()
    handed = next(i for i, line in enumerate(lines) if f'set_user_attr("{key}"' in line)
    # the objective's value is taken right after the dev call, from what the function last returned
    assert "accuracy(model, dev_x, dev_y)" in lines[handed - 2]
    assert 'user_attrs["accuracy_latest"]' in lines[handed]
    assert sum(f'set_user_attr("{key}"' in line for line in lines) == 1


def test_a_size_halved_per_direction_is_searched_in_even_steps():
    code = adapted("hpo-optuna", SHARED_EVALUATION, n_trials="2")
    assert re.search(r'suggest_int\("HIDDEN", \d+, \d+, step=2\)', code)


def test_a_function_scoring_test_data_without_one_validation_call_is_not_the_objective():
    source = SHARED_EVALUATION.replace("dev acc {accuracy(model, dev_x, dev_y)", "train acc {accuracy(model, train_x, train_y)")
    result = adapt(source, "hpo-optuna", AdaptOptions(backend="recipe"))
    if isinstance(result, Applied):
        assert 'set_user_attr("accuracy' not in result.code.split("def accuracy")[1].split("model = Pair")[0]
    else:
        assert "test" in str(result)


# A time-series comparison: a builder function's keyword argument shapes the features; the score
# is the mean over cross-validation folds (their spread and a final holdout are not the objective).
BUILDER_AND_FOLDS = textwrap.dedent('''
    import numpy as np
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures


    def poly_features(degree=None):
        return PolynomialFeatures(degree=degree or 2, include_bias=False)


    def score(model, X, y):
        folds = cross_validate(model, X, y, cv=KFold(4), scoring="neg_mean_absolute_error")
        mae = -folds["test_score"]
        print(f"MAE {mae.mean():.4f} +/- {mae.std():.4f}")
        return mae.mean()


    rng = np.random.default_rng(3)
    X = rng.uniform(-2, 2, (400, 2))
    y = X[:, 0] ** 3 - X[:, 1] + rng.normal(0, 0.2, 400)
    model = make_pipeline(poly_features(degree=3), Ridge(alpha=1.0))
    score(model, X[:-50], y[:-50])
    final = model.fit(X[:-50], y[:-50])
    print(f"last rows MAE: {np.mean(np.abs(final.predict(X[-50:]) - y[-50:])):.4f}")
''')


def test_a_builder_keyword_is_searched_and_the_fold_mean_is_the_objective():
    code = adapted("hpo-optuna", BUILDER_AND_FOLDS, n_trials="2")
    assert "degree" in _suggested(code)
    assert 'set_user_attr("mae", float(mae.mean()))' in code


# Splits named in a dict; datasets and loaders built per split by comprehensions; settings in a namespace.
SPLIT_DICTS = textwrap.dedent('''
    from types import SimpleNamespace

    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    opts = SimpleNamespace(seed=0, width=12, lr=0.05, epochs=3, batch_size=32)


    def run():
        torch.manual_seed(opts.seed)
        X = torch.randn(300, 3)
        y = (X.sum(1) > 0).float()
        cuts = {"train": slice(0, 200), "val": slice(200, 250), "test": slice(250, 300)}
        sets = {name: TensorDataset(X[rows], y[rows]) for name, rows in cuts.items()}
        loaders = {name: DataLoader(sets[name], batch_size=opts.batch_size, shuffle=name == "train")
                   for name in ["train", "val", "test"]}
        net = nn.Sequential(nn.Linear(3, opts.width), nn.ReLU(), nn.Linear(opts.width, 1))
        optim = torch.optim.Adam(net.parameters(), lr=opts.lr)
        for epoch in range(opts.epochs):
            for xb, yb in loaders["train"]:
                optim.zero_grad()
                nn.functional.binary_cross_entropy_with_logits(net(xb).squeeze(1), yb).backward()
                optim.step()
        val_acc = evaluate(net, loaders["val"])
        print(f"val_acc={val_acc:.3f} test_acc={evaluate(net, loaders['test']):.3f}")


    def evaluate(net, loader):
        hits = total = 0
        with torch.no_grad():
            for xb, yb in loader:
                hits += ((net(xb).squeeze(1) > 0).float() == yb).sum().item()
                total += len(yb)
        return hits / total


    if __name__ == "__main__":
        run()
''')


def test_a_namespace_of_settings_is_searched_and_the_validation_entry_of_split_dicts_scores():
    code = adapted("hpo-optuna", SPLIT_DICTS, n_trials="2")
    assert {"width", "lr"} <= _suggested(code)
    assert re.search(r"opts\.width = optuna_trial\.suggest_int\(", code)
    assert _objective_key(code) == "val_acc"


def test_the_test_entry_of_split_dicts_is_still_seen_as_test_data():
    source = SPLIT_DICTS.replace('val_acc = evaluate(net, loaders["val"])', 'val_acc = evaluate(net, loaders["test"])')
    result = adapt(source, "hpo-optuna", AdaptOptions(backend="recipe"))
    assert not isinstance(result, Applied)
    assert "only on the test split (`'test'`)" in str(result)
