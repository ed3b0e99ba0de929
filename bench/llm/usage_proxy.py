"""A loopback pass-through in front of an OpenAI-compatible server that records each chat answer and its token usage.

The real-model bench puts it between the tool and the model server, so that tokens in/out and the
raw first-round answers are measured without touching the tool's client. Any server works (llama.cpp,
vLLM, a hosted API): requests and responses pass unchanged, headers included.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Exchange:
    """One chat completion that passed through: how many messages it sent, what came back."""

    messages: int
    answers: list[str]
    finish_reasons: list[str | None]
    prompt_tokens: int
    completion_tokens: int


@dataclass
class UsageLog:
    """Every chat exchange so far; the bench reads slices of it per script."""

    exchanges: list[Exchange] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mark(self) -> int:
        with self.lock:
            return len(self.exchanges)

    def since(self, mark: int) -> list[Exchange]:
        with self.lock:
            return list(self.exchanges[mark:])


class UsageProxy:
    """ThreadingHTTPServer on 127.0.0.1 forwarding to `upstream` (a base URL ending in /v1)."""

    def __init__(self, upstream: str, timeout: float = 3600.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.log = UsageLog()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy._forward(self, None)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                proxy._forward(self, self.rfile.read(length))

            def log_message(self, *args) -> None:  # quiet: the bench prints its own progress
                pass

        self.timeout = timeout
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> UsageProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes | None) -> None:
        # The tool's client addresses paths under its base URL (/v1/...) and, for probes, the
        # server root (/props, /tokenize): both map onto the upstream the same way.
        root = self.upstream.removesuffix("/v1")
        url = root + handler.path
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_HEADERS}
        request = urllib.request.Request(url, body, headers, method=handler.command)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                status, reply, reply_headers = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as err:
            status, reply, reply_headers = err.code, err.read(), err.headers
        except OSError as err:
            status, reply, reply_headers = 502, json.dumps({"error": str(err)}).encode(), {}
        if status == 200 and body and handler.path.endswith("/chat/completions"):
            self._record(body, reply)
        handler.send_response(status)
        for key, value in reply_headers.items():
            if key.lower() not in HOP_HEADERS:
                handler.send_header(key, value)
        handler.send_header("content-length", str(len(reply)))
        handler.end_headers()
        handler.wfile.write(reply)

    def _record(self, body: bytes, reply: bytes) -> None:
        try:
            sent, got = json.loads(body), json.loads(reply)
        except ValueError:
            return
        usage = got.get("usage") or {}
        exchange = Exchange(
            len(sent.get("messages") or []),
            [(c.get("message") or {}).get("content") or "" for c in got.get("choices") or []],
            [c.get("finish_reason") for c in got.get("choices") or []],
            int(usage.get("prompt_tokens") or 0),
            int(usage.get("completion_tokens") or 0),
        )
        with self.log.lock:
            self.log.exchanges.append(exchange)
