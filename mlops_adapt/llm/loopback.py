"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests, benchmarks and demos.

It implements the subset the client uses: `GET /v1/models` and non-streaming
`POST /v1/chat/completions` with `n`, plus scripted delays, HTTP errors, an API key
check, unknown models and a context limit. Answers come from a `responder` callable.

Knobs imitate real servers: `single_slot` serves one chat request at a time (llama.cpp with
one slot), `delay` may depend on the request, and `flavour` adds a tokenizer and a context
window: "llama.cpp" (`/props` n_ctx, `/tokenize`, `/apply-template`; an over-long request is
clamped silently, as llama.cpp does) or "vllm" (`max_model_len` in `/v1/models`,
`/tokenize` with messages; an over-long request gets HTTP 400) or "llama-cpp-python"
(`/extras/tokenize/count` on raw text, no context size; a prompt longer than the context
gets HTTP 400, a long answer is clamped silently).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    """One scripted choice."""

    text: str
    finish_reason: str = "stop"


class HttpFailure(Exception):
    """Raised by a responder to answer with an HTTP error."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# A responder gets the request body and the 0-based index of the chat call; it returns the
# choices (strings or Answers). Returning fewer than `n` choices imitates servers that ignore n.
Responder = Callable[[dict, int], Sequence["Answer | str"]]

_TOKEN = re.compile(r"\w+|[^\w\s]")


def loopback_tokens(text: str) -> int:
    """The loopback tokenizer: words and punctuation marks (deliberately unlike chars / 3.5)."""
    return len(_TOKEN.findall(text))


def render_template(messages: list[dict]) -> str:
    """The loopback chat template."""
    turns = "".join(f"<|{m.get('role')}|>\n{m.get('content') or ''}\n" for m in messages)
    return turns + "<|assistant|>\n"


def user_code_of(body: dict) -> str:
    """The code section of the last user message built by mlops_adapt.llm.prompting (for responders)."""
    from mlops_adapt.llm.prompting import extract_code_section

    users = [m["content"] for m in body.get("messages", []) if m.get("role") == "user"]
    return extract_code_section(users[0]) if users else ""


class ScriptedEndpoint:
    """Start with `with ScriptedEndpoint(responder) as ep:`; `ep.base_url` ends in /v1."""

    def __init__(
        self,
        responder: Responder,
        *,
        delay: float | Callable[[dict, int], float] = 0.0,  # seconds, or f(body, index)
        honor_n: bool = True,
        single_slot: bool = False,
        flavour: str | None = None,
        n_ctx: int = 4096,
        api_key: str | None = None,
        models: Sequence[str] = ("test-model",),
        failures: Sequence[tuple[int, str]] = (),
        max_prompt_chars: int | None = None,
    ) -> None:
        self.responder = responder
        self.delay = delay
        self.honor_n = honor_n
        self.api_key = api_key
        self.models = list(models)
        self.failures = list(failures)  # answered, in order, before any scripted answer
        self.max_prompt_chars = max_prompt_chars
        self.single_slot = single_slot
        if flavour not in (None, "llama.cpp", "vllm", "llama-cpp-python"):
            raise ValueError(f"unknown flavour {flavour!r}")
        self.flavour = flavour
        self.n_ctx = n_ctx
        self.requests: list[dict] = []  # chat bodies, in arrival order
        self.headers: list[dict[str, str]] = []  # lower-cased header names
        self.prompt_tokens: list[int] = []  # per chat request, by the loopback tokenizer
        self.clamped: list[int] = []  # indexes of chat requests clamped to n_ctx (llama.cpp)
        self.calls: list[tuple[str, str]] = []  # (method, path) of every request, chat included
        # (index, arrived, answered) per chat answer, time.monotonic(): arrival is before the
        # request waits for the single slot, so answered - arrived is what the client waited.
        self.served: list[tuple[int, float, float]] = []
        self._lock = threading.Lock()
        self._slot = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> ScriptedEndpoint:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                return

            def do_GET(self) -> None:
                endpoint._note("GET", self.path)
                path = self.path.rstrip("/")
                if path.endswith("/models"):
                    if not endpoint._authorized({k.lower(): v for k, v in self.headers.items()}):
                        return self._send(401, _error("Incorrect API key provided.", 401))
                    return self._send(200, endpoint._model_list())
                if path == "/props" and endpoint.flavour == "llama.cpp":
                    return self._send(200, endpoint._props())
                self._send(404, _error(f"no route {self.path}", 404))

            def do_POST(self) -> None:
                endpoint._note("POST", self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.rstrip("/")
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    return self._send(400, _error("body is not JSON", 400))
                if path in ("/tokenize", "/apply-template", "/extras/tokenize/count") and (
                    endpoint.flavour
                ):
                    return self._send(*endpoint._tokenizer_route(path, body))
                if not path.endswith("/chat/completions"):
                    return self._send(404, _error(f"no route {self.path}", 404))
                status, payload = endpoint._chat(
                    body, {k.lower(): v for k, v in self.headers.items()}
                )
                self._send(status, payload)

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout); nothing to tell it

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ScriptedEndpoint:  # noqa: PYI034 - Python 3.10 has no typing.Self
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the endpoint first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    # ------------------------------------------------------------ behaviour
    def _authorized(self, headers) -> bool:
        if self.api_key is None:
            return True
        return headers.get("authorization", "") == f"Bearer {self.api_key}"

    def _note(self, method: str, path: str) -> None:
        with self._lock:
            self.calls.append((method, path))

    def _model_list(self) -> dict:
        data = []
        for m in self.models:
            entry = {"id": m, "object": "model", "owned_by": "loopback"}
            if self.flavour == "vllm":
                entry["max_model_len"] = self.n_ctx
            data.append(entry)
        return {"object": "list", "data": data}

    def _props(self) -> dict:
        return {
            "default_generation_settings": {"n_ctx": self.n_ctx},
            "total_slots": 1 if self.single_slot else 4,
        }

    def _tokenizer_route(self, path: str, body: dict) -> tuple[int, dict]:
        if (path == "/extras/tokenize/count") != (self.flavour == "llama-cpp-python"):
            return 404, _error("no route", 404)
        if path == "/extras/tokenize/count":
            return 200, {"count": loopback_tokens(str(body.get("input", "")))}
        if path == "/apply-template":
            if self.flavour != "llama.cpp":
                return 404, _error("no route", 404)
            return 200, {"prompt": render_template(body.get("messages") or [])}
        if self.flavour == "llama.cpp":
            count = loopback_tokens(str(body.get("content", "")))
            return 200, {"tokens": list(range(count))}
        count = loopback_tokens(render_template(body.get("messages") or []))
        return 200, {"count": count, "max_model_len": self.n_ctx, "tokens": list(range(count))}

    def _chat(self, body: dict, headers: dict[str, str]) -> tuple[int, dict]:
        arrived = time.monotonic()
        if self.single_slot:
            with self._slot:  # one request at a time; the others wait in the server's queue
                return self._serve_chat(body, headers, arrived)
        return self._serve_chat(body, headers, arrived)

    def _serve_chat(self, body: dict, headers: dict[str, str], arrived: float) -> tuple[int, dict]:
        tokens = loopback_tokens(render_template(body.get("messages") or []))
        with self._lock:
            index = len(self.requests)
            self.requests.append(body)
            self.headers.append(headers)
            self.prompt_tokens.append(tokens)
            failure = self.failures.pop(0) if self.failures else None
        delay = self.delay(body, index) if callable(self.delay) else self.delay
        if delay and self._stopping.wait(delay):
            return 503, _error("server shutting down", 503)
        if not self._authorized(headers):
            return 401, _error("Incorrect API key provided.", 401)
        if failure is not None:
            return failure[0], _error(failure[1], failure[0])
        model = body.get("model")
        if model not in self.models:
            return 404, _error(f"The model `{model}` does not exist.", 404)
        prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
        if self.max_prompt_chars is not None and prompt_chars > self.max_prompt_chars:
            message = (
                f"This model's maximum context length is {self.max_prompt_chars // 4} tokens. "
                f"However, you requested {prompt_chars // 4} tokens in the messages."
            )
            return 400, _error(message, 400)
        if self.flavour and tokens + int(body.get("max_tokens") or 0) > self.n_ctx:
            if self.flavour == "llama-cpp-python" and tokens > self.n_ctx:
                message = (
                    f"Requested tokens ({tokens}) exceed context window of {self.n_ctx}"
                )
                return 400, _error(message, 400)
            if self.flavour == "vllm":
                message = (
                    f"This model's maximum context length is {self.n_ctx} tokens. However, you "
                    f"requested {tokens + int(body.get('max_tokens') or 0)} tokens."
                )
                return 400, _error(message, 400)
            with self._lock:
                self.clamped.append(index)  # llama.cpp cuts the prompt or the answer, silently
        try:
            answers = list(self.responder(body, index))
        except HttpFailure as failure_:
            return failure_.status, _error(failure_.message, failure_.status)
        n = int(body.get("n") or 1)
        answers = answers[: n if self.honor_n else 1]
        choices = []
        for i, answer in enumerate(answers):
            answer = answer if isinstance(answer, Answer) else Answer(answer)
            choices.append(
                {
                    "index": i,
                    "message": {"role": "assistant", "content": answer.text},
                    "finish_reason": answer.finish_reason,
                    "logprobs": None,
                }
            )
        completion_tokens = sum(len(c["message"]["content"]) // 4 for c in choices)
        with self._lock:
            self.served.append((index, arrived, time.monotonic()))
        return 200, {
            "id": f"chatcmpl-loopback-{index}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt_chars // 4,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_chars // 4 + completion_tokens,
            },
        }


def _error(message: str, status: int) -> dict:
    return {
        "error": {"message": message, "type": "invalid_request_error", "code": status},
        "object": "error",
    }
