"""Minimal line hunks and unified diffs between two texts, for the LSP bridge, PR bot and CLI."""

from __future__ import annotations

import difflib
import os
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


# How git C-quotes a byte in a file name (anything else below 0x20 or from 0x7f up goes octal).
_NAME_ESCAPES = {
    7: "\\a",
    8: "\\b",
    9: "\\t",
    10: "\\n",
    11: "\\v",
    12: "\\f",
    13: "\\r",
    34: '\\"',
    92: "\\\\",
}


def unified_diff(old: str, new: str, path: str, context: int = 3) -> str:
    """A git-style unified diff of one file that `git apply` and `patch` accept as they are.

    Lines end at "\n" only, as in git and patch (str.splitlines would also split at form feeds,
    lone CRs and other separators, and the patch would not apply); a last line without "\n" is
    marked "\\ No newline at end of file"; names with spaces or unusual characters are written
    the way git writes them.
    """
    a, b = diff_lines(old), diff_lines(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        if not out:
            out += [f"--- {_diff_name('a', path)}\n", f"+++ {_diff_name('b', path)}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_hunk_range(first[1], last[2])} +{_hunk_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += _marked(" ", a[i1:i2])
                continue
            out += _marked("-", a[i1:i2])
            out += _marked("+", b[j1:j2])
    return "".join(out)


def diff_lines(text: str) -> list[str]:
    """`text` split after each "\n" (and nowhere else); only the last line may lack one."""
    lines = text.split("\n")
    tail = lines.pop()
    return [line + "\n" for line in lines] + ([tail] if tail else [])


def _marked(prefix: str, lines: list[str]) -> list[str]:
    return [
        prefix + line if line.endswith("\n") else f"{prefix}{line}\n{NO_NEWLINE}" for line in lines
    ]


def _hunk_range(start: int, stop: int) -> str:
    """'start,length' of a hunk side, 1-based; an empty side names the line before it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _diff_name(side: str, path: str) -> str:
    """a/PATH or b/PATH, C-quoted like git when needed, with git's trailing tab after a space."""
    name = f"{side}/{path.replace(os.sep, '/').lstrip('/')}"
    raw = name.encode("utf-8", "surrogateescape")
    if not any(byte < 0x20 or byte == 0x7F or byte in (34, 92) for byte in raw):
        # GNU patch ends a name at the first space unless a tab follows the name (git does this).
        return name + "\t" if " " in name else name
    quoted = "".join(
        _NAME_ESCAPES.get(byte) or (f"\\{byte:03o}" if byte < 0x20 or byte >= 0x7F else chr(byte))
        for byte in raw
    )
    return f'"{quoted}"'
