"""TaskRules: the per-task scope policy (V2) and postconditions (V4), discovered by task id."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import ClassVar, Literal

import libcst as cst

from mlops_adapt.analysis.model import Facts
from mlops_adapt.options import AdaptOptions


class TaskRules:
    """Default rules: additive scope, no postconditions."""

    TASK: ClassVar[str] = ""
    SCOPE: ClassVar[Literal["additive", "restructure", "translate"]] = "additive"
    # Names (besides the task library) that added code may use, e.g. "dataclasses".
    HELPER_NAMES: ClassVar[frozenset[str]] = frozenset()

    def allowed_change(self, original_stmt: str, candidate_stmts: list[str]) -> bool:
        """Restructure scope: may this original statement be missing in its exact form?"""
        return False

    def allowed_addition(self, added_stmt: str) -> bool:
        """Additive scope: may this added statement stay although it does not use the library?

        Example: optimize-prune adds `acc_pruned = evaluate(model)` to report the metric again.
        """
        return False

    def removable(self, original_stmt: str) -> bool:
        """Translate scope: may this original statement be removed or replaced?"""
        return False

    def postconditions(
        self, original: cst.Module, candidate: cst.Module, facts: Facts, options: AdaptOptions
    ) -> list[str]:
        """Failure reasons read from the candidate's code; empty when the task is done."""
        return []


@lru_cache(maxsize=1)
def discover_rules() -> dict[str, TaskRules]:
    """Instances of every TaskRules subclass in mlops_adapt.verify.rules, by task id."""
    import mlops_adapt.verify.rules as package

    found: dict[str, TaskRules] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, TaskRules) and value.TASK:
                found[value.TASK] = value()
    return found


def rules_for(task: str) -> TaskRules:
    """The rules of a task, or the default additive rules."""
    return discover_rules().get(task) or TaskRules()
