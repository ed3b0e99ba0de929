"""Cheap, stdlib-only guess of which tasks apply to a document (for code-action lists and hints)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Signals:
    """What a quick look at the syntax tree shows."""

    imports: frozenset[str]
    calls: frozenset[str]  # last name of every called function or method
    text_has: frozenset[str]


_MARKERS = ("registered_model_name", "register_model", "quantize_dynamic", "global_unstructured",
            "l1_unstructured", "create_study", "dvc")


@lru_cache(maxsize=64)
def signals(source: str) -> Signals | None:
    """Imports and called names, or None when the source does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    imports: set[str] = set()
    calls: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imports.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                calls.add(func.attr)
            elif isinstance(func, ast.Name):
                calls.add(func.id)
    return Signals(frozenset(imports), frozenset(calls), frozenset(m for m in _MARKERS if m in source))


def applicable_tasks(source: str) -> list[str]:
    """Task ids that make sense for this source, in catalog order."""
    sig = signals(source)
    if sig is None:
        return []
    trains_sklearn = bool({"fit", "partial_fit", "cross_val_score", "cross_validate"} & sig.calls)
    trains_torch = "torch" in sig.imports and "backward" in sig.calls
    trains = trains_sklearn or trains_torch or "train" in sig.calls
    tracked_mlflow = "mlflow" in sig.imports and bool({"log_metric", "log_metrics", "log_param", "log_params", "autolog"} & sig.calls)
    tasks: list[str] = []
    if trains and not tracked_mlflow:
        tasks.append("track-mlflow")
    if trains and not ("wandb" in sig.imports and "log" in sig.calls):
        tasks.append("track-wandb")
    if trains and "optuna" not in sig.imports:
        tasks.append("hpo-optuna")
    if (trains_sklearn or trains_torch) and not {"registered_model_name", "register_model"} & sig.text_has:
        tasks.append("register-mlflow")
    if trains_torch and not {"global_unstructured", "l1_unstructured"} & sig.text_has:
        tasks.append("optimize-prune")
    if trains_torch and "quantize_dynamic" not in sig.text_has:
        tasks.append("optimize-quantize")
    if "git" in sig.imports and "dvc" not in sig.imports:
        tasks.append("translate-gitpython-dvc")
    return tasks
