"""Cheap per-document analysis (applicable tasks, hint sites) for code-action lists and diagnostics."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

TRAINING_CALLS = frozenset({"fit", "backward", "train", "train_on_batch", "fit_generator"})
TRACKING_TASKS = ("track-mlflow", "track-wandb")
DVC_TASKS = ("translate-gitpython-dvc",)


@dataclass(frozen=True)
class Hint:
    """One opt-in diagnostic: where it points, what it says and which tasks fix it."""

    line: int  # 0-based
    message: str
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class DocumentAnalysis:
    """What the server knows about one text without running the engine."""

    tasks: tuple[str, ...]
    hints: tuple[Hint, ...] = ()
    syntax_error: str | None = None


@lru_cache(maxsize=256)
def analyze_text(text: str) -> DocumentAnalysis:
    """Applicable tasks and hints for a text; cached by content, so unchanged buffers cost nothing."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as err:
        return DocumentAnalysis((), (), f"syntax error: {err}")
    tasks = tuple(_applicable_tasks(text))
    return DocumentAnalysis(tasks, tuple(_hints(tree, tasks)))


def _applicable_tasks(text: str) -> list[str]:
    """The core's stdlib-ast applicability check (imported here so start-up stays light)."""
    try:
        from mlops_adapt.applicability import applicable_tasks
    except ImportError:  # the core's check is not installed yet: offer every task, resolve decides
        from mlops_adapt.tasks import TASKS

        return list(TASKS)
    return applicable_tasks(text)


def _hints(tree: ast.Module, tasks: tuple[str, ...]) -> list[Hint]:
    """A tracking hint at the first training call, and a DVC hint at the GitPython import."""
    hints = []
    tracking = tuple(t for t in TRACKING_TASKS if t in tasks)
    if tracking:
        line = _first_line(tree, _is_training_call) or 0
        hints.append(Hint(line, "Training loop without experiment tracking", tracking))
    if all(t in tasks for t in DVC_TASKS):
        line = _first_line(tree, _imports_gitpython) or 0
        hints.append(
            Hint(line, "Data files versioned with GitPython; DVC can version them", DVC_TASKS)
        )
    return hints


def _first_line(tree: ast.Module, predicate) -> int | None:
    lines = [node.lineno - 1 for node in ast.walk(tree) if predicate(node)]
    return min(lines) if lines else None


def _is_training_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in TRAINING_CALLS
    )


def _imports_gitpython(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name == "git" for alias in node.names)
    return isinstance(node, ast.ImportFrom) and node.module == "git"
