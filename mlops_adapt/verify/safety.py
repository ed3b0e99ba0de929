"""The safety label: one ordered value, set once where the verdict is made (like Ruff's Applicability)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from mlops_adapt.results import Check


class Safety(str, Enum):
    """How freely an edit may be applied; ordered display-only < unsafe < safe.

    A `str` enum, so reports and JSON carry the plain words ("safe", "unsafe", "display-only").
    """

    DISPLAY_ONLY = "display-only"  # shown for reading, never applied: a check failed
    UNSAFE = "unsafe"  # verified, but it restructures code or was checked statically only
    SAFE = "safe"  # additive, in scope, every check passed

    @property
    def rank(self) -> int:
        return _RANK[self]

    def meets(self, threshold: Safety) -> bool:
        """True when this label is at least as safe as `threshold` (what adapters compare)."""
        return self.rank >= Safety(threshold).rank

    def __str__(self) -> str:
        return self.value


_RANK = {Safety.DISPLAY_ONLY: 0, Safety.UNSAFE: 1, Safety.SAFE: 2}


def threshold(allow_unsafe: bool) -> Safety:
    """The lowest label an adapter applies: safe by default, unsafe when the user asked for it."""
    return Safety.UNSAFE if allow_unsafe else Safety.SAFE


def verdict(checks: Iterable[Check], scope: str, backend: str) -> tuple[Safety, tuple[str, ...]]:
    """The label of a candidate and the reasons for it, from its checks, its task's scope and its generator.

    - a failed check: display-only;
    - a task that restructures or translates code by design: unsafe, even when verified;
    - an edit that rewrites or reorders original statements (V2 warnings): unsafe;
    - an edit not written by a recipe (an LLM's, or one given to `verify`) that V5 did not
      execute: unsafe (recipes are executed by their own test suite);
    - otherwise safe.
    """
    checks = list(checks)
    failed = [c for c in checks if c.status == "fail"]
    executed = any(c.id == "V5" and c.status == "pass" for c in checks)
    if failed:
        names = ", ".join(f"{c.id} {c.name}" for c in failed)
        return Safety.DISPLAY_ONLY, (f"verification failed: {names}",)
    reasons: list[str] = []
    rewrites = any(c.id == "V2" and c.status == "warn" for c in checks)
    unexecuted = backend != "recipe" and not executed
    if scope != "additive":
        reasons.append(f"the task restructures code by design ({scope})")
    if rewrites:
        reasons.append("the edit rewrites or reorders original statements")
    if unexecuted:
        who = "LLM edit" if backend == "llm" else "edit not written by a recipe"
        reasons.append(f"{who} without an executed check (V5)")
    if not executed:
        reasons.append(
            "static checks only" if backend != "recipe" else "static checks; the recipe's executed suite covers it"
        )
    label = Safety.UNSAFE if scope != "additive" or rewrites or unexecuted else Safety.SAFE
    return label, tuple(reasons)


def expected_safety(scope: str, backend: str = "recipe") -> Safety:
    """The label a verified edit of this scope and generator will get (editor lists before resolve)."""
    return verdict([], scope, backend)[0]
