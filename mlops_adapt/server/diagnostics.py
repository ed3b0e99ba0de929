"""Cheap analysis hints to opt-in, information-level LSP diagnostics that carry their quick-fix tasks."""

from __future__ import annotations

import re

from lsprotocol import types

from mlops_adapt.server.actions import DIAGNOSTIC_SOURCE
from mlops_adapt.server.analysis import Hint
from mlops_adapt.server.settings import Settings


def lsp_lines(text: str) -> list[str]:
    """The text's lines as LSP (and Python's ast) count them: ends at \\r\\n, \\r or \\n only.

    str.splitlines() would also break at \\f, \\x1c-\\x1e, \\x85, U+2028 and U+2029 and shift
    every hint after them onto the wrong line.
    """
    return re.split(r"\r\n|\r|\n", text)


def hint_diagnostics(
    hints: tuple[Hint, ...], lines: list[str], settings: Settings
) -> list[types.Diagnostic]:
    """One information-level diagnostic per hint whose fixing tasks are enabled."""
    found = []
    for hint in hints:
        tasks = [t for t in hint.tasks if t in settings.enabled_tasks]
        if not tasks:
            continue
        text = lines[hint.line] if hint.line < len(lines) else ""
        indent = len(text) - len(text.lstrip())
        end = len(text.rstrip("\r\n").encode("utf-16-le")) // 2  # ranges count UTF-16 units
        found.append(
            types.Diagnostic(
                range=types.Range(
                    types.Position(hint.line, indent), types.Position(hint.line, end)
                ),
                message=hint.message,
                severity=types.DiagnosticSeverity.Information,
                source=DIAGNOSTIC_SOURCE,
                code=tasks[0],
                data={"tasks": tasks},
            )
        )
    return found
