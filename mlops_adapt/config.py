"""User configuration: `[tool.mlops-adapt]` in the nearest pyproject.toml, overridden by env vars."""

from __future__ import annotations

import os
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


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
    path = find_pyproject(start)
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    table = data.get("tool", {}).get("mlops-adapt", {})
    return table if isinstance(table, dict) else {}


def setting(config: dict, key: str, env: str, default: str) -> str:
    """One setting: the environment variable wins over the file, which wins over the default."""
    value = os.environ.get(env)
    if value:
        return value
    found = config.get(key)
    return str(found) if found is not None else default
