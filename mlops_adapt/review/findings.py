"""Runs the engine on the changed training scripts of a pull request and keeps the verified edits."""

from __future__ import annotations

from dataclasses import dataclass

from mlops_adapt import progress
from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed, Skipped
from mlops_adapt.review.config import ReviewConfig
from mlops_adapt.review.gitdiff import SOURCE_MODES, ChangedFile, file_modes, read_text_blob
from mlops_adapt.verify.safety import Safety, threshold

REVIEWED_STATUSES = {"added", "modified", "renamed", "copied", "type-changed"}


@dataclass(frozen=True)
class FileEdit:
    """A verified edit of one head file, possibly several tasks applied one after the other."""

    changed: ChangedFile
    original: str  # the head text
    code: str  # the verified new text
    tasks: tuple[str, ...]
    safety: Safety  # the least safe label of the edits combined in this file
    safety_reasons: tuple[str, ...]
    cell_diff: str | None = None  # a notebook's edit as diffs of its cells (original/code: JSON)

    @property
    def path(self) -> str:
        return self.changed.path


@dataclass(frozen=True)
class Note:
    """Why a changed file got no edit for a task (printed to stderr, never posted)."""

    path: str
    task: str
    reason: str


def collect_edits(
    repo: str, head: str, changed: list[ChangedFile], config: ReviewConfig,
    tasks: tuple[str, ...], allow_unsafe: bool, options: AdaptOptions,
) -> tuple[list[FileEdit], list[Note]]:
    """Verified edits for every changed Python file that lacks a required capability."""
    candidates = [c for c in changed if c.status in REVIEWED_STATUSES
                  and c.path.endswith((".py", ".ipynb")) and config.wants(c.path)]
    modes = file_modes(repo, head, [c.path for c in candidates])
    edits: list[FileEdit] = []
    notes: list[Note] = []
    for number, item in enumerate(candidates, 1):
        if modes.get(item.path) not in SOURCE_MODES:
            notes.append(Note(item.path, "-", "not a regular file (symlink or submodule)"))
            continue
        text = read_text_blob(repo, head, item.path)
        if text is None:
            notes.append(Note(item.path, "-", "binary or not UTF-8 text"))
            continue
        label = f"[{number}/{len(candidates)}] adapting {item.path}"
        with progress.step(label):
            if item.path.endswith(".ipynb"):
                edit = edit_notebook(item, text, tasks, allow_unsafe, options, notes, label)
            else:
                edit = edit_file(item, text, tasks, allow_unsafe, options, notes, label=label)
        if edit is not None:
            edits.append(edit)
    return edits, notes


def edit_notebook(
    item: ChangedFile, text: str, tasks: tuple[str, ...], allow_unsafe: bool,
    options: AdaptOptions, notes: list[Note], label: str = "",
) -> FileEdit | None:
    """edit_file on a notebook's code; the edit comes back as the notebook's JSON and cell diffs."""
    from mlops_adapt.notebook import NotebookError, adapt_notebook, parse_notebook, prepare

    try:
        notebook = prepare(parse_notebook(text.encode("utf-8"), item.path))
    except NotebookError as err:
        notes.append(Note(item.path, "-", str(err).removeprefix(f"{item.path}: ")))
        return None

    def adapt_cells(current: str, task: str, file_options: AdaptOptions):
        return adapt_notebook(notebook, task, file_options, text=current)

    edit = edit_file(item, notebook.text, tasks, allow_unsafe, options, notes, label, adapt_cells)
    if edit is None:
        return None
    return FileEdit(item, text, notebook.encode(edit.code).decode("utf-8"), edit.tasks,
                    edit.safety, edit.safety_reasons, notebook.diff(edit.code))


def edit_file(
    item: ChangedFile, text: str, tasks: tuple[str, ...], allow_unsafe: bool,
    options: AdaptOptions, notes: list[Note], label: str = "", adapt_text=adapt,
) -> FileEdit | None:
    """Apply each missing task in turn; every step is verified by the engine before it is kept."""
    current = text
    applied: list[str] = []
    reasons: list[str] = []
    safety = Safety.SAFE
    file_options = AdaptOptions(backend=options.backend, verify=options.verify, path=item.path,
                                task_options=options.task_options, timeout=options.timeout)
    for task in tasks:
        if not _may_apply(current, task):
            notes.append(Note(item.path, task, "not applicable (no training code lacking it)"))
            continue
        progress.update(f"{label or item.path}: {task}")
        try:
            result = adapt_text(current, task, file_options)
        except Exception as err:  # noqa: BLE001 - one engine bug must not sink the whole review
            notes.append(Note(item.path, task, f"internal error: {type(err).__name__}: {err}"))
            continue
        if isinstance(result, Skipped):
            notes.append(Note(item.path, task, result.reason))
        elif isinstance(result, Failed):
            notes.append(Note(item.path, task, f"{result.kind}: {'; '.join(result.reasons)}"))
        elif isinstance(result, Applied) and result.changed:
            if not result.safety.meets(threshold(allow_unsafe)):
                why = "; ".join(result.report.safety_reasons)
                notes.append(Note(item.path, task, f"edit labelled {result.safety} ({why}); use --unsafe"))
                continue
            current = result.code
            applied.append(task)
            reasons.extend(f"{task}: {r}" for r in result.report.safety_reasons)
            safety = min(safety, result.safety, key=lambda label: label.rank)
    if not applied:
        return None
    return FileEdit(item, text, current, tuple(applied), safety, tuple(reasons))


def _may_apply(source: str, task: str) -> bool:
    """Cheap pre-filter; without the applicability module every task is tried (the engine skips)."""
    try:
        from mlops_adapt.applicability import applicable_tasks
    except ImportError:
        return True
    try:
        return task in applicable_tasks(source)
    except Exception:  # noqa: BLE001 - a syntax error or analysis bug: the engine gives the real answer
        return True
