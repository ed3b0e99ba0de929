"""Credentials in the LLM base URL or settings never reach output, errors or reports (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from llm_scripts import SCRIPT

from mlops_adapt.llm.config import LLMConfig, load_llm_config
from mlops_adapt.llm.errors import redact_url

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("secret", "s3cr%40t", "s3cr@t", "sk-live-KEY123", "qtoken99")


def run_cli(work: Path, env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MLOPS_ADAPT_", "OPENAI_"))}
    env.update({"PYTHONPATH": str(ROOT), "MLOPS_ADAPT_CACHE_DIR": str(work / "cache"),
                "MLOPS_ADAPT_LLM_MODEL": "any", "MLOPS_ADAPT_LLM_RETRIES": "0", **env_extra})
    return subprocess.run([sys.executable, "-m", "mlops_adapt", *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("url", [
    "http://bob:secret@127.0.0.1:9/v1",
    "http://bob:s3cr%40t@127.0.0.1:9/v1",  # a percent-encoded '@' in the password
    "http://127.0.0.1:9/v1?api-key=qtoken99",
])
def test_an_unreachable_endpoint_with_credentials_leaks_them_nowhere(llm_env, url):
    (llm_env / "train.py").write_text(SCRIPT)
    report = llm_env / "report.json"
    done = run_cli(llm_env, {"MLOPS_ADAPT_LLM_BASE_URL": url,
                             "MLOPS_ADAPT_LLM_API_KEY": "sk-live-KEY123"},
                   "apply", "track-mlflow", "train.py", "--backend", "llm", "--json",
                   str(report))
    written = report.read_text()
    assert "Traceback" not in done.stderr
    for secret in SECRETS:
        assert secret not in done.stdout + done.stderr + written, (secret, done.stderr, written)
    assert done.returncode == 3
    assert "127.0.0.1:9" in done.stderr and "unreachable" in done.stderr  # still useful
    assert any("unreachable" in r for r in json.loads(written)["files"][0]["reasons"])


def test_the_json_report_to_stdout_is_clean_too(llm_env):
    (llm_env / "train.py").write_text(SCRIPT)
    done = run_cli(llm_env, {"OPENAI_BASE_URL": "http://bob:secret@127.0.0.1:9/v1"},
                   "apply", "track-mlflow", "train.py", "--backend", "llm", "--json", "-")
    assert done.returncode == 3, done.stderr
    assert "secret" not in done.stdout + done.stderr
    assert json.loads(done.stdout)["files"][0]["status"] == "failed", done.stdout[:300]


@pytest.mark.parametrize("url, shown", [
    ("http://bob:secret@127.0.0.1:9/v1", "http://***@127.0.0.1:9/v1"),
    ("https://token@llm.example.com/v1", "https://***@llm.example.com/v1"),
    ("http://[::1]:8000/v1?api_key=abc&x=1", "http://[::1]:8000/v1?api_key=***&x=1"),
    ("http://localhost:8000/v1", "http://localhost:8000/v1"),
    ("not a url", "not a url"),
])
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_config_repr_and_public_dict_hide_url_credentials(monkeypatch, llm_env):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BASE_URL", "http://bob:secret@127.0.0.1:9/v1")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_API_KEY", "sk-live-KEY123")
    config = load_llm_config(llm_env)
    assert config.base_url == "http://bob:secret@127.0.0.1:9/v1"  # the client still gets it
    for shown in (repr(config), str(config), json.dumps(config.public_dict())):
        assert "secret" not in shown and "sk-live" not in shown
        assert "127.0.0.1:9" in shown
    assert LLMConfig().shown_url == ""
