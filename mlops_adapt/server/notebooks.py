"""Notebook documents to one program for the engine, and its verified edit back to cell documents."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified
from pygls.uris import to_fs_path

from mlops_adapt.notebook.adapt import engine_path, with_join_note
from mlops_adapt.notebook.program import MappingError, Program, map_back, program_of
from mlops_adapt.results import Applied
from mlops_adapt.server import engine_bridge as bridge
from mlops_adapt.server.workspace_edits import text_edits

# Jupyter notebooks with Python code cells are synced as notebook documents (LSP 3.17).
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")]
        )
    ]
)


@dataclass(frozen=True)
class CellDocument:
    """One code cell's text document: its URI as the client names it, version and text."""

    uri: str
    version: int
    text: str


@dataclass(frozen=True)
class NotebookSnapshot:
    """The Python code cells of an open notebook at their current versions, as one program."""

    uri: str
    version: int  # the notebook's: it grows with every change of any cell
    cells: tuple[CellDocument, ...]
    program: Program
    path: str | None  # the notebook's file path as .py: the name the engine gives the program

    def snapshot(self, cell_uri: str) -> bridge.Snapshot:
        """The engine's view from one cell: the whole program, pinned to the notebook's version
        (an action listed in one cell is stale once any cell changed)."""
        cell = self.cell(cell_uri)
        return bridge.Snapshot(cell.uri, self.version, self.program.text, self.path)

    def cell(self, uri: str) -> CellDocument:
        return next(c for c in self.cells if unquote(c.uri) == unquote(uri))


def notebook_snapshot(ls, cell_uri: str) -> NotebookSnapshot | None:
    """The snapshot of the notebook holding this cell; None for a plain text document."""
    notebook = ls.workspace.get_notebook_document(cell_uri=cell_uri)
    if notebook is None:
        return None
    indexed: list[tuple[int, CellDocument]] = []
    for index, cell in enumerate(notebook.cells):
        document = ls.workspace.text_documents.get(unquote(cell.document))
        if cell.kind != types.NotebookCellKind.Code or document is None:
            continue
        if (document.language_id or "python") != "python":
            continue
        indexed.append((index, CellDocument(cell.document, document.version or 0, document.source)))
    if not any(unquote(c.uri) == unquote(cell_uri) for _, c in indexed):
        return None
    try:
        program = program_of([(index, cell.text) for index, cell in indexed])
    except MappingError:
        return None
    path = to_fs_path(notebook.uri)
    return NotebookSnapshot(notebook.uri, notebook.version, tuple(c for _, c in indexed), program,
                            engine_path(path) if path else None)


def require_current(ls, snap: NotebookSnapshot) -> None:
    """ContentModified when any code cell changed since the snapshot (its edit would be stale)."""
    notebook = ls.workspace.get_notebook_document(notebook_uri=snap.uri)
    if notebook is None or notebook.version != snap.version:
        raise JsonRpcContentModified(f"{snap.uri} changed; ask for code actions again")
    for cell in snap.cells:
        document = ls.workspace.text_documents.get(unquote(cell.uri))
        if document is None or (document.version or 0) != cell.version:
            raise JsonRpcContentModified(
                f"{snap.uri}: a cell changed; ask for code actions again")


async def adapt_notebook_snapshot(ls, snap: NotebookSnapshot, cell_uri: str, task: str, *,
                                  progress: bool) -> tuple[Applied, dict[str, str]]:
    """The verified edit of the whole notebook's code, as new texts of the cells it changes.

    An LSP edit can change cell texts but not add or remove cells: cells that a block of the
    edit joins go into the first of them and the others are emptied, and code the CLI would put
    in a new cell (after a last cell that shows a value) is appended to that cell.
    """
    result = bridge.require_applied(
        await bridge.adapt_snapshot(ls, snap.snapshot(cell_uri), task, progress=progress))
    try:
        edit = map_back(snap.program, result.code)
    except MappingError as err:
        raise bridge.RequestFailed(f"no verified edit for {task}: notebook cells: {err}") from None
    by_index = dict(zip(snap.program.cells, snap.cells))
    texts = {by_index[index].uri: text for index, text in edit.sources.items()}
    for absorbed in edit.joined.values():
        texts.update({by_index[index].uri: "" for index in absorbed})
    for index, text in edit.new_cells.items():
        uri = by_index[index].uri
        before = texts.get(uri, by_index[index].text)
        texts[uri] = before + ("" if before.endswith("\n") else "\n") + text
    return with_join_note(result, edit), texts


def cell_edits(
    snap: NotebookSnapshot, texts: dict[str, str], *, encoding: str, document_changes: bool
) -> types.WorkspaceEdit:
    """One versioned TextDocumentEdit per changed cell document."""
    changed = [(cell, texts[cell.uri]) for cell in snap.cells if cell.uri in texts]
    if not document_changes:
        return types.WorkspaceEdit(
            changes={cell.uri: text_edits(cell.text, new, encoding) for cell, new in changed})
    return types.WorkspaceEdit(document_changes=[
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=cell.uri, version=cell.version),
            edits=text_edits(cell.text, new, encoding),
        )
        for cell, new in changed
    ])
