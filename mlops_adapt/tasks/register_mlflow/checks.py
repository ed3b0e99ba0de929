"""V5 checks of `register-mlflow`, inlined into the generated test: a registered model version
exists, with the flavor of the trained model; every READY version loads with its flavor and is the
trained model (an instance of one of the script's model classes, and fitted when it is a
scikit-learn estimator). Many versions registered in one run (every model of a sweep) are reported
as a warning, not a failure.
"""

from __future__ import annotations

import pytest

# inline: drop-start
from mlops_adapt.verify.testkit import (
    FLAVORS,
)

MODEL_CLASSES: list[str] = []
# inline: drop-end

# Flavors whose loader gives back the native model object, in the order they are tried.
NATIVE_FLAVORS = ("sklearn", "pytorch", "xgboost", "lightgbm")


def _ready_versions(run):
    """(mlflow, every READY registered model version), reading the sandbox's registry."""
    import mlflow
    from mlflow.tracking import MlflowClient

    mlflow.set_tracking_uri(run.mlflow_uri)
    mlflow.set_registry_uri(run.mlflow_uri)
    client = MlflowClient(tracking_uri=run.mlflow_uri, registry_uri=run.mlflow_uri)
    versions = [
        v for m in client.search_registered_models() for v in client.search_model_versions(f"name='{m.name}'")
    ]
    return mlflow, [v for v in versions if v.status == "READY"]


def test_registered_model_version_exists(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    import mlflow
    from mlflow.tracking import MlflowClient

    mlflow.set_tracking_uri(run.mlflow_uri)
    mlflow.set_registry_uri(run.mlflow_uri)
    client = MlflowClient(tracking_uri=run.mlflow_uri, registry_uri=run.mlflow_uri)
    models = client.search_registered_models()
    assert models, "no model was registered in the MLflow Model Registry"
    versions = [v for m in models for v in client.search_model_versions(f"name='{m.name}'")]
    assert versions, f"registered model(s) {[m.name for m in models]} have no version"
    ready = [v for v in versions if v.status == "READY"]
    assert ready, f"no model version is READY: {[(v.name, v.version, v.status) for v in versions]}"
    if FLAVORS:
        found = set()
        for v in ready:
            info = mlflow.models.get_model_info(f"models:/{v.name}/{v.version}")
            found.update(info.flavors)
        assert set(FLAVORS) & found, f"the registered model has flavors {sorted(found)}, expected one of {FLAVORS}"


def test_registered_model_is_the_trained_model(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    mlflow, ready = _ready_versions(run)
    assert ready, "no registered model version is READY"
    for v in ready:
        uri = f"models:/{v.name}/{v.version}"
        flavors = mlflow.models.get_model_info(uri).flavors
        flavor = next((f for f in NATIVE_FLAVORS if f in flavors), None)
        if flavor is None:
            continue  # a pyfunc wrapper: its own predict decides what it is
        try:
            model = getattr(mlflow, flavor).load_model(uri)
        except Exception as err:  # noqa: BLE001 - any load error is the finding
            raise AssertionError(
                f"the registered model {v.name} v{v.version} does not load with mlflow.{flavor}: "
                f"{type(err).__name__}: {str(err)[:300]}"
            ) from None
        lineage = {k.__name__ for k in type(model).__mro__}
        what = f"the registered model {v.name} v{v.version} is a {type(model).__name__}"
        if flavor == "pytorch":
            import torch

            assert isinstance(model, torch.nn.Module), f"{what}, not a torch.nn.Module"
            # The pt2 format loads a traced graph (a GraphModule), no longer the script's class.
            if "GraphModule" not in lineage and MODEL_CLASSES:
                assert lineage & set(MODEL_CLASSES), f"{what}, not one of the script's models {MODEL_CLASSES}"
            continue
        if MODEL_CLASSES:
            assert lineage & set(MODEL_CLASSES), f"{what}, not one of the script's models {MODEL_CLASSES}"
        if flavor == "sklearn":
            from sklearn.exceptions import NotFittedError
            from sklearn.utils.validation import check_is_fitted

            try:
                check_is_fitted(model)
            except NotFittedError:
                raise AssertionError(
                    f"the registered model {v.name} v{v.version} was never trained (logged before fit)"
                ) from None
            except TypeError:
                pass  # not an estimator: the class check above speaks for it


def test_one_chosen_model_is_registered(run):
    if run.returncode != 0:
        pytest.skip("the script failed (reported above)")
    _, ready = _ready_versions(run)
    if len(ready) > 1:
        names = sorted({f"{v.name} v{v.version}" for v in ready})
        pytest.skip(
            f"warning: {len(ready)} model versions were registered in one run ({', '.join(names)}): "
            "if these are the candidates of a sweep, register the chosen (best) one"
        )


# inline: drop-start
# The kept test's check (`apply --write --emit-test`): testgen copies the kept_ functions into
# that test, with verify/kept.py; the V5 test above does not carry them.


def kept_side_effect(run):
    """a model version is registered, READY, and loads back with mlflow.pyfunc."""
    import mlflow
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.mlflow_uri, registry_uri=run.mlflow_uri)
    versions = client.search_model_versions()
    assert versions, "no model version was registered"
    ready = [v for v in versions if v.status == "READY"]
    assert ready, f"no registered version is READY: {[v.status for v in versions]}"
    mlflow.set_tracking_uri(run.mlflow_uri)
    mlflow.set_registry_uri(run.mlflow_uri)
    latest = max(ready, key=lambda v: int(v.version))
    model = mlflow.pyfunc.load_model(f"models:/{latest.name}/{latest.version}")
    assert model is not None
# inline: drop-end
