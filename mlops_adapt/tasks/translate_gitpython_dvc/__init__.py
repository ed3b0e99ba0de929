"""Task `translate-gitpython-dvc`: version data files with DVC instead of GitPython."""

from __future__ import annotations

from mlops_adapt.applicability import Signals
from mlops_adapt.tasks.spec import TaskSpec


def applies(sig: Signals) -> bool:
    """Does this file look like it wants `translate-gitpython-dvc`?"""
    return "git" in sig.imports and "dvc" not in sig.imports


SPEC = TaskSpec(
    id="translate-gitpython-dvc",
    kind="translate",
    target="DVC",
    library="dvc",
    title="Version data files with DVC instead of GitPython",
    applies=applies,
    options={"data": "comma-separated globs of the data files DVC should version"},
    order=0,
    tags=frozenset({"data-versioning"}),
    needs_repo=True,
)
