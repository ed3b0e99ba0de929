"""TaskRules: the per-task scope policy (V2) and postconditions (V4), discovered from the task folders."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar, Literal

import libcst as cst

from mlops_adapt.analysis.model import Facts
from mlops_adapt.options import AdaptOptions


class Recommendation(str):
    """A postcondition finding worth fixing but not wrong (a seed not logged): reported as a warning."""


class TaskRules:
    """Base of every task's rules: the scope policy and postconditions it overrides."""

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

    def allowed_capability(self, use) -> bool:
        """May the edit add this capability use (a verify.capabilities.Use)? None by default."""
        return False

    def removable(self, original_stmt: str) -> bool:
        """Translate scope: may this original statement be removed or replaced?"""
        return False

    def test_constants(self, original: str, candidate: str, facts: dict) -> dict:
        """Task-specific constants for the generated V5 test (names its checks.py declares)."""
        return {}

    def postconditions(
        self, original: cst.Module, candidate: cst.Module, facts: Facts, options: AdaptOptions
    ) -> list[str]:
        """Failure reasons read from the candidate's code; empty when the task is done.

        Findings wrapped in Recommendation are warnings: they do not reject the candidate.
        """
        return []


@lru_cache(maxsize=1)
def discover_rules() -> dict[str, TaskRules]:
    """An instance of the TaskRules subclass in each task folder's rules.py, by task id."""
    from mlops_adapt.tasks import TASKS, task_module

    found: dict[str, TaskRules] = {}
    for task_id in TASKS:
        module = task_module(task_id, "rules")
        classes = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, TaskRules) and value.TASK == task_id
        ]
        if len(classes) != 1:
            raise ImportError(f"{module.__name__} must define exactly one TaskRules for {task_id}")
        found[task_id] = classes[0]()
    return found


def rules_for(task: str) -> TaskRules:
    """The rules of a task; every task folder has them (no silent default)."""
    return discover_rules()[task]
