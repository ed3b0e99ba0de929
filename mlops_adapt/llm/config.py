"""LLM endpoint settings: `[tool.mlops-adapt.llm]`, overridden by MLOPS_ADAPT_LLM_* and OPENAI_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from mlops_adapt.config import load_tool_config
from mlops_adapt.llm.errors import redact, redact_url, url_secrets

NO_ENDPOINT = (
    "no LLM endpoint configured: set MLOPS_ADAPT_LLM_BASE_URL (e.g. http://localhost:8000/v1 for "
    "`vllm serve`) or `base_url` under [tool.mlops-adapt.llm] in pyproject.toml; for in-process vLLM, "
    "set MLOPS_ADAPT_LLM_BACKEND=vllm and MLOPS_ADAPT_LLM_MODEL"
)

# setting name -> environment variables, strongest first
ENV_VARS: dict[str, tuple[str, ...]] = {
    "base_url": ("MLOPS_ADAPT_LLM_BASE_URL", "OPENAI_BASE_URL"),
    "model": ("MLOPS_ADAPT_LLM_MODEL",),
    "api_key": ("MLOPS_ADAPT_LLM_API_KEY", "OPENAI_API_KEY"),
    "timeout": ("MLOPS_ADAPT_LLM_TIMEOUT",),
    "temperature": ("MLOPS_ADAPT_LLM_TEMPERATURE",),
    "k": ("MLOPS_ADAPT_LLM_K",),
    "max_tokens": ("MLOPS_ADAPT_LLM_MAX_TOKENS",),
    "concurrency": ("MLOPS_ADAPT_LLM_CONCURRENCY",),
    "repair_rounds": ("MLOPS_ADAPT_LLM_REPAIR_ROUNDS",),
    "retries": ("MLOPS_ADAPT_LLM_RETRIES",),
    "cache": ("MLOPS_ADAPT_LLM_CACHE",),
    "docs_k": ("MLOPS_ADAPT_LLM_DOCS_K",),
    "backend": ("MLOPS_ADAPT_LLM_BACKEND",),
}


class ConfigError(ValueError):
    """A setting has a value of the wrong type."""


@dataclass(frozen=True)
class LLMConfig:
    """How to reach the model and how to sample from it."""

    base_url: str = ""
    model: str = ""  # empty: use the only model the endpoint serves
    api_key: str = ""
    temperature: float = 0.7
    k: int = 3  # candidates per request
    max_tokens: int = 4096
    timeout: float = 120.0  # seconds for one LLM call, retries included
    concurrency: int = 8  # requests in flight in a batch
    repair_rounds: int = 2
    retries: int = 3  # extra attempts on 429, 5xx and refused connections
    cache: bool = True
    docs_k: int = 6  # retrieved doc entries in a prompt
    backend: str = "http"  # "http" (any OpenAI-compatible server) or "vllm" (in-process)

    @property
    def configured(self) -> bool:
        """True when there is something to talk to."""
        return bool(self.base_url) or (self.backend == "vllm" and bool(self.model))

    @property
    def shown_url(self) -> str:
        """The base URL for messages and reports: credentials in it (user:password@, api-key=)
        replaced by ***."""
        return redact_url(self.base_url)

    def clean(self, text: str) -> str:
        """`text` (an error message, a library's exception) without the key or URL credentials."""
        if self.base_url:
            text = text.replace(self.base_url, self.shown_url)
        return redact(text, self.api_key, *url_secrets(self.base_url))

    def __repr__(self) -> str:
        # The key must never reach logs or reports, and dataclass reprs end up in both.
        shown = dict(self._shown_items(), api_key="***" if self.api_key else "")
        return "LLMConfig(" + ", ".join(f"{f.name}={shown[f.name]!r}" for f in fields(self)) + ")"

    __str__ = __repr__

    def public_dict(self) -> dict:
        """Settings for reports, without the key, and with the URL's credentials hidden."""
        return dict(self._shown_items())

    def _shown_items(self) -> list[tuple[str, object]]:
        return [(f.name, self.shown_url if f.name == "base_url" else getattr(self, f.name))
                for f in fields(self) if f.name != "api_key"]


def _convert(name: str, raw: object) -> object:
    kind = {f.name: f.type for f in fields(LLMConfig)}[name]
    try:
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        if kind == "int":
            return int(raw)  # type: ignore[arg-type]
        if kind == "float":
            return float(raw)  # type: ignore[arg-type]
        return str(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"LLM setting {name!r} expects a {kind}, got {raw!r}") from None


def load_llm_config(start: str | Path | None = None, overrides: dict | None = None) -> LLMConfig:
    """Settings from the nearest pyproject.toml, then the environment, then explicit overrides."""
    table = load_tool_config(start).get("llm", {})
    values: dict[str, object] = {}
    names = {f.name for f in fields(LLMConfig)}
    if isinstance(table, dict):
        for key, raw in table.items():
            key = key.replace("-", "_")
            if key in names:
                values[key] = _convert(key, raw)
    for name, envs in ENV_VARS.items():
        for env in envs:
            raw = os.environ.get(env)
            if raw:
                values[name] = _convert(name, raw)
                break
    for key, raw in (overrides or {}).items():
        key = key.replace("-", "_")
        if key in names and raw is not None:
            values[key] = _convert(key, raw)
    config = replace(LLMConfig(), **values)
    if config.k < 1 or config.timeout <= 0 or config.concurrency < 1 or config.repair_rounds < 0:
        raise ConfigError(
            "LLM settings need k >= 1, timeout > 0, concurrency >= 1, repair_rounds >= 0"
        )
    return config


def overrides_from_task_options(task_options: dict[str, str]) -> dict[str, str]:
    """`--option llm.k=5` style overrides (the bench passes its --k this way)."""
    return {key[4:]: value for key, value in task_options.items() if key.startswith("llm.")}
