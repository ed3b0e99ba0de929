"""TaskSpec: what one task folder declares about itself (id, kind, target, title, grouping)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from mlops_adapt.applicability import Signals


@dataclass(frozen=True)
class TaskSpec:
    """One adaptation the tool can make; `id` is a stable public contract."""

    id: str
    kind: Literal["inline", "translate"]
    target: str  # human name of the target tool
    library: str  # import name of the target library, used by V3 and retrieval
    title: str  # one line: CLI help, code-action title, docs
    # "does this file look like it wants this task": a cheap test on stdlib-ast signals.
    applies: Callable[[Signals], bool] = field(compare=False, repr=False)
    # Position in listings among tasks of the same kind.
    order: int = 50
    # The paper's task group the bench compares against (Patel et al. 2024), if any.
    paper_group: str | None = None
    # Tags that adapters group tasks by (e.g. "tracking" for editor hints).
    tags: frozenset[str] = frozenset()
    # The executed check runs the script inside a temp git repository (translations of git code).
    needs_repo: bool = False
    # The edit may legitimately change printed numbers (a tuned model scores differently).
    output_numbers_may_change: bool = False
    # Extra modules the generated V5 test inlines (from mlops_adapt/verify), e.g. an offline-run reader.
    test_support: tuple[str, ...] = ()
    # Option keys the recipe reads through --option KEY=VALUE, with a one-line meaning each.
    options: dict[str, str] = field(default_factory=dict, compare=False)
