"""V2/V4 rules for register-mlflow: the trained model is logged with its flavor and registered."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import calls_in, code
from mlops_adapt.tasks.register_mlflow import SPEC
from mlops_adapt.tasks.track_mlflow.rules import ENDS, STARTS
from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.rules.tracking_common import call_sites, library_calls, trains

_REFIT = re.compile(r"[A-Za-z_]\w*\.fit\([A-Za-z_][\w\[\]:, .]*\)")
FLAVOR_OF = {"sklearn": "sklearn", "torch": "pytorch", "xgboost": "xgboost", "lightgbm": "lightgbm"}


class RegisterMlflowRules(TaskRules):
    TASK = SPEC.id

    def allowed_addition(self, added_stmt: str) -> bool:
        # A model only scored by cross-validation is fitted once on the same data to be registered.
        return bool(_REFIT.fullmatch(added_stmt.strip()))

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
            # search.best_estimator_ is the model a fitted GridSearchCV `search` holds
            logged_objects = {code(c.node.args[0].value).removesuffix(".best_estimator_")
                              for c in log_models if c.node.args}
            if not logged_objects & {m.var for m in trained}:
                problems.append(f"the logged object {sorted(logged_objects)} is not the trained model")
            problems += _logged_before_training(candidate, log_models, trained)
        if log_models and registers:
            problems += _registered_before_logged(candidate, registers, log_models)
        return problems


def _logged_before_training(candidate: cst.Module, log_models, trained) -> list[str]:
    """A model logged where no training of it ran yet, but training of it follows."""
    problems: list[str] = []
    by_var = {m.var: m for m in trained}
    sites = call_sites(candidate, [c.node for c in log_models])
    for c in log_models:
        if not c.node.args:
            continue
        model = by_var.get(code(c.node.args[0].value))
        site = sites.get(id(c.node))
        if model is None or site is None:
            continue
        if any(trains(s, model.var, model.framework) for s in site.before()):
            continue
        later = next((t for s in site.after() if (t := trains(s, model.var, model.framework))), None)
        if later:
            problems.append(
                f"`{c.name}` at line {c.line} logs `{model.var}` before it is trained "
                f"(`{later}` runs after it): register the trained model"
            )
    return problems


def _registered_before_logged(candidate: cst.Module, registers, log_models) -> list[str]:
    """`mlflow.register_model(...)` must come after the log_model whose URI it registers."""
    problems: list[str] = []
    sites = call_sites(candidate, [c.node for c in registers + log_models])
    logged = {id(c.node) for c in log_models}
    for c in registers:
        site = sites.get(id(c.node))
        if site is None:
            continue
        before = {id(k) for s in site.before() for k in calls_in(s)}
        after = {id(k) for s in site.after() for k in calls_in(s)}
        if not before & logged and after & logged:
            problems.append(f"`{c.name}` at line {c.line} registers the model before it is logged (log_model runs after it)")
    return problems
