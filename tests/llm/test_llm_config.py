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


PASS_THROUGH = """
[tool.mlops-adapt.llm]
base_url = "http://gpu-box:8000/v1"
top-p = 0.95
top_k = 40
min_p = 0.05
repetition_penalty = 1.05
seed = 11
stop = ["</code>", "<|endoftext|>"]
chat_template_kwargs = { enable_thinking = false }
extra_body = { cache_prompt = true }
extra_headers = { "X-Team" = "ml-platform" }
context_tokens = 16384
vllm_max_model_len = 16384
vllm_gpu_memory_utilization = 0.85
vllm_dtype = "bfloat16"
"""


def test_pass_through_and_engine_settings_from_the_file(llm_env):
    (llm_env / "pyproject.toml").write_text(PASS_THROUGH)
    config = load_llm_config()
    assert config.sampling_extras() == {
        "top_p": 0.95,
        "top_k": 40,
        "min_p": 0.05,
        "repetition_penalty": 1.05,
        "seed": 11,
        "stop": ["</code>", "<|endoftext|>"],
        "chat_template_kwargs": {"enable_thinking": False},
        "cache_prompt": True,
    }
    assert config.extra_headers == {"X-Team": "ml-platform"}
    assert config.context_tokens == 16384
    assert config.vllm_engine_args() == {
        "max_model_len": 16384,
        "gpu_memory_utilization": 0.85,
        "dtype": "bfloat16",
    }


def test_lists_and_tables_come_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_STOP", '["###"]')
    monkeypatch.setenv("MLOPS_ADAPT_LLM_EXTRA_HEADERS", '{"X-Request-Source": "ci"}')
    monkeypatch.setenv("MLOPS_ADAPT_LLM_EXTRA_BODY", '{"cache_prompt": true}')
    monkeypatch.setenv("MLOPS_ADAPT_LLM_SEED", "3")
    config = load_llm_config()
    assert config.stop == ("###",) and config.seed == 3
    assert config.extra_headers == {"X-Request-Source": "ci"}
    assert config.extra_body == {"cache_prompt": True}
    monkeypatch.setenv("MLOPS_ADAPT_LLM_STOP", "END")  # one plain string is one stop sequence
    assert load_llm_config().stop == ("END",)


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("MLOPS_ADAPT_LLM_TOP_P", "1.5", "'top_p' must be in (0, 1]"),
        ("MLOPS_ADAPT_LLM_TOP_P", "high", "'top_p' expects a float"),
        ("MLOPS_ADAPT_LLM_MIN_P", "-0.1", "'min_p'"),
        ("MLOPS_ADAPT_LLM_TOP_K", "-5", "'top_k'"),
        ("MLOPS_ADAPT_LLM_SEED", "1.5", "'seed' expects a int"),
        ("MLOPS_ADAPT_LLM_REPETITION_PENALTY", "0", "'repetition_penalty'"),
        ("MLOPS_ADAPT_LLM_STOP", "[1, 2]", "'stop' expects a list of strings"),
        ("MLOPS_ADAPT_LLM_CHAT_TEMPLATE_KWARGS", "{not json", "'chat_template_kwargs'"),
        ("MLOPS_ADAPT_LLM_EXTRA_HEADERS", '{"X-A": 1}', "'extra_headers' expects a table"),
        ("MLOPS_ADAPT_LLM_EXTRA_HEADERS", '{"Bad Name": "v"}', "invalid header name 'Bad Name'"),
        ("MLOPS_ADAPT_LLM_EXTRA_HEADERS", '{"Content-Length": "9"}', "may not set 'Content-Length'"),
        ("MLOPS_ADAPT_LLM_EXTRA_BODY", '{"n": 5, "top_a": 1}', "'extra_body' may not set n"),
        ("MLOPS_ADAPT_LLM_CONTEXT_TOKENS", "-1", "'context_tokens'"),
        ("MLOPS_ADAPT_LLM_VLLM_GPU_MEMORY_UTILIZATION", "1.2", "'vllm_gpu_memory_utilization'"),
        ("MLOPS_ADAPT_LLM_VLLM_TENSOR_PARALLEL_SIZE", "0", "'vllm_tensor_parallel_size'"),
    ],
)
def test_bad_pass_through_values_are_refused_naming_the_key(monkeypatch, env, value, named):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as info:
        load_llm_config()
    assert named in str(info.value)


def test_a_bad_file_value_names_the_key(llm_env):
    (llm_env / "pyproject.toml").write_text('[tool.mlops-adapt.llm]\nstop = "x"\ntop_k = "many"\n')
    with pytest.raises(ConfigError, match="'top_k' expects a int"):
        load_llm_config()


def test_the_option_flag_accepts_the_new_settings():
    overrides = overrides_from_task_options({"llm.top_p": "0.8", "llm.context_tokens": "4096"})
    config = load_llm_config(overrides=overrides)
    assert (config.top_p, config.context_tokens) == (0.8, 4096)
