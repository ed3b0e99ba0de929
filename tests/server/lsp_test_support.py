"""Helpers for the language-server tests: settings from package.json, scripts, applying LSP edits."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_JSON = ROOT / "vscode-extension" / "package.json"
SERVER_COMMAND = [sys.executable, "-m", "mlops_adapt.server"]

TRAIN_SCRIPT = textwrap.dedent(
    """\
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    n_estimators = 50
    max_depth = 4

    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    model = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=0)
    model.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    print(f"accuracy: {accuracy:.3f}")
    """
)


def package_defaults() -> dict:
    """The server's initializationOptions built from the package.json setting defaults.

    "mlopsAdapt.llm.baseUrl" becomes {"llm": {"baseUrl": ...}}; client-only settings are left out,
    exactly as the extension's settings module does.
    """
    properties = json.loads(PACKAGE_JSON.read_text())["contributes"]["configuration"]["properties"]
    options: dict = {}
    for key, schema in properties.items():
        if schema.get("x-client-only"):
            continue
        *parents, leaf = key.removeprefix("mlopsAdapt.").split(".")
        target = options
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = schema["default"]
    return options


def big_script(lines: int) -> str:
    """A valid training script padded with helper functions to about `lines` lines."""
    helpers = "".join(
        f"def helper_{i}(x):\n    y = x * {i}\n    return y + 1\n\n\n" for i in range(lines // 5)
    )
    return TRAIN_SCRIPT + "\n\n" + helpers


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (ranges in the original text) the way an editor does."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)  # LSP ends lines only so
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        return starts[position.line] + position.character  # ASCII scripts: UTF-16 units == chars

    ordered = sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    )
    for edit in ordered:
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def document_edit(edit: types.WorkspaceEdit) -> types.TextDocumentEdit:
    """The single versioned document edit in a WorkspaceEdit."""
    assert edit.changes is None and edit.document_changes is not None
    (change,) = edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    return change


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )


async def list_actions(client: LanguageClient, uri: str, only: list[str] | None = None):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )


def action_for(actions, task: str) -> types.CodeAction:
    matching = [a for a in actions or [] if a.kind == f"refactor.rewrite.mlops.{task}"]
    assert matching, f"no {task} action in {[a.kind for a in actions or []]}"
    return matching[0]


class RawClient:
    """A blocking LSP client over the real `mlops-adapt lsp` process that frames bytes by hand.

    A thread reads the server's frames into a queue, so a silent server fails a test with a
    clear message instead of hanging it.
    """

    def __init__(self, command: list[str] | None = None, stderr=None) -> None:
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "mlops_adapt", "lsp"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr or subprocess.DEVNULL,
        )
        self.notifications: list[dict] = []
        self._inbox: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while (line := stream.readline()).strip():
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            if not line and not headers:
                self._inbox.put(None)  # the server closed its output
                return
            self._inbox.put(json.loads(stream.read(int(headers[b"content-length"]))))

    def send_bytes(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def answer(self, msg_id, timeout: float = 60.0) -> dict:
        """The response to `msg_id`; notifications that arrive meanwhile are kept."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self._inbox.get(timeout=left)
            except queue.Empty:
                break
            if message is None:
                raise AssertionError(f"the server closed its output before answering {msg_id!r}")
            if "method" in message:
                self.notifications.append(message)
            elif message.get("id") == msg_id:
                return message
        raise AssertionError(f"no answer to {msg_id!r} within {timeout} s")

    def request(self, msg_id, method: str, params, timeout: float = 60.0) -> dict:
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return self.answer(msg_id, timeout)

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def initialize(self, capabilities: dict | None = None) -> dict:
        init = self.request(1, "initialize", {"capabilities": capabilities or {},
                                              "initializationOptions": package_defaults()})
        self.notify("initialized", {})
        return init

    def log_messages(self) -> list[str]:
        return [n["params"]["message"] for n in self.notifications
                if n["method"] == "window/logMessage"]

    def close(self, timeout: float = 30.0) -> int:
        self.request("shutdown", "shutdown", None)
        self.notify("exit", None)
        return self.process.wait(timeout=timeout)
