"""SARIF 2.1.0: one result per edited file, its verified edit as a fix of line replacements."""

from __future__ import annotations

from mlops_adapt.edits import line_hunks, split_lines
from mlops_adapt.review.findings import FileEdit
from mlops_adapt.review.render_github import task_titles
from mlops_adapt.review.suggestions import fingerprint
from mlops_adapt.review.textpos import line_start, location_lines
from mlops_adapt.tasks import TASKS

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(task_id: str) -> dict:
    task = TASKS[task_id]
    return {
        "id": task.id,
        "name": "".join(part.capitalize() for part in task.id.split("-")),
        "shortDescription": {"text": task.title},
        "fullDescription": {"text": f"{task.title}. Suggested edits are verified before they "
                                    f"are shown (target: {task.target})."},
        "defaultConfiguration": {"level": "note"},
    }


def _region(lines: list[str], start: int, end: int) -> dict:
    """The whole lines [start, end) as a SARIF region (zero-length for an insertion)."""
    start_line, start_col = line_start(lines, start, utf16=True)
    end_line, end_col = line_start(lines, end, utf16=True)
    return {"startLine": start_line, "startColumn": start_col,
            "endLine": end_line, "endColumn": end_col}


def _result(edit: FileEdit, rule_index: dict[str, int]) -> dict:
    lines = split_lines(edit.original)
    hunks = line_hunks(edit.original, edit.code)
    first, last = location_lines(hunks, len(lines))
    rule = edit.tasks[0]
    location = {"uri": edit.path, "uriBaseId": "%SRCROOT%"}
    return {
        "ruleId": rule,
        "ruleIndex": rule_index[rule],
        "level": "note",
        "kind": "fail",
        "message": {"text": f"{task_titles(edit.tasks)}: a verified edit ({edit.safety}) is "
                            "available as a fix."},
        "locations": [{"physicalLocation": {"artifactLocation": location,
                                            "region": {"startLine": first, "endLine": last}}}],
        "partialFingerprints": {"mlopsAdaptEdit/v1": fingerprint(edit.path, edit.original, edit.code)},
        "fixes": [{
            "description": {"text": f"Apply the verified edit for {', '.join(edit.tasks)}"},
            "artifactChanges": [{
                "artifactLocation": location,
                "replacements": [
                    {"deletedRegion": _region(lines, h.old_start, h.old_end),
                     "insertedContent": {"text": "".join(h.new_lines)}}
                    for h in hunks
                ],
            }],
        }],
        "properties": {"tasks": list(edit.tasks), "safety": edit.safety,
                       "safetyReasons": list(edit.safety_reasons)},
    }


def render_sarif(edits: list[FileEdit], tool_version: str = "0.1.0") -> dict:
    """The SARIF log: one run of the mlops-adapt driver, rules for the tasks it used."""
    used = sorted({t for e in edits for t in e.tasks})
    rule_index = {t: i for i, t in enumerate(used)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mlops-adapt", "version": tool_version,
                                "rules": [_rule(t) for t in used]}},
            "columnKind": "utf16CodeUnits",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
            "results": [_result(e, rule_index) for e in edits],
        }],
    }
