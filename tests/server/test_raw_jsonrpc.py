"""The server over raw stdio JSON-RPC (no LSP library on the client side): bad input gets answers."""

from __future__ import annotations

import json
import subprocess
import sys

STDERR = subprocess.DEVNULL

from lsp_test_support import TRAIN_SCRIPT, package_defaults

# Exactly how the VS Code extension starts the server (through the CLI).
CLI_COMMAND = [sys.executable, "-m", "mlops_adapt", "lsp"]


class RawClient:
    """A minimal blocking LSP client that frames JSON-RPC by hand."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            CLI_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=STDERR
        )

    def send_bytes(self, body: bytes) -> None:
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def send(self, message: dict) -> None:
        self.send_bytes(json.dumps(message).encode())

    def answer(self, msg_id) -> dict:
        """Read messages until the response to `msg_id` (notifications are skipped)."""
        while True:
            headers = {}
            while (line := self.process.stdout.readline().strip()) != b"":
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            message = json.loads(self.process.stdout.read(int(headers[b"content-length"])))
            if message.get("id") == msg_id and "method" not in message:
                return message

    def request(self, msg_id, method: str, params) -> dict:
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return self.answer(msg_id)

    def close(self) -> int:
        self.request(999, "shutdown", None)
        self.send({"jsonrpc": "2.0", "method": "exit"})
        return self.process.wait(timeout=30)


def test_requests_with_unreadable_params_are_answered_and_the_server_lives_on():
    client = RawClient()
    try:
        init = client.request(
            1, "initialize", {"capabilities": {}, "initializationOptions": package_defaults()}
        )
        assert init["result"]["capabilities"]["codeActionProvider"]["resolveProvider"] is True
        client.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

        assert (
            client.request(2, "textDocument/codeAction", {"textDocument": 42})["error"]["code"]
            == -32602
        )
        assert client.request(3, "codeAction/resolve", {"title": 5})["error"]["code"] == -32602
        assert (
            client.request(4, "codeAction/resolve", {"title": "x", "data": []})["error"]["code"]
            == -32602
        )
        assert (
            client.request(5, "workspace/executeCommand", {"command": "nope"})["error"]["code"]
            == -32602
        )
        assert client.request(6, "no/such/method", {})["error"]["code"] == -32601
        client.send_bytes(b"{not json")
        client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"bogus": True}})

        uri = "file:///work/train.py"
        client.send(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": uri,
                        "languageId": "python",
                        "version": 1,
                        "text": TRAIN_SCRIPT,
                    }
                },
            }
        )
        listed = client.request(
            7,
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": []},
            },
        )
        assert "result" in listed, listed
        kinds = [action["kind"] for action in listed["result"]]
        assert "refactor.rewrite.mlops.track-mlflow" in kinds
        # This client cannot resolve edits lazily, so each action runs the adapt command instead.
        command = listed["result"][kinds.index("refactor.rewrite.mlops.track-mlflow")]["command"]
        assert command["command"] == "mlops-adapt.adaptFile"
        assert command["arguments"] == [uri, "track-mlflow", 1]
    finally:
        if client.process.poll() is None:
            assert client.close() == 0
