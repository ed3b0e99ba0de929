"""Server settings from initializationOptions and workspace/didChangeConfiguration, as small dataclasses."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from mlops_adapt.options import AdaptOptions
from mlops_adapt.tasks import TASKS

SECTION = "mlopsAdapt"  # the settings section in the editor, e.g. "mlopsAdapt.backend"
BACKENDS = ("auto", "recipe", "llm")
VERIFY_MODES = ("static", "run")
DEFAULT_LLM_TIMEOUT = 120.0
LLM_URL_VARIABLES = ("MLOPS_ADAPT_LLM_BASE_URL", "OPENAI_BASE_URL")
_STARTUP_ENVIRONMENT = dict(os.environ)  # what the editor started the server with


@dataclass(frozen=True)
class LlmSettings:
    """The OpenAI-compatible endpoint used by the LLM backend; empty means 'from the environment'."""

    base_url: str = ""
    model: str = ""
    timeout: float = DEFAULT_LLM_TIMEOUT

    def environment(self) -> dict[str, str | None]:
        """The variables that hand these settings to the LLM client (mlops_adapt.llm.config).

        None means "not set here": the variable keeps the value the server was started with.
        """
        return {
            "MLOPS_ADAPT_LLM_BASE_URL": self.base_url or None,
            "MLOPS_ADAPT_LLM_MODEL": self.model or None,
            "MLOPS_ADAPT_LLM_TIMEOUT": None
            if self.timeout == DEFAULT_LLM_TIMEOUT
            else str(self.timeout),
        }


@dataclass(frozen=True)
class DiagnosticsSettings:
    """Opt-in information-level hints, each with a quick fix."""

    enabled: bool = False


@dataclass(frozen=True)
class Settings:
    """Everything the server reads from the editor's settings, with defaults."""

    backend: str = "auto"
    verify: str = "static"
    enabled_tasks: tuple[str, ...] = tuple(TASKS)
    diagnostics: DiagnosticsSettings = field(default_factory=DiagnosticsSettings)
    llm: LlmSettings = field(default_factory=LlmSettings)

    def adapt_options(self, path: str | None) -> AdaptOptions:
        """The engine options for one document."""
        return AdaptOptions(backend=self.backend, verify=self.verify, path=path)

    @property
    def may_use_llm(self) -> bool:
        """True when a resolve can reach the (slow) LLM backend."""
        if self.backend != "auto":
            return self.backend == "llm"
        return bool(self.llm.base_url) or any(os.environ.get(v) for v in LLM_URL_VARIABLES)


def parse_settings(raw: Any) -> tuple[Settings, list[str]]:
    """Structure raw editor settings into Settings; bad values keep their default and give a warning."""
    warnings: list[str] = []
    if not isinstance(raw, dict):
        if raw is not None:
            warnings.append(f"settings must be an object, got {type(raw).__name__}; using defaults")
        return Settings(), warnings
    raw = _unwrap(raw)
    defaults = Settings()
    backend = _choice(raw, "backend", BACKENDS, defaults.backend, warnings)
    verify = _choice(raw, "verify", VERIFY_MODES, defaults.verify, warnings)
    tasks = _tasks(raw.get("enabledTasks"), defaults.enabled_tasks, warnings)
    diagnostics = _section(raw, "diagnostics", warnings)
    enabled = diagnostics.get("enabled", False)
    if not isinstance(enabled, bool):
        warnings.append(f"diagnostics.enabled must be true or false, got {enabled!r}")
        enabled = False
    llm = _section(raw, "llm", warnings)
    llm_settings = LlmSettings(
        base_url=_text(llm, "llm.baseUrl", "baseUrl", warnings),
        model=_text(llm, "llm.model", "model", warnings),
        timeout=_timeout(llm.get("timeout", DEFAULT_LLM_TIMEOUT), warnings),
    )
    settings = Settings(backend, verify, tasks, DiagnosticsSettings(enabled), llm_settings)
    return settings, warnings


def apply_llm_environment(llm: LlmSettings) -> None:
    """Expose the LLM settings to the engine's LLM client (this process is the server's own).

    A setting that is cleared again gives the variable back its value from start-up.
    """
    for name, value in llm.environment().items():
        if value is None:
            value = _STARTUP_ENVIRONMENT.get(name)
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _unwrap(raw: dict) -> dict:
    """Accept {"mlopsAdapt": {...}}, flat dotted keys ("diagnostics.enabled") or the nested object."""
    if isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    nested: dict = {}
    for key, value in raw.items():
        key = key.removeprefix(SECTION + ".")
        target = nested
        *parents, leaf = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
            if not isinstance(target, dict):
                break
        else:
            if isinstance(value, dict) and isinstance(target.get(leaf), dict):
                target[leaf].update(value)
            else:
                target[leaf] = value
    return nested


def _section(raw: dict, name: str, warnings: list[str]) -> dict:
    value = raw.get(name, {})
    if isinstance(value, dict):
        return value
    warnings.append(f"{name} must be an object, got {value!r}")
    return {}


def _choice(
    raw: dict, key: str, allowed: tuple[str, ...], default: str, warnings: list[str]
) -> str:
    value = raw.get(key, default)
    if value in allowed:
        return value
    warnings.append(f"{key} must be one of {', '.join(allowed)}, got {value!r}; using {default!r}")
    return default


def _tasks(value: Any, default: tuple[str, ...], warnings: list[str]) -> tuple[str, ...]:
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        warnings.append(f"enabledTasks must be a list of task ids, got {value!r}")
        return default
    unknown = [v for v in value if v not in TASKS]
    if unknown:
        warnings.append(f"enabledTasks: unknown task ids {', '.join(unknown)} ignored")
    return tuple(v for v in value if v in TASKS)


def _text(section: dict, label: str, key: str, warnings: list[str]) -> str:
    value = section.get(key, "")
    if isinstance(value, str):
        return value.strip()
    warnings.append(f"{label} must be a string, got {value!r}")
    return ""


def _timeout(value: Any, warnings: list[str]) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    warnings.append(f"llm.timeout must be a positive number of seconds, got {value!r}")
    return DEFAULT_LLM_TIMEOUT
