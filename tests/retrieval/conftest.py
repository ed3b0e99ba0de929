"""Shared fixtures for the docs-index tests: an isolated cache dir per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Keep user-built corpora and Chroma stores out of the real user cache."""
    cache = tmp_path_factory.getbasetemp() / "mlops-adapt-cache"
    monkeypatch.setenv("MLOPS_ADAPT_CACHE_DIR", str(cache))
    monkeypatch.delenv("MLOPS_ADAPT_CHROMA", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cache
