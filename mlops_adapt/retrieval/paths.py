"""Where the committed corpus, the user-built corpus and the Chroma store live."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "MLOPS_ADAPT_CACHE_DIR"
CORPUS_ENV = "MLOPS_ADAPT_CORPUS_DIR"


def committed_corpus_dir() -> Path:
    """The corpus shipped with the project (JSONL per library@version)."""
    override = os.environ.get(CORPUS_ENV)
    if override:
        return Path(override)
    checkout = Path(__file__).resolve().parents[2] / "api_docs_index" / "corpus"
    if checkout.is_dir():
        return checkout
    # A regular (non-editable) install: pyproject's data-files put it under the prefix.
    import sys

    return Path(sys.prefix) / "share" / "mlops-adapt" / "api_docs_index" / "corpus"


def notes_file() -> Path:
    """The team-written usage notes, each tagged with the versions it holds for."""
    return committed_corpus_dir().parent / "notes.toml"


def cache_dir() -> Path:
    """The user cache dir for built corpora and the embedded Chroma store."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "mlops-adapt"
    return Path(user_cache_dir("mlops-adapt", appauthor=False))


def user_corpus_dir() -> Path:
    """Corpus files built from the libraries installed in the user's environment."""
    return cache_dir() / "corpus"


def chroma_dir() -> Path:
    """The embedded Chroma store."""
    return cache_dir() / "chroma"
