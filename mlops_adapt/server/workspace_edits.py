"""Engine results to LSP WorkspaceEdits: minimal line edits pinned to the document version."""

from __future__ import annotations

from lsprotocol import types

from mlops_adapt.edits import line_hunks, split_lines


def text_edits(old: str, new: str, encoding: str = "utf-16") -> list[types.TextEdit]:
    """Whole-line replacements that turn `old` into `new`, in the client's position encoding."""
    lines = split_lines(old)  # lines end at "\n" (or "\r\n"), as line_hunks counts them
    if "\r" in old.replace("\r\n", ""):
        # LSP also ends a line at a lone \r, line_hunks does not: line numbers would drift,
        # so replace the whole text instead.
        end = _lsp_end(old, encoding)
        return [types.TextEdit(range=types.Range(types.Position(0, 0), end), new_text=new)]
    return [
        _hunk_edit(lines, h.old_start, h.old_end, "".join(h.new_lines), encoding)
        for h in line_hunks(old, new)
    ]


def _hunk_edit(lines: list[str], start: int, end: int, text: str, encoding: str) -> types.TextEdit:
    """One hunk as a TextEdit; an append at the very end is anchored to the last line's end.

    Position (line count, 0) is valid LSP, but Neovim 0.11 turns an insertion there into an extra
    empty line, so appended lines go after the last line's content instead.
    """
    if start == end == len(lines) and lines:
        content = lines[-1].rstrip("\r\n")
        eol = lines[-1][len(content) :]
        if eol and text.endswith(eol):
            at = types.Position(line=len(lines) - 1, character=_units(content, encoding))
            return types.TextEdit(range=types.Range(at, at), new_text=eol + text[: -len(eol)])
    rng = types.Range(_line_start(lines, start, encoding), _line_start(lines, end, encoding))
    return types.TextEdit(range=rng, new_text=text)


def versioned_edit(
    uri: str,
    version: int,
    old: str,
    new: str,
    *,
    encoding: str = "utf-16",
    document_changes: bool = True,
) -> types.WorkspaceEdit:
    """A WorkspaceEdit the client applies only to this version of the document."""
    edits = text_edits(old, new, encoding)
    if not document_changes:  # clients without documentChanges support get the plain form
        return types.WorkspaceEdit(changes={uri: edits})
    document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    return types.WorkspaceEdit(
        document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)]
    )


def _line_start(lines: list[str], index: int, encoding: str) -> types.Position:
    """The position where 0-based line `index` starts; past the last line, the end of the text."""
    if index < len(lines) or not lines or lines[-1].endswith("\n"):
        return types.Position(line=index, character=0)
    last = lines[-1]  # the text does not end with a newline: clamp to its end
    return types.Position(line=len(lines) - 1, character=_units(last, encoding))


def _lsp_end(text: str, encoding: str) -> types.Position:
    """The end of the text in LSP terms (lines end only at \\n, \\r\\n or \\r)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return types.Position(line=len(lines) - 1, character=_units(lines[-1], encoding))


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2
