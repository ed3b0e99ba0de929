"""The one exception type of the LLM path, with a kind per failure users must tell apart."""

from __future__ import annotations

from typing import Literal

ErrorKind = Literal[
    "config",
    "unreachable",
    "timeout",
    "auth",
    "model",
    "context",
    "rate-limit",
    "server",
    "request",
]


class LLMError(Exception):
    """The endpoint could not give an answer; the message says what to fix and never holds the key."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def redact(text: str, secret: str | None) -> str:
    """`text` with the secret (and its Bearer form) replaced, for messages that leave the client."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, "***")
    return text
