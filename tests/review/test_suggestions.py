"""Edits -> GitHub suggestions: anchoring, merging, the in-diff rule and round trips."""

from __future__ import annotations

import itertools
import random

from mlops_adapt.review.findings import FileEdit
from mlops_adapt.review.gitdiff import ChangedFile
from mlops_adapt.review.render_github import build_review, fingerprints_in
from mlops_adapt.review.suggestions import apply_line_suggestions, plan_file

from .test_post import apply_github_suggestions


def make_edit(original: str, code: str, ranges: tuple[tuple[int, int], ...] | None = None) -> FileEdit:
    count = max(len(original.splitlines()), 1)
    changed = ChangedFile("pkg/t.py", None, "added", ranges if ranges is not None else ((1, count),))
    return FileEdit(changed, original, code, ("track-mlflow",), "safe", ("static checks only",))


def numbered(n: int) -> list[str]:
    return [f"line_{i} = {i}\n" for i in range(1, n + 1)]


def test_insertion_at_the_top_is_anchored_on_the_first_line():
    original = "".join(numbered(3))
    plan = plan_file(make_edit(original, "import mlflow\n" + original))
    (only,) = plan.suggestions
    assert (only.first, only.last) == (1, 1)
    assert only.replacement == "import mlflow\nline_1 = 1\n"
    assert apply_line_suggestions(original, list(plan.suggestions)) == "import mlflow\n" + original


def test_distant_hunks_stay_separate_and_near_ones_merge():
    lines = numbered(40)
    code = lines[:2] + ["a()\n"] + lines[2:5] + ["b()\n"] + lines[5:30] + ["c()\n"] + lines[30:]
    edit = make_edit("".join(lines), "".join(code))
    plan = plan_file(edit)
    # a() and b() are 3 lines apart: one suggestion; c() is 25 lines further: its own.
    assert [(s.first, s.last) for s in plan.suggestions] == [(2, 5), (30, 30)]
    assert apply_line_suggestions(edit.original, list(plan.suggestions)) == edit.code


def test_hunks_in_different_diff_hunks_are_not_merged():
    lines = numbered(20)
    code = lines[:4] + ["a()\n"] + lines[4:8] + ["b()\n"] + lines[8:]
    edit = make_edit("".join(lines), "".join(code), ranges=((1, 6), (8, 12)))
    plan = plan_file(edit)
    assert [(s.first, s.last) for s in plan.suggestions] == [(4, 4), (8, 8)]
    assert apply_line_suggestions(edit.original, list(plan.suggestions)) == edit.code


def test_an_edit_reaching_outside_the_diff_goes_whole_into_the_summary():
    lines = numbered(30)
    code = ["import mlflow\n"] + lines[:20] + ["mlflow.log_metric('m', 1)\n"] + lines[20:]
    edit = make_edit("".join(lines), "".join(code), ranges=((18, 24),))
    plan = plan_file(edit)
    assert plan.suggestions == () and not plan.inline
    assert plan.patch.startswith("--- a/pkg/t.py\n+++ b/pkg/t.py\n")
    review = build_review([plan], "c0ffee")
    assert review["comments"] == []
    assert "<details>" in review["body"] and "+import mlflow" in review["body"]
    assert fingerprints_in(review["body"]) == {plan.fingerprint}


def test_deletion_and_backticks_render_as_committable_blocks():
    original = 'doc = """\n```\n"""\nremove_me()\nkeep()\n'
    code = 'doc = """\n```\nx\n"""\nkeep()\n'
    plan = plan_file(make_edit(original, code))
    review = build_review([plan], "c0ffee")
    bodies = [c["body"] for c in review["comments"]]
    assert any("````suggestion\n" in b for b in bodies)  # fence longer than the content's ```
    assert apply_github_suggestions(original, review["comments"]) == code

    deletion = plan_file(make_edit("a()\nb()\nc()\n", "a()\nc()\n"))
    (comment,) = build_review([deletion], "c0ffee")["comments"]
    assert comment["line"] == 2 and "start_line" not in comment
    assert comment["body"].endswith("```suggestion\n```\n")
    assert apply_github_suggestions("a()\nb()\nc()\n", [comment]) == "a()\nc()\n"


def test_random_edits_round_trip_through_github_suggestions():
    """Whatever the hunks, committing every suggestion yields exactly the verified text."""
    rng = random.Random(1234)
    for _ in range(200):
        lines = numbered(rng.randint(1, 25))
        code = list(lines)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(code))
            action = rng.choice(["insert", "delete", "replace"])
            if action == "insert" or not code:
                code[at:at] = [f"new_{rng.randint(0, 999)}()\n"] * rng.randint(1, 3)
            elif action == "delete" and at < len(code):
                del code[at]
            elif at < len(code):
                code[at] = f"changed_{rng.randint(0, 999)}()\n"
        original, new = "".join(lines), "".join(code)
        if original == new:
            continue
        plan = plan_file(make_edit(original, new))
        assert plan.inline, (original, new)
        review = build_review([plan], "c0ffee")
        assert apply_github_suggestions(original, review["comments"]) == new
        spans = [(c.get("start_line", c["line"]), c["line"]) for c in review["comments"]]
        assert all(a <= b for a, b in spans)
        assert all(prev[1] < nxt[0] for prev, nxt in itertools.pairwise(spans))  # no overlaps


def test_dedup_skips_posted_fingerprints():
    original = "".join(numbered(30))
    code = "import mlflow\n" + original + "mlflow.end_run()\n"
    plan = plan_file(make_edit(original, code))
    full = build_review([plan], "c0ffee")
    assert len(full["comments"]) == 2
    first_fp = fingerprints_in(full["comments"][0]["body"])
    partial = build_review([plan], "c0ffee", skip=first_fp)
    assert [c["line"] for c in partial["comments"]] == [full["comments"][1]["line"]]
    everything = first_fp | fingerprints_in(full["comments"][1]["body"])
    assert build_review([plan], "c0ffee", skip=everything) is None
