"""pass@k scoring used by `mlops-adapt bench --backend llm`: the estimator and a real scored batch."""

from __future__ import annotations

import pytest
from llm_scripts import DELETED, GOOD, HALLUCINATED, SCRIPT, fenced, sequence

from mlops_adapt.llm.config import load_llm_config
from mlops_adapt.llm.evaluate import format_table, pass_at_k, score_scripts, summarize
from mlops_adapt.llm.pipeline import LLMJob
from mlops_adapt.options import AdaptOptions


def test_pass_at_k_estimator():
    assert pass_at_k(3, 0, 1) == 0.0
    assert pass_at_k(3, 3, 1) == 1.0
    assert pass_at_k(3, 1, 1) == pytest.approx(1 / 3)
    assert pass_at_k(3, 1, 3) == 1.0
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - 3 / 10)
    assert pass_at_k(0, 0, 1) == 0.0


def test_scores_count_first_round_samples_and_repairs(serve):
    serve(sequence([fenced(HALLUCINATED), fenced(GOOD), fenced(DELETED)]))
    items = [LLMJob(SCRIPT, "track-mlflow", AdaptOptions(backend="llm", path="a.py"))]
    (score,) = score_scripts(items, k=3, jobs=2, config=load_llm_config())
    assert (score.samples, score.verified, score.repaired, score.error) == (3, 1, True, None)
    table = summarize([score], k=3)
    assert table["track-mlflow"]["pass@1"] == pytest.approx(100 / 3)
    assert table["all"]["pass@3"] == 100.0
    assert "Pass@3" in format_table(table, 3)


def test_an_unreachable_endpoint_is_an_error_not_a_zero(closed_port_url, monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BASE_URL", closed_port_url)
    monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", "m")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_RETRIES", "0")
    items = [LLMJob(SCRIPT, "track-mlflow", AdaptOptions(backend="llm", path="a.py"))]
    (score,) = score_scripts(items, k=3, jobs=1)
    assert score.samples == 0 and "unreachable" in score.error
    assert summarize([score])["all"]["errors"] == 1
