"""Notebook document sync over stdio with pytest-lsp: code actions offered in a notebook's cells,
computed on the whole notebook's code and returned as edits of the right cell documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_lsp
from lsp_test_support import (
    SERVER_COMMAND,
    action_for,
    apply_text_edits,
    list_actions,
    package_defaults,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from mlops_adapt.engine import adapt
from mlops_adapt.notebook import map_back, program_of
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebook" / "notebooks" / "sk_wine.ipynb"
NOTEBOOK_URI = "file:///work/wine.ipynb"
CONTENT_MODIFIED = -32801


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    """A VS Code-like client that also syncs notebooks, as VS Code's Jupyter support does."""
    capabilities = client_capabilities("visual-studio-code")
    capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities(
            execution_summary_support=True))
    lsp_client.initialize_result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities, initialization_options=package_defaults()))
    yield
    await lsp_client.shutdown_session()


def cell_uri(index: int) -> str:
    # VS Code's form: the notebook path and a base64 fragment, percent-escaped
    return f"vscode-notebook-cell:/work/wine.ipynb#W{index}sZmlsZQ%3D%3D"


def notebook_cells() -> list[tuple[int, str, str]]:
    """(index, kind, text) of every cell of the test notebook."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    return [(i, c["cell_type"], "".join(c["source"])) for i, c in enumerate(cells)]


def open_notebook(client: LanguageClient) -> None:
    cells = notebook_cells()
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=NOTEBOOK_URI, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(
                kind=types.NotebookCellKind.Code if kind == "code" else types.NotebookCellKind.Markup,
                document=cell_uri(i)) for i, kind, _ in cells]),
        cell_text_documents=[
            types.TextDocumentItem(uri=cell_uri(i), version=1, text=text,
                                   language_id="python" if kind == "code" else "markdown")
            for i, kind, text in cells],
    ))


async def test_the_server_advertises_notebook_sync_for_python_cells(client: LanguageClient):
    (selector,) = client.initialize_result.capabilities.notebook_document_sync.notebook_selector
    assert selector.notebook == "jupyter-notebook"
    assert [c.language for c in selector.cells] == ["python"]


async def test_an_action_in_a_cell_edits_the_cells_the_whole_notebook_edit_touches(
        client: LanguageClient):
    open_notebook(client)
    actions = await list_actions(client, cell_uri(4))  # a cell without imports or metrics
    action = action_for(actions, "track-mlflow")
    # the version is the notebook's: a change in any cell makes the action stale
    assert action.data == {"uri": cell_uri(4), "version": 1, "task": "track-mlflow"}
    resolved = await client.code_action_resolve_async(action)
    assert resolved.title.endswith("[safe]")

    changes = resolved.edit.document_changes
    assert [c.text_document.uri for c in changes] == [cell_uri(1), cell_uri(4), cell_uri(5),
                                                       cell_uri(6)]
    assert all(c.text_document.version == 1 for c in changes)
    texts = {i: text for i, kind, text in notebook_cells() if kind == "code"}
    edited = {int(c.text_document.uri.split("#W")[1][0]): apply_text_edits(
        texts[int(c.text_document.uri.split("#W")[1][0])], c.edits) for c in changes}

    # The same as the engine's edit of the whole program, mapped back by the CLI's code.
    program = program_of(sorted(texts.items()))
    result = adapt(program.text, "track-mlflow", AdaptOptions(path="/work/wine.py"))
    assert isinstance(result, Applied)
    expected = map_back(program, result.code)
    assert {i: edited[i] for i in expected.sources} == expected.sources
    # an LSP edit cannot add a cell: what the CLI puts in a new cell ends the last one
    assert edited[6] == texts[6] + "\n" + expected.new_cells[6]
    assert edited[5].startswith("%%time\n") and "import mlflow" in edited[1]


async def test_a_changed_cell_makes_the_listed_action_stale(client: LanguageClient):
    open_notebook(client)
    action = action_for(await list_actions(client, cell_uri(5)), "track-mlflow")
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=NOTEBOOK_URI, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            text_content=[types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cell_uri(2), version=2),
                changes=[types.TextDocumentContentChangeWholeDocument(
                    text="LEARNING_RATE = 0.2\nN_ESTIMATORS = 40\nMAX_DEPTH = 2\nSEED = 0")])]))))
    with pytest.raises(JsonRpcException) as caught:
        await client.code_action_resolve_async(action)
    assert caught.value.code == CONTENT_MODIFIED

    # asked again, the action resolves against the current cells
    fresh = await client.code_action_resolve_async(
        action_for(await list_actions(client, cell_uri(5)), "track-mlflow"))
    assert fresh.edit is not None


async def test_closing_the_notebook_forgets_its_cells(client: LanguageClient):
    open_notebook(client)
    client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
        notebook_document=types.NotebookDocumentIdentifier(uri=NOTEBOOK_URI),
        cell_text_documents=[types.TextDocumentIdentifier(uri=cell_uri(i))
                             for i, _, _ in notebook_cells()]))
    with pytest.raises(JsonRpcException):
        await list_actions(client, cell_uri(4))
