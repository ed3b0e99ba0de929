"""Pull the adapted file out of a model's answer: fenced or not, with prose around it, or truncated."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from mlops_adapt.llm.cache import Completion

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+.-]*)[^\n`]*$")
_PY_LANGS = {"", "python", "py", "python3", "py3", "ipython"}
_CODE_START = re.compile(
    r"^(import |from \w|#|def |class |@|async def |if __name__|[A-Za-z_][\w.]*\s*(=|\(|:))"
)
TRUNCATED = "the answer was cut off at max_tokens (finish_reason=length): raise `max_tokens`"


@dataclass(frozen=True)
class Extracted:
    """The code found in an answer, or why there is none."""

    code: str | None
    problem: str | None = None

    @property
    def truncated(self) -> bool:
        return self.problem == TRUNCATED


@dataclass
class _Block:
    lang: str
    lines: list[str]
    closed: bool


def _fenced_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    opener = ""
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line.rstrip("\n"))
        if current is None:
            if match:
                opener = match.group(1)
                current = _Block(match.group(2).lower(), [], False)
            continue
        # A closing fence is a bare run of the same character, at least as long as the opener.
        stripped = line.strip()
        if stripped and set(stripped) == {opener[0]} and len(stripped) >= len(opener):
            current.closed = True
            blocks.append(current)
            current = None
        else:
            current.lines.append(line)
    if current is not None:
        blocks.append(current)
    return blocks


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _unfenced(text: str) -> str | None:
    """Code without fences: the whole answer, or the widest span that parses once prose is cut off."""
    if _parses(text):
        return text
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _CODE_START.match(line)][:5]
    for start in starts:
        # Prose after the code is usually short: try cutting a few trailing lines at most.
        for end in range(len(lines), max(start, len(lines) - 8), -1):
            chunk = "".join(lines[start:end])
            if chunk.strip() and _parses(chunk):
                return chunk
    return None


def _match_newline(code: str, original: str) -> str:
    """Leading and trailing blank lines as in the original, so no spurious diff lines appear."""
    if not original.startswith("\n"):
        code = code.lstrip("\n")
    code = code.rstrip("\n")
    return code + "\n" if original.endswith("\n") else code


def extract_code(answer: Completion, original: str) -> Extracted:
    """The whole adapted file in `answer`, or the reason it holds none."""
    text = answer.text or ""
    if not text.strip():
        return Extracted(None, "the answer was empty")
    blocks = [b for b in _fenced_blocks(text) if b.lang in _PY_LANGS]
    closed = [b for b in blocks if b.closed]
    if closed:
        # Several blocks: the whole file is the longest one (others are snippets or explanations).
        best = max(closed, key=lambda b: len(b.lines))
        return Extracted(_match_newline("".join(best.lines), original))
    if answer.truncated:
        return Extracted(None, TRUNCATED)
    if blocks:
        # An opened fence that never closed although the model stopped by itself: take what is there.
        return Extracted(_match_newline("".join(blocks[-1].lines), original))
    code = _unfenced(text)
    if code is None:
        return Extracted(
            None,
            "the answer holds no Python code block (expected the whole file in ```python ...```)",
        )
    return Extracted(_match_newline(code, original))
