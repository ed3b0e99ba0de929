"""In-process vLLM backend (`vllm.LLM`, `SamplingParams(n=k)`) for batch and benchmark runs on a GPU."""

from __future__ import annotations

import asyncio
import threading

from mlops_adapt.llm.cache import Completion, ResponseCache, cache_key
from mlops_adapt.llm.config import LLMConfig
from mlops_adapt.llm.errors import LLMError

_ENGINES: dict[str, object] = {}
_ENGINE_LOCK = threading.Lock()


def _engine(model: str):
    """One vllm.LLM per model per process: loading weights takes minutes, so it is kept."""
    with _ENGINE_LOCK:
        if model not in _ENGINES:
            try:
                from vllm import LLM
            except ImportError as err:
                raise LLMError(
                    "config",
                    f"backend = 'vllm' needs the gpu extra (pip install 'mlops-adapt[gpu]'): {err}",
                ) from None
            _ENGINES[model] = LLM(model=model, enable_prefix_caching=True)
        return _ENGINES[model]


class VllmClient:
    """Same interface as ChatClient (`complete`, `resolve_model`, `aclose`), backed by vllm.LLM."""

    def __init__(self, config: LLMConfig, cache: ResponseCache | None = None) -> None:
        if not config.model:
            raise LLMError(
                "config", "backend = 'vllm' needs `model` (a Hugging Face id or a local path)"
            )
        self.config = config
        self.cache = cache
        self.model = config.model
        self.requests_sent = 0
        self._lock = asyncio.Lock()  # one generate() at a time: vllm.LLM is not re-entrant

    async def resolve_model(self) -> str:
        return self.model

    async def aclose(self) -> None:
        return None

    async def complete(self, messages: list[dict], n: int) -> list[Completion]:
        sampling = {
            "n": n,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
        }
        key = cache_key(self.model, messages, sampling)
        if self.cache is not None and (hit := self.cache.get(key)) is not None and len(hit) >= n:
            return hit[:n]
        async with self._lock:
            self.requests_sent += 1
            answers = await asyncio.to_thread(self._generate, messages, n)
        if self.cache is not None:
            self.cache.put(key, answers)
        return answers

    def _generate(self, messages: list[dict], n: int) -> list[Completion]:
        engine = _engine(self.model)  # raises a clear LLMError without the gpu extra
        from vllm import SamplingParams

        params = SamplingParams(
            n=n, temperature=self.config.temperature, max_tokens=self.config.max_tokens
        )
        outputs = engine.chat([messages], params, use_tqdm=False)
        return [Completion(o.text, o.finish_reason) for o in outputs[0].outputs]
