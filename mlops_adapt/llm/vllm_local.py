"""In-process vLLM backend: one engine per process, the prompts of a batch run sent as one chat() call.

Only `VllmEngine` touches vllm (engine construction, SamplingParams, `LLM.chat`, the tokenizer).
`BatchCollector` gathers the conversations that the files of a run submit, from any thread or
event loop (`apply --jobs N` runs one loop per thread), and hands them to the engine together,
so vLLM batches across files and samples instead of serving one conversation at a time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import queue
import threading
import time
from dataclasses import dataclass

from mlops_adapt.llm.budget import TokenCount
from mlops_adapt.llm.cache import Completion, ResponseCache, cache_key, top_up_answers
from mlops_adapt.llm.config import LLMConfig
from mlops_adapt.llm.errors import LLMError

GATHER_SECONDS = 0.05  # after a first prompt arrives, wait this long for the rest of the batch
MAX_BATCH = 512  # conversations per chat() call; vLLM schedules within it by memory


class VllmEngine:
    """The thin boundary to vllm.LLM: build it, generate for many conversations, count tokens."""

    def __init__(self, model: str, engine_args: dict) -> None:
        try:
            from vllm import LLM
        except ImportError as err:
            raise LLMError(
                "config",
                f"backend = 'vllm' needs the gpu extra (pip install 'mlops-adapt[gpu]'): {err}",
            ) from None
        try:
            # Prefix caching: the prompts of a batch share their instructions and docs.
            self.llm = LLM(model=model, enable_prefix_caching=True, **engine_args)
        except (TypeError, ValueError) as err:
            raise LLMError(
                "config", f"vllm.LLM rejected the engine settings {engine_args}: {err}"
            ) from None
        self._tokenizer_lock = threading.Lock()  # HF fast tokenizers are not re-entrant

    def generate(
        self, conversations: list[list[dict]], samplings: list[dict], template_kwargs: dict | None
    ) -> list[list[Completion]]:
        """Answers per conversation, in order: one LLM.chat call for the whole batch."""
        from vllm import SamplingParams

        try:
            params = [SamplingParams(**sampling) for sampling in samplings]
        except (TypeError, ValueError) as err:
            raise LLMError(
                "config", f"vLLM SamplingParams rejected the sampling settings: {err}"
            ) from None
        outputs = self.llm.chat(
            conversations, params, use_tqdm=False, chat_template_kwargs=template_kwargs
        )
        return [[Completion(o.text, o.finish_reason) for o in out.outputs] for out in outputs]

    def count_tokens(self, messages: list[dict]) -> int:
        with self._tokenizer_lock:
            ids = self.llm.get_tokenizer().apply_chat_template(
                messages, add_generation_prompt=True, tokenize=True
            )
        return len(ids)

    @property
    def max_model_len(self) -> int:
        return int(self.llm.llm_engine.get_model_config().max_model_len)


# The factory tests replace with a stand-in engine (vllm needs a GPU).
load_engine = VllmEngine


@dataclass
class _Pending:
    conversation: list[dict]
    sampling: dict
    template_kwargs: dict | None
    future: concurrent.futures.Future


class BatchCollector:
    """Collects conversations from every thread and runs them through the engine in batches.

    One worker thread owns the engine, so vllm.LLM (not re-entrant) is never entered twice.
    While the engine works on one batch, new conversations queue up and form the next one.
    """

    def __init__(self, engine, gather_seconds: float = GATHER_SECONDS) -> None:
        self.engine = engine
        self.gather_seconds = gather_seconds
        self.batch_sizes: list[int] = []  # conversations per engine call, for tests and benches
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="mlops-adapt-vllm", daemon=True)
        self._worker.start()

    def submit(
        self, conversation: list[dict], sampling: dict, template_kwargs: dict | None
    ) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queue.put(_Pending(conversation, sampling, template_kwargs, future))
        return future

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            until = time.monotonic() + self.gather_seconds
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get(timeout=max(0.0, until - time.monotonic())))
                except queue.Empty:
                    break
            self._execute(batch)

    def _execute(self, batch: list[_Pending]) -> None:
        # chat_template_kwargs is one argument per LLM.chat call: one call per distinct value.
        groups: dict[str, list[_Pending]] = {}
        for item in batch:
            groups.setdefault(json.dumps(item.template_kwargs, sort_keys=True), []).append(item)
        for group in groups.values():
            live = [item for item in group if item.future.set_running_or_notify_cancel()]
            if not live:
                continue
            try:
                outputs = self.engine.generate(
                    [item.conversation for item in live],
                    [item.sampling for item in live],
                    live[0].template_kwargs,
                )
                if len(outputs) != len(live):
                    raise RuntimeError(f"{len(outputs)} outputs for {len(live)} conversations")
            except Exception as err:  # noqa: BLE001 - every waiting file gets the error
                failure = err if isinstance(err, LLMError) else LLMError(
                    "server", f"vLLM generation failed: {type(err).__name__}: {err}"
                )
                for item in live:
                    item.future.set_exception(failure)
                continue
            self.batch_sizes.append(len(live))
            for item, answers in zip(live, outputs):
                item.future.set_result(answers)


_COLLECTORS: dict[tuple[str, str], BatchCollector] = {}
_COLLECTOR_LOCK = threading.Lock()


def collector_for(model: str, engine_args: dict) -> BatchCollector:
    """The process's engine and collector, loaded on first use (loading takes minutes)."""
    key = (model, json.dumps(engine_args, sort_keys=True))
    with _COLLECTOR_LOCK:
        if key not in _COLLECTORS:
            if _COLLECTORS:
                (loaded, args), = _COLLECTORS
                raise LLMError(
                    "config",
                    f"one vLLM engine per process: {loaded} ({args}) is loaded already, and a "
                    f"second engine for {model} ({key[1]}) would not fit the GPU beside it",
                )
            _COLLECTORS[key] = BatchCollector(load_engine(model, engine_args))
        return _COLLECTORS[key]


class VllmClient:
    """Same interface as ChatClient (`complete`, `resolve_model`, `context_window`,
    `count_tokens`, `aclose`), backed by the process's vllm.LLM through the batch collector."""

    def __init__(self, config: LLMConfig, cache: ResponseCache | None = None) -> None:
        if not config.model:
            raise LLMError(
                "config", "backend = 'vllm' needs `model` (a Hugging Face id or a local path)"
            )
        self.config = config
        self.cache = cache
        self.model = config.model
        self.engine_args = config.vllm_engine_args()
        self.requests_sent = 0

    async def resolve_model(self) -> str:
        return self.model

    async def aclose(self) -> None:
        return None

    async def _collector(self) -> BatchCollector:
        return await asyncio.to_thread(collector_for, self.model, self.engine_args)

    async def context_window(self) -> int | None:
        if self.config.context_tokens:
            return self.config.context_tokens
        return (await self._collector()).engine.max_model_len

    async def count_tokens(self, messages: list[dict]) -> TokenCount:
        engine = (await self._collector()).engine
        return TokenCount(await asyncio.to_thread(engine.count_tokens, messages), exact=True)

    async def complete(
        self, messages: list[dict], n: int, *, max_tokens: int | None = None
    ) -> list[Completion]:
        extras = self.config.sampling_extras()
        template_kwargs = extras.pop("chat_template_kwargs", None)
        sampling = {
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens if max_tokens is None else max_tokens,
            **extras,
        }
        endpoint = "vllm-in-process:" + json.dumps(self.engine_args, sort_keys=True)
        key = cache_key(
            self.model, messages, {**sampling, "chat_template_kwargs": template_kwargs}, endpoint
        )

        async def generate(missing: int, _first: int) -> list[Completion]:
            collector = await self._collector()
            self.requests_sent += 1
            future = collector.submit(messages, {**sampling, "n": missing}, template_kwargs)
            return await asyncio.wrap_future(future)

        return await top_up_answers(self.cache, key, n, generate)
