"""Async chat-completions client for any OpenAI-compatible endpoint: n samples, retries, clear errors.

Waiting is bounded per candidate: a request may wait `timeout` seconds from when it is sent, and
every answer the endpoint completes in the meantime restarts that clock. A single-slot server
(llama.cpp with one slot) that serves the k samples one after another therefore finishes all of
them, while a server that completes nothing for `timeout` seconds is given up on. An answer
that completed is never thrown away because a sibling timed out.
"""

from __future__ import annotations

import asyncio
import random
import re
import urllib.parse

from mlops_adapt.llm.budget import MESSAGE_OVERHEAD, TokenCount, estimate_tokens
from mlops_adapt.llm.cache import (
    Completion,
    EndpointMemory,
    ResponseCache,
    cache_key,
    top_up_answers,
)
from mlops_adapt.llm.config import NO_ENDPOINT, LLMConfig
from mlops_adapt.llm.errors import LLMError

_CONTEXT_OVERFLOW = re.compile(
    r"maximum context length|context[_ ]length[_ ]exceeded|context window|too many tokens|"
    r"prompt is too long|exceeds the context",
    re.IGNORECASE,
)
_N_UNSUPPORTED = re.compile(
    r"\bn\b.*(must be|only|not supported|unsupported)|only supports n|\`n\`", re.IGNORECASE
)
RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
N_FACT = "honours_n"
PROBE_TIMEOUT = 30.0  # seconds for metadata calls (/props, /models, /tokenize)


class ChatClient:
    """Samples k answers for a conversation; one instance per event loop.

    Public API: `complete`, `resolve_model`, `served_models`, `context_window`, `count_tokens`,
    `aclose`, and the counter `requests_sent` (chat and model-list calls, not metadata probes).
    """

    def __init__(
        self,
        config: LLMConfig,
        cache: ResponseCache | None = None,
        memory: EndpointMemory | None = None,
    ) -> None:
        if not config.base_url:
            raise LLMError("config", NO_ENDPOINT)
        import openai  # heavy: only when the LLM path is taken

        self.config = config
        self.cache = cache
        self.memory = memory if memory is not None else EndpointMemory(
            cache.folder if cache is not None else None
        )
        self.model = config.model
        self._openai = openai
        # No read timeout in the transport: _await_answer bounds the wait itself, so that a
        # request queued behind others on a busy server is not cut off while the server works.
        self._client = openai.AsyncOpenAI(
            base_url=config.base_url,
            api_key=config.api_key or "EMPTY",  # vLLM without --api-key accepts anything
            timeout=openai.Timeout(None, connect=min(config.timeout, PROBE_TIMEOUT)),
            max_retries=0,  # we retry ourselves
            default_headers=dict(config.extra_headers) or None,
        )
        self._n_supported: bool | None = None
        self._n_loaded = False
        self._slots = asyncio.Semaphore(config.concurrency)
        self._model_lock = asyncio.Lock()
        self._probe_lock = asyncio.Lock()
        self._probed = False
        self._window: int | None = config.context_tokens or None
        self._tokenizer: str | None = None  # "llama.cpp", "vllm", "llama-cpp-python", None
        self._last_progress = float("-inf")
        self.requests_sent = 0

    async def aclose(self) -> None:
        await self._client.close()

    # ------------------------------------------------------------ public
    async def complete(
        self, messages: list[dict], n: int, *, max_tokens: int | None = None
    ) -> list[Completion]:
        """Up to n answers to `messages` (cached on disk); fewer when some candidates timed out.

        `max_tokens` overrides the configured answer length (the token budget passes the room
        left in the context window). Raises LLMError, with a clear message, only when no
        answer at all arrived.
        """
        model = await self.resolve_model()
        request = self._request_fields(max_tokens)
        # n is not part of the key: the cache keeps every answer and tops up a shorter list.
        key = cache_key(model, messages, request, self.config.base_url)
        return await top_up_answers(
            self.cache, key, n,
            lambda missing, first: self._sample(messages, missing, request, first),
        )

    async def resolve_model(self) -> str:
        """The configured model, or the only one the endpoint serves (vLLM serves one)."""
        if self.model:
            return self.model
        async with self._model_lock:
            if not self.model:
                served = await self.served_models()
                if len(served) != 1:
                    listing = ", ".join(served) or "none"
                    raise LLMError(
                        "model",
                        f"set MLOPS_ADAPT_LLM_MODEL (or `model` in [tool.mlops-adapt.llm]): "
                        f"{self.config.shown_url} serves {listing}",
                    )
                self.model = served[0]
        return self.model

    async def served_models(self) -> list[str]:
        """Model ids listed by GET /models."""
        page = await self._call(lambda: self._client.models.list())
        return [m.id for m in page.data]

    async def context_window(self) -> int | None:
        """The model's context in tokens: `context_tokens`, else what the server reports
        (llama.cpp /props n_ctx, vLLM /v1/models max_model_len), else None (unknown)."""
        await self._probe()
        return self._window

    async def count_tokens(self, messages: list[dict]) -> TokenCount:
        """Prompt tokens by the server's tokenizer (llama.cpp or vLLM /tokenize, llama-cpp-python
        /extras/tokenize/count), else estimated."""
        await self._probe()
        try:
            if self._tokenizer == "vllm":
                data = await self._probe_json(
                    "POST", "/tokenize",
                    {"model": self.model, "messages": messages, "add_generation_prompt": True},
                )
                return TokenCount(int(data["count"]), exact=True)
            if self._tokenizer == "llama.cpp":
                return await self._llama_count(messages)
            if self._tokenizer == "llama-cpp-python":
                # No chat-template route: the contents, plus the template's tokens per message.
                text = "\n".join(str(m.get("content") or "") for m in messages)
                data = await self._probe_json("POST", "/extras/tokenize/count", {"input": text})
                return TokenCount(int(data["count"]) + MESSAGE_OVERHEAD * len(messages), True)
        except (LLMError, KeyError, TypeError, ValueError):
            self._tokenizer = None  # a tokenizer that failed once is not asked again
        return estimate_tokens(messages)

    # ------------------------------------------------------------ sampling
    def _request_fields(self, max_tokens: int | None) -> dict:
        """Everything in the request body that shapes the answers, except n and the prompt."""
        return {
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens if max_tokens is None else max_tokens,
            **self.config.sampling_extras(),
        }

    async def _sample(
        self, messages: list[dict], n: int, request: dict, held: int = 0
    ) -> list[Completion]:
        """n fresh answers: one request with n where the endpoint honours it, else n requests.

        `held` answers exist already (cached). With a `seed`, separate requests get seed + the
        sample's index: the same seed on each would give k copies of one answer.
        """
        self._load_n_fact()
        answers: list[Completion] = []
        if n > 1 and self._n_supported is not False:
            try:
                answers = await self._request(messages, n, request)
            except LLMError as err:
                if err.kind != "request" or not _N_UNSUPPORTED.search(err.message):
                    raise
                self._remember_n(False)
            else:
                # A server that ignores n answers once; from now on (and in later processes)
                # the samples go out as separate requests.
                self._remember_n(len(answers) >= n)
        missing = n - len(answers)
        if missing <= 0:
            return answers
        first = held + len(answers)
        results = await asyncio.gather(
            *(self._request(messages, 1, _nth_sample(request, first + i)) for i in range(missing)),
            return_exceptions=True,
        )
        errors = []
        for result in results:
            if isinstance(result, LLMError):
                errors.append(result)
            elif isinstance(result, BaseException):
                raise result
            else:
                answers += result
        if not answers:
            raise errors[0]
        return answers

    def _load_n_fact(self) -> None:
        if not self._n_loaded:
            self._n_loaded = True
            known = self.memory.get(self.config.base_url, self.model, N_FACT)
            if isinstance(known, bool):
                self._n_supported = known

    def _remember_n(self, supported: bool) -> None:
        if self._n_supported != supported:
            self._n_supported = supported
            self.memory.put(
                self.config.base_url, self.model, N_FACT, supported, self.config.shown_url
            )

    async def _request(self, messages: list[dict], n: int, request: dict) -> list[Completion]:
        core = {"temperature": request["temperature"], "max_tokens": request["max_tokens"]}
        extra = {k: v for k, v in request.items() if k not in core}

        def create():
            return self._client.chat.completions.create(
                model=self.model, messages=messages, n=n, extra_body=extra or None, **core
            )

        response = await self._call(create)
        out = []
        for choice in response.choices or []:
            text = (choice.message.content if choice.message else None) or ""
            out.append(Completion(text, choice.finish_reason))
        if not out:
            raise LLMError("server", f"{self.config.shown_url} answered with no choices")
        return out

    async def _call(self, make):
        """One API call with retries and backoff on 429/5xx/refused connections.

        Each attempt is a new request with its own deadline (see _await_answer); the number of
        attempts is bounded by `retries`.
        """
        attempt = 0
        while True:
            try:
                async with self._slots:
                    self.requests_sent += 1
                    return await self._await_answer(make())
            except LLMError:
                raise
            except Exception as err:  # noqa: BLE001 - every failure is mapped to a clear LLMError
                error, retryable, wait = self._classify(err, attempt)
            if not retryable or attempt >= self.config.retries:
                raise error
            attempt += 1
            await asyncio.sleep(wait)

    async def _await_answer(self, pending):
        """Wait for a request sent now until `timeout` seconds pass with no answer completing.

        Any answer the endpoint completes (for this or another waiting request) counts as
        progress and restarts the clock: a busy single-slot server serving queued requests one
        after another is working, not hung. A request that completed is always returned, even
        when its deadline passed in the same instant.
        """
        loop = asyncio.get_running_loop()
        sent = loop.time()
        task = asyncio.ensure_future(pending)
        try:
            while not task.done():
                remaining = max(sent, self._last_progress) + self.config.timeout - loop.time()
                if remaining <= 0:
                    break
                await asyncio.wait({task}, timeout=remaining)
            if not task.done():
                raise self._timeout_error()
            result = task.result()  # the request's own error, if it failed
            self._last_progress = loop.time()
            return result
        finally:
            if not task.done():
                task.cancel()  # closes the connection: llama.cpp and vLLM then stop generating

    # ------------------------------------------------------------ endpoint facts
    async def _probe(self) -> None:
        """Learn the context window and tokenizer once per client; failures mean 'unknown'.

        Raises LLMError only when the model cannot be resolved (the endpoint is down, say).
        """
        if self._probed:
            return
        await self.resolve_model()  # an endpoint that is down or lacks the model: say so now
        async with self._probe_lock:
            if self._probed:
                return
            try:
                await self._probe_endpoint()
            except (LLMError, KeyError, TypeError, ValueError, AttributeError):
                pass
            self._probed = True

    async def _probe_endpoint(self) -> None:
        try:
            props = await self._probe_json("GET", "/props")
        except LLMError:
            props = None
        if isinstance(props, dict) and ("default_generation_settings" in props or "n_ctx" in props):
            settings = props.get("default_generation_settings") or {}
            n_ctx = settings.get("n_ctx") or props.get("n_ctx")
            self._tokenizer = "llama.cpp"
            if n_ctx and not self.config.context_tokens:
                self._window = int(n_ctx)
            return
        listing = await self._probe_json("GET", "/models", root=False)
        for entry in listing.get("data") or []:
            if entry.get("id") == self.model and entry.get("max_model_len"):
                self._tokenizer = "vllm"  # vLLM lists max_model_len and serves /tokenize
                if not self.config.context_tokens:
                    self._window = int(entry["max_model_len"])
                return
        # llama-cpp-python's server: a tokenizer under /extras, no context size (config only).
        try:
            counted = await self._probe_json("POST", "/extras/tokenize/count", {"input": "a"})
        except LLMError:
            return
        if isinstance(counted, dict) and isinstance(counted.get("count"), int):
            self._tokenizer = "llama-cpp-python"

    async def _llama_count(self, messages: list[dict]) -> TokenCount:
        """llama.cpp: render the chat template (/apply-template), then /tokenize the text."""
        try:
            text = (await self._probe_json("POST", "/apply-template", {"messages": messages}))[
                "prompt"
            ]
            overhead = 0
        except (LLMError, KeyError, TypeError):
            # Older builds have no /apply-template: count the contents plus template overhead.
            text = "\n".join(str(m.get("content") or "") for m in messages)
            overhead = MESSAGE_OVERHEAD * len(messages)
        data = await self._probe_json("POST", "/tokenize", {"content": text})
        return TokenCount(len(data["tokens"]) + overhead, exact=True)

    async def _probe_json(self, method: str, path: str, body: dict | None = None, root=True):
        """A metadata call: at the server root (/props, /tokenize) or under the base URL."""
        parts = urllib.parse.urlsplit(self.config.base_url)
        base = parts.path.rstrip("/")
        if root and base.endswith("/v1"):
            base = base[: -len("/v1")]
        url = urllib.parse.urlunsplit(parts._replace(path=base + path, query="", fragment=""))
        options = {"timeout": min(self.config.timeout, PROBE_TIMEOUT)}
        try:
            if method == "GET":
                return await self._client.get(url, cast_to=object, options=options)
            return await self._client.post(url, body=body, cast_to=object, options=options)
        except self._openai.APIStatusError as err:
            raise LLMError("request", f"{path}: HTTP {err.status_code}") from None
        except self._openai.APIError as err:
            raise LLMError("unreachable", f"{path}: {type(err).__name__}") from None

    def _timeout_error(self) -> LLMError:
        return LLMError(
            "timeout",
            f"the LLM endpoint {self.config.shown_url} did not answer within "
            f"{self.config.timeout:g} s, and finished no other request meanwhile "
            "(MLOPS_ADAPT_LLM_TIMEOUT)",
        )

    def _classify(self, err: Exception, attempt: int) -> tuple[LLMError, bool, float]:
        """(clear error, retry?, seconds to wait first)."""
        o = self._openai
        url = self.config.shown_url  # credentials in the URL never reach a message
        backoff = min(8.0, 0.25 * 2**attempt) * (1 + random.random() / 4)
        if isinstance(err, (asyncio.TimeoutError, o.APITimeoutError)):
            return self._timeout_error(), False, 0.0
        if isinstance(err, o.APIConnectionError):
            cause = err.__cause__ or err
            message = f"the LLM endpoint {url} is unreachable: {self._clean(str(cause) or type(cause).__name__)}"
            return LLMError("unreachable", message), True, backoff
        if isinstance(err, o.APIStatusError):
            status = err.status_code
            detail = self._clean(_server_message(err))
            if status in (401, 403):
                return (
                    LLMError(
                        "auth",
                        f"the LLM endpoint {url} rejected the API key (HTTP {status}): set "
                        f"MLOPS_ADAPT_LLM_API_KEY or OPENAI_API_KEY ({detail})",
                    ),
                    False,
                    0.0,
                )
            if status == 404:
                if "model" in detail.lower():
                    message = f"model {self.model!r} is not served by {url}: {detail}"
                    return LLMError("model", message), False, 0.0
                message = f"{url} has no chat-completions route (HTTP 404; does the base URL end in /v1?): {detail}"
                return LLMError("request", message), False, 0.0
            if _CONTEXT_OVERFLOW.search(detail):
                return (
                    LLMError(
                        "context",
                        f"the prompt does not fit the context window of {self.model!r}: {detail} "
                        "(lower `max_tokens` or `docs_k`, or serve the model with a larger --max-model-len)",
                    ),
                    False,
                    0.0,
                )
            if status in RETRYABLE_STATUS or status >= 500:
                kind = "rate-limit" if status == 429 else "server"
                wait = _retry_after(err) if status == 429 else None
                message = f"the LLM endpoint {url} answered HTTP {status}: {detail}"
                return LLMError(kind, message), True, backoff if wait is None else wait
            return (
                LLMError(
                    "request",
                    f"the LLM endpoint {url} refused the request (HTTP {status}): {detail}",
                ),
                False,
                0.0,
            )
        return (
            LLMError("server", f"LLM call failed: {type(err).__name__}: {self._clean(str(err))}"),
            False,
            0.0,
        )

    def _clean(self, text: str) -> str:
        return self.config.clean(text)


def _nth_sample(request: dict, index: int) -> dict:
    """The request for sample `index` when samples go out one per request."""
    if request.get("seed") is None or index == 0:
        return request
    return {**request, "seed": request["seed"] + index}


def _server_message(err) -> str:
    body = getattr(err, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if body.get("message"):
            return str(body["message"])
    return str(getattr(err, "message", "") or err)


def _retry_after(err) -> float | None:
    try:
        value = err.response.headers.get("retry-after")
        return max(0.0, min(30.0, float(value))) if value is not None else None
    except (AttributeError, TypeError, ValueError):
        return None
