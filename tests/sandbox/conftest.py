"""Fixtures for the sandbox suite: hostile scripts against the real bubblewrap sandbox."""

import pytest

from mlops_adapt.verify import sandbox

from ._support import SECRETS


@pytest.fixture
def isolated():
    """Skip (with the reason) where bubblewrap cannot isolate; CI installs it (.ci/run)."""
    problem = sandbox.isolation_problem()
    if problem:
        pytest.skip(f"the sandbox cannot isolate here: {problem}")


@pytest.fixture
def planted_secrets(monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def fresh_probe():
    """Forget the cached isolation probe for one test, and restore it afterwards."""
    saved = dict(sandbox._CACHE)
    sandbox._CACHE.pop("problem", None)
    yield
    sandbox._CACHE.clear()
    sandbox._CACHE.update(saved)
