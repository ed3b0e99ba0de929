"""LLM endpoint settings: `[tool.mlops-adapt.llm]`, overridden by MLOPS_ADAPT_LLM_* and OPENAI_* variables."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from mlops_adapt.config import load_tool_config
from mlops_adapt.llm.errors import redact, redact_url, url_secrets

NO_ENDPOINT = (
    "no LLM endpoint configured: set MLOPS_ADAPT_LLM_BASE_URL (e.g. http://localhost:8000/v1 for "
    "`vllm serve`) or `base_url` under [tool.mlops-adapt.llm] in pyproject.toml; for in-process vLLM, "
    "set MLOPS_ADAPT_LLM_BACKEND=vllm and MLOPS_ADAPT_LLM_MODEL"
)

# Request fields the client sets itself; extra_body must not replace them.
CORE_REQUEST_FIELDS = frozenset({"model", "messages", "n", "temperature", "max_tokens", "stream"})
# Headers httpx and the client own; a configured value would corrupt the request.
RESERVED_HEADERS = frozenset({"content-length", "content-type", "host", "transfer-encoding"})
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_SECRET_NAME = re.compile(r"key|token|secret|password|auth|cookie|sig|credential", re.IGNORECASE)


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
    timeout: float = 120.0  # seconds to wait for an answer while the endpoint finishes nothing
    concurrency: int = 8  # requests in flight in a batch
    repair_rounds: int = 2
    retries: int = 3  # extra attempts on 429, 5xx and refused connections
    cache: bool = True
    docs_k: int = 6  # retrieved doc entries in a prompt
    backend: str = "http"  # "http" (any OpenAI-compatible server) or "vllm" (in-process)
    context_tokens: int = 0  # the model's context window; 0: ask the server
    # Sampling parameters passed through to the server (None / empty: not sent).
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repetition_penalty: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    chat_template_kwargs: dict = field(default_factory=dict)
    extra_body: dict = field(default_factory=dict)  # any other request field
    extra_headers: dict = field(default_factory=dict)  # header name -> value, on every request
    # In-process vLLM engine arguments (None: vLLM's default).
    vllm_max_model_len: int | None = None
    vllm_tensor_parallel_size: int | None = None
    vllm_gpu_memory_utilization: float | None = None
    vllm_dtype: str | None = None
    vllm_quantization: str | None = None
    vllm_seed: int | None = None

    @property
    def configured(self) -> bool:
        """True when there is something to talk to."""
        return bool(self.base_url) or (self.backend == "vllm" and bool(self.model))

    @property
    def shown_url(self) -> str:
        """The base URL for messages and reports: credentials in it (user:password@, api-key=)
        replaced by ***."""
        return redact_url(self.base_url)

    def sampling_extras(self) -> dict:
        """The pass-through sampling parameters that are set, then extra_body (which wins)."""
        named = {
            "top_p": self.top_p,
            "top_k": self.top_k,
            "min_p": self.min_p,
            "repetition_penalty": self.repetition_penalty,
            "seed": self.seed,
            "stop": list(self.stop) or None,
            "chat_template_kwargs": self.chat_template_kwargs or None,
        }
        return {**{k: v for k, v in named.items() if v is not None}, **self.extra_body}

    def vllm_engine_args(self) -> dict:
        """Keyword arguments for vllm.LLM beyond the model, only those that are set."""
        prefix = "vllm_"
        return {
            f.name[len(prefix) :]: getattr(self, f.name)
            for f in fields(self)
            if f.name.startswith(prefix) and getattr(self, f.name) is not None
        }

    def clean(self, text: str) -> str:
        """`text` (an error message, a library's exception) without the key or URL credentials."""
        if self.base_url:
            text = text.replace(self.base_url, self.shown_url)
        return redact(text, self.api_key, *url_secrets(self.base_url), *self._secret_headers())

    def _secret_headers(self) -> list[str]:
        return [str(v) for k, v in self.extra_headers.items() if _SECRET_NAME.search(k)]

    def __repr__(self) -> str:
        # The key must never reach logs or reports, and dataclass reprs end up in both.
        shown = dict(self._shown_items(), api_key="***" if self.api_key else "")
        return "LLMConfig(" + ", ".join(f"{f.name}={shown[f.name]!r}" for f in fields(self)) + ")"

    __str__ = __repr__

    def public_dict(self) -> dict:
        """Settings for reports, without the key, and with the URL's credentials hidden."""
        return dict(self._shown_items())

    def _shown_items(self) -> list[tuple[str, object]]:
        def shown(name: str) -> object:
            if name == "base_url":
                return self.shown_url
            if name == "extra_headers":
                return {k: "***" if _SECRET_NAME.search(k) else v
                        for k, v in self.extra_headers.items()}
            return getattr(self, name)

        return [(f.name, shown(f.name)) for f in fields(self) if f.name != "api_key"]


# setting name -> its kind, for conversion from TOML values and environment strings
KINDS: dict[str, str] = {
    "base_url": "str", "model": "str", "api_key": "str", "backend": "str",
    "temperature": "float", "timeout": "float",
    "k": "int", "max_tokens": "int", "concurrency": "int", "repair_rounds": "int",
    "retries": "int", "docs_k": "int", "context_tokens": "int",
    "cache": "bool",
    "top_p": "float?", "min_p": "float?", "repetition_penalty": "float?",
    "top_k": "int?", "seed": "int?",
    "stop": "strings", "chat_template_kwargs": "table", "extra_body": "table",
    "extra_headers": "headers",
    "vllm_max_model_len": "int?", "vllm_tensor_parallel_size": "int?",
    "vllm_gpu_memory_utilization": "float?", "vllm_dtype": "str?", "vllm_quantization": "str?",
    "vllm_seed": "int?",
}  # fmt: skip

_KIND_WORDS = {
    # "a int" and friends: the wording other tools and tests already match on
    "str": "a str", "str?": "a str", "int": "a int", "int?": "a int",
    "float": "a float", "float?": "a float", "bool": "a bool",
    "strings": "a list of strings (in the environment: JSON, or one string)",
    "table": "a table (in the environment: a JSON object)",
    "headers": "a table of header names to strings (in the environment: a JSON object)",
}  # fmt: skip

# setting name -> environment variables, strongest first
ENV_VARS: dict[str, tuple[str, ...]] = {
    name: (f"MLOPS_ADAPT_LLM_{name.upper()}",) for name in KINDS
}
ENV_VARS["base_url"] = ("MLOPS_ADAPT_LLM_BASE_URL", "OPENAI_BASE_URL")
ENV_VARS["api_key"] = ("MLOPS_ADAPT_LLM_API_KEY", "OPENAI_API_KEY")


def _convert(name: str, raw: object) -> object:
    """`raw` (a TOML value or an environment string) as the setting's type; ConfigError names it."""
    kind = KINDS[name]
    try:
        return _as_kind(kind, raw)
    except (TypeError, ValueError):
        raise ConfigError(
            f"LLM setting {name!r} expects {_KIND_WORDS[kind]}, got {raw!r}"
        ) from None


def _as_kind(kind: str, raw: object) -> object:
    if kind.endswith("?"):
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "none")):
            return None
        kind = kind[:-1]
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
        if isinstance(raw, (bool, float)):
            raise TypeError(raw)
        return int(raw)  # type: ignore[arg-type]
    if kind == "float":
        if isinstance(raw, bool):
            raise TypeError(raw)
        return float(raw)  # type: ignore[arg-type]
    if kind == "strings":
        value = _json_if_text(raw, "[")
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise TypeError(raw)
        return tuple(value)
    if kind in ("table", "headers"):
        value = _json_if_text(raw, "{")
        if not isinstance(value, dict):
            raise TypeError(raw)
        if kind == "headers" and not all(isinstance(v, str) for v in value.values()):
            raise TypeError(raw)
        return dict(value)
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        raise TypeError(raw)
    return str(raw)


def _json_if_text(raw: object, opener: str) -> object:
    """Environment values of lists and tables are JSON; a plain string stays a string."""
    if isinstance(raw, str) and raw.strip().startswith(opener):
        return json.loads(raw)
    return raw


def _check(config: LLMConfig) -> None:
    """Ranges and combinations; the message names the setting."""
    problems = []

    def need(ok: bool, name: str, what: str) -> None:
        if not ok:
            problems.append(f"LLM setting {name!r} {what}, got {getattr(config, name)!r}")

    need(config.k >= 1, "k", "must be >= 1")
    need(config.timeout > 0, "timeout", "must be > 0")
    need(config.concurrency >= 1, "concurrency", "must be >= 1")
    need(config.repair_rounds >= 0, "repair_rounds", "must be >= 0")
    need(config.retries >= 0, "retries", "must be >= 0")
    need(config.max_tokens >= 1, "max_tokens", "must be >= 1")
    need(config.context_tokens >= 0, "context_tokens", "must be >= 0 (0: ask the server)")
    need(config.top_p is None or 0 < config.top_p <= 1, "top_p", "must be in (0, 1]")
    need(config.min_p is None or 0 <= config.min_p <= 1, "min_p", "must be in [0, 1]")
    need(config.top_k is None or config.top_k >= -1, "top_k", "must be >= -1 (-1 or 0: off)")
    need(config.repetition_penalty is None or config.repetition_penalty > 0,
         "repetition_penalty", "must be > 0")
    need(config.vllm_gpu_memory_utilization is None
         or 0 < config.vllm_gpu_memory_utilization <= 1,
         "vllm_gpu_memory_utilization", "must be in (0, 1]")
    for name in ("vllm_max_model_len", "vllm_tensor_parallel_size"):
        need(getattr(config, name) is None or getattr(config, name) >= 1, name, "must be >= 1")
    clash = sorted(CORE_REQUEST_FIELDS & set(config.extra_body))
    if clash:
        problems.append(
            f"LLM setting 'extra_body' may not set {', '.join(clash)}: the client sets them "
            "(use the settings of the same name)")
    for name, value in config.extra_headers.items():
        if not _HEADER_NAME.match(name):
            problems.append(f"LLM setting 'extra_headers' has an invalid header name {name!r}")
        elif name.lower() in RESERVED_HEADERS:
            problems.append(f"LLM setting 'extra_headers' may not set {name!r}")
        elif "\r" in value or "\n" in value:
            problems.append(f"LLM setting 'extra_headers' value of {name!r} has a line break")
    if problems:
        raise ConfigError("; ".join(problems))


def load_llm_config(start: str | Path | None = None, overrides: dict | None = None) -> LLMConfig:
    """Settings from the nearest pyproject.toml, then the environment, then explicit overrides."""
    table = load_tool_config(start).get("llm", {})
    values: dict[str, object] = {}
    if isinstance(table, dict):
        for key, raw in table.items():
            key = key.replace("-", "_")
            if key in KINDS:
                values[key] = _convert(key, raw)
    for name, envs in ENV_VARS.items():
        for env in envs:
            raw = os.environ.get(env)
            if raw:
                values[name] = _convert(name, raw)
                break
    for key, raw in (overrides or {}).items():
        key = key.replace("-", "_")
        if key in KINDS and raw is not None:
            values[key] = _convert(key, raw)
    config = replace(LLMConfig(), **values)
    _check(config)
    return config


def overrides_from_task_options(task_options: dict[str, str]) -> dict[str, str]:
    """`--option llm.k=5` style overrides (the bench passes its --k this way)."""
    return {key[4:]: value for key, value in task_options.items() if key.startswith("llm.")}
