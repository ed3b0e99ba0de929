"""Turns verified file edits into GitHub-committable line suggestions, or a patch when they cannot be."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from mlops_adapt.edits import Hunk, apply_hunks, line_hunks, split_lines, unified_diff
from mlops_adapt.review.findings import FileEdit

MERGE_GAP = 6  # unchanged lines allowed between two hunks shown as one suggestion


@dataclass(frozen=True)
class LineSuggestion:
    """Replace head lines first..last (1-based, inclusive) of `path` with `replacement`."""

    path: str
    first: int
    last: int
    replacement: str  # whole lines, each ending in "\n" except possibly the file's last
    tasks: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        """Stable id of this exact suggestion; a re-run finds it in the posted comment."""
        return fingerprint("line", self.path, str(self.first), str(self.last), self.replacement,
                           ",".join(self.tasks))


@dataclass(frozen=True)
class FilePlan:
    """How one file's edit is offered: as inline suggestions, or whole as a patch in the summary."""

    edit: FileEdit
    suggestions: tuple[LineSuggestion, ...]  # empty when the edit reaches outside the diff
    patch: str  # the unified diff of the whole edit (used when `suggestions` is empty)

    @property
    def inline(self) -> bool:
        return bool(self.suggestions)

    @property
    def fingerprint(self) -> str:
        return fingerprint("patch", self.edit.path, self.patch)


def fingerprint(*parts: str) -> str:
    """A short content hash; changing any part changes it."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:20]


def plan_file(edit: FileEdit) -> FilePlan:
    """Inline suggestions when every hunk lies on lines of the diff, else the whole edit as a patch.

    A file's edit is never split between inline suggestions and the summary: committing only
    some suggestions of an edit would leave code that was never verified. A notebook's edit is
    never inline: a suggestion on its raw JSON cannot be read; its cell diffs go to the summary.
    """
    if edit.cell_diff is not None:
        return FilePlan(edit, (), edit.cell_diff)
    patch = unified_diff(edit.original, edit.code, edit.path)
    lines = split_lines(edit.original)  # GitHub's line numbers: "\n" ends a line, nothing else
    ranges = merge_nearby(anchored_ranges(line_hunks(edit.original, edit.code), len(lines)), edit)
    suggestions = []
    for start, end, hunks in ranges:
        first, last = start + 1, end  # 0-based [start, end) -> 1-based inclusive
        if not edit.changed.commentable(first, last):
            return FilePlan(edit, (), patch)
        replacement = _replace_in_slice(lines, start, end, hunks)
        suggestions.append(LineSuggestion(edit.path, first, last, replacement, edit.tasks))
    return FilePlan(edit, tuple(suggestions), patch)


def anchored_ranges(hunks: list[Hunk], line_count: int) -> list[tuple[int, int, list[Hunk]]]:
    """0-based [start, end) line ranges that GitHub can replace, each with the hunks it carries.

    A suggestion replaces existing lines, so a pure insertion is anchored on the line above it
    (or below it at the top of the file), and overlapping ranges are merged.
    """
    spans: list[tuple[int, int, list[Hunk]]] = []
    for hunk in hunks:
        start, end = hunk.old_start, hunk.old_end
        if start == end:
            if line_count == 0:
                return []  # an empty file has no line to anchor on
            start, end = (start - 1, start) if start > 0 else (0, 1)
        if spans and start < spans[-1][1]:
            prev_start, prev_end, carried = spans[-1]
            spans[-1] = (prev_start, max(prev_end, end), [*carried, hunk])
        else:
            spans.append((start, end, [hunk]))
    return spans


def merge_nearby(spans: list[tuple[int, int, list[Hunk]]], edit: FileEdit) -> list[tuple[int, int, list[Hunk]]]:
    """Join spans at most MERGE_GAP lines apart when the joined lines are still in one diff hunk.

    Fewer, larger suggestions keep the bot quiet, and one suggestion per edit means a single
    click commits the whole verified edit.
    """
    merged: list[tuple[int, int, list[Hunk]]] = []
    for start, end, hunks in spans:
        if merged:
            prev_start, prev_end, carried = merged[-1]
            if start - prev_end <= MERGE_GAP and edit.changed.commentable(prev_start + 1, end):
                merged[-1] = (prev_start, end, [*carried, *hunks])
                continue
        merged.append((start, end, hunks))
    return merged


def _replace_in_slice(lines: list[str], start: int, end: int, hunks: list[Hunk]) -> str:
    shifted = [Hunk(h.old_start - start, h.old_end - start, h.new_lines) for h in hunks]
    return apply_hunks("".join(lines[start:end]), shifted)


def apply_line_suggestions(text: str, suggestions: list[LineSuggestion]) -> str:
    """What GitHub's "commit suggestion" does to the head file, for every suggestion at once."""
    lines = split_lines(text)
    for item in sorted(suggestions, key=lambda s: s.first, reverse=True):
        lines[item.first - 1: item.last] = split_lines(item.replacement)
    return "".join(lines)
