"""Shapes public-holdout-3 showed to track-mlflow, track-wandb and register-mlflow: names bound to
functions, sklearn-style estimators of the script's own, models trained by worker processes, and
models whose skops trust list must come from installed libraries read at run time."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed


def _adapt(source: str, task: str, verify: str = "static", name: str = "shape.py"):
    return adapt(textwrap.dedent(source), task, AdaptOptions(backend="recipe", verify=verify, path=name, timeout=400))


def _log_lines(code: str, marker: str) -> list[str]:
    return [line.strip() for line in code.splitlines() if marker in line]


# A loss chosen by name, as tutorials do: `criterion = F.cross_entropy`, or the script's own function.
FUNCTION_BOUND = """
    import torch
    import torch.nn.functional as F
    from sklearn.preprocessing import StandardScaler

    torch.manual_seed(0)
    raw, y = torch.randn(64, 5).numpy(), torch.randint(0, 3, (64,))
    scaler = StandardScaler().fit(raw)
    x = torch.tensor(scaler.transform(raw), dtype=torch.float32)
    w = torch.zeros(5, 3, requires_grad=True)


    def nll(scores, target):
        return -F.log_softmax(scores, dim=1)[range(len(target)), target].mean()


    criterion = F.cross_entropy
    loss_func = nll
    lr = 0.1
    for epoch in range(3):
        loss = criterion(x @ w, y) + loss_func(x @ w, y)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
        print(f"epoch {epoch} loss {loss.item():.4f}")
    final_loss = criterion(x @ w, y).item()
    print(f"final loss: {final_loss:.4f}")
    torch.save(w.detach(), "w.pt")
"""


@pytest.mark.parametrize("task, marker", [("track-mlflow", "mlflow.log"), ("track-wandb", "wandb.")])
def test_a_name_bound_to_a_function_is_never_logged(task, marker):
    result = _adapt(FUNCTION_BOUND, task)
    assert isinstance(result, Applied), result
    logged = " ".join(_log_lines(result.code, marker))
    assert "final_loss" in logged
    assert "criterion" not in logged and "loss_func" not in logged, logged


# A scikit-learn estimator of the script's own (constructed outside any run, cloned by
# cross_val_score on every fold), with literal defaults in __init__.
OWN_ESTIMATOR = """
    import numpy as np
    from sklearn.base import BaseEstimator, RegressorMixin
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler


    class ShrunkMean(BaseEstimator, RegressorMixin):
        def __init__(self, shrink=0.5, max_iter=20):
            self.shrink = shrink
            self.max_iter = max_iter

        def fit(self, X, y):
            self.inner_ = Ridge(alpha=self.shrink, max_iter=self.max_iter)
            self.inner_.fit(X, y)
            return self

        def predict(self, X):
            return self.inner_.predict(X)


    X, y = load_diabetes(return_X_y=True)
    model = make_pipeline(StandardScaler(), ShrunkMean(shrink=0.3))
    scores = cross_val_score(model, X, y, cv=3)
    print(f"cv r2: {scores.mean():.3f}")
    model.fit(X, y)
    print(f"train r2: {model.score(X, y):.3f}")
"""


@pytest.mark.parametrize("task, marker", [("track-mlflow", "mlflow."), ("track-wandb", "wandb.")])
def test_an_estimators_constructor_logs_nothing(task, marker):
    result = _adapt(OWN_ESTIMATOR, task)
    assert isinstance(result, Applied), result
    cls = result.code[result.code.index("class ShrunkMean"):result.code.index("\nX, y")]
    init = cls[cls.index("def __init__"):cls.index("def fit")]
    assert marker not in init, init
    # Its literal argument is logged where the script builds it, inside the run.
    assert '"shrink": 0.3' in result.code


@pytest.mark.slow
@pytest.mark.parametrize("task", ["track-mlflow", "track-wandb"])
@pytest.mark.parametrize("source", [FUNCTION_BOUND, OWN_ESTIMATOR], ids=["function-bound", "own-estimator"])
def test_the_tracked_scripts_run(task, source):
    result = _adapt(source, task, verify="run")
    assert isinstance(result, Applied), result


# Hogwild: the model lives in shared memory and worker processes train it; the parent's model is
# the trained one once the workers are joined.
WORKERS = """
    import torch
    import torch.multiprocessing as mp
    from torch import nn


    def train(rank, model, steps):
        torch.manual_seed(rank)
        opt = torch.optim.SGD(model.parameters(), lr=0.05)
        x, y = torch.randn(32, 4), torch.randn(32, 1)
        for _ in range(steps):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()


    if __name__ == "__main__":
        mp.set_start_method("spawn", force=True)
        torch.manual_seed(0)
        model = nn.Linear(4, 1)
        model.share_memory()
        workers = []
        for rank in range(1):  # one worker: more race on the shared weights, and the output changes
            p = mp.Process(target=train, args=(rank, model, 5))
            p.start()
            workers.append(p)
        for p in workers:
            p.join()
        print("bias", round(model.bias.item(), 4))
"""


def test_a_model_trained_by_worker_processes_is_registered_after_they_join():
    result = _adapt(WORKERS, "register-mlflow")
    assert isinstance(result, Applied), result
    lines = [line.strip() for line in result.code.splitlines()]
    logged = next(i for i, line in enumerate(lines) if "mlflow.pytorch.log_model(model," in line)
    joined = max(i for i, line in enumerate(lines) if line == "p.join()")
    assert joined < logged < next(i for i, line in enumerate(lines) if line.startswith('print("bias"'))


def test_a_model_only_built_beside_workers_is_not_registered_early():
    # Workers that get no model (their function trains nothing the parent holds) leave nothing to register.
    source = WORKERS.replace("args=(rank, model, 5)", "args=(rank, nn.Linear(4, 1), 5)")
    result = _adapt(source, "register-mlflow")
    assert not isinstance(result, Applied) or "log_model(model," not in result.code


@pytest.mark.slow
def test_the_worker_trained_model_registers_and_loads():
    result = _adapt(WORKERS, "register-mlflow", verify="run")
    assert isinstance(result, Applied), result


# A fitted HistGradientBoosting model on a pandas frame holds a functools.partial of an sklearn
# function and its tree predictors; an LGBMRanker is saved by mlflow.lightgbm with skops too.
HIST_GB = """
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"colour": pd.Categorical(rng.choice(["r", "g", "b"], 300)), "size": rng.normal(size=300)})
    y = (X["size"] + (X["colour"] == "r") > 0.5).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=20, categorical_features="from_dtype")
    clf.fit(X, y)
    print(f"train accuracy: {clf.score(X, y):.3f}")
"""
RANKER = """
    import lightgbm as lgb
    import numpy as np

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(200, 4)), rng.integers(0, 3, 200)
    ranker = lgb.LGBMRanker(n_estimators=10, min_child_samples=5, verbose=-1)
    ranker.fit(X, y, group=[20] * 10)
    print(f"scores: {ranker.predict(X[:3]).round(3).tolist()}")
"""


@pytest.mark.parametrize("source, flavor", [(HIST_GB, "sklearn"), (RANKER, "lightgbm")], ids=["hist-gb", "lgbm-ranker"])
def test_skops_trust_is_read_from_installed_libraries_at_run_time(source, flavor):
    result = _adapt(source, "register-mlflow")
    assert isinstance(result, Applied), result
    [line] = _log_lines(result.code, "log_model(")
    assert line.startswith(f"mlflow.{flavor}.log_model(")
    assert "importlib.metadata.packages_distributions()" in line and 't.split(".")[0] in installed' in line
    assert '"functools.partial"' in line and "builtins.eval" not in line and "__main__" not in line


def test_a_native_lightgbm_booster_needs_no_trust_list():
    source = """
        import lightgbm as lgb
        import numpy as np

        rng = np.random.default_rng(0)
        X, y = rng.normal(size=(200, 4)), rng.normal(size=200)
        booster = lgb.train({"objective": "regression", "verbose": -1}, lgb.Dataset(X, y), num_boost_round=5)
        print(booster.predict(X[:2]).round(3).tolist())
    """
    result = _adapt(source, "register-mlflow")
    assert isinstance(result, Applied), result
    assert "skops" not in result.code


@pytest.mark.slow
@pytest.mark.parametrize("source", [HIST_GB, RANKER], ids=["hist-gb", "lgbm-ranker"])
def test_the_trusted_models_register_and_load(source):
    result = _adapt(source, "register-mlflow", verify="run")
    assert isinstance(result, Applied), result


def test_a_pipeline_holding_the_scripts_own_estimator_is_refused_with_the_reason():
    source = textwrap.dedent(OWN_ESTIMATOR) + "\nimport joblib\njoblib.dump(model, 'shrunk.joblib')\n"
    result = _adapt(source, "register-mlflow")
    assert isinstance(result, Failed), result
    reason = " ".join(result.reasons)
    assert "ShrunkMean" in reason and "script's own code" in reason


def test_an_unnamed_epoch_loop_logs_its_step_as_epoch_in_wandb():
    source = """
        import torch

        torch.manual_seed(0)
        x, y = torch.randn(32, 3), torch.randn(32, 1)
        net = torch.nn.Linear(3, 1)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        for _ in range(4):
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(x), y)
            loss.backward()
            opt.step()
            epoch_loss = loss.item()
            print(f"loss {epoch_loss:.4f}")
    """
    result = _adapt(source, "track-wandb")
    assert isinstance(result, Applied), result
    [line] = _log_lines(result.code, '"epoch_loss"')
    assert '"epoch": _' in line and '"_"' not in line, line
