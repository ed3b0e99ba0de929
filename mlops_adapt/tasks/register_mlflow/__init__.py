"""Task `register-mlflow`: log and register the trained model in the MLflow Model Registry."""

from __future__ import annotations

from mlops_adapt.applicability import Signals, trains_sklearn, trains_torch
from mlops_adapt.tasks.spec import TaskSpec


def applies(sig: Signals) -> bool:
    """Does this file look like it wants `register-mlflow`?"""
    registered = bool({"registered_model_name", "register_model"} & sig.text_has)
    # `bst = xgb.train(params, dtrain)`: a native Booster is a model to register too.
    native = "train" in sig.calls and bool({"xgboost", "lightgbm"} & sig.imports)
    return (trains_sklearn(sig) or trains_torch(sig) or native) and not registered


SPEC = TaskSpec(
    id="register-mlflow",
    kind="inline",
    target="MLflow Model Registry",
    library="mlflow",
    title="Log and register the trained model in the MLflow Model Registry",
    applies=applies,
    options={
        "model_name": "the name the model is registered under",
        "own_code": "refuse (default) or cloudpickle: register a model holding the script's own code, pickled by value",
    },
    order=3,
    paper_group="model registration",
)
