"""Reviewdog Diagnostic Format (rdjson): one diagnostic per edited file, its hunks as suggestions."""

from __future__ import annotations

from mlops_adapt.edits import line_hunks, split_lines
from mlops_adapt.review.findings import FileEdit
from mlops_adapt.review.render_github import task_titles
from mlops_adapt.review.textpos import line_start, location_lines

SOURCE = {"name": "mlops-adapt"}


def _position(pair: tuple[int, int]) -> dict:
    return {"line": pair[0], "column": pair[1]}


def diagnostic(edit: FileEdit) -> dict:
    """The file's verified edit as one rdjson Diagnostic; reviewdog does the diff filtering."""
    lines = split_lines(edit.original)
    hunks = line_hunks(edit.original, edit.code)
    first, last = location_lines(hunks, len(lines))
    suggestions = [
        {
            "range": {"start": _position(line_start(lines, h.old_start)),
                      "end": _position(line_start(lines, h.old_end))},
            "text": "".join(h.new_lines),
        }
        for h in hunks
    ]
    return {
        "message": f"{task_titles(edit.tasks)} (verified edit, {edit.safety}; "
                   "apply all suggestions of this file together)",
        "location": {"path": edit.path,
                     "range": {"start": {"line": first}, "end": {"line": last}}},
        "severity": "INFO",
        "source": SOURCE,
        "code": {"value": ",".join(edit.tasks)},
        "suggestions": suggestions,
    }


def render_rdjson(edits: list[FileEdit]) -> dict:
    """The DiagnosticResult document."""
    return {"source": SOURCE, "severity": "INFO", "diagnostics": [diagnostic(e) for e in edits]}
