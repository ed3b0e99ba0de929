"""The `[tool.mlops-adapt.review]` table of a repository's pyproject.toml, read at the base commit."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from mlops_adapt.review.gitdiff import read_text_blob
from mlops_adapt.tasks import TASKS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_TASKS = ("track-mlflow",)
DEFAULT_PATHS = ("**/*.py", "**/*.ipynb")
BACKENDS = ("auto", "recipe", "llm")


class ConfigError(Exception):
    """The review table is malformed; the message names the key."""


@dataclass(frozen=True)
class ReviewConfig:
    """What the bot requires of training scripts, and where it looks for them."""

    tasks: tuple[str, ...] = DEFAULT_TASKS  # capabilities every training script should have
    paths: tuple[str, ...] = DEFAULT_PATHS  # globs of files to review ("**" spans folders)
    exclude: tuple[str, ...] = ()  # globs never reviewed, even if `paths` matches
    backend: str = "auto"  # the engine backend; "auto" uses the LLM only if one is configured

    def wants(self, path: str) -> bool:
        """True when `path` (posix, repo-relative) is a file this configuration reviews."""
        return (any(glob_matches(g, path) for g in self.paths)
                and not any(glob_matches(g, path) for g in self.exclude))


def load_config(repo: str, commit: str) -> ReviewConfig:
    """Read the review table from pyproject.toml at `commit`; defaults when it is absent.

    The base commit is read rather than the head, so that a pull request cannot switch the
    bot's policy off for itself.
    """
    text = read_text_blob(repo, commit, "pyproject.toml")
    if text is None:
        return ReviewConfig()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"pyproject.toml at {commit[:12]}: {err}") from None
    table = data.get("tool", {}).get("mlops-adapt", {}).get("review", {})
    return config_from_table(table)


def config_from_table(table: dict) -> ReviewConfig:
    """Validate the review table and build a ReviewConfig from it."""
    if not isinstance(table, dict):
        raise ConfigError("[tool.mlops-adapt.review] must be a table")
    known = {"tasks", "paths", "exclude", "backend"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"[tool.mlops-adapt.review]: unknown key(s) {', '.join(unknown)}; "
                          f"known keys: {', '.join(sorted(known))}")
    tasks = _string_list(table, "tasks", DEFAULT_TASKS)
    bad = [t for t in tasks if t not in TASKS]
    if bad:
        raise ConfigError(f"[tool.mlops-adapt.review] tasks: unknown task(s) {', '.join(bad)}; "
                          f"known tasks: {', '.join(TASKS)}")
    backend = table.get("backend", "auto")
    if backend not in BACKENDS:
        raise ConfigError(f"[tool.mlops-adapt.review] backend must be one of {', '.join(BACKENDS)}")
    return ReviewConfig(tasks, _string_list(table, "paths", DEFAULT_PATHS),
                        _string_list(table, "exclude", ()), backend)


def _string_list(table: dict, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = table.get(key, default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.mlops-adapt.review] {key} must be a list of strings")
    return tuple(value)


def glob_matches(pattern: str, path: str) -> bool:
    """Gitignore-like glob: `*` and `?` stay within a folder, `**/` spans any number of folders."""
    return _glob_regex(pattern).fullmatch(path) is not None


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
