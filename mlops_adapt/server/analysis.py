"""Cheap per-document analysis (applicable tasks, hint sites) for code-action lists and diagnostics."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

from mlops_adapt.vocabulary import HINT_TRAINING_CALLS as TRAINING_CALLS


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


class DocumentAnalyses:
    """The latest analysis of each open document; changes are re-analysed off the event loop."""

    def __init__(self) -> None:
        self._latest: dict[str, DocumentAnalysis] = {}

    def for_listing(self, uri: str, text: str) -> DocumentAnalysis:
        """The document's latest analysis (at most the edits still being analysed behind), else now.

        Listing actions never waits for a parse of a just-changed 2,000-line buffer; the actions
        carry the current version, and resolve always works on the current text.
        """
        latest = self._latest.get(uri)
        return latest if latest is not None else self.store(uri, analyze_text(text))

    def store(self, uri: str, analysis: DocumentAnalysis) -> DocumentAnalysis:
        self._latest[uri] = analysis
        return analysis

    def forget(self, uri: str) -> None:
        self._latest.pop(uri, None)


@lru_cache(maxsize=256)
def analyze_text(text: str) -> DocumentAnalysis:
    """Applicable tasks for a text; cached by content, so unchanged buffers cost nothing."""
    return DocumentAnalysis(tuple(_applicable_tasks(text)))


@lru_cache(maxsize=64)
def hints_for(text: str) -> tuple[Hint, ...]:
    """Diagnostic hints for a text (a second parse, so only computed when diagnostics are on)."""
    tasks = analyze_text(text).tasks
    if not tasks:
        return ()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    return tuple(_hints(tree, tasks))


def _applicable_tasks(text: str) -> list[str]:
    """The core's stdlib-ast applicability check (imported here so start-up stays light)."""
    from mlops_adapt.applicability import applicable_tasks

    return applicable_tasks(text)


def _hints(tree: ast.Module, tasks: tuple[str, ...]) -> list[Hint]:
    """A tracking hint at the first training call, and a DVC hint at the GitPython import."""
    from mlops_adapt.tasks import tasks_tagged

    tracking = tuple(t for t in tasks_tagged("tracking") if t in tasks)
    dvc_tasks = tuple(t for t in tasks_tagged("data-versioning") if t in tasks)
    dvc = bool(dvc_tasks)
    if not tracking and not dvc:
        return []
    training_line = gitpython_line = None
    for node in ast.walk(tree):  # one walk; keep the earliest line of each kind
        line = getattr(node, "lineno", None)
        if line is None:
            continue
        if tracking and _is_training_call(node) and (training_line is None or line < training_line):
            training_line = line
        if dvc and _imports_gitpython(node) and (gitpython_line is None or line < gitpython_line):
            gitpython_line = line
    hints = []
    if tracking:
        message = "Training loop without experiment tracking"
        hints.append(Hint((training_line or 1) - 1, message, tracking))
    if dvc:
        message = "Data files versioned with GitPython; DVC can version them"
        hints.append(Hint((gitpython_line or 1) - 1, message, dvc_tasks))
    return hints


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
