"""Endpoint settings: pyproject table, environment overrides, OPENAI_* fallbacks, no key in reprs."""

from __future__ import annotations

import pytest

from mlops_adapt.llm.config import ConfigError, load_llm_config, overrides_from_task_options

PYPROJECT = """
[tool.mlops-adapt.llm]
base_url = "http://gpu-box:8000/v1"
model = "Qwen/Qwen2.5-Coder-7B-Instruct"
temperature = 0.2
k = 5
max-tokens = 2048
timeout = 30
concurrency = 4
"""


def test_pyproject_table_is_read(llm_env):
    (llm_env / "pyproject.toml").write_text(PYPROJECT)
    config = load_llm_config()
    assert config.base_url == "http://gpu-box:8000/v1"
    assert config.model == "Qwen/Qwen2.5-Coder-7B-Instruct"
    assert (
        config.temperature,
        config.k,
        config.max_tokens,
        config.timeout,
        config.concurrency,
    ) == (
        0.2,
        5,
        2048,
        30.0,
        4,
    )
    assert config.configured


def test_environment_wins_over_the_file(llm_env, monkeypatch):
    (llm_env / "pyproject.toml").write_text(PYPROJECT)
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", "local-model")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_TIMEOUT", "7.5")
    config = load_llm_config()
    assert (config.base_url, config.model, config.timeout, config.k) == (
        "http://127.0.0.1:9/v1",
        "local-model",
        7.5,
        5,
    )


def test_openai_variables_are_the_fallback(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai-compatible/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fallback-key")
    config = load_llm_config()
    assert config.base_url == "http://openai-compatible/v1"
    assert config.api_key == "sk-fallback-key"
    monkeypatch.setenv("MLOPS_ADAPT_LLM_API_KEY", "sk-specific-key")
    assert load_llm_config().api_key == "sk-specific-key"


def test_nothing_configured_means_no_endpoint():
    assert not load_llm_config().configured


def test_the_key_never_appears_in_reprs_or_reports(monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_API_KEY", "sk-very-secret-123")
    config = load_llm_config()
    assert "sk-very-secret-123" not in repr(config)
    assert "sk-very-secret-123" not in str(config)
    assert "api_key" not in config.public_dict()


def test_bad_values_give_a_clear_error(monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="timeout"):
        load_llm_config()


def test_task_options_override_sampling():
    overrides = overrides_from_task_options({"llm.k": "1", "other": "x"})
    assert overrides == {"k": "1"}
    assert load_llm_config(overrides=overrides).k == 1
