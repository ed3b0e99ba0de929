"""Async chat-completions client for any OpenAI-compatible endpoint: n samples, retries, clear errors."""

from __future__ import annotations

import asyncio
import random
import re

from mlops_adapt.llm.cache import Completion, ResponseCache, cache_key
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


class ChatClient:
    """Samples k answers for a conversation; one instance per event loop."""

    def __init__(self, config: LLMConfig, cache: ResponseCache | None = None) -> None:
        if not config.base_url:
            raise LLMError("config", NO_ENDPOINT)
        import openai  # heavy: only when the LLM path is taken

        self.config = config
        self.cache = cache
        self.model = config.model
        self._openai = openai
        self._client = openai.AsyncOpenAI(
            base_url=config.base_url,
            api_key=config.api_key or "EMPTY",  # vLLM without --api-key accepts anything
            timeout=config.timeout,
            max_retries=0,  # we retry ourselves, within the configured timeout
        )
        self._n_supported: bool | None = None
        self._slots = asyncio.Semaphore(config.concurrency)
        self._model_lock = asyncio.Lock()
        self.requests_sent = 0

    async def aclose(self) -> None:
        await self._client.close()

    # ------------------------------------------------------------ public
    async def complete(self, messages: list[dict], n: int) -> list[Completion]:
        """n answers to `messages` (cached on disk); raises LLMError with a clear message."""
        model = await self.resolve_model()
        sampling = {
            "n": n,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
        }
        key = cache_key(model, messages, sampling)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None and len(hit) >= n:
                return hit[:n]
        deadline = asyncio.get_running_loop().time() + self.config.timeout
        answers: list[Completion] = []
        if n > 1 and self._n_supported is not False:
            try:
                answers = await self._request(messages, n, deadline)
            except LLMError as err:
                if err.kind != "request" or not _N_UNSUPPORTED.search(err.message):
                    raise
                self._n_supported = False
            else:
                # A server that ignores n answers once; ask for the rest in parallel from now on.
                self._n_supported = len(answers) >= n
        missing = n - len(answers)
        if missing > 0:
            batches = await asyncio.gather(
                *(self._request(messages, 1, deadline) for _ in range(missing))
            )
            answers += [a for batch in batches for a in batch]
        if self.cache is not None and answers:
            self.cache.put(key, answers)
        return answers[:n]

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
        deadline = asyncio.get_running_loop().time() + self.config.timeout
        page = await self._call(lambda timeout: self._client.models.list(timeout=timeout), deadline)
        return [m.id for m in page.data]

    # ------------------------------------------------------------ internals
    async def _request(self, messages: list[dict], n: int, deadline: float) -> list[Completion]:
        async def create(timeout: float):
            return await self._client.chat.completions.create(
                model=self.model,
                messages=messages,
                n=n,
                temperature=self.config.temperature,
                max_tokens=self.config.max_tokens,
                timeout=timeout,
            )

        response = await self._call(create, deadline)
        out = []
        for choice in response.choices or []:
            text = (choice.message.content if choice.message else None) or ""
            out.append(Completion(text, choice.finish_reason))
        if not out:
            raise LLMError("server", f"{self.config.shown_url} answered with no choices")
        return out

    async def _call(self, make, deadline: float):
        """Run one API call with retries and backoff on 429/5xx/refused connections, until the deadline."""
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise self._timeout_error()
            try:
                async with self._slots:
                    self.requests_sent += 1
                    return await asyncio.wait_for(make(remaining), timeout=remaining + 0.5)
            except Exception as err:  # noqa: BLE001 - every failure is mapped to a clear LLMError
                error, retryable, wait = self._classify(err, attempt)
            if not retryable or attempt >= self.config.retries:
                raise error
            attempt += 1
            remaining = deadline - loop.time()
            if wait >= remaining:
                raise error
            await asyncio.sleep(wait)

    def _timeout_error(self) -> LLMError:
        return LLMError(
            "timeout",
            f"the LLM endpoint {self.config.shown_url} did not answer within {self.config.timeout:g} s "
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
