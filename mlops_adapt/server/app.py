"""The pygls language server: short LSP handlers that delegate to the bridge modules."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from mlops_adapt import __version__
from mlops_adapt.results import Applied, result_to_dict
from mlops_adapt.server import engine_bridge as bridge
from mlops_adapt.server.actions import (
    KIND_PREFIX,
    ActionData,
    BadActionData,
    list_actions,
    quick_fixes,
    title,
)
from mlops_adapt.server.analysis import DocumentAnalyses, analyze_text, hints_for
from mlops_adapt.server.diagnostics import hint_diagnostics, lsp_lines
from mlops_adapt.server.framing import serve_stdio
from mlops_adapt.server.jobs import ANALYSIS_POOL, raise_if_cancelled, warm_up_engine
from mlops_adapt.server.notebooks import (
    NOTEBOOK_SYNC,
    adapt_notebook_snapshot,
    cell_edits,
    notebook_snapshot,
    require_current,
)
from mlops_adapt.server.protocol import AnsweringProtocol
from mlops_adapt.server.settings import Settings, apply_llm_environment, parse_settings
from mlops_adapt.server.workspace_edits import versioned_edit

log = logging.getLogger(__name__)

CMD_ADAPT_FILE = "mlops-adapt.adaptFile"
CMD_SHOW_REPORT = "mlops-adapt.showReport"
CHANGE_DEBOUNCE_S = 0.15  # pause in typing before a changed buffer is re-analysed


class MlopsLanguageServer(LanguageServer):
    """A LanguageServer holding the settings, recent engine results and the last report per file."""

    def __init__(self) -> None:
        super().__init__("mlops-adapt", __version__, protocol_cls=AnsweringProtocol,
                         notebook_document_sync=NOTEBOOK_SYNC)
        self.settings = Settings()
        self.results = bridge.ResultCache()
        self.reports: dict[str, dict] = {}
        self.analyses = DocumentAnalyses()
        self.hinted: set[str] = set()  # documents whose last published diagnostics were not empty

    def start_io(self, stdin=None, stdout=None) -> int:
        """Serve over stdio until `exit` (its exit code); a malformed header is logged, not fatal."""
        return serve_stdio(self, self.log_error, stdin, stdout)

    def log_error(self, message: str) -> None:
        """Tell the client's log (the extension's output channel) about a problem."""
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Error,
                                                       message=message))

    def configure(self, raw: Any) -> None:
        """Take new settings, telling the user about values that were ignored."""
        self.settings, warnings = parse_settings(raw)
        apply_llm_environment(self.settings.llm)
        for warning in warnings:
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Warning, message=f"mlops-adapt settings: {warning}"
                )
            )

    async def refresh(self, uri: str, delay: float = 0.0) -> None:
        """Re-analyse a changed document off the event loop, then publish (or clear) its hints."""
        if delay:
            # Typing sends a change per keystroke: wait for a pause, so analysis threads do not
            # hold the GIL while the editor asks for code actions (they use the last analysis).
            version = getattr(self.workspace.text_documents.get(uri), "version", None)
            await asyncio.sleep(delay)
            current = self.workspace.text_documents.get(uri)
            if current is None or current.version != version:
                return  # a newer change will refresh
        if uri not in self.workspace.text_documents:
            return  # closed meanwhile
        snap = bridge.snapshot(self, uri)
        loop = asyncio.get_running_loop()
        analysis = await loop.run_in_executor(ANALYSIS_POOL, analyze_text, snap.text)
        found = []
        if self.settings.diagnostics.enabled:
            hints = await loop.run_in_executor(ANALYSIS_POOL, hints_for, snap.text)
            found = hint_diagnostics(hints, lsp_lines(snap.text), self.settings)
        current = self.workspace.text_documents.get(uri)
        if current is None or current.version != snap.version:
            return  # a newer change is being analysed already
        self.analyses.store(uri, analysis)
        if not found and uri not in self.hinted:
            return  # nothing shown, nothing to clear
        self.hinted.discard(uri)
        if found:
            self.hinted.add(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=snap.version, diagnostics=found)
        )

    def edit_for(self, snap: bridge.Snapshot, result: Applied) -> types.WorkspaceEdit:
        """The versioned WorkspaceEdit of an applied result, in the client's position encoding."""
        return versioned_edit(
            snap.uri,
            snap.version,
            snap.text,
            result.code,
            encoding=self.encoding,
            document_changes=_client_has_document_changes(self),
        )

    @property
    def encoding(self) -> str:
        negotiated = self.workspace.position_encoding  # an enum, or a plain string
        return getattr(negotiated, "value", negotiated) or "utf-16"

    async def notebook_edit(
        self, uri: str, version: int | None, task: str, *, progress: bool
    ) -> tuple[types.WorkspaceEdit, Applied] | None:
        """For a notebook cell: the verified edit of the whole notebook's code, as edits of its
        cell documents; None when `uri` is not a notebook cell."""
        snap = notebook_snapshot(self, uri)
        if snap is None:
            return None
        if version is not None and snap.version != version:
            raise JsonRpcContentModified(
                f"{snap.uri} changed (version {version} -> {snap.version}); ask again")
        result, texts = await adapt_notebook_snapshot(self, snap, uri, task, progress=progress)
        require_current(self, snap)  # never hand out an edit computed for older cells
        edit = cell_edits(snap, texts, encoding=self.encoding,
                          document_changes=_client_has_document_changes(self))
        return edit, result


server = MlopsLanguageServer()


@server.feature(types.INITIALIZE)
def initialize(ls: MlopsLanguageServer, params: types.InitializeParams) -> None:
    """Read the settings sent as initializationOptions."""
    ls.configure(params.initialization_options)


@server.feature(types.INITIALIZED)
def initialized(ls: MlopsLanguageServer, params: types.InitializedParams) -> None:
    """Load the engine in the background once the client is connected (start-up stays light)."""
    warm_up_engine()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(
    ls: MlopsLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    """Take pushed settings, then refresh the hints of every open document."""
    ls.configure(params.settings)
    for uri in list(ls.workspace.text_documents):
        await ls.refresh(uri)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def document_opened_or_saved(ls: MlopsLanguageServer, params: Any) -> None:
    """Analyse the opened or saved document now and refresh its hints."""
    await ls.refresh(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def document_changed(ls: MlopsLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    """Re-analyse the edited document once typing pauses, and refresh its hints."""
    await ls.refresh(params.text_document.uri, delay=CHANGE_DEBOUNCE_S)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: MlopsLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    """Forget the closed document's hints and report."""
    ls.reports.pop(params.text_document.uri, None)
    ls.hinted.discard(params.text_document.uri)
    ls.analyses.forget(params.text_document.uri)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[KIND_PREFIX, types.CodeActionKind.QuickFix], resolve_provider=True
    ),
)
def code_action(
    ls: MlopsLanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    """List the applicable tasks from the cached cheap analysis; edits come later, in resolve."""
    notebook = notebook_snapshot(ls, params.text_document.uri)  # a cell: the whole notebook's code
    if notebook is not None:
        snap = notebook.snapshot(params.text_document.uri)
        analysis = analyze_text(snap.text)
    else:
        snap = bridge.snapshot(ls, params.text_document.uri)
        analysis = ls.analyses.for_listing(snap.uri, snap.text)

    def data_for(task: str) -> ActionData:
        return ActionData(snap.uri, snap.version, task)

    only = params.context.only
    known = _known_safety(ls, snap)
    found = list_actions(data_for, analysis, ls.settings, only, known)
    found += quick_fixes(data_for, list(params.context.diagnostics), ls.settings, only)
    if not _client_resolves_edits(ls):  # such clients run the action as a command instead
        for action in found:
            data = action.data
            arguments = [data["uri"], data["task"], data["version"]]
            action.command = types.Command(
                title=action.title, command=CMD_ADAPT_FILE, arguments=arguments
            )
    return found or None


@server.feature(types.CODE_ACTION_RESOLVE)
async def resolve_code_action(
    ls: MlopsLanguageServer, action: types.CodeAction
) -> types.CodeAction:
    """Compute the action's verified edit for the listed document version, or answer with an error."""
    try:
        data = ActionData.from_json(action.data)
    except BadActionData as err:
        raise JsonRpcInvalidParams(str(err)) from None
    in_notebook = await ls.notebook_edit(data.uri, data.version, data.task,
                                         progress=ls.settings.may_use_llm)
    if in_notebook is not None:
        action.edit, result = in_notebook
        action.title = title(data.task, result.safety)
        return action
    snap = bridge.require_version(ls, data.uri, data.version)
    result = bridge.require_applied(
        await bridge.adapt_snapshot(ls, snap, data.task, progress=ls.settings.may_use_llm)
    )
    # the buffer may have moved on while the engine worked: never hand out a stale edit
    bridge.require_version(ls, data.uri, data.version)
    action.edit = ls.edit_for(snap, result)
    action.title = title(data.task, result.safety)
    return action


@server.command(CMD_ADAPT_FILE)
async def adapt_file(ls: MlopsLanguageServer, *args: Any) -> dict:
    """Adapt a whole file with one task and ask the client to apply the verified edit."""
    uri, task, version = bridge.command_target(args)
    if notebook_snapshot(ls, uri) is not None:
        return await _adapt_notebook_command(ls, uri, task, version)
    snap = (
        bridge.require_version(ls, uri, version)
        if version is not None
        else bridge.snapshot(ls, uri)
    )
    result = await bridge.adapt_snapshot(ls, snap, task, progress=True)
    summary = result_to_dict(result)
    if not (isinstance(result, Applied) and result.changed):
        ls.window_show_message(
            types.ShowMessageParams(types.MessageType.Info, bridge.describe(summary))
        )
        return {**summary, "applied": False}
    bridge.require_version(ls, uri, snap.version)
    raise_if_cancelled(ls)
    answer = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(
            edit=ls.edit_for(snap, result), label=title(task, result.safety)
        )
    )
    return {**summary, "applied": bool(answer and answer.applied)}


async def _adapt_notebook_command(ls: MlopsLanguageServer, uri: str, task: str,
                                  version: int | None) -> dict:
    """adaptFile on a notebook cell: the whole notebook's edit, applied to its cells."""
    try:
        edit, result = await ls.notebook_edit(uri, version, task, progress=True)
    except bridge.RequestFailed as err:
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Info, str(err)))
        return {"status": "failed", "task": task, "applied": False}
    raise_if_cancelled(ls)
    answer = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=title(task, result.safety)))
    return {**result_to_dict(result), "applied": bool(answer and answer.applied)}


@server.command(CMD_SHOW_REPORT)
def show_report(ls: MlopsLanguageServer, *args: Any) -> dict | None:
    """The verification report of the last edit computed for a file (or for any file)."""
    uri = args[0] if args and isinstance(args[0], str) else None
    report = ls.reports.get(uri) if uri else next(reversed(ls.reports.values()), None)
    if report is None:
        ls.window_show_message(
            types.ShowMessageParams(types.MessageType.Info, "No MLOps-Adapt edit computed yet.")
        )
    return report


def _known_safety(ls: MlopsLanguageServer, snap: bridge.Snapshot) -> dict[str, str]:
    """Safety labels of edits already computed for this exact text."""
    options = ls.settings.adapt_options(snap.path)
    known = {}
    for task in ls.settings.enabled_tasks:
        result = ls.results.get(bridge.ResultCache.key(snap.text, task, options))
        if isinstance(result, Applied):
            known[task] = result.safety
    return known


def _client_resolves_edits(ls: MlopsLanguageServer) -> bool:
    caps = ls.client_capabilities.text_document if ls.client_capabilities else None
    code_action = caps.code_action if caps else None
    support = code_action.resolve_support if code_action else None
    return bool(support and "edit" in support.properties)


def _client_has_document_changes(ls: MlopsLanguageServer) -> bool:
    """documentChanges support; resource operations only exist inside documentChanges, so they imply it
    (Neovim 0.11 announces only those, and applies versioned edits)."""
    workspace = ls.client_capabilities.workspace if ls.client_capabilities else None
    edit = workspace.workspace_edit if workspace else None
    return bool(edit and (edit.document_changes or edit.resource_operations))
