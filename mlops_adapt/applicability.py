"""Cheap, stdlib-only signals of what a document does; each task's SPEC.applies reads them."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

from mlops_adapt.vocabulary import SKLEARN_TRAINING_CALLS


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


def trains_sklearn(sig: Signals) -> bool:
    """A scikit-learn style fit or cross-validation call."""
    return bool(SKLEARN_TRAINING_CALLS & sig.calls)


def trains_torch(sig: Signals) -> bool:
    """A torch training loop (torch imported and a backward pass)."""
    return "torch" in sig.imports and "backward" in sig.calls


def trains(sig: Signals) -> bool:
    """Any training the tasks can attach to."""
    return trains_sklearn(sig) or trains_torch(sig) or "train" in sig.calls


def applicable_tasks(source: str) -> list[str]:
    """Task ids whose detection predicate accepts this source, in catalog order."""
    from mlops_adapt.tasks import TASKS

    sig = signals(source)
    if sig is None:
        return []
    return [task_id for task_id, spec in TASKS.items() if spec.applies(sig)]
