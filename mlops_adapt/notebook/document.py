"""A Jupyter notebook file (nbformat 4) read for adaptation and written back in its own JSON layout."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field

from mlops_adapt.fsio import ReadError, read_bytes

# Outputs (plots, tables) make notebooks far larger than scripts; the code in them stays small.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class NotebookError(ReadError):
    """A file that is not a notebook this tool can adapt; the message names the file."""


@dataclass(frozen=True)
class JsonLayout:
    """How the file's JSON is written, so that a rewrite changes only what the edit changed."""

    indent: int | str | None  # json.dumps' indent: 1 as Jupyter writes, 2, a tab, or None
    ensure_ascii: bool  # non-ASCII text written as \\uXXXX escapes
    trailing_newline: bool
    compact: bool = False  # no spaces after separators (indent None only)
    newline: str = "\n"  # "\r\n" for a notebook saved with Windows line ends
    bom: bool = False

    def dumps(self, data: object) -> str:
        separators = (",", ":") if self.compact else ((",", ": ") if self.indent is not None
                                                      else (", ", ": "))
        text = json.dumps(data, indent=self.indent, ensure_ascii=self.ensure_ascii,
                          separators=separators)
        text += "\n" if self.trailing_newline else ""
        # JSON strings escape their line ends, so every raw one is layout
        text = text.replace("\n", self.newline) if self.newline != "\n" else text
        return ("\ufeff" if self.bom else "") + text


@dataclass
class Notebook:
    """The parsed notebook: its JSON data, and how to write it back alike."""

    path: str
    raw: bytes
    data: dict
    layout: JsonLayout
    round_trips: bool  # re-serialising the unchanged data gives back the file byte for byte
    code_cells: list[int] = field(default_factory=list)  # indexes of the code cells, in order

    def cell_source(self, index: int) -> str:
        source = self.data["cells"][index].get("source", "")
        return "".join(source) if isinstance(source, list) else source

    def with_sources(self, sources: dict[int, str], joined: dict[int, list[int]],
                     new_cells: dict[int, str] | None = None) -> dict:
        """A copy of the data with new code cell sources, cells joined into their first one, and
        new code cells (`new_cells`: cell index -> the source of a cell inserted after it).

        `joined` maps a cell index to the later code cells it absorbs; those cells are removed,
        their outputs appended to the first cell's, and any markdown or raw cells between them
        move after the joined cell, in their order.
        """
        data = copy.deepcopy(self.data)
        cells = data["cells"]
        absorbed = {i for later in joined.values() for i in later}
        for index, text in sources.items():
            cell = cells[index]
            cell["source"] = _like(cell.get("source", ""), text)
        rebuilt = []
        index = 0
        while index < len(cells):
            if index in joined:
                last = joined[index][-1]
                first = cells[index]
                between = []
                for other in range(index + 1, last + 1):
                    if other in absorbed:
                        first.setdefault("outputs", []).extend(cells[other].get("outputs", []))
                    else:
                        between.append(cells[other])
                rebuilt += [first, *between]
                index = last + 1
                continue
            rebuilt.append(cells[index])
            if index in (new_cells or {}):
                rebuilt.append(self._new_code_cell(new_cells[index], index))
            index += 1
        data["cells"] = rebuilt
        return data

    def _new_code_cell(self, text: str, after: int) -> dict:
        """A code cell shaped like the notebook's own: its key order, an id when cells have one."""
        template = next((c for c in self.data["cells"] if c.get("cell_type") == "code"), {})
        values = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                  "source": _like(template.get("source", []), text)}
        if "id" in template:
            digest = hashlib.sha256(f"{after}\0{text}".encode()).hexdigest()
            values["id"] = f"mlops-adapt-{digest[:8]}"
        order = [k for k in template if k in values] + sorted(k for k in values if k not in template)
        return {key: values[key] for key in order}

    def encode(self, data: dict) -> bytes:
        """The data as this file's bytes (its indentation, escapes and final newline)."""
        return self.layout.dumps(data).encode("utf-8")


def _like(old: object, text: str) -> object:
    """New source text in the form the cell stored it: a list of lines (nbformat's) or a string."""
    if isinstance(old, list):
        return text.splitlines(keepends=True)
    return text


def load_notebook(path: str) -> Notebook:
    """Read and check a .ipynb file, raising NotebookError with a one-line message otherwise."""
    raw = read_bytes(path, limit=MAX_NOTEBOOK_BYTES)
    return parse_notebook(raw, path)


def parse_notebook(raw: bytes, path: str) -> Notebook:
    """Check notebook bytes: JSON, nbformat 4, cells with text sources, Python, some code."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise NotebookError(f"{path}: not a notebook: not UTF-8 (byte {err.start})") from None
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except ValueError as err:
        raise NotebookError(f"{path}: not a notebook: invalid JSON "
                            f"(line {getattr(err, 'lineno', '?')} column {getattr(err, 'colno', '?')}: "
                            f"{getattr(err, 'msg', err)})") from None
    if not isinstance(data, dict) or "cells" not in data:
        raise NotebookError(f"{path}: not a Jupyter notebook (no cell list)")
    version = data.get("nbformat")
    if version != 4:
        raise NotebookError(f"{path}: not a Jupyter notebook in nbformat 4 (nbformat {version}); "
                            "upgrade it with `jupyter nbconvert --to notebook --inplace`")
    cells = data["cells"]
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise NotebookError(f"{path}: not a valid notebook: `cells` is not a list of objects")
    language = _language(data)
    if language and language != "python":
        raise NotebookError(f"{path}: a {language} notebook; only Python notebooks are adapted")
    code_cells = []
    for index, cell in enumerate(cells):
        source = cell.get("source", "")
        if not (isinstance(source, str)
                or (isinstance(source, list) and all(isinstance(s, str) for s in source))):
            raise NotebookError(f"{path}: not a valid notebook: cell {index} has no text source")
        if cell.get("cell_type") == "code":
            code_cells.append(index)
    layout = detect_layout(text)
    notebook = Notebook(path, raw, data, layout, False, code_cells)
    if not any(notebook.cell_source(i).strip() for i in code_cells):
        raise NotebookError(f"{path}: the notebook has no code to adapt")
    notebook.round_trips = notebook.encode(data) == raw
    return notebook


def _language(data: dict) -> str:
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    for key, field_name in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field_name), str):
            return section[field_name].lower()
    return ""


def detect_layout(text: str) -> JsonLayout:
    """The JSON layout of a notebook file: indentation unit, escapes and final newline."""
    body = text.removeprefix("\ufeff")
    second = re.search(r"\n([ \t]+)\S", body.replace("\r\n", "\n"))
    indent: int | str | None
    if "\n" not in body.strip():
        indent = None
    elif second is None:
        indent = 0
    else:
        unit = second.group(1)
        indent = unit if "\t" in unit else len(unit)
    # \u escapes of control characters (ANSI colours in outputs) are written either way; only
    # escaped non-ASCII letters say that the writer escaped everything.
    escaped = any(int(code, 16) >= 0x80 for code in re.findall(r"\\u([0-9a-fA-F]{4})", body))
    ensure_ascii = body.isascii() and escaped
    compact = indent is None and '":' in body and '": ' not in body
    newline = "\r\n" if "\r\n" in body else "\n"
    return JsonLayout(indent, ensure_ascii, body.endswith("\n"), compact, newline,
                      text.startswith("\ufeff"))
