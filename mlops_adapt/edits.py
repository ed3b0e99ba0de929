"""Minimal line hunks between two texts, shared by the LSP bridge, the PR bot and diffs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Hunk:
    """Replace 0-based old lines [old_start, old_end) with new_lines."""

    old_start: int
    old_end: int
    new_lines: tuple[str, ...]


def line_hunks(old: str, new: str) -> list[Hunk]:
    """The smallest set of line replacements that turns `old` into `new`."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    return [
        Hunk(i1, i2, tuple(new_lines[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def apply_hunks(old: str, hunks: list[Hunk]) -> str:
    """Apply hunks produced by line_hunks (used to check round trips)."""
    lines = old.splitlines(keepends=True)
    for hunk in sorted(hunks, key=lambda h: h.old_start, reverse=True):
        lines[hunk.old_start : hunk.old_end] = list(hunk.new_lines)
    return "".join(lines)


def unified_diff(old: str, new: str, path: str) -> str:
    """A git-style unified diff of one file."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{path.lstrip('/')}",
            tofile=f"b/{path.lstrip('/')}",
        )
    )
