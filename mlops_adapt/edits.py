"""Minimal line hunks between two texts, shared by the LSP bridge, the PR bot and diffs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True)
class Hunk:
    """Replace 0-based old lines [old_start, old_end) with new_lines."""

    old_start: int
    old_end: int
    new_lines: tuple[str, ...]


def split_lines(text: str) -> list[str]:
    """Lines as git and GitHub count them, each keeping its end: broken after "\\n" only.

    str.splitlines() also breaks at \\f, \\v, \\x1c-\\x1e, \\x85, U+2028 and U+2029, which
    would shift every line number after them and corrupt patches.
    """
    return _LINE.findall(text)


def line_hunks(old: str, new: str) -> list[Hunk]:
    """The smallest set of line replacements that turns `old` into `new`."""
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    return [
        Hunk(i1, i2, tuple(new_lines[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def apply_hunks(old: str, hunks: list[Hunk]) -> str:
    """Apply hunks produced by line_hunks (used to check round trips)."""
    lines = split_lines(old)
    for hunk in sorted(hunks, key=lambda h: h.old_start, reverse=True):
        lines[hunk.old_start : hunk.old_end] = list(hunk.new_lines)
    return "".join(lines)


def unified_diff(old: str, new: str, path: str) -> str:
    """A git-style unified diff of one file, which `git apply` accepts."""
    lines = difflib.unified_diff(
        split_lines(old),
        split_lines(new),
        fromfile=f"a/{path.lstrip('/')}",
        tofile=f"b/{path.lstrip('/')}",
    )
    # A last line without "\\n" is followed by git's marker, or the next line would join it.
    return "".join(line if line.endswith("\n") else f"{line}\n{NO_NEWLINE}" for line in lines)
