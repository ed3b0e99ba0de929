"""User configuration: `[tool.mlops-adapt]` of the nearest pyproject.toml, and env overrides."""

from __future__ import annotations

import os
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Keys of [tool.mlops-adapt]; `llm` and `review` are read by mlops_adapt.llm and mlops_adapt.review.
TOOL_KEYS = ("backend", "verify", "options", "llm", "review")


class ConfigError(ValueError):
    """A configuration file or variable that cannot be used; the message names the key."""


def find_pyproject(start: str | Path | None = None) -> Path | None:
    """The nearest pyproject.toml at or above `start` (default: the cwd)."""
    here = Path(start or os.getcwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_tool_config(start: str | Path | None = None) -> dict:
    """The `[tool.mlops-adapt]` table, or {} when there is none or it cannot be read."""
    try:
        return read_tool_config(start)[0]
    except ConfigError:
        return {}


def read_tool_config(start: str | Path | None = None) -> tuple[dict, Path | None]:
    """The `[tool.mlops-adapt]` table and its file; ConfigError when the file is broken.

    Checks the table's own keys and the `options` table's shape; the values of `backend` and
    `verify` are checked by choice_setting, where the environment may override them.
    """
    path = find_pyproject(start)
    if path is None:
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None
    table = data.get("tool", {}).get("mlops-adapt", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.mlops-adapt] must be a table")
    unknown = sorted(set(table) - set(TOOL_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: [tool.mlops-adapt] {unknown[0]}: unknown key; "
            f"known keys: {', '.join(TOOL_KEYS)}"
        )
    if not isinstance(table.get("options", {}), dict):
        raise ConfigError(f"{path}: [tool.mlops-adapt] options must be a table of KEY = VALUE")
    return table, path


def setting(config: dict, key: str, env: str, default: str) -> str:
    """One setting: the environment variable wins over the file, which wins over the default."""
    value = os.environ.get(env)
    if value:
        return value
    found = config.get(key)
    return str(found) if found is not None else default


def choice_setting(
    config: dict,
    key: str,
    env: str,
    default: str,
    choices: tuple[str, ...],
    path: Path | None = None,
) -> str:
    """Like setting(), for one of `choices`; the ConfigError names where a bad value came from."""
    value = setting(config, key, env, default)
    if value in choices:
        return value
    where = env if os.environ.get(env) else f"{path or 'pyproject.toml'}: [tool.mlops-adapt] {key}"
    raise ConfigError(f"{where}={value!r}: expected one of {', '.join(choices)}")
