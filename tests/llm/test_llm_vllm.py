"""The in-process vLLM backend: a clear error without the gpu extra; a real run only where vllm imports."""

from __future__ import annotations

import importlib.util

import pytest
from llm_scripts import SCRIPT

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Failed

HAS_VLLM = importlib.util.find_spec("vllm") is not None


@pytest.mark.skipif(
    HAS_VLLM, reason="vllm is installed here; the missing-extra message cannot be seen"
)
def test_without_vllm_the_backend_explains_the_gpu_extra(monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BACKEND", "vllm")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", "Qwen/Qwen2.5-Coder-7B-Instruct")
    result = adapt(SCRIPT, "track-mlflow", AdaptOptions(backend="llm"))
    assert isinstance(result, Failed)
    assert any("mlops-adapt[gpu]" in reason for reason in result.reasons)


def test_vllm_backend_needs_a_model(monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BACKEND", "vllm")
    result = adapt(SCRIPT, "track-mlflow", AdaptOptions(backend="llm"))
    assert isinstance(result, Failed) and "MLOPS_ADAPT_LLM_MODEL" in result.reasons[-1]


@pytest.mark.slow
@pytest.mark.skipif(not HAS_VLLM, reason="vllm is not installed (gpu extra)")
def test_in_process_vllm_samples_k_candidates(monkeypatch):  # pragma: no cover - needs a GPU
    import os

    model = os.environ.get("MLOPS_ADAPT_TEST_VLLM_MODEL")
    if not model:
        pytest.skip("set MLOPS_ADAPT_TEST_VLLM_MODEL to a local model path to run the vLLM test")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BACKEND", "vllm")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", model)
    result = adapt(SCRIPT, "track-mlflow", AdaptOptions(backend="llm", task_options={"llm.k": "2"}))
    assert result.status in ("applied", "failed")
    if isinstance(result, Failed):
        assert result.kind == "unverified" and result.reasons
