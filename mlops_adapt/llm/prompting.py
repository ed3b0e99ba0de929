"""Build chat messages from the prompt templates: instructions and docs first, facts, draft, code last."""

from __future__ import annotations

import difflib
import importlib.metadata
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mlops_adapt.analysis.model import Facts
from mlops_adapt.tasks import TASKS

PROMPTS_DIR = Path(__file__).with_name("prompts")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
CODE_HEADING = "## The script: "
TEMPLATE_FIELDS = {"title", "library", "version", "docs", "facts", "scaffold", "path", "code"}
REPAIR_FIELDS = {"reasons", "library", "version"}
# Notes addressed to the tool's user, not to the model: which docs index V3 read.
_TOOL_NOTE = re.compile(r"is not indexed; checked against the nearest indexed version")


@dataclass(frozen=True)
class Template:
    """One prompt file: its body and the retrieval query in its front matter."""

    name: str
    body: str
    query: str

    @property
    def fields(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.body))


@cache
def load_template(name: str) -> Template:
    """A task's `prompt.md` (name = task id) or a shared `prompts/<name>.md`, front matter split off.

    FileNotFoundError names the missing file.
    """
    from mlops_adapt.tasks import task_file

    path = task_file(name, "prompt.md") if name in TASKS else PROMPTS_DIR / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    query = ""
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "query":
                query = value.strip()
        text = text[match.end() :]
    return Template(name, text, query)


def render(template: Template, values: dict[str, str]) -> str:
    """Fill `{{name}}` placeholders in one pass, so braces inside the values are never re-read."""
    missing = template.fields - values.keys()
    if missing:
        raise KeyError(f"prompt {template.name!r} needs values for {sorted(missing)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template.body)


def installed_version(library: str) -> str:
    """The installed distribution version of a task library, or 'not installed'."""
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def render_facts(facts: Facts) -> str:
    """The analysis facts as short bullet lists, only the sections that have entries."""
    sections: list[tuple[str, list[str]]] = [
        (
            "Hyperparameters (log every one, under these names)",
            [
                f"- `{h.name}` = {h.value if h.value is not None else '(runtime value)'} ({h.kind}, line {h.line}"
                + (f", in `{h.owner}`" if h.owner else "")
                + ")"
                for h in facts.hyperparams
            ],
        ),
        (
            "Evaluation results (log every one, under these names)",
            [
                f"- `{m.name}` = `{m.expr}` (line {m.line}"
                + (", inside a loop: log with step" if m.in_loop else "")
                + ")"
                for m in facts.metrics
            ],
        ),
        (
            "Models",
            [
                f"- `{m.var}` = {m.constructor}(...) ({m.framework}, line {m.line}"
                + (f", trained at line {m.trained_line}" if m.trained_line else "")
                + ")"
                for m in facts.models
            ],
        ),
        (
            "Training",
            [
                f"- {loop.kind} at line {loop.line}"
                + (f", step variable `{loop.step_var}`" if loop.step_var else "")
                for loop in facts.loops
            ],
        ),
        (
            "Saved artifacts",
            [
                f"- {a.saver}: {a.obj or '?'} -> {a.path or '?'} (line {a.line})"
                for a in facts.artifacts
            ],
        ),
        (
            "GitPython data operations",
            [f"- {g.op}({', '.join(g.args)}) at line {g.line}" for g in facts.git_ops],
        ),
    ]
    parts = [f"{title}:\n" + "\n".join(rows) for title, rows in sections if rows]
    return "\n\n".join(parts) if parts else "(analysis found nothing specific; read the code)"


def render_scaffold(source: str, draft: str | None, reasons: tuple[str, ...]) -> str:
    """The recipe's draft as a diff, with why it was not accepted; or say there is none."""
    if not draft or draft == source:
        return "(none: no deterministic recipe handles this code shape)"
    diff = "".join(
        difflib.unified_diff(
            source.splitlines(keepends=True),
            draft.splitlines(keepends=True),
            "original",
            "recipe draft",
            n=1,
        )
    )
    why = "\n".join(f"- {r}" for r in reasons[:8]) or "- (no reasons given)"
    return f"A deterministic recipe proposed this diff. It did not pass verification:\n{why}\n\n```diff\n{diff}```"


def docs_query(task: str, facts: Facts, source: str) -> str:
    """What to look up: the template's query, the task title and names from the facts and the code."""
    template = load_template(task)
    library = TASKS[task].library
    used = sorted(set(re.findall(rf"\b{re.escape(library)}(?:\.\w+)+", source)))[:10]
    names = (
        [m.constructor for m in facts.models]
        + [f.kind for f in facts.loops]
        + [g.op for g in facts.git_ops]
    )
    return " ".join([template.query, TASKS[task].title, *used, *names])


def build_messages(
    task: str,
    source: str,
    facts: Facts,
    docs: str,
    version: str,
    scaffold: str,
    path: str | None,
) -> list[dict]:
    """System rules, then the task prompt with the code last (the order prefix caching needs)."""
    info = TASKS[task]
    user = render(
        load_template(task),
        {
            "title": info.title,
            "library": info.library,
            "version": version,
            "docs": docs,
            "facts": render_facts(facts),
            "scaffold": scaffold,
            "path": path or "script.py",
            "code": source.rstrip("\n"),
        },
    )
    return [
        {"role": "system", "content": load_template("system").body.strip()},
        {"role": "user", "content": user},
    ]


def repair_messages(
    base: list[dict], answer_code: str, reasons: list[str], task: str, version: str
) -> list[dict]:
    """The first conversation, the answer that failed, and every reason the verifier gave, grouped by check."""
    groups: dict[str, list[str]] = {}
    for reason in reasons:
        if _TOOL_NOTE.search(reason):
            continue
        check, sep, detail = reason.partition(": ")
        groups.setdefault(check if sep else "verifier", []).append(detail if sep else reason)
    listing = "\n".join(
        f"{check}:\n" + "\n".join(f"- {d}" for d in details[:15]) for check, details in groups.items()
    )
    follow_up = render(
        load_template("repair"),
        {
            "reasons": listing,
            "library": TASKS[task].library,
            "version": version,
        },
    )
    return [
        *base,
        {"role": "assistant", "content": f"```python\n{answer_code.rstrip()}\n```"},
        {"role": "user", "content": follow_up.strip()},
    ]


def extract_code_section(user_prompt: str) -> str:
    """The script embedded in a task prompt (the inverse of build_messages, for tests and fakes)."""
    at = user_prompt.rfind(CODE_HEADING)
    if at < 0:
        return ""
    start = user_prompt.find("```python\n", at)
    end = user_prompt.rstrip().rfind("\n```")
    if start < 0 or end <= start:
        return ""
    return user_prompt[start + len("```python\n") : end] + "\n"
