"""IPython magics and shell escapes masked as comment placeholders that libcst parses and keeps."""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = "# <mlops-adapt magic {}>"
PLACEHOLDER_LINE = re.compile(r"^(\s*)# <mlops-adapt magic (\d+)>\s*$")
# Cell magics whose body is Python that IPython runs once more or less as written; the body of any
# other cell magic (%%bash, %%writefile, %%html, ...) is not Python and is masked whole.
PYTHON_BODY_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "memit"}
# `x = !ls`, `files = %sx ls`: an assignment from a shell escape or a magic.
ASSIGNED_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.,\s\[\]]*=\s*[!%]")


@dataclass(frozen=True)
class Magic:
    """One masked line: its number, the code cell it belongs to, its text and indentation."""

    number: int
    cell: int
    line: str  # the original line, without its line end
    indent: str
    cell_magic: bool  # the cell's first line `%%name`


def is_magic(stripped: str) -> bool:
    """True for an IPython-only line at a statement start: %magic, !shell, ?help, obj?, x = !cmd."""
    if not stripped or stripped.startswith("#"):
        return False
    if stripped[0] in "%!?":
        return True
    if ASSIGNED_MAGIC.match(stripped):
        return True
    quoted = "'" in stripped or '"' in stripped
    if quoted and "#" in stripped:
        return False  # a `?` could sit in a string or a comment: not told apart here, so kept
    return stripped.split("#", 1)[0].rstrip().endswith("?")


def mask_cell(source: str, cell: int, first_number: int) -> tuple[str, list[Magic]]:
    """The cell's source with each magic line replaced by a numbered placeholder comment."""
    lines = source.splitlines(keepends=True)
    magics: list[Magic] = []
    first = lines[0].strip() if lines else ""
    whole_cell = first.startswith("%%") and _cell_magic_name(first) not in PYTHON_BODY_CELL_MAGICS
    starts = _statement_starts([line.rstrip("\r\n") for line in lines])
    out = []
    continued = False  # the previous magic line ended with a backslash
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        stripped = body.strip()
        masked = whole_cell or continued or (starts[index] and is_magic(stripped))
        if whole_cell and not stripped:
            masked = False  # blank lines stay blank
        if masked:
            indent = body[: len(body) - len(body.lstrip())]
            number = first_number + len(magics)
            magics.append(Magic(number, cell, body, indent, index == 0 and first.startswith("%%")))
            out.append(indent + PLACEHOLDER.format(number) + ending)
            continued = body.endswith("\\") and not whole_cell
        else:
            out.append(line)
            continued = False
    return "".join(out), magics


def _cell_magic_name(first_line: str) -> str:
    return first_line[2:].split(maxsplit=1)[0] if len(first_line) > 2 else ""


def _statement_starts(lines: list[str]) -> list[bool]:
    """For each line, whether it begins a new statement: not inside brackets, a string or a
    backslash continuation. A small scanner, so a `%` that continues an expression is kept."""
    starts = []
    depth, string, continued = 0, None, False
    for line in lines:
        starts.append(depth == 0 and string is None and not continued)
        if starts[-1] and is_magic(line.strip()):
            continued = line.endswith("\\")
            continue
        i, n = 0, len(line)
        while i < n:
            ch = line[i]
            if string is not None:
                if ch == "\\":
                    i += 2
                elif line.startswith(string, i):
                    i += len(string)
                    string = None
                else:
                    i += 1
                continue
            if ch == "#":
                break
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(0, depth - 1)
            elif ch in "'\"":
                string = line[i:i + 3] if line[i:i + 3] in ('"""', "'''") else ch
                i += len(string)
                continue
            i += 1
        continued = line.endswith("\\")
        if string is not None and len(string) == 1 and not continued:
            string = None  # an unterminated one-quote string ends with its line
    return starts


def unmask(text: str, magics: dict[int, Magic]) -> tuple[str, list[int]]:
    """Put the original magic lines back; returns the text and the magic numbers found, in order.

    A line magic that the edit indented with the code around it (into a `def` or a `with`) keeps
    that indentation: IPython runs indented line magics as well.
    """
    out, seen = [], []
    for line in text.splitlines(keepends=True):
        found = PLACEHOLDER_LINE.match(line.rstrip("\r\n"))
        if found and int(found.group(2)) in magics:
            number = int(found.group(2))
            seen.append(number)
            body = line.rstrip("\r\n")
            magic = magics[number]
            out.append(found.group(1) + magic.line[len(magic.indent):] + line[len(body):])
        else:
            out.append(line)
    return "".join(out), seen


def placeholder_indent(text: str) -> dict[int, str]:
    """The indentation of each placeholder in `text`, by magic number."""
    found = {}
    for line in text.splitlines():
        match = PLACEHOLDER_LINE.match(line)
        if match:
            found[int(match.group(2))] = match.group(1)
    return found
