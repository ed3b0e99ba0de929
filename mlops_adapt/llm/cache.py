"""On-disk cache of LLM answers, keyed by model, prompt hash and sampling parameters."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

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


def cache_key(model: str, messages: list[dict], sampling: dict) -> str:
    """Stable hash of what determines an answer: model, prompt and sampling parameters."""
    prompt_hash = hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()
    blob = json.dumps({"model": model, "prompt": prompt_hash, "sampling": sampling}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


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
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = {
                "completions": [
                    {"text": c.text, "finish_reason": c.finish_reason} for c in completions
                ]
            }
            # Rename for atomicity, but no fsync: a lost cache entry costs one request, while
            # fsync per entry cost ~30 ms each and dominated batch runs.
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:8]}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache dir must not fail the adaptation
