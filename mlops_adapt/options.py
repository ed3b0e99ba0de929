"""Options for one adaptation, with defaults; built by the CLI, the server and the PR bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

BACKENDS = ("auto", "recipe", "llm")
VERIFY_MODES = ("static", "run")


@dataclass(frozen=True)
class AdaptOptions:
    """How engine.adapt() should work on one source text."""

    backend: Literal["auto", "recipe", "llm"] = "auto"
    verify: Literal["static", "run"] = "static"
    path: str | None = None  # the file's path, for messages and default names; never read
    task_options: dict[str, str] = field(default_factory=dict)  # --option KEY=VALUE
    timeout: float = 300.0  # seconds for executed verification (V5)

    def opt(self, key: str, default: str | None = None) -> str | None:
        """One --option value."""
        return self.task_options.get(key, default)


class OptionError(ValueError):
    """An --option key no task reads, or a value it cannot use."""


# Read for every task: the V5 timeout (CLI) and extra files for the sandbox (verify.testgen).
COMMON_OPTIONS = ("timeout", "sandbox_files")
LLM_PREFIX = "llm."  # llm.<setting> overrides one LLM setting (llm.config.LLMConfig's fields)


def _positive_number(value: str) -> str | None:
    try:
        ok = float(value) > 0
    except ValueError:
        ok = False
    return None if ok else "a number of seconds > 0"


def _positive_int(value: str) -> str | None:
    return None if value.strip().isdigit() and int(value) > 0 else "a whole number > 0"


def _fraction(value: str) -> str | None:
    try:
        ok = 0 < float(value) < 1
    except ValueError:
        ok = False
    return None if ok else "a number between 0 and 1 (exclusive)"


# Each returns None for a usable value, else what the value must be.
VALUE_CHECKS: dict[str, Callable[[str], str | None]] = {
    "timeout": _positive_number,
    "n_trials": _positive_int,
    "amount": _fraction,
}


def known_options(task: str | None = None) -> list[str]:
    """The option keys `task` reads; with no task, the keys any task reads."""
    from mlops_adapt.tasks import TASKS  # each task's SPEC.options lists the keys its recipe reads

    per_task = list(TASKS[task].options) if task in TASKS else [k for spec in TASKS.values() for k in spec.options]
    return sorted(set(per_task)) + list(COMMON_OPTIONS) + [f"{LLM_PREFIX}<setting>"]


def check_options(options: dict[str, str], task: str | None, source: str = "--option") -> None:
    """Raise OptionError naming the first key `task` does not read, or the first unusable value.

    `task=None` accepts a key that any task reads (a shared config table serves every task).
    """
    allowed = set(known_options(task))
    for key, value in options.items():
        if key.startswith(LLM_PREFIX):
            _check_llm_option(key, value, source)
            continue
        if key not in allowed:
            scope = f"task {task}" if task else "any task"
            raise OptionError(
                f"{source} {key}: unknown option for {scope}; known options: "
                f"{', '.join(known_options(task))}"
            )
        check = VALUE_CHECKS.get(key)
        problem = check(str(value)) if check else None
        if problem:
            raise OptionError(f"{source} {key}={value!r}: expected {problem}")


def _check_llm_option(key: str, value: str, source: str) -> None:
    # llm.config's own converter, so that an override is checked exactly as it will be read.
    from mlops_adapt.llm.config import ConfigError, LLMConfig, _convert

    name = key[len(LLM_PREFIX) :].replace("-", "_")
    settings = list(LLMConfig.__dataclass_fields__)
    if name not in settings:
        raise OptionError(
            f"{source} {key}: unknown LLM setting; known: "
            f"{', '.join(LLM_PREFIX + s for s in settings)}"
        )
    try:
        _convert(name, value)
    except ConfigError as err:
        raise OptionError(f"{source} {key}={value!r}: {err}") from None
