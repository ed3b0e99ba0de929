"""V5 checks of `register-mlflow`, inlined into the generated test: a registered model version
exists, with the flavor of the trained model.
"""

from __future__ import annotations

# inline: drop-start
from mlops_adapt.verify.testkit import (
    FLAVORS,
)

# inline: drop-end


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
    if "sklearn" in FLAVORS:
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted

        for v in ready:
            try:
                model = mlflow.sklearn.load_model(f"models:/{v.name}/{v.version}")
            except Exception:
                continue  # not an sklearn model: the flavor check above speaks for it
            try:
                check_is_fitted(model)
            except NotFittedError:
                raise AssertionError(f"the registered model {v.name} v{v.version} was never trained (logged before fit)")
