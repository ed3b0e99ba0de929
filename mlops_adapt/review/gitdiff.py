"""Read-only git queries: the files a pull request changed and the head lines its diff shows."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

# A regular file or an executable one; symlinks (120000) and submodules (160000) are not source.
SOURCE_MODES = {"100644", "100755"}
HUNK_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
STATUS_NAMES = {"A": "added", "M": "modified", "R": "renamed", "C": "copied", "D": "deleted",
                "T": "type-changed", "U": "unmerged", "X": "unknown"}


class GitError(Exception):
    """A git command failed: not a repository, unknown ref, ..."""


@dataclass(frozen=True)
class ChangedFile:
    """One file of the pull request, with the head-side line ranges that its diff shows."""

    path: str  # path at head (for a deletion: the deleted path)
    old_path: str | None  # path at base; None when the file was added
    status: str  # "added", "modified", "renamed", "copied", "deleted", "type-changed", ...
    right_ranges: tuple[tuple[int, int], ...] = ()  # 1-based inclusive head line ranges, one per hunk

    def commentable(self, first: int, last: int) -> bool:
        """True when head lines first..last all lie in one diff hunk (GitHub's rule for comments)."""
        return any(lo <= first and last <= hi for lo, hi in self.right_ranges)


def run_git(repo: str, *args: str) -> bytes:
    """Run one read-only git command in `repo` and return its stdout, raising GitError on failure.

    Pathspecs are literal, so a file named `*.py` or `:(glob)x` matches only itself.
    """
    try:
        done = subprocess.run(
            ["git", "-C", repo, "--literal-pathspecs", "-c", "core.quotepath=off", *args],
            capture_output=True, check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise GitError(f"git {' '.join(args)}: {message}")
    return done.stdout


def resolve_commit(repo: str, ref: str) -> str:
    """The full commit id of `ref`, with a clear error for refs that do not exist."""
    if ref.startswith("-"):
        raise GitError(f"invalid ref {ref!r}")
    try:
        return run_git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"unknown git ref {ref!r} in {repo} (fetch it first, e.g. "
                       f"`git fetch origin {ref}`)") from None


def merge_base(repo: str, base: str, head: str) -> str:
    """Where the pull request forked from its base (GitHub diffs against it); base if unrelated."""
    try:
        return run_git(repo, "merge-base", base, head).decode().strip() or base
    except GitError:
        return base


def changed_files(repo: str, base: str, head: str) -> list[ChangedFile]:
    """Every file changed between the merge base of `base` and `head`, renames detected."""
    raw = run_git(repo, "diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", base, head)
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    files: list[ChangedFile] = []
    i = 0
    while i < len(fields) and fields[i]:
        code = fields[i][0]
        if code in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old = new = fields[i + 1]
            i += 2
        status = STATUS_NAMES.get(code, "unknown")
        ranges = () if status == "deleted" else right_ranges(repo, base, head, old, new)
        files.append(ChangedFile(new, None if status == "added" else old, status, ranges))
    return files


def right_ranges(repo: str, base: str, head: str, old: str, new: str) -> tuple[tuple[int, int], ...]:
    """Head-side line ranges of the diff hunks of one file (empty for binary or pure renames)."""
    paths = [old] if old == new else [old, new]
    text = run_git(repo, "diff", "-U3", "-M", "--no-color", "--no-ext-diff", "--no-textconv",
                   base, head, "--", *paths)
    ranges = []
    # Split at "\n" only: a changed line holding \f or U+2028 must not look like two lines.
    for line in text.decode("utf-8", "replace").split("\n"):
        match = HUNK_HEADER.match(line)
        if match:
            start = int(match.group(1))
            count = 1 if match.group(2) is None else int(match.group(2))
            if count > 0:
                ranges.append((start, start + count - 1))
    return tuple(ranges)


def file_modes(repo: str, commit: str, paths: list[str]) -> dict[str, str]:
    """Git file modes of `paths` at `commit` (missing paths are absent from the result)."""
    if not paths:
        return {}
    raw = run_git(repo, "ls-tree", "-z", commit, "--", *paths)
    modes = {}
    for entry in raw.decode("utf-8", "surrogateescape").split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            modes[path] = meta.split(" ")[0]
    return modes


def read_blob(repo: str, commit: str, path: str) -> bytes:
    """The bytes of `path` at `commit`."""
    return run_git(repo, "cat-file", "blob", f"{commit}:{path}")


def read_text_blob(repo: str, commit: str, path: str) -> str | None:
    """`path` at `commit` as UTF-8 text, or None for binary, non-UTF-8 or missing files."""
    try:
        data = read_blob(repo, commit, path)
    except GitError:
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
