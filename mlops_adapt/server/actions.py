"""Applicable tasks to LSP code actions (titles with safety labels), and resolve data back to a task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from mlops_adapt.server.analysis import DocumentAnalysis
from mlops_adapt.server.settings import Settings
from mlops_adapt.tasks import TASKS

KIND_PREFIX = "refactor.rewrite.mlops"
DIAGNOSTIC_SOURCE = "mlops-adapt"


class BadActionData(ValueError):
    """A code action sent back for resolve whose data this server did not produce."""


@dataclass(frozen=True)
class ActionData:
    """What a listed action carries to resolve: which document, which version, which task."""

    uri: str
    version: int
    task: str

    def to_json(self) -> dict[str, Any]:
        return {"uri": self.uri, "version": self.version, "task": self.task}

    @classmethod
    def from_json(cls, raw: Any) -> ActionData:
        """Validate resolve data, raising BadActionData with the reason."""
        if not isinstance(raw, dict):
            raise BadActionData(f"code action data must be an object, got {type(raw).__name__}")
        uri, version, task = raw.get("uri"), raw.get("version"), raw.get("task")
        if not isinstance(uri, str) or not uri:
            raise BadActionData("code action data has no document uri")
        if not isinstance(version, int) or isinstance(version, bool):
            raise BadActionData("code action data has no integer document version")
        if task not in TASKS:
            raise BadActionData(f"code action data names an unknown task: {task!r}")
        return cls(uri, version, task)


def action_kind(task: str) -> str:
    """The code action kind of a task, e.g. refactor.rewrite.mlops.track-mlflow."""
    return f"{KIND_PREFIX}.{task}"


def title(task: str, safety: str) -> str:
    """The menu title: the task's title and its safety label."""
    return f"MLOps: {TASKS[task].title} [{safety}]"


def expected_safety(task: str) -> str:
    """The label a recipe edit of this task gets, shown before the edit exists (resolve confirms it)."""
    from mlops_adapt.verify.rules.base import rules_for
    from mlops_adapt.verify.safety import expected_safety as label_for_scope

    return str(label_for_scope(rules_for(task).SCOPE))


def list_actions(
    data_for: Any,
    analysis: DocumentAnalysis,
    settings: Settings,
    only: list[str] | None,
    known_safety: dict[str, str],
) -> list[types.CodeAction]:
    """One unresolved refactor action per applicable, enabled task that the client asked for."""
    actions = []
    for task in analysis.tasks:
        if task not in settings.enabled_tasks or not kind_requested(action_kind(task), only):
            continue
        safety = known_safety.get(task) or expected_safety(task)
        actions.append(
            types.CodeAction(
                title=title(task, safety), kind=action_kind(task), data=data_for(task).to_json()
            )
        )
    return actions


def quick_fixes(
    data_for: Any, diagnostics: list[types.Diagnostic], settings: Settings, only: list[str] | None
) -> list[types.CodeAction]:
    """Quick fixes for this server's own hints (diagnostic data lists the tasks that fix them)."""
    if not kind_requested(types.CodeActionKind.QuickFix, only):
        return []
    fixes = []
    for diagnostic in diagnostics:
        if diagnostic.source != DIAGNOSTIC_SOURCE or not isinstance(diagnostic.data, dict):
            continue
        for task in diagnostic.data.get("tasks", []):
            if task in TASKS and task in settings.enabled_tasks:
                fixes.append(
                    types.CodeAction(
                        title=title(task, expected_safety(task)),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        data=data_for(task).to_json(),
                    )
                )
    return fixes


def kind_requested(kind: str, only: list[str] | None) -> bool:
    """LSP 'only' filtering: a requested kind matches itself and every sub-kind."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)
