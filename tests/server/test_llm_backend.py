"""LLM-backed resolves through the server, against a scripted OpenAI-compatible endpoint on loopback."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from lsp_test_support import (
    SERVER_COMMAND,
    TRAIN_SCRIPT,
    action_for,
    apply_text_edits,
    document_edit,
    list_actions,
    open_document,
    package_defaults,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, client_capabilities

from mlops_adapt.engine import adapt
from mlops_adapt.llm.loopback import ScriptedEndpoint

URI = "file:///work/train.py"
# What a good model answers: the verified recipe edit, fenced the way chat models write code.
GOOD_ANSWER = "```python\n" + adapt(TRAIN_SCRIPT, "track-mlflow", None).code + "```"


def answer_good(body: dict, index: int) -> list[str]:
    return [GOOD_ANSWER] * int(body.get("n") or 1)


async def start_llm_session(endpoint: ScriptedEndpoint, tmp_path: Path):
    """A server whose settings point the LLM backend at the endpoint (docs retrieval off, own cache)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MLOPS_ADAPT_", "OPENAI_"))},
        "MLOPS_ADAPT_CACHE_DIR": str(tmp_path / "cache"),
        "MLOPS_ADAPT_LLM_DOCS_K": "0",
    }
    client = await ClientServerConfig(server_command=SERVER_COMMAND, server_env=env).start()
    options = package_defaults()
    options["backend"] = "llm"
    options["llm"].update(baseUrl=endpoint.base_url, model=endpoint.models[0])
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), initialization_options=options
        )
    )
    return client


async def stop_session(client) -> None:
    await client.shutdown_session()
    await client.stop()


@pytest.mark.slow
async def test_llm_resolve_reports_progress_and_gives_the_verified_answer(tmp_path: Path):
    with ScriptedEndpoint(answer_good) as endpoint:
        client = await start_llm_session(endpoint, tmp_path)
        try:
            open_document(client, URI, TRAIN_SCRIPT)
            resolved = await client.code_action_resolve_async(
                action_for(await list_actions(client, URI), "track-mlflow")
            )
            edited = apply_text_edits(TRAIN_SCRIPT, document_edit(resolved.edit).edits)
            assert edited == adapt(TRAIN_SCRIPT, "track-mlflow").code
            assert endpoint.requests, "the LLM endpoint was never asked"
            report = await client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="mlops-adapt.showReport", arguments=[URI])
            )
            assert report["backend"] == "llm" and report["verification"]["ok"] is True
            (progress,) = client.progress_reports.values()
            assert progress[0].kind == "begin" and progress[-1].kind == "end"
            assert progress[-1].message == "done"
        finally:
            await stop_session(client)


@pytest.mark.slow
async def test_cancelling_a_slow_llm_resolve_answers_at_once(tmp_path: Path):
    with ScriptedEndpoint(answer_good, delay=20.0) as endpoint:
        client = await start_llm_session(endpoint, tmp_path)
        try:
            open_document(client, URI, TRAIN_SCRIPT)
            action = action_for(await list_actions(client, URI), "track-mlflow")
            pending = asyncio.ensure_future(
                client.protocol.send_request_async(
                    types.CODE_ACTION_RESOLVE, action, msg_id="llm-1"
                )
            )
            for _ in range(250):
                if client.progress_reports and endpoint.requests:
                    break
                await asyncio.sleep(0.02)
            assert endpoint.requests, "the LLM endpoint was never asked"
            # While the model thinks, the server still answers other requests.
            assert action_for(await list_actions(client, URI), "track-mlflow")
            assert not pending.done()
            client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="llm-1"))
            with pytest.raises(JsonRpcException) as caught:
                await asyncio.wait_for(pending, timeout=10)  # far less than the endpoint's delay
            assert caught.value.code == -32800
            await asyncio.sleep(0.1)
            (progress,) = client.progress_reports.values()
            assert progress[-1].kind == "end" and progress[-1].message == "cancelled"
        finally:
            await stop_session(client)
