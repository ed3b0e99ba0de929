"""How register-mlflow serializes the model: skops for sklearn, trusting only the library's own
types; pickle for torch, for the reasons the installed MLflow gives (checked here)."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.verify.pipeline import verify_candidate
from tests.core.runner import run_script

KNN = textwrap.dedent("""
    from sklearn.datasets import load_iris
    from sklearn.neighbors import KNeighborsClassifier

    X, y = load_iris(return_X_y=True)
    knn = KNeighborsClassifier(n_neighbors=5).fit(X, y)
    print(knn.score(X, y))
""")


def _register(source: str, name: str = "ser.py") -> str:
    result = adapt(source, "register-mlflow", AdaptOptions(backend="recipe", verify="static", path=name))
    assert isinstance(result, Applied), result
    return result.code


def test_skops_trusts_only_the_library_types_of_the_trained_model():
    line = next(x for x in _register(KNN).splitlines() if "log_model(" in x)
    assert ('skops_trusted_types=[t for installed in [importlib.metadata.packages_distributions()] '
            'for t in skops.io.get_untrusted_types(data=skops.io.dumps(knn)) '
            'if t.split(".")[0] in installed or t in ("collections.OrderedDict", "functools.partial")]') in line


def test_a_boosting_library_is_trusted_as_an_installed_library():
    code = _register(textwrap.dedent("""
        from sklearn.datasets import load_diabetes
        from sklearn.model_selection import GridSearchCV
        from xgboost import XGBRegressor

        X, y = load_diabetes(return_X_y=True)
        search = GridSearchCV(XGBRegressor(n_estimators=5), {"max_depth": [2, 3]}, cv=2)
        search.fit(X, y)
    """))
    # Which libraries are installed is read when the script runs, not named by the edit.
    assert 'if t.split(".")[0] in installed or t in ("collections.OrderedDict", "functools.partial")]' in code
    assert "xgboost." not in code


def test_a_known_clean_estimator_needs_no_trust_list():
    code = _register(KNN.replace("from sklearn.neighbors import KNeighborsClassifier",
                                 "from sklearn.linear_model import Ridge").replace(
        "KNeighborsClassifier(n_neighbors=5)", "Ridge(alpha=1.0)"))
    assert "skops" not in code and "serialization_format" not in code


def test_an_allow_list_that_trusts_every_type_is_a_recommendation():
    good = _register(KNN)
    line = next(x for x in good.splitlines() if "log_model(" in x)
    trust = line[line.index("skops_trusted_types="):-1]
    bad = good.replace(trust, "skops_trusted_types=skops.io.get_untrusted_types(data=skops.io.dumps(knn))")
    assert bad != good
    report = verify_candidate(KNN, bad, "register-mlflow", AdaptOptions(verify="static"))
    v4 = next(c for c in report.checks if c.id == "V4")
    assert report.ok and v4.status == "warn" and "trusts every type" in " ".join(v4.reasons)


@pytest.mark.slow
def test_the_narrowed_list_registers_a_model_that_loads_and_refuses_a_foreign_type(tmp_path):
    """Real MLflow: the KNN (two sklearn types to trust) registers and loads; a model holding
    builtins.eval is refused at log time instead of being written into the allow-list."""
    import mlflow
    from mlflow.tracking import MlflowClient

    code = _register(KNN)
    run = run_script(code, tmp_path / "knn")
    assert run.returncode == 0, run.stderr[-3000:]
    client = MlflowClient(tracking_uri=run.tracking_uri, registry_uri=run.tracking_uri)
    [version] = client.search_model_versions("name='ser'")
    mlflow.set_tracking_uri(run.tracking_uri)
    mlflow.set_registry_uri(run.tracking_uri)
    import os

    os.environ["MLFLOW_ALLOW_PICKLE_DESERIALIZATION"] = "true"
    try:
        loaded = mlflow.sklearn.load_model(f"models:/ser/{version.version}")
    finally:
        os.environ.pop("MLFLOW_ALLOW_PICKLE_DESERIALIZATION")
    assert type(loaded).__name__ == "KNeighborsClassifier"
    fit = next(line for line in code.splitlines() if "knn = KNeighborsClassifier" in line)
    indent = fit[: len(fit) - len(fit.lstrip())]
    tainted = code.replace(fit + "\n", f"{fit}\n{indent}knn.hook_ = eval\n")
    assert "knn.hook_ = eval" in tainted
    refused = run_script(tainted, tmp_path / "tainted")
    assert refused.returncode != 0 and "builtins.eval" in refused.stderr


TORCH = textwrap.dedent("""
    import torch
    from torch import nn

    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    x, y = torch.randn(32, 4), torch.randint(0, 2, (32,))
    for epoch in range(3):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
    print(loss.item())
""")


def test_a_torch_model_is_pickled():
    line = next(x for x in _register(TORCH).splitlines() if "log_model(" in x)
    assert line.strip() == ('mlflow.pytorch.log_model(net, name="model", registered_model_name="ser", '
                            'serialization_format="pickle")')


@pytest.mark.slow
def test_mlflows_default_for_torch_would_freeze_training_mode(tmp_path):
    """Why not MLflow 3's default (pt2): it needs a numpy input example, and a model exported where
    the recipe logs it (right after training, in train mode) keeps dropout on, for good."""
    import mlflow
    import mlflow.pytorch
    import numpy as np
    import torch
    from torch import nn

    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    net = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    with mlflow.start_run(), pytest.raises(mlflow.exceptions.MlflowException, match="input_example"):
        mlflow.pytorch.log_model(net, name="no_example")
    with mlflow.start_run():
        info = mlflow.pytorch.log_model(net, name="model", input_example=np.ones((2, 4), dtype=np.float32))
    import os

    os.environ["MLFLOW_ALLOW_PICKLE_DESERIALIZATION"] = "true"
    try:
        graph = mlflow.pytorch.load_model(info.model_uri)
    finally:
        os.environ.pop("MLFLOW_ALLOW_PICKLE_DESERIALIZATION")
    x = torch.ones(3, 4)
    assert not torch.equal(graph(x), graph(x))  # dropout is part of the exported graph
    with pytest.raises(NotImplementedError):
        graph.eval()
