"""The one exception type of the LLM path, with a kind per failure users must tell apart."""

from __future__ import annotations

import re
import urllib.parse
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


# Query parameters whose values are credentials (Azure's api-key, signed URLs, tokens).
_SECRET_PARAM = re.compile(r"key|token|secret|password|passwd|pwd|auth|sig|credential",
                           re.IGNORECASE)


def redact(text: str, *secrets: str | None) -> str:
    """`text` with every secret replaced by ***, for messages that leave the client.

    Secrets shorter than 4 characters are left alone: replacing them would garble the text
    while hiding nothing (URL credentials of any length are removed by redact_url).
    """
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def redact_url(url: str) -> str:
    """The URL as it may be shown: user:password@ becomes ***@, key-like query values ***."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    query = "&".join(
        f"{name}={'***' if _SECRET_PARAM.search(name) else value}" if sep else name
        for name, sep, value in (item.partition("=") for item in parts.query.split("&") if item)
    )
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))


def url_secrets(url: str) -> list[str]:
    """The credentials inside a URL, raw and percent-decoded, for redact()."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return []
    found = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rpartition("@")[0]
        user, _, password = userinfo.partition(":")
        found += [userinfo, password or user]
    for name, _, value in (item.partition("=") for item in parts.query.split("&") if item):
        if _SECRET_PARAM.search(name):
            found.append(value)
    found += [urllib.parse.unquote(value) for value in found]
    return [value for value in found if value]
