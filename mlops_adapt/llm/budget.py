"""Token budget of a prompt: count (server tokenizer or estimate), reserve room for the answer, fit."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Without the server's tokenizer: code and English prose run at roughly 3.5-4 characters per
# token for current BPE vocabularies, so 3.5 errs on the side of counting too many.
CHARS_PER_TOKEN = 3.5
MESSAGE_OVERHEAD = 6  # role markers and separators of a chat template, per message
ESTIMATE_SLACK = 1.10  # an estimate may be 10% short; exact counts get no slack
# The answer is the whole edited script: the code again plus the added calls.
ANSWER_GROWTH = 1.3
ANSWER_EXTRA = 256


@dataclass(frozen=True)
class TokenCount:
    """Tokens of a prompt, and whether the server's tokenizer counted them."""

    tokens: int
    exact: bool

    @property
    def budgeted(self) -> int:
        """The count to plan with: an estimate gets some slack."""
        return self.tokens if self.exact else math.ceil(self.tokens * ESTIMATE_SLACK)


def estimate_tokens(messages: list[dict]) -> TokenCount:
    """chars / 3.5 per message plus template overhead."""
    total = sum(
        math.ceil(len(str(m.get("content") or "")) / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD
        for m in messages
    )
    return TokenCount(total, exact=False)


def answer_reserve(code: str, prompt: TokenCount, prompt_chars: int, max_tokens: int) -> int:
    """Tokens to keep free for the answer: the code's share of the prompt, grown, capped by max_tokens."""
    code_tokens = prompt.budgeted * len(code) / max(1, prompt_chars)
    return min(max_tokens, math.ceil(code_tokens * ANSWER_GROWTH) + ANSWER_EXTRA)


def prompt_chars(messages: list[dict]) -> int:
    return sum(len(str(m.get("content") or "")) for m in messages)


@dataclass(frozen=True)
class Fit:
    """The outcome of fitting a prompt into the context window."""

    messages: list[dict] | None  # None: it cannot fit
    max_tokens: int | None  # the answer's room (None: the window is unknown)
    docs_kept: int
    scaffold_kept: bool
    prompt_tokens: int
    reserve: int
    window: int | None
    exact: bool


async def fit_prompt(client, build, docs_total: int, code: str, max_tokens: int) -> Fit:
    """The largest prompt that leaves room for the answer: docs dropped first (lowest ranked
    first), then the recipe draft; never the code. `build(docs, scaffold)` renders a prompt.
    """
    window = await client.context_window()
    docs, scaffold = docs_total, True
    messages = build(docs, scaffold)
    if window is None:
        return Fit(messages, None, docs, scaffold, 0, 0, None, False)
    while True:
        count = await client.count_tokens(messages)
        reserve = answer_reserve(code, count, prompt_chars(messages), max_tokens)
        room = window - count.budgeted
        if room >= reserve:
            return Fit(messages, min(max_tokens, room), docs, scaffold, count.tokens, reserve,
                       window, count.exact)
        if docs > 0:
            docs -= 1
        elif scaffold:
            scaffold = False
        else:
            return Fit(None, None, 0, False, count.tokens, reserve, window, count.exact)
        messages = build(docs, scaffold)


async def answer_room(client, messages: list[dict], reserve: int, max_tokens: int) -> int | None:
    """max_tokens for a follow-up prompt (a repair round): None when the window is unknown,
    0 when fewer than `reserve` tokens are left for the answer."""
    window = await client.context_window()
    if window is None:
        return None
    room = window - (await client.count_tokens(messages)).budgeted
    return min(max_tokens, room) if room >= reserve else 0
