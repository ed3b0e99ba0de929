"""Identifier-aware BM25: `log_metric`, `logMetric` and "log metric" all meet on the same terms."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*|\d+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "be",
        "by",
        "with",
        "as",
        "at",
        "it",
        "its",
        "this",
        "that",
        "from",
        "into",
        "use",
        "using",
        "how",
        "do",
        "does",
        "i",
        "my",
        "me",
        "we",
        "our",
        "can",
        "should",
        "will",
        "which",
        "what",
        "when",
    }
)


def _stem(token: str) -> str:
    # Plural and verb-form folding only; enough for "metrics" ~ "metric", "logging" ~ "log".
    for suffix in ("ing", "es", "ed", "s"):
        if len(token) > len(suffix) + 2 and token.endswith(suffix) and not token.endswith("ss"):
            return token[: -len(suffix)]
    return token


def tokenize(text: str) -> list[str]:
    """Lower-case terms: whole identifiers plus their snake_case and camelCase parts."""
    terms: list[str] = []
    for ident in _IDENT.findall(text):
        pieces = [p for chunk in ident.split("_") if chunk for p in _CAMEL.findall(chunk)]
        if len(pieces) > 1:
            terms.append(ident.lower().strip("_"))
        for piece in pieces:
            lowered = piece.lower()
            if lowered not in _STOP:
                terms.append(_stem(lowered))
    return terms


# Everyday words in a task intent -> the words API names use for them. Applied to queries
# only, so "record the hyperparameters" meets `log_params`.
QUERY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "hyperparameter": ("param",),
    "hyperparameters": ("params",),
    "hparams": ("params",),
    "parameters": ("params",),
    "parameter": ("param",),
    "initialise": ("init",),
    "initialize": ("init",),
    "initialization": ("init",),
    "record": ("log",),
    "save": ("log",),
    "store": ("log",),
    "track": ("log", "add"),
    "upload": ("push", "log"),
    "download": ("pull", "fetch"),
    "stage": ("add",),
    "authenticate": ("login",),
    "credentials": ("login",),
    "api key": ("login",),
    "finish": ("end",),
    "stop": ("end",),
    "close": ("end",),
    "integer": ("int",),
    "number": ("int",),
    "categories": ("categorical",),
    "choose": ("categorical",),
    "choice": ("categorical",),
    "options": ("categorical",),
    "exception": ("error",),
    "permanent": ("remove",),
    "schema": ("signature",),
    "repository": ("repo",),
    "registry": ("register", "registered"),
    "experiment": ("experiment",),
    "epoch": ("step",),
    "hpo": ("optimize", "study"),
    "tune": ("optimize", "study"),
    "tuning": ("optimize", "study"),
}


def expand_query(text: str) -> str:
    """The query plus API-vocabulary synonyms of its everyday words."""
    lowered = text.lower()
    extra = [
        " ".join(words)
        for phrase, words in QUERY_SYNONYMS.items()
        if re.search(rf"\b{re.escape(phrase)}\b", lowered)
    ]
    return text + (" " + " ".join(extra) if extra else "")


def lexical_text(entry: dict[str, Any]) -> str:
    """What BM25 indexes for an entry: the name twice (it matters most), params, summary."""
    qualname = entry["qualname"]
    tail = ".".join(qualname.split(".")[-2:])
    params = " ".join(p[0] for p in entry.get("params", []) or [])
    parts = [qualname, tail, params, entry.get("summary", "")]
    if entry.get("kind") == "note":
        parts += [entry.get("text", ""), " ".join(entry.get("apis", [])), entry.get("task") or ""]
    return " ".join(parts)


class BM25:
    """Okapi BM25 over a fixed list of documents (k1=1.2, b=0.75)."""

    def __init__(self, documents: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = {}
        self.lengths: list[int] = []
        for index, document in enumerate(documents):
            counts = Counter(tokenize(document))
            self.lengths.append(sum(counts.values()))
            for term, count in counts.items():
                self.postings.setdefault(term, []).append((index, count))
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0
        total = len(documents)
        self.idf = {
            term: math.log(1 + (total - len(posts) + 0.5) / (len(posts) + 0.5))
            for term, posts in self.postings.items()
        }

    def search(self, query: str, limit: int) -> list[tuple[int, float]]:
        """(document index, score) of the best matches, best first."""
        scores: dict[int, float] = {}
        for term in set(tokenize(expand_query(query))):
            posts = self.postings.get(term)
            if not posts:
                continue
            idf = self.idf[term]
            for index, count in posts:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average)
                scores[index] = scores.get(index, 0.0) + idf * count * (self.k1 + 1) / (
                    count + norm
                )
        return sorted(scores.items(), key=lambda item: -item[1])[:limit]


_CALL_ARGS = re.compile(r"\([^()]*\)")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?=\s*(\()?)")


def code_symbols(text: str) -> list[str]:
    """Identifiers in a code-like query, lower-cased, call arguments dropped.

    `Repo(root).add(str(path))` gives ["repo.add"]; `wandb.log(...)` gives ["wandb.log"];
    plain words are skipped unless they look like identifiers (`log_metric`, `TPESampler`) or
    are called.
    """
    previous = None
    while previous != text:
        previous, text = text, _CALL_ARGS.sub("", text)
    symbols = []
    for match in _DOTTED.finditer(text):
        name = match.group(0)
        called = match.group(1) is not None
        identifier_like = "_" in name or re.search(r"[a-z][A-Z]|[A-Z]{2}", name) is not None
        if "." in name or identifier_like or called:
            symbols.append(name.lower())
    return symbols


class SymbolIndex:
    """Qualified names by lower-cased dotted suffix, for exact identifier hits."""

    def __init__(self, qualnames: list[str]) -> None:
        self.by_suffix: dict[str, list[int]] = {}
        for index, qualname in enumerate(qualnames):
            parts = qualname.lower().split(".")
            for size in range(1, min(len(parts), 4) + 1):
                self.by_suffix.setdefault(".".join(parts[-size:]), []).append(index)
        self.qualnames = qualnames

    def search(self, query: str, limit: int) -> list[tuple[int, float]]:
        """Entries whose name ends with a symbol of the query; longer matches first."""
        found: dict[int, float] = {}
        for symbol in code_symbols(query):
            parts = symbol.split(".")
            # `m.log_metric` may use an alias for the module: try shorter suffixes too.
            for size in range(len(parts), 0, -1):
                hits = self.by_suffix.get(".".join(parts[-size:]))
                if hits:
                    for index in hits:
                        found[index] = max(
                            found.get(index, 0.0), size - len(self.qualnames[index]) / 1000
                        )
                    break
        return sorted(found.items(), key=lambda item: -item[1])[:limit]
