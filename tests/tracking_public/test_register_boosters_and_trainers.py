"""register-mlflow on models that are not an sklearn-style `model.fit(X, y)` in a name: a native
xgboost/lightgbm Booster returned by `train()` (not the DMatrix/Dataset it trains on), a model a
trainer object of the script trains, a model taken out of the dict a builder function returns.
The executed tests run the edited script against a sqlite MLflow store and load the registered
model back to predict with it."""

from __future__ import annotations

import os
import re
import textwrap

import pytest

from mlops_adapt.applicability import applicable_tasks
from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed
from tests.core.runner import run_script


def _register(source: str, name: str = "reg.py"):
    return adapt(textwrap.dedent(source), "register-mlflow", AdaptOptions(backend="recipe", verify="static", path=name))


def _log_line(code: str) -> str:
    return next(line.strip() for line in code.splitlines() if ".log_model(" in line)


def _load(run, flavor: str, name: str = "reg"):
    """The one registered version of `name`, loaded with its flavor."""
    import mlflow
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.tracking_uri, registry_uri=run.tracking_uri)
    [version] = client.search_model_versions(f"name='{name}'")
    mlflow.set_tracking_uri(run.tracking_uri)
    mlflow.set_registry_uri(run.tracking_uri)
    os.environ["MLFLOW_ALLOW_PICKLE_DESERIALIZATION"] = "true"  # the torch flavor is pickled
    try:
        return getattr(mlflow, flavor).load_model(f"models:/{name}/{version.version}")
    finally:
        os.environ.pop("MLFLOW_ALLOW_PICKLE_DESERIALIZATION")


def _printed(run, label: str) -> float:
    return float(re.search(rf"^{label}: (\S+)$", run.stdout, re.MULTILINE).group(1))


XGB_NATIVE = """
    import numpy as np
    import xgboost as xgb

    rng = np.random.RandomState(0)
    X = rng.rand(200, 4)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    dtrain = xgb.DMatrix(X[:150], label=y[:150])
    dvalid = xgb.DMatrix(X[150:], label=y[150:])
    params = {"objective": "binary:logistic", "max_depth": 2, "eta": 0.3, "nthread": 1}
    bst = xgb.train(params, dtrain, num_boost_round=20, evals=[(dvalid, "valid")], verbose_eval=False)
    probe = xgb.DMatrix(np.full((1, 4), 0.9))
    print("probe: %.6f" % bst.predict(probe)[0])
    bst.save_model("bst.json")
"""

LGB_NATIVE = """
    import lightgbm as lgb
    import numpy as np

    rng = np.random.RandomState(1)
    X = rng.rand(300, 3)
    y = 2 * X[:, 0] - X[:, 2] + 0.01 * rng.randn(300)
    train_set = lgb.Dataset(X[:240], y[:240])
    valid_set = lgb.Dataset(X[240:], y[240:], reference=train_set)
    params = {"objective": "regression", "num_leaves": 7, "verbose": -1, "num_threads": 1}
    booster = lgb.train(params, train_set, num_boost_round=30, valid_sets=[valid_set])
    print("probe: %.6f" % booster.predict(np.full((1, 3), 0.5))[0])
"""


def test_a_native_xgboost_booster_is_logged_with_the_xgboost_flavor_not_its_dmatrix():
    result = _register(XGB_NATIVE)
    assert isinstance(result, Applied), result
    assert _log_line(result.code) == 'mlflow.xgboost.log_model(bst, name="model", registered_model_name="reg")'


def test_a_native_lightgbm_booster_is_logged_with_the_lightgbm_flavor():
    result = _register(LGB_NATIVE)
    assert isinstance(result, Applied), result
    assert _log_line(result.code) == 'mlflow.lightgbm.log_model(booster, name="model", registered_model_name="reg")'


@pytest.mark.parametrize("source", [XGB_NATIVE, LGB_NATIVE])
def test_a_script_that_only_trains_a_native_booster_is_offered_registration(source):
    assert ".fit(" not in source and "backward" not in source
    assert "register-mlflow" in applicable_tasks(textwrap.dedent(source))


@pytest.mark.slow
@pytest.mark.parametrize("source, flavor", [(XGB_NATIVE, "xgboost"), (LGB_NATIVE, "lightgbm")])
def test_the_registered_booster_loads_and_predicts_as_the_trained_one(tmp_path, source, flavor):
    import numpy as np

    result = _register(source)
    assert isinstance(result, Applied), result
    run = run_script(result.code, tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    booster = _load(run, flavor)
    assert type(booster).__name__ == "Booster"
    if flavor == "xgboost":
        import xgboost as xgb

        predicted = booster.predict(xgb.DMatrix(np.full((1, 4), 0.9)))[0]
    else:
        predicted = booster.predict(np.full((1, 3), 0.5))[0]
    assert predicted == pytest.approx(_printed(run, "probe"), abs=1e-5)


TRAINER = """
    import torch
    from torch import nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))

        def forward(self, x):
            return self.body(x)


    class Trainer:
        def __init__(self, model, lr, epochs):
            self.net = model
            self.epochs = epochs
            self.opt = torch.optim.SGD(model.parameters(), lr=lr)

        def _step(self, x, y):
            self.opt.zero_grad()
            loss = nn.functional.mse_loss(self.net(x), y)
            loss.backward()
            self.opt.step()
            return loss.item()

        def fit(self, x, y):
            for _ in range(self.epochs):
                last = self._step(x, y)
            return last


    def main():
        torch.manual_seed(0)
        x = torch.randn(64, 4)
        y = x.sum(dim=1, keepdim=True)
        net = Net()
        trainer = Trainer(net, lr=0.05, epochs=40)
        print("final loss: %.4f" % trainer.fit(x, y))
        with torch.no_grad():
            print("probe: %.6f" % net(torch.ones(1, 4)).item())


    if __name__ == "__main__":
        main()
"""


def test_a_model_a_trainer_object_trains_is_registered_after_the_trainer_fits():
    result = _register(TRAINER)
    assert isinstance(result, Applied), result
    assert _log_line(result.code) == ('mlflow.pytorch.log_model(net, name="model", registered_model_name="reg", '
                                      'serialization_format="pickle")')
    code = result.code
    assert code.index("trainer.fit(x, y)") < code.index("log_model(")


def test_a_trainer_that_trains_a_copy_leaves_the_passed_model_untrained_and_is_refused():
    copying = TRAINER.replace("self.net = model", "self.net = copy.deepcopy(model)").replace(
        "import torch\n", "import copy\n    import torch\n", 1)
    assert "copy.deepcopy(model)" in copying
    result = _register(copying)
    assert isinstance(result, Failed), result
    assert "not held in a local variable" in " ".join(result.reasons)


@pytest.mark.slow
def test_the_model_a_trainer_trained_is_the_registered_one(tmp_path):
    import torch

    result = _register(TRAINER)
    assert isinstance(result, Applied), result
    run = run_script(result.code, tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    net = _load(run, "pytorch").eval()
    with torch.no_grad():
        assert net(torch.ones(1, 4)).item() == pytest.approx(_printed(run, "probe"), abs=1e-5)


BUILDER = """
    import joblib
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LassoCV, RidgeCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler


    def build():
        def scaled(reg):
            return Pipeline([("scale", StandardScaler()), ("reg", reg)])

        return {"ridge": scaled(RidgeCV()), "lasso": scaled(LassoCV(cv=3))}


    def main():
        X, y = load_diabetes(return_X_y=True)
        candidates = build()
        scores = {}
        for key, est in candidates.items():
            est.fit(X[:300], y[:300])
            scores[key] = est.score(X[300:], y[300:])
        chosen = max(scores, key=scores.get)
        print("chosen:", chosen)
        print("probe: %.6f" % candidates[chosen].predict(X[:1])[0])
        joblib.dump(candidates[chosen], "chosen.joblib")


    if __name__ == "__main__":
        main()
"""


def test_the_model_kept_out_of_a_builders_dict_is_registered_once():
    result = _register(BUILDER)
    assert isinstance(result, Applied), result
    line = _log_line(result.code)
    assert line.startswith('mlflow.sklearn.log_model(candidates[chosen], name="model", registered_model_name="reg"')
    assert result.code.index("chosen = max(scores, key=scores.get)") < result.code.index("log_model(")
    assert result.code.count("log_model(") == 1  # after the loop, not once per candidate


@pytest.mark.slow
def test_the_kept_model_of_a_builders_dict_loads_and_predicts(tmp_path):
    from sklearn.datasets import load_diabetes

    result = _register(BUILDER)
    assert isinstance(result, Applied), result
    run = run_script(result.code, tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    model = _load(run, "sklearn")
    X, _ = load_diabetes(return_X_y=True)
    assert model.predict(X[:1])[0] == pytest.approx(_printed(run, "probe"), abs=1e-6)


MIXED = """
    from lightgbm import LGBMRegressor
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge
    from xgboost import XGBRegressor

    X, y = load_diabetes(return_X_y=True)
    models = {
        "xgb": XGBRegressor(n_estimators=3, max_depth=1),
        "lgbm": LGBMRegressor(n_estimators=200, num_leaves=15, verbose=-1),
        "ridge": Ridge(alpha=100.0),
    }
    scores = {}
    for key, est in models.items():
        est.fit(X, y)
        scores[key] = est.score(X, y)
    best = max(scores, key=scores.get)
    print("best:", best)
    print("probe: %.6f" % models[best].predict(X[:1])[0])
"""


def test_a_dict_mixing_sklearn_style_boosters_with_sklearn_logs_the_kept_one_with_the_sklearn_flavor():
    result = _register(MIXED)
    assert isinstance(result, Applied), result
    line = _log_line(result.code)
    # Which model wins is known only at run time: the flavor that saves all three, and the trust
    # list of installed libraries (a fitted LGBM estimator holds an OrderedDict too).
    assert line.startswith('mlflow.sklearn.log_model(models[best], name="model", registered_model_name="reg"')
    assert line.endswith('if t.split(".")[0] in installed or t in ("collections.OrderedDict", "functools.partial")])')


def test_a_dict_mixing_a_torch_network_with_an_estimator_is_refused():
    mixed = MIXED.replace('"ridge": Ridge(alpha=100.0),', '"net": nn.Linear(10, 1),').replace(
        "from xgboost import XGBRegressor", "from torch import nn\n    from xgboost import XGBRegressor")
    result = _register(mixed)
    assert isinstance(result, Failed), result
    assert "no one MLflow flavor" in " ".join(result.reasons)


@pytest.mark.slow
def test_the_kept_lightgbm_estimator_of_a_mixed_dict_loads_and_predicts(tmp_path):
    from sklearn.datasets import load_diabetes

    result = _register(MIXED)
    run = run_script(result.code, tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "best: lgbm" in run.stdout
    model = _load(run, "sklearn")
    assert type(model).__name__ == "LGBMRegressor"
    X, _ = load_diabetes(return_X_y=True)
    assert model.predict(X[:1])[0] == pytest.approx(_printed(run, "probe"), abs=1e-6)


def test_a_torch_script_that_configures_logging_keeps_its_log_lines():
    # `import mlflow.pytorch` at the top would add a root handler first, and basicConfig would do nothing.
    logged = TRAINER.replace("import torch\n", "import logging\n    import torch\n", 1).replace(
        "        torch.manual_seed(0)\n", "        logging.basicConfig(level=logging.INFO)\n        torch.manual_seed(0)\n")
    assert "basicConfig" in logged
    result = _register(logged)
    assert isinstance(result, Applied), result
    assert "import mlflow.pytorch" not in result.code and "mlflow.pytorch.log_model(net" in result.code
    assert "import mlflow.pytorch" in _register(TRAINER).code


@pytest.mark.slow
def test_importing_the_torch_flavor_takes_over_the_root_logger(tmp_path):
    """Why the import is left to mlflow's lazy loader in a script that configures logging."""
    import subprocess
    import sys

    probe = "import logging, mlflow.pytorch; print(len(logging.getLogger().handlers))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.stdout.strip() == "1", done.stderr[-2000:]
