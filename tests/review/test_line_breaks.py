"""Files holding characters str.splitlines() breaks at (\\f, \\x1c-\\x1e, \\x85, U+2028...) (issue 14).

Git and GitHub count lines at "\\n" only. The summary patch must pass `git apply --check`, the
inline suggestions must sit on the lines GitHub shows, and rdjson/SARIF positions must be the
same lines.
"""

from __future__ import annotations

import re

import pytest

from mlops_adapt.edits import unified_diff
from mlops_adapt.review.findings import FileEdit
from mlops_adapt.review.gitdiff import ChangedFile
from mlops_adapt.review.render_rdjson import render_rdjson
from mlops_adapt.review.render_sarif import render_sarif
from mlops_adapt.review.suggestions import apply_line_suggestions, plan_file
from mlops_adapt.review.textpos import line_start

from .conftest import TRAIN_LONG, TRAIN_RF, github_env, run_review_cli, write_event

DIFF_BLOCK = re.compile(r"(`{3,})diff\n(.*?)\1\n", re.DOTALL)
ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def with_odd_breaks(script: str) -> str:
    """The script with a form-feed page break and every other odd break in comments."""
    return (script
            .replace("# Hyperparameters.\n", "# Hyperparameters.\u2028(page two)\n\x0c\n")
            .replace("# Evaluation.\n", "# Evaluation \x1c\x1d\x1e \x85 \u2029 \x0b done.\n")
            .replace("X_train, X_test, y_train, y_test = train_test_split(",
                     "\x0cX_train, X_test, y_train, y_test = train_test_split("))


def git_lines(text: str) -> list[str]:
    """Lines as git and GitHub count them: broken after "\\n" only."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def test_summary_patch_applies_with_git(repo, make_fake_github, tmp_path):
    """An out-of-diff edit on a file with odd breaks: the posted patch passes `git apply`."""
    head_text = with_odd_breaks(TRAIN_LONG).replace("max_depth = 4", "max_depth = 6")
    assert all(ch in head_text for ch in "\x0c\u2028\x85\x1c")
    repo.write("train.py", with_odd_breaks(TRAIN_LONG))
    base = repo.commit("base")
    repo.branch("tune")
    repo.write("train.py", head_text)
    head = repo.commit("deeper trees")
    server = make_fake_github(head, repo.commentable(base, head))
    done = run_review_cli(repo, "--base", "main", "--head", "tune", "--post",
                          env_extra=github_env(server, write_event(tmp_path)))
    assert done.returncode == 0, done.stderr
    body = server.posts()[0]["body"]["body"]
    patch = DIFF_BLOCK.search(body).group(2)
    (tmp_path / "edit.patch").write_bytes(patch.encode("utf-8"))
    repo.git("apply", "--check", str(tmp_path / "edit.patch"))
    repo.git("apply", str(tmp_path / "edit.patch"))
    adapted = repo.read("train.py")
    assert "mlflow" in adapted
    assert all(ch in adapted for ch in ODD_BREAKS)  # nothing of the original got lost
    assert len(git_lines(adapted)) > len(git_lines(head_text))


@pytest.mark.parametrize("trailing_newline", [True, False])
def test_unified_diff_of_odd_breaks_applies_with_git(repo, tmp_path, trailing_newline):
    old = with_odd_breaks(TRAIN_LONG)
    if not trailing_newline:
        old = old.rstrip("\n")
    new = old.replace("max_depth = 4\n", "max_depth = 4\nprint('hi\u2028there')\x0c\n")
    new = new.replace("\x0cX_train", "X_train")
    repo.write("train.py", old)
    repo.commit("base")
    (tmp_path / "p.patch").write_bytes(unified_diff(old, new, "train.py").encode("utf-8"))
    repo.git("apply", "--check", str(tmp_path / "p.patch"))
    repo.git("apply", str(tmp_path / "p.patch"))
    assert (repo.root / "train.py").read_bytes() == new.encode("utf-8")


def test_inline_suggestions_sit_on_the_lines_github_shows(repo, make_fake_github, tmp_path):
    """A new file with odd breaks: every suggestion is on a diff line, and committing them all
    yields the verified edit."""
    script = with_odd_breaks(TRAIN_RF.replace(
        "n_estimators = 20\n", "n_estimators = 20\x0c  # page\u2028break\n"))
    assert "\u2028" in script and "\x0c" in script
    repo.write("README.md", "# project\n")
    base = repo.commit("base")
    repo.branch("feature")
    repo.write("src/train.py", script)
    head = repo.commit("add")
    server = make_fake_github(head, repo.commentable(base, head))
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post",
                          env_extra=github_env(server, write_event(tmp_path, head_sha=head)))
    assert done.returncode == 0, done.stderr  # the fake answers 422 for a line outside the diff
    comments = server.posts()[0]["body"]["comments"]
    assert comments
    lines = git_lines(script)
    for comment in sorted(comments, key=lambda c: c["line"], reverse=True):
        first = comment.get("start_line", comment["line"])
        block = re.search(r"(`{3,})suggestion\n(.*?)\1\n", comment["body"], re.DOTALL).group(2)
        lines[first - 1: comment["line"]] = git_lines(block)
    adapted = "".join(lines)
    assert "mlflow.start_run" in adapted and all(ch in adapted for ch in "\x0c\u2028")


def _edit(original: str, code: str) -> FileEdit:
    count = len(git_lines(original))
    return FileEdit(ChangedFile("t.py", None, "added", ((1, count),)), original, code,
                    ("track-mlflow",), "safe", ())


def apply_positional(text: str, edits: list[tuple[int, int, int, int, str]]) -> str:
    """Apply 1-based (line, column) replacements, lines counted at "\\n" (ASCII columns)."""
    starts = [0, 0]
    for line in git_lines(text):
        starts.append(starts[-1] + len(line))

    def at(line: int, col: int) -> int:
        return starts[line] + col - 1 if line < len(starts) else len(text)

    for sl, sc, el, ec, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:at(sl, sc)] + new + text[at(el, ec):]
    return text


def test_rdjson_sarif_and_suggestions_count_lines_like_git():
    original = "a = 1\x0c\nb = '\u2028'\nc = 3\x85\nd = 4\n"
    code = "a = 1\x0c\nb = '\u2028'\nc = 3\x85\nprint(c)\nd = 4\n"
    edit = _edit(original, code)

    rd = render_rdjson([edit])["diagnostics"][0]["suggestions"]
    assert [s["range"]["start"]["line"] for s in rd] == [4]
    rebuilt = apply_positional(original, [(s["range"]["start"]["line"], s["range"]["start"]["column"],
                                           s["range"]["end"]["line"], s["range"]["end"]["column"],
                                           s["text"]) for s in rd])
    assert rebuilt == code

    fixes = render_sarif([edit])["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]
    rebuilt = apply_positional(original, [
        (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"],
         r["deletedRegion"]["endLine"], r["deletedRegion"]["endColumn"],
         r["insertedContent"]["text"]) for r in fixes["replacements"]])
    assert rebuilt == code

    plan = plan_file(edit)
    assert [(s.first, s.last) for s in plan.suggestions] == [(3, 3)]
    assert apply_line_suggestions(original, list(plan.suggestions)) == code


def test_line_start_at_the_end_of_a_text_ending_in_an_odd_break():
    """A last line ending in \\x0c (no "\\n") ends on that line, not at a new one."""
    assert line_start(git_lines("a = 1\nb = 2\x0c"), 2) == (2, 7)
