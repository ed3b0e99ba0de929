"""A notebook's code cells as one Python program with marked cell boundaries, and back to cells."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from mlops_adapt.notebook.document import Notebook
from mlops_adapt.notebook.magics import Magic, mask_cell, placeholder_indent, unmask

MARKER = "# %% [mlops-adapt cell {}]"
MARKER_LINE = re.compile(r"^(\s*)# %% \[mlops-adapt cell (\d+)\]\s*$")
RESERVED = ("[mlops-adapt cell ", "<mlops-adapt magic ")


class MappingError(Exception):
    """An edited program that cannot be put back into the notebook's cells; the message says why."""


@dataclass(frozen=True)
class Program:
    """The code cells joined in order, each after a boundary comment, magics masked."""

    text: str
    cells: tuple[int, ...]  # notebook index of each code cell, in order
    sources: tuple[str, ...]  # each code cell's original source
    first_lines: tuple[int, ...]  # 1-based program line of each cell's first source line
    magics: dict[int, Magic]
    masked: tuple[str, ...] = ()  # each code cell's source with its magics masked

    def locate(self, line: int) -> tuple[int, int]:
        """(notebook cell index, 1-based line in the cell) of a 1-based program line."""
        position = 0
        for position, first in enumerate(self.first_lines):
            if first > line:
                position -= 1
                break
        position = max(position, 0)
        return self.cells[position], max(line - self.first_lines[position] + 1, 1)

    def cell_text(self, cell: int) -> str:
        return self.sources[self.cells.index(cell)]


@dataclass(frozen=True)
class CellEdit:
    """New sources of the changed code cells, and which cells had to be joined into one."""

    sources: dict[int, str]  # notebook cell index -> new source (changed or joined cells only)
    joined: dict[int, list[int]]  # first cell of a joined group -> the later code cells it absorbs
    new_cells: dict[int, str] = field(default_factory=dict)  # a new code cell after this cell

    @property
    def changed(self) -> bool:
        return bool(self.sources or self.joined or self.new_cells)


def build_program(notebook: Notebook) -> Program:
    """The notebook's code as one program; raises MappingError if a cell holds our own markers."""
    return program_of([(index, notebook.cell_source(index)) for index in notebook.code_cells])


def program_of(cells: list[tuple[int, str]]) -> Program:
    """The program of code cells given as (cell index in the notebook, source), in order."""
    parts: list[str] = []
    first_lines: list[int] = []
    magics: dict[int, Magic] = {}
    masked_cells: list[str] = []
    line = 1
    for index, source in cells:
        if any(mark in source for mark in RESERVED):
            raise MappingError(f"cell {index} contains mlops-adapt's own boundary or magic markers")
        masked, found = mask_cell(source, index, len(magics))
        magics.update((m.number, m) for m in found)
        masked_cells.append(masked)
        if masked and not masked.endswith("\n"):
            masked += "\n"
        parts.append(MARKER.format(index) + "\n" + masked)
        first_lines.append(line + 1)
        line += 1 + masked.count("\n")
    return Program("".join(parts), tuple(i for i, _ in cells), tuple(s for _, s in cells),
                   tuple(first_lines), magics, tuple(masked_cells))


def map_back(program: Program, new_text: str) -> CellEdit:
    """The cell sources an edited program stands for; MappingError when cells cannot hold it.

    Code between two boundaries goes to the cell they enclose; code above the first boundary to
    the first cell. When a block (a `def`, a `with`) spans boundaries, the cells it spans become
    one cell, as Jupyter cannot split a statement across cells; the block starts that cell, so
    the code above it keeps its own cell.
    """
    lines = new_text.splitlines(keepends=True)
    markers = [(n, m.group(1)) for n, line in enumerate(lines)
               if (m := MARKER_LINE.match(line.rstrip("\r\n")))]
    found = [int(MARKER_LINE.match(lines[n].rstrip("\r\n")).group(2)) for n, _ in markers]
    if sorted(found) != list(program.cells):
        raise MappingError("the edit removed or repeated the notebook's cell boundaries")
    position_of = {cell: position for position, cell in enumerate(program.cells)}
    order = [position_of[cell] for cell in found]  # program order -> original cell position
    markers = [markers[found.index(cell)] for cell in program.cells]  # by cell, as before
    spans = _top_level_spans(new_text)
    starts = sorted(line_no for line_no, _ in markers)
    bodies: list[list[int]] = []  # 0-based program lines of each cell, markers left out
    for line_no, _ in markers:
        following = [n for n in starts if n > line_no]
        end = following[0] if following else len(lines)
        head = list(range(line_no)) if line_no == starts[0] else []  # code above the first one
        bodies.append(head + list(range(line_no + 1, end)))
    groups: list[list[int]] = [[order[0]]]
    for position in order[1:]:
        line_no, indent = markers[position]
        inside = [first for first, last in spans if first < line_no + 1 <= last]
        if not (indent or inside):
            groups.append([position])
            continue
        if len(groups[-1]) == 1 and inside:
            # The block starts inside the previous cell: code above it keeps that cell.
            start = inside[0] - 1
            previous = groups[-1][0]
            above = [n for n in bodies[previous] if n < start]
            block = [n for n in bodies[previous] if n >= start]
            if any(lines[n].strip() for n in above):
                bodies[previous] = above
                bodies[position] = block + bodies[position]
                groups.append([position])
                continue
        groups[-1].append(position)  # one cell must hold the block
    groups = _in_cell_order(groups)
    texts = ["".join(lines[n] for p in group for n in bodies[p]) for group in groups]
    new_cells: dict[int, str] = {}
    for number, group in enumerate(groups):
        if len(group) > 1:
            continue
        texts[number], tail = _display_tail(program.masked[group[0]], texts[number])
        if not tail:
            continue
        if number + 1 < len(groups):
            texts[number + 1] = tail + texts[number + 1]  # runs right after, in the next cell
        else:
            new_cells[program.cells[group[0]]] = _restore_magics(program, [], tail.rstrip("\n"))
    sources: dict[int, str] = {}
    joined: dict[int, list[int]] = {}
    for group, text in zip(groups, texts):
        cells = sorted(program.cells[p] for p in group)
        last_original = program.sources[max(group)]
        if not last_original.endswith("\n"):
            text = text.rstrip("\n") if text.strip() else ""  # Jupyter drops the last line end
        text = _restore_magics(program, cells, text)
        if len(cells) > 1:
            joined[cells[0]] = cells[1:]
            sources[cells[0]] = text
        elif text != program.sources[group[0]]:
            sources[cells[0]] = text
    return CellEdit(sources, joined, new_cells)


def _in_cell_order(groups: list[list[int]]) -> list[list[int]]:
    """Groups (of cell positions, in program order) merged until they follow the cells' order.

    An edit may move a cell's code above an earlier cell's (a class hoisted out of the block
    that `hpo-optuna` wraps the run in); the cells whose code changed places become one cell.
    """
    merged = [list(group) for group in groups]
    changed = True
    while changed:
        changed = False
        for number in range(len(merged) - 1):
            if max(merged[number]) > min(merged[number + 1]):
                merged[number:number + 2] = [merged[number] + merged[number + 1]]
                changed = True
                break
    return merged


def _display_tail(original: str, text: str) -> tuple[str, str]:
    """(text, lines the edit put after the cell's displayed last expression).

    Jupyter shows the value of a cell's last expression (`model.fit(X, y)`, `df.head()`); code
    appended after it would hide that output, so it goes to the next cell instead.
    """
    try:
        tree = ast.parse(original)
    except (SyntaxError, ValueError):
        return text, ""
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr) or original.rstrip().endswith(";") or _is_print(last.value):
        return text, ""
    closing = original.splitlines()[(last.end_lineno or last.lineno) - 1]
    lines = text.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == closing]
    if not at or not any(line.strip() for line in lines[at[-1] + 1:]):
        return text, ""
    kept, tail = lines[:at[-1] + 1], lines[at[-1] + 1:]
    if not kept[-1].endswith("\n"):
        kept[-1] += "\n"
    return "".join(kept), "".join(tail).lstrip("\n") + ("" if tail[-1].endswith("\n") else "\n")


def _is_print(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"


def _top_level_spans(text: str) -> list[tuple[int, int]]:
    """1-based (first, last) lines of each top-level statement, decorators included."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as err:
        raise MappingError(f"the edited program does not parse: {err}") from None
    spans = []
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        spans.append((first, node.end_lineno or node.lineno))
    return spans


def _restore_magics(program: Program, cells: list[int], text: str) -> str:
    """Put the group's magics back, checking that the edit left each one where it was."""
    mine = {n: m for n, m in program.magics.items() if m.cell in cells}
    indents = placeholder_indent(text)
    restored, seen = unmask(text, program.magics)
    foreign = [n for n in seen if n not in mine]
    per_cell = [[n for n in seen if mine.get(n) and mine[n].cell == cell] for cell in cells]
    if foreign or sorted(seen) != sorted(mine) or any(ns != sorted(ns) for ns in per_cell):
        raise MappingError("the edit moved or removed an IPython magic line "
                           f"({_describe(program, foreign or sorted(set(mine) - set(seen)) or seen)})")
    moved = [n for n in seen if indents.get(n) != mine[n].indent and mine[n].cell_magic]
    if moved:
        raise MappingError(f"the edit moves a cell magic into a block ({_describe(program, moved)}); "
                           "a cell magic must open its cell")
    cell_magics = [mine[n] for n in seen if mine[n].cell_magic]
    if cell_magics:
        restored = _cell_magic_first(restored, cell_magics, cells)
    whole = [c for c in cells if _fully_masked(program, c)]
    if whole:
        code = [line for line in restored.splitlines() if line.strip()
                and not any(line == m.line for m in mine.values())]
        if code:
            raise MappingError(f"the edit puts Python code into cell {whole[0]}, whose cell magic "
                               "makes it something else than Python")
    return restored


def _cell_magic_first(text: str, cell_magics: list[Magic], cells: list[int]) -> str:
    """A `%%magic` line must open its cell: lines the edit put above it move below it."""
    if len(cell_magics) > 1 or cell_magics[0].cell != cells[0]:
        raise MappingError(f"the edit joins cell {cell_magics[-1].cell}, which starts with a cell "
                           f"magic ({cell_magics[-1].line.strip()}), with the cell before it")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.rstrip("\r\n") == cell_magics[0].line)
    if at == 0:
        return text
    head = lines[at]
    if not head.endswith("\n"):
        head += "\n"
    moved = "".join([head, *lines[:at], *lines[at + 1:]])
    return moved if text.endswith("\n") or not moved.endswith("\n") else moved[:-1]


def _fully_masked(program: Program, cell: int) -> bool:
    magics = [m for m in program.magics.values() if m.cell == cell]
    return any(m.cell_magic for m in magics) and all(
        not line.strip() or any(line == m.line for m in magics)
        for line in program.cell_text(cell).splitlines())


def _describe(program: Program, numbers: list[int]) -> str:
    items = [program.magics[n] for n in numbers if n in program.magics][:2]
    return ", ".join(f"cell {m.cell}: {m.line.strip()}" for m in items) or "unknown"
