"""Checks that every discovered task folder holds every piece a task needs (no silent fallbacks)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path


def folder_problems(task_id: str) -> list[str]:
    """What one task folder lacks or gets wrong; empty when it is complete."""
    from mlops_adapt.tasks import TASK_FILES, TASKS, task_dir, task_package

    spec = TASKS[task_id]
    folder = task_dir(task_id)
    problems = [f"{task_id}: missing {name}" for name in TASK_FILES if not (folder / name).is_file()]
    if problems:
        return problems
    if not callable(spec.applies):
        problems.append(f"{task_id}: SPEC.applies is not a detection predicate")
    if not spec.title or spec.kind not in ("inline", "translate"):
        problems.append(f"{task_id}: SPEC needs a title and a kind of inline or translate")
    package = task_package(task_id)
    problems += _recipe_problems(task_id, importlib.import_module(f"{package}.recipe"))
    problems += _rules_problems(task_id, importlib.import_module(f"{package}.rules"))
    problems += _checks_problems(task_id, folder / "checks.py")
    if "{{code}}" not in (folder / "prompt.md").read_text(encoding="utf-8"):
        problems.append(f"{task_id}: prompt.md has no {{{{code}}}} placeholder")
    return problems


def _recipe_problems(task_id: str, module) -> list[str]:
    from mlops_adapt.transforms.base import Recipe

    recipes = [
        v for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, Recipe) and v.TASK == task_id
    ]
    if len(recipes) != 1:
        return [f"{task_id}: recipe.py defines {len(recipes)} Recipe classes for the task, not 1"]
    recipe = recipes[0]
    problems = []
    if not recipe.EXAMPLES:
        problems.append(f"{task_id}: the recipe has no EXAMPLES")
    if not recipe.NOOP:
        problems.append(f"{task_id}: the recipe has no NOOP cases")
    if not (recipe.__doc__ or "").strip():
        problems.append(f"{task_id}: the recipe has no docstring for users")
    return problems


def _rules_problems(task_id: str, module) -> list[str]:
    from mlops_adapt.verify.rules.base import TaskRules

    rules = [
        v for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, TaskRules) and v.TASK == task_id
    ]
    if len(rules) != 1:
        return [f"{task_id}: rules.py defines {len(rules)} TaskRules classes for the task, not 1"]
    if rules[0].postconditions is TaskRules.postconditions:
        return [f"{task_id}: rules.py has no postconditions (V4 would always pass)"]
    return []


def _checks_problems(task_id: str, path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tests = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    if not tests:
        return [f"{task_id}: checks.py defines no test_ function (V5 would check nothing task-specific)"]
    return []


def catalog_problems() -> list[str]:
    """Problems of every discovered task, plus folders that hold no task at all."""
    from mlops_adapt import tasks
    from mlops_adapt.tasks import TASKS

    problems = [p for task_id in TASKS for p in folder_problems(task_id)]
    known = {Path(tasks.task_dir(t)).name for t in TASKS}
    for entry in Path(tasks.__file__).parent.iterdir():
        if entry.is_dir() and not entry.name.startswith(("_", ".")) and entry.name not in known:
            problems.append(f"{entry.name}: a folder in mlops_adapt/tasks without a task SPEC")
    return problems


if __name__ == "__main__":  # pragma: no cover - used by the catalog test on a copied tree
    import sys

    try:
        found = catalog_problems()
    except ImportError as err:  # a broken folder can stop discovery itself: that is a finding too
        found = [f"the catalog cannot load: {err}"]
    print("\n".join(found))
    sys.exit(1 if found else 0)
