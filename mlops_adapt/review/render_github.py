"""Builds the GitHub pull-request review (body + suggestion comments) from the file plans."""

from __future__ import annotations

import re

from mlops_adapt.review.suggestions import FilePlan, LineSuggestion
from mlops_adapt.tasks import TASKS

REVIEW_MARKER = "<!-- mlops-adapt:review -->"
FINGERPRINT_MARKER = "<!-- mlops-adapt:fp={} -->"
FINGERPRINT_PATTERN = re.compile(r"<!-- mlops-adapt:fp=([0-9a-f]{8,64}) -->")


def fence_for(text: str) -> str:
    """A backtick fence longer than any backtick run inside `text`, so the block cannot break."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def task_titles(tasks: tuple[str, ...]) -> str:
    return "; ".join(TASKS[t].title if t in TASKS else t for t in tasks)


def suggestion_comment(item: LineSuggestion, plan: FilePlan) -> dict:
    """One review comment holding a committable ```suggestion block on head lines first..last."""
    block = item.replacement.removesuffix("\n")
    fence = fence_for(block)
    count = len(plan.suggestions)
    body = (
        f"{FINGERPRINT_MARKER.format(item.fingerprint)}\n"
        f"**mlops-adapt** ({', '.join(item.tasks)}): {task_titles(item.tasks)}.\n"
        f"Verified edit, labelled `{plan.edit.safety}`"
        + (f"; commit all {count} suggestions of this file together." if count > 1 else ".")
        + f"\n\n{fence}suggestion\n{block + chr(10) if item.replacement else ''}{fence}\n"
    )
    comment = {"path": item.path, "body": body, "line": item.last, "side": "RIGHT"}
    if item.first != item.last:
        comment["start_line"] = item.first
        comment["start_side"] = "RIGHT"
    return comment


def summary_section(plan: FilePlan) -> str:
    """A collapsed patch for an edit that reaches lines outside the pull request's diff."""
    fence = fence_for(plan.patch)
    return (
        f"{FINGERPRINT_MARKER.format(plan.fingerprint)}\n"
        f"<details><summary><code>{plan.edit.path}</code>: {task_titles(plan.edit.tasks)} "
        f"(verified, {plan.edit.safety})</summary>\n\n"
        f"{fence}diff\n{plan.patch}{'' if plan.patch.endswith(chr(10)) else chr(10)}{fence}\n\n"
        f"</details>\n"
    )


def notebook_section(plan: FilePlan) -> str:
    """A notebook's verified edit as diffs of its code cells, with the command that makes it."""
    fence = fence_for(plan.patch)
    commands = " && ".join(f"mlops-adapt apply {task} {plan.edit.path} --write"
                           for task in plan.edit.tasks)
    return (
        f"{FINGERPRINT_MARKER.format(plan.fingerprint)}\n"
        f"<details><summary><code>{plan.edit.path}</code> (notebook): "
        f"{task_titles(plan.edit.tasks)} (verified, {plan.edit.safety})</summary>\n\n"
        f"The code cells change as shown (cells counted from 0, markdown cells included); "
        f"outputs, markdown and metadata stay. `{commands}` makes this edit in your checkout.\n\n"
        f"{fence}diff\n{plan.patch}{'' if plan.patch.endswith(chr(10)) else chr(10)}{fence}\n\n"
        f"</details>\n"
    )


def build_review(plans: list[FilePlan], commit_id: str, skip: set[str] = frozenset()) -> dict | None:
    """The review payload for POST /pulls/{n}/reviews, leaving out fingerprints in `skip`.

    Returns None when there is nothing (new) to say: the bot stays quiet.
    """
    comments = [suggestion_comment(s, p) for p in plans for s in p.suggestions
                if s.fingerprint not in skip]
    pending = [p for p in plans if not p.inline and p.fingerprint not in skip]
    outside = [p for p in pending if p.edit.cell_diff is None]
    notebooks = [p for p in pending if p.edit.cell_diff is not None]
    if not comments and not outside and not notebooks:
        return None
    parts = [REVIEW_MARKER, "### mlops-adapt"]
    if comments:
        parts.append(f"{len(comments)} verified suggestion(s) on the lines this pull request "
                     "changed. Each one can be committed from its comment.")
    if outside:
        parts.append("These verified edits also touch lines outside this pull request's diff, "
                     "so they cannot be suggestions. Apply one by saving it as a file and running "
                     "`git apply FILE` at the repository root:")
        parts.extend(summary_section(p) for p in outside)
    if notebooks:
        parts.append("Verified edits of notebooks, shown by cell (a suggestion on a notebook's "
                     "JSON could not be read):")
        parts.extend(notebook_section(p) for p in notebooks)
    parts.append("<sub>Posted by mlops-adapt: only edits that passed verification are shown.</sub>")
    return {"commit_id": commit_id, "body": "\n\n".join(parts), "event": "COMMENT",
            "comments": comments}


def fingerprints_in(text: str | None) -> set[str]:
    """Every fingerprint marker in a posted body."""
    return set(FINGERPRINT_PATTERN.findall(text or ""))
