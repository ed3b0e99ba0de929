"""The task catalog: every sub-package of mlops_adapt.tasks is one task, discovered by its SPEC.

A task folder holds everything the task owns:

- `__init__.py`: `SPEC`, a TaskSpec (id, kind, target, title, detection predicate, grouping);
- `recipe.py`: the deterministic libcst codemod (a Recipe subclass with EXAMPLES and NOOP);
- `rules.py`: the V2 scope policy and V4 postconditions (a TaskRules subclass);
- `checks.py`: the V5 test body, a real module inlined into the generated pytest file;
- `prompt.md`: the LLM prompt template.

Only `__init__.py` is imported to list tasks, so `mlops-adapt tasks` stays fast (no libcst).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from mlops_adapt.tasks.spec import TaskSpec

# Every piece a task folder must have; the catalog test fails when one is missing.
TASK_FILES = ("__init__.py", "recipe.py", "rules.py", "checks.py", "prompt.md")

# Kept for callers that name the spec type by its old name.
Task = TaskSpec


def _discover() -> dict[str, tuple[TaskSpec, str]]:
    """(spec, package name) of every task package, by task id, in a stable order."""
    found: dict[str, tuple[TaskSpec, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if not isinstance(spec, TaskSpec):
            raise ImportError(f"task package {module.__name__} has no SPEC = TaskSpec(...)")
        if spec.id in found:
            raise ImportError(f"task id {spec.id!r} is declared twice")
        found[spec.id] = (spec, module.__name__)
    # Listings show inline tasks before translations, each in the order their SPEC.order gives.
    return dict(sorted(found.items(), key=lambda item: (item[1][0].kind != "inline", item[1][0].order, item[0])))


_FOUND = _discover()
TASKS: dict[str, TaskSpec] = {tid: spec for tid, (spec, _) in _FOUND.items()}
_PACKAGES: dict[str, str] = {tid: package for tid, (_, package) in _FOUND.items()}


def get_task(task_id: str) -> TaskSpec:
    """Return the task with this id, or raise KeyError with the known ids."""
    try:
        return TASKS[task_id]
    except KeyError:
        known = ", ".join(TASKS)
        raise KeyError(f"unknown task {task_id!r}; known tasks: {known}") from None


def task_package(task_id: str) -> str:
    """The dotted package name of a task folder, e.g. mlops_adapt.tasks.track_mlflow."""
    return _PACKAGES[task_id]


def task_dir(task_id: str) -> Path:
    """The folder of a task."""
    return Path(importlib.import_module(task_package(task_id)).__file__).parent


def task_module(task_id: str, piece: str) -> ModuleType:
    """Import one piece of a task folder: "recipe", "rules" or "checks"."""
    return importlib.import_module(f"{task_package(task_id)}.{piece}")


def task_file(task_id: str, name: str) -> Path:
    """A data file of a task folder (e.g. prompt.md); FileNotFoundError names it when missing."""
    path = task_dir(task_id) / name
    if not path.is_file():
        raise FileNotFoundError(f"task {task_id} has no {name} (expected at {path})")
    return path


def tasks_tagged(tag: str) -> tuple[str, ...]:
    """Ids of the tasks carrying a tag, in catalog order."""
    return tuple(tid for tid, spec in TASKS.items() if tag in spec.tags)
