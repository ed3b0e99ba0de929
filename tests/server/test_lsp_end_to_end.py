"""End-to-end tests of the language server over stdio with pytest-lsp as the client."""

from __future__ import annotations

import asyncio

import pytest
from lsp_test_support import (
    TRAIN_SCRIPT,
    action_for,
    apply_text_edits,
    big_script,
    document_edit,
    list_actions,
    open_document,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.verify.pipeline import verify_candidate

URI = "file:///work/train.py"
CONTENT_MODIFIED = -32801
REQUEST_CANCELLED = -32800
INVALID_PARAMS = -32602
REQUEST_FAILED = -32803
SLOW_LINES = 800  # a script big enough that the engine takes a while (about a second) on it


async def error_of(awaitable) -> JsonRpcException:
    """The JSON-RPC error a request answered with (fails the test if it succeeded)."""
    with pytest.raises(JsonRpcException) as caught:
        await awaitable
    return caught.value


async def test_initialize_advertises_lazy_code_actions_and_commands(client: LanguageClient):
    info = await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    provider = info.capabilities.code_action_provider
    assert provider.resolve_provider is True
    assert "refactor.rewrite.mlops" in provider.code_action_kinds
    assert {"mlops-adapt.adaptFile", "mlops-adapt.showReport"} <= set(
        info.capabilities.execute_command_provider.commands
    )


async def test_list_resolve_apply_gives_the_engine_result_and_it_verifies(client: LanguageClient):
    open_document(client, URI, TRAIN_SCRIPT, version=3)
    actions = await list_actions(client, URI)
    action = action_for(actions, "track-mlflow")
    assert action.edit is None  # lazy: the edit is computed in resolve
    assert action.title.endswith(("[safe]", "[unsafe]"))
    assert action.data == {"uri": URI, "version": 3, "task": "track-mlflow"}

    resolved = await client.code_action_resolve_async(action)
    change = document_edit(resolved.edit)
    assert change.text_document.version == 3
    assert all(e.range.start.line < len(TRAIN_SCRIPT.splitlines()) for e in change.edits)
    assert len(change.edits) < len(TRAIN_SCRIPT.splitlines())

    edited = apply_text_edits(TRAIN_SCRIPT, change.edits)
    expected = adapt(TRAIN_SCRIPT, "track-mlflow", AdaptOptions(path="/work/train.py"))
    assert isinstance(expected, Applied)
    assert edited == expected.code
    assert resolved.title.endswith(f"[{expected.safety}]")
    assert verify_candidate(TRAIN_SCRIPT, edited, "track-mlflow", AdaptOptions()).ok

    report = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="mlops-adapt.showReport", arguments=[URI])
    )
    assert report["status"] == "applied" and report["verification"]["ok"] is True


async def test_only_filter_limits_the_listed_kinds(client: LanguageClient):
    open_document(client, URI, TRAIN_SCRIPT)
    actions = await list_actions(client, URI, only=["refactor.rewrite.mlops.track-wandb"])
    assert [a.kind for a in actions or []] in ([], ["refactor.rewrite.mlops.track-wandb"])
    assert await list_actions(client, URI, only=["source.organizeImports"]) is None


async def test_stale_resolve_yields_no_edit_and_a_fresh_list_works(client: LanguageClient):
    open_document(client, URI, TRAIN_SCRIPT, version=1)
    stale = action_for(await list_actions(client, URI), "track-mlflow")
    changed = TRAIN_SCRIPT.replace("n_estimators = 50", "n_estimators = 80")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)],
        )
    )
    error = await error_of(client.code_action_resolve_async(stale))
    assert error.code == CONTENT_MODIFIED

    fresh = await client.code_action_resolve_async(
        action_for(await list_actions(client, URI), "track-mlflow")
    )
    change = document_edit(fresh.edit)
    assert change.text_document.version == 2
    assert "n_estimators = 80" in apply_text_edits(changed, change.edits)


async def test_edit_made_during_a_slow_resolve_is_never_returned_stale(client: LanguageClient):
    text = big_script(SLOW_LINES)
    open_document(client, URI, text, version=1)
    pending = asyncio.ensure_future(
        client.code_action_resolve_async(
            action_for(await list_actions(client, URI), "track-mlflow")
        )
    )
    await asyncio.sleep(0.05)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(text=text + "\n# edited\n")
            ],
        )
    )
    error = await error_of(pending)
    assert error.code == CONTENT_MODIFIED


async def test_other_requests_answer_while_a_resolve_runs(client: LanguageClient):
    open_document(client, "file:///work/big.py", big_script(SLOW_LINES))
    open_document(client, URI, TRAIN_SCRIPT)
    big_action = action_for(await list_actions(client, "file:///work/big.py"), "track-mlflow")
    slow = asyncio.ensure_future(client.code_action_resolve_async(big_action))
    await asyncio.sleep(0.05)
    quick = await list_actions(client, URI)
    assert action_for(quick, "track-mlflow")
    assert not slow.done()  # the listing did not wait for the engine
    resolved = await slow
    assert document_edit(resolved.edit).text_document.uri == "file:///work/big.py"


async def test_cancelled_resolve_answers_request_cancelled(client: LanguageClient):
    open_document(client, URI, big_script(SLOW_LINES))
    action = action_for(await list_actions(client, URI), "track-mlflow")
    future = asyncio.ensure_future(
        client.protocol.send_request_async(types.CODE_ACTION_RESOLVE, action, msg_id="resolve-1")
    )
    await asyncio.sleep(0.05)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="resolve-1"))
    error = await error_of(future)
    assert error.code == REQUEST_CANCELLED
    assert action_for(await list_actions(client, URI), "track-mlflow")  # still serving


async def test_cancelled_command_ends_its_progress(client: LanguageClient):
    open_document(client, URI, big_script(SLOW_LINES))
    params = types.ExecuteCommandParams(
        command="mlops-adapt.adaptFile", arguments=[URI, "track-mlflow"]
    )
    future = asyncio.ensure_future(
        client.protocol.send_request_async(types.WORKSPACE_EXECUTE_COMMAND, params, msg_id="cmd-1")
    )
    for _ in range(100):
        if client.progress_reports:
            break
        await asyncio.sleep(0.02)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cmd-1"))
    error = await error_of(future)
    assert error.code == REQUEST_CANCELLED
    await asyncio.sleep(0.1)
    (reports,) = client.progress_reports.values()
    assert reports[0].kind == "begin" and reports[0].cancellable is True
    assert reports[-1].kind == "end" and reports[-1].message == "cancelled"
    assert client.applied_edits == []

    # A retry runs to the end; by then the abandoned run is done too, and only one edit arrived.
    params.arguments = [URI, "track-mlflow"]
    retry = await client.workspace_execute_command_async(params)
    assert retry["applied"] is True
    await asyncio.sleep(0.5)
    assert len(client.applied_edits) == 1


def tracked_as(text: str, uri: str) -> str:
    """What the CLI's track-mlflow gives for this document (its file name names the run)."""
    return adapt(text, "track-mlflow", AdaptOptions(path=uri.removeprefix("file://"))).code


async def test_adapt_file_command_applies_the_edit_with_progress(client: LanguageClient):
    open_document(client, URI, TRAIN_SCRIPT, version=7)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="mlops-adapt.adaptFile", arguments=[URI, "track-mlflow"])
    )
    assert result["status"] == "applied" and result["applied"] is True
    (applied,) = client.applied_edits
    change = document_edit(applied.edit)
    assert change.text_document.version == 7
    assert apply_text_edits(TRAIN_SCRIPT, change.edits) == tracked_as(TRAIN_SCRIPT, URI)
    (reports,) = client.progress_reports.values()
    assert reports[0].kind == "begin" and reports[-1].kind == "end"


async def test_malformed_params_get_errors_and_the_server_lives_on(client: LanguageClient):
    open_document(client, URI, TRAIN_SCRIPT)
    bad_data = [
        None,
        "x",
        {"uri": URI, "version": "1", "task": "track-mlflow"},
        {"uri": URI, "version": 1, "task": "nope"},
    ]
    for data in bad_data:
        action = types.CodeAction(title="t", kind="refactor.rewrite.mlops.track-mlflow", data=data)
        assert (await error_of(client.code_action_resolve_async(action))).code == INVALID_PARAMS
    unopened = types.CodeAction(
        title="t", data={"uri": "file:///nowhere.py", "version": 1, "task": "track-mlflow"}
    )
    assert (await error_of(client.code_action_resolve_async(unopened))).code == INVALID_PARAMS
    await error_of(list_actions(client, "file:///nowhere.py"))
    for arguments in ([], [URI], [URI, "nope"], [5, "track-mlflow"], [URI, "track-mlflow", "v1"]):
        command = types.ExecuteCommandParams(command="mlops-adapt.adaptFile", arguments=arguments)
        assert (
            await error_of(client.workspace_execute_command_async(command))
        ).code == INVALID_PARAMS
    assert action_for(await list_actions(client, URI), "track-mlflow")


async def test_failures_answer_with_errors_and_the_server_lives_on(client: LanguageClient):
    broken = "file:///work/broken.py"
    open_document(client, broken, "def broken(:\n    pass\n")
    assert await list_actions(client, broken) is None  # nothing to offer for unparsable code
    forced = types.CodeAction(title="t", data={"uri": broken, "version": 1, "task": "track-mlflow"})
    error = await error_of(client.code_action_resolve_async(forced))
    assert error.code == REQUEST_FAILED and "syntax error" in error.message

    tracked = "file:///work/tracked.py"
    open_document(client, tracked, adapt(TRAIN_SCRIPT, "track-mlflow").code)
    forced = types.CodeAction(
        title="t", data={"uri": tracked, "version": 1, "task": "track-mlflow"}
    )
    assert (await error_of(client.code_action_resolve_async(forced))).code == REQUEST_FAILED

    open_document(client, URI, TRAIN_SCRIPT)
    resolved = await client.code_action_resolve_async(
        action_for(await list_actions(client, URI), "track-mlflow")
    )
    assert document_edit(resolved.edit).edits


async def test_many_documents_each_get_their_own_edit(client: LanguageClient):
    texts = {
        f"file:///work/train_{i}.py": TRAIN_SCRIPT.replace(
            "n_estimators = 50", f"n_estimators = {10 + i}"
        )
        for i in range(25)
    }
    for uri, text in texts.items():
        open_document(client, uri, text)
    listed = await asyncio.gather(*(list_actions(client, uri) for uri in texts))
    actions = {uri: action_for(found, "track-mlflow") for uri, found in zip(texts, listed)}
    chosen = list(texts)[::5]
    resolved = await asyncio.gather(
        *(client.code_action_resolve_async(actions[uri]) for uri in chosen)
    )
    for uri, action in zip(chosen, resolved):
        change = document_edit(action.edit)
        assert change.text_document.uri == uri
        assert apply_text_edits(texts[uri], change.edits) == tracked_as(texts[uri], uri)


async def test_diagnostics_are_opt_in_and_carry_a_quick_fix(client: LanguageClient, defaults: dict):
    open_document(client, URI, TRAIN_SCRIPT)
    assert action_for(await list_actions(client, URI), "track-mlflow")
    assert URI not in client.diagnostics  # off by default: nothing published

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"mlopsAdapt": {**defaults, "diagnostics": {"enabled": True}}}
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    (hint,) = [d for d in client.diagnostics[URI] if d.code == "track-mlflow"]
    assert hint.severity == types.DiagnosticSeverity.Information
    assert hint.range.start.line == TRAIN_SCRIPT.splitlines().index("model.fit(X_train, y_train)")

    fixes = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=hint.range,
            context=types.CodeActionContext(
                diagnostics=[hint], only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    fix = next(f for f in fixes if f.data["task"] == "track-mlflow")
    assert not any(f.kind.startswith("refactor") for f in fixes)  # only=quickfix
    assert fix.kind == types.CodeActionKind.QuickFix and list(fix.diagnostics) == [hint]
    resolved = await client.code_action_resolve_async(fix)
    assert (
        apply_text_edits(TRAIN_SCRIPT, document_edit(resolved.edit).edits)
        == tracked_as(TRAIN_SCRIPT, URI)
    )

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"mlopsAdapt": defaults})
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[URI]) == []  # switched off: cleared


async def test_enabled_tasks_setting_filters_the_list(client: LanguageClient, defaults: dict):
    open_document(client, URI, TRAIN_SCRIPT)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"mlopsAdapt": {**defaults, "enabledTasks": ["track-wandb"]}}
        )
    )
    actions = await list_actions(client, URI)
    assert {a.kind for a in actions or []} <= {"refactor.rewrite.mlops.track-wandb"}
