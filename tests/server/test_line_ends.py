"""Line ends in LSP edits and hints: \\f, U+2028 and friends are not line breaks (issue 14)."""

from __future__ import annotations

from lsp_test_support import TRAIN_SCRIPT, apply_text_edits

from mlops_adapt.server.analysis import hints_for
from mlops_adapt.server.diagnostics import hint_diagnostics, lsp_lines
from mlops_adapt.server.settings import parse_settings
from mlops_adapt.server.workspace_edits import text_edits

ODD = "# page\x0c break \x1c\x1d\x1e \x85 \u2028 \u2029 \x0b\n"


def test_odd_breaks_still_get_minimal_line_edits():
    old = ODD + TRAIN_SCRIPT
    new = old.replace("max_depth = 4", "max_depth = 4\nmin_samples = 2") + "print('done')\n"
    edits = text_edits(old, new)
    assert 1 <= len(edits) <= 2  # not one whole-text replacement
    assert apply_text_edits(old, edits) == new


def test_a_lone_carriage_return_falls_back_to_one_whole_edit():
    old = "x = 1\ry = 2\n"  # LSP ends a line at \r, git and line_hunks do not
    (edit,) = text_edits(old, "x = 1\ry = 3\n")
    assert (edit.range.start.line, edit.range.start.character) == (0, 0)
    assert (edit.range.end.line, edit.range.end.character) == (2, 0)
    assert apply_text_edits(old, [edit]) == "x = 1\ry = 3\n"


def test_hints_after_odd_breaks_point_at_the_right_line():
    text = ODD * 3 + TRAIN_SCRIPT
    settings, problems = parse_settings({"diagnostics": {"enabled": True}})
    assert problems == []
    found = hint_diagnostics(hints_for(text), lsp_lines(text), settings)
    assert found
    lines = text.split("\n")
    for diagnostic in found:
        line = lines[diagnostic.range.start.line]
        assert diagnostic.range.end.character == len(line)  # the whole (ASCII) line
        assert "fit(" in line or "import" in line
