"""Fixtures for the LLM tests: a hermetic environment and scripted loopback endpoints."""

from __future__ import annotations

import socket

import pytest

from mlops_adapt.llm.config import ENV_VARS
from mlops_adapt.llm.loopback import ScriptedEndpoint

# Every variable the LLM settings read, plus the backend/verify switches of the engine.
LLM_ENV = sorted({env for envs in ENV_VARS.values() for env in envs}) + [
    "MLOPS_ADAPT_BACKEND",
    "MLOPS_ADAPT_VERIFY",
]


@pytest.fixture(autouse=True)
def llm_env(monkeypatch, tmp_path):
    """No inherited endpoint settings, a private cache dir, and a cwd without pyproject.toml."""
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MLOPS_ADAPT_CACHE_DIR", str(tmp_path / "cache"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def serve(monkeypatch):
    """Start a scripted endpoint and point the tool at it: `ep = serve(responder, **options)`."""
    started: list[ScriptedEndpoint] = []

    def start(responder, *, point=True, **options) -> ScriptedEndpoint:
        endpoint = ScriptedEndpoint(responder, **options).start()
        started.append(endpoint)
        if point:
            monkeypatch.setenv("MLOPS_ADAPT_LLM_BASE_URL", endpoint.base_url)
            monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", endpoint.models[0])
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL where nothing listens (the endpoint is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
