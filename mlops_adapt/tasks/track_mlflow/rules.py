"""V2/V4 rules for track-mlflow: logs happen in a run, every hyperparameter and metric is logged."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import code, dotted, names_in, nodes_of
from mlops_adapt.tasks.track_mlflow import SPEC
from mlops_adapt.verify.rules.base import Recommendation, TaskRules
from mlops_adapt.verify.rules.run_shape import (
    params_in_layer_init,
    per_batch_without_step,
    run_before_config,
    run_on_import,
    runs_split_or_repeated,
    unguarded_run_end,
    same_setting_twice,
)
from mlops_adapt.verify.rules.tracking_common import (
    call_sites,
    derived_names,
    library_calls,
    hard_coded_values,
    logged_after_reset,
    logged_by,
    misreported_params,
    missing_hyperparams,
    missing_metrics,
    reported_names,
    trains,
)

STARTS = {"mlflow.start_run"}
ENDS = {"mlflow.end_run"}
PARAM_LOGS = {"log_param", "log_params", "set_tag", "set_tags"}
METRIC_LOGS = {"log_metric", "log_metrics"}


def run_problems(calls) -> list[str]:
    """A run must be started (autologging starts its own), and no log call may run outside it."""
    problems = []
    autolog = any(c.name.endswith(".autolog") for c in calls)
    if not any(c.name in STARTS for c in calls) and not autolog:
        problems.append("no MLflow run is started (mlflow.start_run)")
    for c in calls:
        short = c.name.split(".")[-1]
        if short.startswith("log_") and not c.active:
            problems.append(f"`{c.name}` at line {c.line} runs outside an active MLflow run")
    return problems


class TrackMlflowRules(TaskRules):
    TASK = SPEC.id
    HELPER_NAMES = frozenset({"dataclasses"})

    def postconditions(self, original, candidate, facts, options):
        calls = library_calls(candidate, "mlflow", STARTS, ENDS)
        problems = run_problems(calls)
        autolog = any(c.name.endswith("autolog") for c in calls)
        params = logged_by(calls, PARAM_LOGS, candidate)
        late, autologged = autolog_coverage(original, candidate, facts, calls)
        problems += late
        params.names |= autologged
        problems += missing_hyperparams(facts, params, autolog)
        metrics = missing_metrics(facts, logged_by(calls, METRIC_LOGS, candidate), derived_names(candidate), reported_names(original))
        if autolog and _autolog_sees_metric_calls(candidate.code):
            # Autologging records sklearn.metrics calls imported after it is on; V5 checks the run.
            metrics = [m if isinstance(m, Recommendation) else Recommendation(m) for m in metrics]
        problems += metrics
        problems += misreported_params(facts, [c for c in calls if c.name.split(".")[-1] in PARAM_LOGS])
        problems += logged_after_reset(candidate, calls, METRIC_LOGS)
        problems += hard_coded_values(calls, METRIC_LOGS)
        problems += run_on_import(original, candidate, STARTS)
        problems += run_before_config(candidate, STARTS)
        problems += unguarded_run_end(original, candidate, STARTS, ENDS)
        problems += runs_split_or_repeated(original, candidate, STARTS)
        problems += params_in_layer_init(candidate, PARAM_LOGS - {"set_tag", "set_tags"})
        problems += per_batch_without_step(candidate, METRIC_LOGS)
        problems += same_setting_twice([c for c in calls if c.name.split(".")[-1] in ("log_param", "log_params")])
        return problems


def _autolog_sees_metric_calls(text: str) -> bool:
    """Autologging patches sklearn.metrics when it is turned on: names imported before stay unpatched."""
    lines = text.splitlines()
    on = next((i for i, line in enumerate(lines) if "autolog(" in line), None)
    imported = next(
        (i for i, line in enumerate(lines) if re.match(r"\s*(from sklearn(\.metrics)? import|import sklearn)", line)),
        None,
    )
    return on is not None and (imported is None or on < imported)


# Frameworks whose MLflow autologging records the estimator's constructor parameters.
AUTOLOG_FLAVORS = {"sklearn": "sklearn", "xgboost": "xgboost", "lightgbm": "lightgbm"}


def autolog_coverage(original, candidate, facts, calls) -> tuple[list[str], set[str]]:
    """Autologging (`mlflow.autolog()`, `mlflow.sklearn.autolog()`) before training logs the model's params.

    Returns (problems, names): an autolog call that runs only after the model it should record was
    trained is a problem; otherwise the names passed to the trained models' constructors
    (`MLPClassifier(**params)`, `RandomForestClassifier(n_estimators=N_ESTIMATORS)`) count as logged.
    """
    autologs = [c for c in calls if c.name.endswith(".autolog")]
    if not autologs:
        return [], set()
    problems: list[str] = []
    names: set[str] = set()
    sites = call_sites(candidate, [c.node for c in autologs])
    models = [m for m in facts.models if m.trained_line and m.framework in AUTOLOG_FLAVORS]
    for c in autologs:
        flavor = c.name.split(".")[1] if c.name.count(".") == 2 else None
        covered = [m for m in models if flavor is None or AUTOLOG_FLAVORS[m.framework] == flavor]
        if not covered:
            continue
        site = sites.get(id(c.node))
        late = None
        if site is not None:
            before = [t for m in covered for s in site.before() if (t := trains(s, m.var, m.framework))]
            after = [t for m in covered for s in site.after() if (t := trains(s, m.var, m.framework))]
            late = before[0] if before and not after else None
        if late:
            problems.append(
                f"`{c.name}` at line {c.line} runs after the model is trained (`{late}`): autologging records nothing"
            )
            continue
        names |= _constructor_names(original, covered)
    return problems, names


def _constructor_names(original, models) -> set[str]:
    """Names passed to the constructors of the given models in the original."""
    found: set[str] = set()
    wanted = {m.var: m.constructor for m in models}
    for node in nodes_of(original, (cst.Assign,)):
        if not isinstance(node.value, cst.Call):
            continue
        for target in node.targets:
            name = code(target.target)
            callee = (dotted(node.value.func) or "").rsplit(".", 1)[-1]
            if name in wanted and callee == wanted[name]:
                for arg in node.value.args:
                    found |= names_in(arg.value)
    return found
