"""V2/V4 rules for register-mlflow: the trained model is logged with its flavor and registered."""

from __future__ import annotations

from mlops_adapt.analysis.exprs import code
from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.rules.tracking_common import library_calls
from mlops_adapt.verify.rules.track_mlflow import ENDS, STARTS

FLAVOR_OF = {"sklearn": "sklearn", "torch": "pytorch", "xgboost": "xgboost", "lightgbm": "lightgbm"}


class RegisterMlflowRules(TaskRules):
    TASK = "register-mlflow"

    def postconditions(self, original, candidate, facts, options):
        calls = library_calls(candidate, "mlflow", STARTS, ENDS)
        problems = []
        log_models = [c for c in calls if c.name.endswith(".log_model")]
        registers = [c for c in calls if c.name == "mlflow.register_model"]
        if not log_models and not registers:
            return ["the model is never logged with an MLflow flavor (mlflow.<flavor>.log_model)"]
        registered = registers or [
            c for c in log_models if any(a.keyword and a.keyword.value == "registered_model_name" for a in c.node.args)
        ]
        if not registered:
            problems.append("the logged model is not registered (registered_model_name=...)")
        if not any(c.name in STARTS for c in calls):
            problems.append("the model is not logged inside an MLflow run (mlflow.start_run)")
        for c in log_models:
            if not c.active:
                problems.append(f"`{c.name}` at line {c.line} runs outside an active MLflow run")
            if any(a.keyword and a.keyword.value == "artifact_path" for a in c.node.args):
                problems.append(f"`{c.name}` at line {c.line} uses artifact_path=, deprecated in MLflow 3 (use name=)")
        trained = [m for m in facts.models if m.trained_line]
        if trained and log_models:
            frameworks = {m.framework for m in trained}
            flavors = {c.name.split(".")[1] for c in log_models}
            if not flavors & {FLAVOR_OF.get(f, f) for f in frameworks}:
                problems.append(
                    f"model flavor {sorted(flavors)} does not match the trained model's framework {sorted(frameworks)}"
                )
            logged_objects = {code(c.node.args[0].value) for c in log_models if c.node.args}
            if not logged_objects & {m.var for m in trained}:
                problems.append(f"the logged object {sorted(logged_objects)} is not the trained model")
        return problems
