"""engine.adapt() on a notebook's code: the program in, the verified edit back into its cells."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from mlops_adapt.edits import unified_diff
from mlops_adapt.notebook.document import Notebook, NotebookError, load_notebook
from mlops_adapt.notebook.program import CellEdit, MappingError, Program, build_program, map_back
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed, Result


@dataclass(frozen=True)
class NotebookFile:
    """A notebook as the CLI handles a source file: the program text the engine works on, the
    file's bytes, and how a new program becomes the notebook's new bytes and its readable diff."""

    path: str
    raw: bytes
    notebook: Notebook
    program: Program

    @property
    def text(self) -> str:
        return self.program.text

    @property
    def raw_text(self) -> str:
        return self.raw.decode("utf-8")

    def cell_edit(self, code: str) -> CellEdit:
        return map_back(self.program, code)

    def encode(self, code: str) -> bytes:
        """The notebook's new bytes for an edited program: only code cell sources change."""
        edit = self.cell_edit(code)
        return self.notebook.encode(
            self.notebook.with_sources(edit.sources, edit.joined, edit.new_cells))

    def diff(self, code: str) -> str:
        """A unified diff of the changed cell sources, each labelled with its cell index."""
        return cell_diff(self.program, self.cell_edit(code), self.path)


def is_notebook(path: str | Path) -> bool:
    return str(path).endswith(".ipynb")


def engine_path(path: str) -> str:
    """The name the engine and the sandbox give the notebook's program: the notebook's, as .py."""
    return str(Path(path).with_suffix(".py"))


def open_notebook(path: str) -> NotebookFile:
    """Read a notebook and build its program; NotebookError (one line naming the file) otherwise."""
    notebook = load_notebook(path)
    return prepare(notebook)


def prepare(notebook: Notebook) -> NotebookFile:
    try:
        program = build_program(notebook)
    except MappingError as err:
        raise NotebookError(f"{notebook.path}: {err}") from None
    _check_syntax(notebook.path, program)
    return NotebookFile(notebook.path, notebook.raw, notebook, program)


def _check_syntax(path: str, program: Program) -> None:
    """A syntax error in the program, reported by cell: `nb.ipynb: cell 3, line 2:5: ...`."""
    import libcst as cst

    from mlops_adapt.engine import InputError, parse_source, syntax_error_position

    try:
        parse_source(program.text, path)
    except InputError as err:
        try:
            cst.parse_module(program.text)
        except cst.ParserSyntaxError as syntax:
            line, column, message = syntax_error_position(program.text, syntax)
            cell, cell_line = program.locate(line)
            raise NotebookError(f"{path}: cell {cell}, line {cell_line}:{column}: syntax error: "
                                f"{message}") from None
        raise NotebookError(str(err)) from None


def adapt_notebook(
    source: NotebookFile, task: str, options: AdaptOptions, text: str | None = None
) -> Result:
    """Adapt the notebook's code as one program; an edit its cells cannot hold is no edit.

    `text` is the program after earlier edits (the PR bot applies tasks in turn), else the
    notebook's own.
    """
    from mlops_adapt.engine import adapt

    text = source.text if text is None else text
    result = adapt(text, task, replace(options, path=engine_path(source.path)))
    if not (isinstance(result, Applied) and result.changed):
        return result
    try:
        edit = source.cell_edit(result.code)
    except MappingError as err:
        return Failed(task, "unverified", (f"notebook cells: {err}",))
    return with_join_note(result, edit)


def with_join_note(result: Applied, edit: CellEdit) -> Applied:
    """The result, labelled unsafe with a reason when its edit had to join cells."""
    if not edit.joined:
        return result
    from mlops_adapt.verify.safety import Safety

    note = "cells " + "; ".join(f"{', '.join(map(str, [first, *rest]))} joined into cell {first}"
                                for first, rest in edit.joined.items())
    note += (" (a block of the edit spans them, or the edit moved code between them; a notebook "
             "cannot split a statement across cells)")
    report = replace(result.report, safety=min(result.report.safety, Safety.UNSAFE,
                                               key=lambda label: label.rank),
                     safety_reasons=(*result.report.safety_reasons, note))
    return replace(result, report=report, warnings=(*result.warnings, note))


def cell_diff(program: Program, edit: CellEdit, path: str) -> str:
    """The changed cells' sources as unified diffs, labelled `PATH (cell N)` (0-based, every
    cell counted, markdown included, as nbdime does)."""
    parts = []
    for cell in sorted(edit.sources):
        absorbed = edit.joined.get(cell, [])
        old = "".join(_line_ended(program.cell_text(c)) for c in [cell, *absorbed])
        new = _line_ended(edit.sources[cell])
        label = f"cells {', '.join(map(str, [cell, *absorbed]))}" if absorbed else f"cell {cell}"
        after = f"cell {cell}, joined" if absorbed else f"cell {cell}"
        text = unified_diff(old, new, path)
        if not text:
            continue
        body = text.split("\n", 2)[2]
        parts.append(f"--- a/{path} ({label})\n+++ b/{path} ({after})\n{body}")
    for cell, text in sorted(edit.new_cells.items()):
        body = unified_diff("", _line_ended(text), path).split("\n", 2)[2]
        parts.append(f"--- /dev/null\n+++ b/{path} (new cell after cell {cell})\n{body}")
    return "".join(parts)


def _line_ended(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"
