"""A result reported where a shared evaluation function returns, relayed to the objective from its validation call."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from mlops_adapt.analysis.exprs import call_name, calls_in, iter_nodes, names_in
from mlops_adapt.analysis.sites import MetricSite
from mlops_adapt.tasks.hpo_optuna.objective import is_test_name, is_train_name

# Parts of a data name that say it is validation data (`valid_data`, `X_val`, `dev_loader`).
_VALIDATION_PART = re.compile(r"^(x|y)?(val|va|valid|validation|dev|holdout)(set|data|loader|ds|idx|ids|index)?$")


@dataclass(frozen=True)
class Relay:
    """`evaluate(model, data)` returns the reported value and is called on validation and test data:
    the return records its latest value, and the statement calling it on validation data hands that
    value to the objective (the test call, made later, does not)."""

    function: str
    statement: cst.BaseStatement  # the one statement that calls the function on validation data


class ScoredOnTestToo(Exception):
    """The function is also called on test data, and no single validation call can carry the objective."""


def relay_for(tree: cst.Module, site: MetricSite) -> Relay | None:
    """The relay a return-anchored site needs, None when every call of its function is on the same data."""
    func = site.ctx.function if site.ctx is not None else None
    returns = isinstance(site.anchor, cst.SimpleStatementLine) and isinstance(site.anchor.body[0], cst.Return)
    if func is None or not returns or not isinstance(func, cst.FunctionDef):
        return None
    name = func.name.value
    on_test: list[cst.BaseStatement] = []
    on_validation: list[cst.BaseStatement] = []
    for stmt in _simple_statements(tree):
        for call in calls_in(stmt):
            if call_name(call) != name:
                continue
            data = set().union(*(names_in(a.value) for a in call.args)) if call.args else set()
            if any(is_test_name(n) for n in data):
                on_test.append(stmt)
            elif any(_validation_name(n) for n in data):
                on_validation.append(stmt)
    if not on_test:
        return None
    if len(on_validation) != 1 or any(s is on_validation[0] for s in on_test):
        raise ScoredOnTestToo(
            f"`{name}()` computes the reported metric for the test split as well as for validation data, "
            "and no single call on validation data was found to take the study's score from"
        )
    return Relay(name, on_validation[0])


def scored_on_validation(tree: cst.Module, site: MetricSite) -> bool:
    """The site's function is called, and every call passes validation data (`X[va_idx]`, `X_val`) and
    no test data: `train(opt, X_tr, y_tr, X_va, y_va, ...)` returning its best validation accuracy. The
    site's own statement must not read training results (`avg_acc = np.mean(train_acc)` is the training score)."""
    if any(is_train_name(n) for n in names_in(site.anchor)):
        return False
    if _reads_validation_entry(site.anchor):
        return True
    func = site.ctx.function if site.ctx is not None else None
    if not isinstance(func, cst.FunctionDef):
        return False
    calls = [call for call in calls_in(tree) if call_name(call) == func.name.value]
    for call in calls:
        data = set().union(*(names_in(a.value) for a in call.args)) if call.args else set()
        if any(is_test_name(n) for n in data) or not any(_validation_name(n) for n in data):
            return False
    return bool(calls)


def _reads_validation_entry(anchor: cst.CSTNode) -> bool:
    """`best_nll = evals_result["valid"]["aft-nloglik"][i]`: the score read from the validation entry of a
    library's record of its evaluations (xgboost's `evals_result`, LightGBM's `record_evaluation`)."""
    if not (isinstance(anchor, cst.SimpleStatementLine) and len(anchor.body) == 1 and isinstance(anchor.body[0], cst.Assign)):
        return False
    keys = [n.evaluated_value for n in iter_nodes(anchor.body[0].value) if isinstance(n, cst.SimpleString)]
    names = names_in(anchor.body[0].value)
    return (any(isinstance(k, str) and _validation_name(k) for k in keys)
            and not any(is_test_name(n) for n in names) and not any(isinstance(k, str) and is_test_name(k) for k in keys))


def _validation_name(name: str) -> bool:
    return any(_VALIDATION_PART.match(p) for p in re.split(r"_+", name.lower()) if p)


def _simple_statements(tree: cst.Module) -> list[cst.BaseStatement]:
    """Every one-line statement of the module, in function bodies and blocks too."""
    return [n for n in iter_nodes(tree) if isinstance(n, cst.SimpleStatementLine)]
