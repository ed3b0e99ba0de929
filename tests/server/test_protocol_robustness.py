"""Hostile or unlucky input over raw stdio: bad headers, stale versions, exit during a resolve."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time

import pytest
from lsp_test_support import TRAIN_SCRIPT, RawClient, big_script

URI = "file:///work/train.py"
RESOLVE_CAPS = {"textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}},
                "workspace": {"workspaceEdit": {"documentChanges": True}}}
CONTENT_MODIFIED = -32801


def frame(message: dict, header: bytes | None = None) -> bytes:
    body = json.dumps(message).encode()
    return (header if header is not None else b"Content-Length: %d\r\n\r\n" % len(body)) + body


def open_doc(client: RawClient, text: str, version: int = 1, uri: str = URI) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": version, "text": text}})


def code_actions(client: RawClient, msg_id, uri: str = URI) -> dict:
    return client.request(msg_id, "textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}})


def nested(depth: int) -> str:
    """The training script with `depth` nested if-blocks after it."""
    blocks = "".join("    " * i + f"if flag_{i}:\n" for i in range(depth))
    return TRAIN_SCRIPT + "flag_0 = True\n" + blocks + "    " * depth + "pass\n"


@pytest.fixture
def raw():
    clients: list[RawClient] = []

    def start(**kwargs) -> RawClient:
        client = RawClient(**kwargs)
        clients.append(client)
        return client

    yield start
    for client in clients:
        if client.process.poll() is None:
            client.process.kill()
            client.process.wait()


# ---------------------------------------------------------------- framing

LOST = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
    "textDocument": {"uri": URI},
    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
    "context": {"diagnostics": []}}}


@pytest.mark.parametrize("bad_header", [
    b"Content-Length: abc\r\n\r\n",
    b"Content-Length: -5\r\n\r\n",
    b"Content-Length: 12x\r\n\r\n",
    b"Content-Length: 99999999999999999999999\r\n\r\n",
    b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
    b"garbage without a colon\r\n\r\n",
], ids=["letters", "negative", "trailing-junk", "absurd", "no-length", "no-colon"])
def test_a_malformed_header_is_logged_and_the_next_message_is_served(raw, bad_header):
    client = raw()
    client.initialize(RESOLVE_CAPS)
    open_doc(client, TRAIN_SCRIPT)
    client.send_bytes(frame(LOST, bad_header))
    listed = code_actions(client, 3, URI)
    assert any(a["kind"] == "refactor.rewrite.mlops.track-mlflow" for a in listed["result"])
    # The unreadable message got no answer, and the reason is in the client's log.
    assert any("header" in m and "skipped" in m for m in client.log_messages()), \
        client.log_messages()
    client.send(LOST)
    assert client.answer(2)["result"]  # the same request, well framed, is served
    assert client.close() == 0


def test_two_bad_frames_in_a_row_and_back_to_back_good_ones(raw):
    client = raw()
    client.initialize(RESOLVE_CAPS)
    open_doc(client, TRAIN_SCRIPT)
    good = frame({**LOST, "id": 4})
    client.send_bytes(frame(LOST, b"Content-Length: abc\r\n\r\n")
                      + frame(LOST, b"Content-Length: \r\n\r\n") + good
                      + frame({**LOST, "id": 5}))
    assert client.answer(4)["result"] and client.answer(5)["result"]
    assert client.close() == 0


@pytest.mark.parametrize("header", [
    b"content-length: %d\r\n\r\n",
    b"Content-Length:%d\r\n\r\n",
    b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: %d\r\n\r\n",
    b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
], ids=["lowercase", "no-space", "type-first", "type-last"])
def test_header_forms_the_base_protocol_allows_are_read(raw, header):
    client = raw()
    client.initialize(RESOLVE_CAPS)
    open_doc(client, TRAIN_SCRIPT)
    body = json.dumps({**LOST, "id": 6}).encode()
    client.send_bytes(header % len(body) + body)
    assert client.answer(6, timeout=30)["result"]
    assert client.close() == 0


# ---------------------------------------------------------------- versions


def test_a_change_with_an_older_version_is_ignored_and_logged(raw):
    client = raw()
    client.initialize(RESOLVE_CAPS)
    open_doc(client, TRAIN_SCRIPT, version=5)
    older = TRAIN_SCRIPT.replace("n_estimators = 50", "n_estimators = 80")
    client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3},
                                             "contentChanges": [{"text": older}]})
    listed = code_actions(client, 2)["result"]
    action = next(a for a in listed if a["kind"] == "refactor.rewrite.mlops.track-mlflow")
    assert action["data"]["version"] == 5  # the buffer stayed at version 5
    resolved = client.request(3, "codeAction/resolve", action)["result"]
    (change,) = resolved["edit"]["documentChanges"]
    assert change["textDocument"]["version"] == 5
    assert not any("n_estimators = 80" in e["newText"] for e in change["edits"])
    assert any("version 3" in m and "ignored" in m for m in client.log_messages()), \
        client.log_messages()
    assert client.close() == 0


def test_an_action_for_an_older_version_is_a_clear_error_on_the_newer_buffer(raw):
    client = raw()
    client.initialize(RESOLVE_CAPS)
    open_doc(client, TRAIN_SCRIPT, version=1)
    listed = code_actions(client, 2)["result"]
    action = next(a for a in listed if a["kind"] == "refactor.rewrite.mlops.track-mlflow")
    newer = TRAIN_SCRIPT.replace("max_depth = 4", "max_depth = 6")
    client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2},
                                             "contentChanges": [{"text": newer}]})
    error = client.request(3, "codeAction/resolve", action)["error"]
    assert error["code"] == CONTENT_MODIFIED
    assert "version 1 -> 2" in error["message"] and "ask for code actions again" in error["message"]
    command = client.request(4, "workspace/executeCommand", {
        "command": "mlops-adapt.adaptFile", "arguments": [URI, "track-mlflow", 1]})["error"]
    assert command["code"] == CONTENT_MODIFIED
    assert client.close() == 0


# ---------------------------------------------------------------- heavy work


def test_deeply_nested_code_gets_an_answer(raw):
    """Sixty nested blocks once made one scan step exponential: the resolve never answered."""
    client = raw()
    client.initialize(RESOLVE_CAPS)
    open_doc(client, nested(60))
    action = {"title": "t", "data": {"uri": URI, "version": 1, "task": "track-mlflow"}}
    resolved = client.request(2, "codeAction/resolve", action, timeout=120)
    assert "result" in resolved, resolved
    assert client.close() == 0


@pytest.mark.parametrize("command", [["-m", "mlops_adapt", "lsp"], ["-m", "mlops_adapt.server"]])
def test_shutdown_and_exit_are_prompt_while_a_long_resolve_runs(raw, command):
    """The resolve needs far longer than the bounds below; exit must not wait for it."""
    import sys

    with tempfile.TemporaryFile() as stderr:
        client = raw(command=[sys.executable, *command], stderr=stderr)
        client.initialize(RESOLVE_CAPS)
        open_doc(client, big_script(60000))
        client.send({"jsonrpc": "2.0", "id": 2, "method": "codeAction/resolve",
                     "params": {"title": "t",
                                "data": {"uri": URI, "version": 1, "task": "track-mlflow"}}})
        time.sleep(1.0)  # the engine is busy by now
        assert code_actions(client, 3)["result"]  # the protocol loop still serves
        assert client.request(4, "shutdown", None, timeout=10) == {
            "jsonrpc": "2.0", "id": 4, "result": None}
        client.notify("exit", None)
        try:
            code = client.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            raise AssertionError("the server ignored `exit` while a resolve ran") from None
        assert code == 0
        stderr.seek(0)
        assert b"Traceback" not in stderr.read()
