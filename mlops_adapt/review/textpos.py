"""Line/column positions of whole-line hunks, for formats that address text by position."""

from __future__ import annotations


def line_start(lines: list[str], index: int, utf16: bool = False) -> tuple[int, int]:
    """1-based (line, column) where 0-based line `index` starts; `index == len(lines)` is the end.

    `lines` are split at "\\n" only (mlops_adapt.edits.split_lines), as git counts them. When
    the file does not end in "\\n", its end is a column on the last line, counted in UTF-8
    bytes (rdjson) or UTF-16 code units (SARIF's default column kind).
    """
    if index < len(lines) or not lines or lines[-1].endswith("\n"):
        return index + 1, 1
    last = lines[-1]
    width = len(last.encode("utf-16-le")) // 2 if utf16 else len(last.encode("utf-8"))
    return len(lines), width + 1


def location_lines(hunks, line_count: int) -> tuple[int, int]:
    """1-based first and last head line that a set of hunks touches (clamped to the file)."""
    first = min(h.old_start for h in hunks) + 1
    last = max(max(h.old_end, h.old_start + 1) for h in hunks)
    top = max(line_count, 1)
    first = min(max(first, 1), top)
    return first, min(max(last, first), top)
