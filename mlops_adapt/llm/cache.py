"""On-disk cache of LLM answers (keyed by endpoint, model, prompt and sampling) and of endpoint facts."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from mlops_adapt.llm.errors import LLMError

CACHE_ENV = "MLOPS_ADAPT_CACHE_DIR"


@dataclass(frozen=True)
class Completion:
    """One answer of the model."""

    text: str
    finish_reason: str | None = "stop"

    @property
    def truncated(self) -> bool:
        """The server stopped at max_tokens."""
        return self.finish_reason == "length"


def default_cache_dir() -> Path:
    """`$MLOPS_ADAPT_CACHE_DIR/llm`, else the user cache dir (XDG) under mlops-adapt/llm."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override) / "llm"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mlops-adapt" / "llm"


def cache_key(model: str, messages: list[dict], sampling: dict, endpoint: str = "") -> str:
    """Stable hash of what determines an answer: endpoint (base URL), model, prompt and sampling.

    The endpoint is part of the key because two servers may serve different weights under one
    model name (a quantized llama.cpp build and a vLLM fp16 one, say).
    """
    prompt_hash = hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()
    blob = json.dumps(
        {
            "endpoint": endpoint.rstrip("/"),
            "model": model,
            "prompt": prompt_hash,
            "sampling": sampling,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _write_json_atomically(path: Path, payload: dict) -> None:
    """Write via a temporary file and a rename; errors (a read-only dir) are the caller's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Rename for atomicity, but no fsync: a lost entry costs one request, while fsync per entry
    # cost ~30 ms each and dominated batch runs.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:8]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class EndpointMemory:
    """What the client learned about an endpoint (base URL + model), kept across processes.

    Today that is whether the server honours `n`; a fact older than `max_age` seconds is
    probed again, in case the server was upgraded.
    """

    def __init__(self, folder: Path | None = None, max_age: float = 7 * 24 * 3600) -> None:
        self.folder = (folder or default_cache_dir()) / "endpoints"
        self.max_age = max_age

    def _path(self, base_url: str, model: str) -> Path:
        key = hashlib.sha256(f"{base_url.rstrip('/')}\n{model}".encode()).hexdigest()
        return self.folder / f"{key}.json"

    def get(self, base_url: str, model: str, fact: str) -> object | None:
        """A remembered fact, or None when unknown or stale."""
        try:
            data = json.loads(self._path(base_url, model).read_text(encoding="utf-8"))
            entry = data["facts"][fact]
            if time.time() - float(entry["at"]) > self.max_age:
                return None
            return entry["value"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, base_url: str, model: str, fact: str, value: object, shown_url: str) -> None:
        """Remember a fact; `shown_url` (credentials hidden) is stored for people reading it."""
        path = self._path(base_url, model)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            facts = data["facts"] if isinstance(data.get("facts"), dict) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            facts = {}
        facts[fact] = {"value": value, "at": time.time()}
        try:
            _write_json_atomically(path, {"endpoint": shown_url, "model": model, "facts": facts})
        except OSError:
            pass  # a read-only cache dir costs one probing request per process, nothing more


class ResponseCache:
    """One JSON file per key; unreadable entries count as misses, writes are atomic."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Completion] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return [
                Completion(item["text"], item.get("finish_reason")) for item in data["completions"]
            ]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, completions: list[Completion]) -> None:
        payload = {
            "completions": [{"text": c.text, "finish_reason": c.finish_reason} for c in completions]
        }
        try:
            _write_json_atomically(self._path(key), payload)
        except OSError:
            pass  # a read-only cache dir must not fail the adaptation


async def top_up_answers(
    cache: ResponseCache | None,
    key: str,
    n: int,
    fetch: Callable[[int, int], Awaitable[list[Completion]]],
) -> list[Completion]:
    """Up to n answers for `key`: cached ones first, the rest from `fetch(missing, already)`.

    Both clients (HTTP and in-process vLLM) share this so a shorter cached list is topped up
    and stored again; when fetching fails, cached answers from an earlier run still count.
    """
    answers: list[Completion] = (cache.get(key) or [])[:n] if cache is not None else []
    if len(answers) < n:
        try:
            answers += await fetch(n - len(answers), len(answers))
        except LLMError:
            if not answers:
                raise
            return answers
        if cache is not None:
            cache.put(key, answers)
    return answers[:n]
