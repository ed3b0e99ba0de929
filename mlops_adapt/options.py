"""Options for one adaptation, with defaults; built by the CLI, the server and the PR bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


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
