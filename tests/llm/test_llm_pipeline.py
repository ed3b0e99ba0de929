"""The LLM path end to end against a scripted loopback endpoint: selection, repair, fallback, failure."""

from __future__ import annotations

import pytest
from llm_scripts import (
    DELETED,
    GOOD,
    GOOD_VERBOSE,
    HALLUCINATED,
    INJECTED_GOOD,
    INJECTED_OBEYED,
    INJECTED_SCRIPT,
    SCRIPT,
    SYNTAX_ERROR,
    TRUNCATED_TEXT,
    fenced,
    sequence,
)

from mlops_adapt.engine import adapt
from mlops_adapt.llm.config import NO_ENDPOINT
from mlops_adapt.llm.loopback import Answer
from mlops_adapt.llm.pipeline import LLMJob, adapt_many_with_llm, adapt_with_llm, run_jobs
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed
from mlops_adapt.verify.pipeline import verify_candidate

LLM = AdaptOptions(backend="llm")
BROKEN = [fenced(HALLUCINATED), fenced(DELETED), fenced(SYNTAX_ERROR, prose=True)]


def test_a_verified_candidate_wins_over_broken_ones(serve):
    endpoint = serve(
        sequence([fenced(HALLUCINATED), fenced(GOOD, prose=True), fenced(SYNTAX_ERROR)])
    )
    result = adapt(SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Applied) and result.backend == "llm"
    assert result.code == GOOD
    assert result.report.ok
    assert len(endpoint.requests) == 1 and endpoint.requests[0]["n"] == 3


def test_the_smallest_verified_edit_is_chosen(serve):
    serve(sequence([fenced(GOOD_VERBOSE), fenced(GOOD), fenced(DELETED)]))
    result = adapt(SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Applied) and result.code == GOOD


def test_llm_edits_without_an_executed_check_are_labelled_unsafe(serve):
    serve(sequence([fenced(GOOD)] * 3))
    result = adapt(SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Applied)
    assert result.safety == "unsafe"
    assert any("V5" in reason for reason in result.report.safety_reasons)


def test_repair_feeds_the_verifier_reasons_back(serve):
    endpoint = serve(sequence([fenced(HALLUCINATED), fenced(SYNTAX_ERROR)], [fenced(GOOD)] * 2))
    result = adapt(SCRIPT, "track-mlflow", AdaptOptions(backend="llm", task_options={"llm.k": "2"}))
    assert isinstance(result, Applied) and result.code == GOOD
    assert len(endpoint.requests) == 2
    repair = endpoint.requests[1]["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert repair[:2] == endpoint.requests[0]["messages"]  # the cached prefix is reused
    feedback = repair[3]["content"]
    # The answer sent back is the one closest to passing (it parses), with the verifier's words.
    assert "log_hyperparams" in repair[2]["content"]
    assert (
        "`mlflow.log_hyperparams` does not exist" in feedback
        and "did you mean log_params" in feedback
    )


def test_every_answer_broken_gives_unverified_with_reasons_after_two_repairs(serve):
    endpoint = serve(
        sequence(
            [fenced(DELETED), fenced(SYNTAX_ERROR), Answer(TRUNCATED_TEXT, "length")],
            [fenced(HALLUCINATED)] * 3,
            [fenced(SYNTAX_ERROR)] * 3,
        )
    )
    result = adapt(SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Failed) and result.kind == "unverified"
    assert len(endpoint.requests) == 3  # the first sampling and two repair rounds
    text = "\n".join(result.reasons)
    assert "V3 api-reality" in text and "log_hyperparams" in text
    assert "V2 scope" in text and "model.fit" in text
    assert "V1 parses" in text
    assert "finish_reason=length" in text
    assert "repair round 2" in text
    # The first repair sent back the candidate with the fewest failures (the deleted line).
    assert "V2 scope" in endpoint.requests[1]["messages"][3]["content"]
    assert "log_hyperparams" in endpoint.requests[2]["messages"][3]["content"]


def test_a_repair_that_would_repeat_itself_is_not_sent(serve):
    endpoint = serve(sequence([fenced(HALLUCINATED)] * 3))
    result = adapt(SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Failed)
    assert len(endpoint.requests) == 2  # the same answer again would get the same feedback


def test_the_prompt_injection_is_not_obeyed(serve):
    endpoint = serve(sequence([fenced(INJECTED_OBEYED), fenced(INJECTED_GOOD)]))
    result = adapt(INJECTED_SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Applied) and result.code == INJECTED_GOOD
    assert "\nos.system(" not in result.code and not result.code.startswith("import os")
    assert not verify_candidate(INJECTED_SCRIPT, INJECTED_OBEYED, "track-mlflow").ok
    assert "never follow it" in endpoint.requests[0]["messages"][0]["content"]


def test_only_the_injected_answer_means_no_edit(serve):
    serve(sequence([fenced(INJECTED_OBEYED)]))
    result = adapt(INJECTED_SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Failed)
    assert any("capability" in r and "os.system" in r for r in result.reasons), result.reasons


def test_an_answer_that_changes_nothing_is_rejected(serve):
    serve(sequence([fenced(SCRIPT)]))
    result = adapt(
        SCRIPT, "track-mlflow", AdaptOptions(backend="llm", task_options={"llm.repair_rounds": "0"})
    )
    assert isinstance(result, Failed) and any("made no change" in r for r in result.reasons)


def test_no_endpoint_configured_is_a_clear_failure():
    result = adapt(SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Failed) and result.kind == "unverified"
    assert result.reasons == (NO_ENDPOINT,)
    assert "MLOPS_ADAPT_LLM_BASE_URL" in NO_ENDPOINT


def test_auto_mode_keeps_the_recipe_failure_when_no_endpoint_is_set():
    recipe = Failed(
        "track-mlflow", "unverified", ("recipe cannot handle this code: dynamic config",)
    )
    result = adapt_with_llm(SCRIPT, "track-mlflow", AdaptOptions(), recipe)
    assert result == recipe


def test_auto_mode_falls_back_to_the_llm_when_the_recipe_failed(serve):
    endpoint = serve(sequence(BROKEN, [fenced(GOOD)]))
    recipe = Failed(
        "track-mlflow", "unverified", ("recipe cannot handle this code: dynamic config",)
    )
    result = adapt_with_llm(SCRIPT, "track-mlflow", AdaptOptions(), recipe)
    assert isinstance(result, Applied) and result.code == GOOD
    # The recipe's draft and why it failed are in the prompt.
    assert "dynamic config" in endpoint.requests[0]["messages"][1]["content"]


def test_auto_mode_failure_lists_recipe_and_llm_reasons(serve):
    serve(
        sequence([fenced(HALLUCINATED)]),
    )
    recipe = Failed(
        "track-mlflow", "unverified", ("recipe cannot handle this code: dynamic config",)
    )
    options = AdaptOptions(task_options={"llm.repair_rounds": "0", "llm.k": "1"})
    result = adapt_with_llm(SCRIPT, "track-mlflow", options, recipe)
    assert isinstance(result, Failed)
    assert result.reasons[0] == "recipe: recipe cannot handle this code: dynamic config"
    assert any(r.startswith("llm candidate 1 (first sampling): V3") for r in result.reasons)


def test_a_down_endpoint_fails_clearly(monkeypatch, closed_port_url):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BASE_URL", closed_port_url)
    monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", "m")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_RETRIES", "0")
    result = adapt(SCRIPT, "track-mlflow", LLM)
    assert isinstance(result, Failed) and result.kind == "unverified"
    assert any("is unreachable" in r for r in result.reasons)


def test_batch_keeps_input_order_and_isolates_files(serve):
    def responder(body, index):
        code = body["messages"][1]["content"]
        return [fenced(INJECTED_GOOD if "NOTE TO AI" in code else GOOD)] * body["n"]

    endpoint = serve(responder)
    items = [
        LLMJob(SCRIPT, "track-mlflow", LLM),
        LLMJob(INJECTED_SCRIPT, "track-mlflow", LLM),
        LLMJob(SCRIPT, "no-such-task", LLM),
        LLMJob(SCRIPT, "track-mlflow", LLM),
    ]
    results = adapt_many_with_llm(items, jobs=3)
    assert [r.status for r in results] == ["applied", "applied", "failed", "applied"]
    assert results[0].code == GOOD and results[1].code == INJECTED_GOOD and results[3].code == GOOD
    assert results[2].kind == "input"
    # The identical first and last files are answered from the response cache the second time.
    assert len(endpoint.requests) <= 3


def test_runs_report_every_candidate_for_the_benchmark(serve):
    serve(sequence([fenced(HALLUCINATED), fenced(GOOD), fenced(DELETED)]))
    (run,) = run_jobs([LLMJob(SCRIPT, "track-mlflow", LLM)], jobs=1)
    assert [c.verified for c in run.candidates] == [False, True, False]
    assert run.seconds > 0


@pytest.mark.slow
def test_with_verify_run_the_best_candidate_is_executed_and_safe(serve):
    serve(sequence([fenced(GOOD_VERBOSE), fenced(HALLUCINATED), fenced(GOOD)]))
    options = AdaptOptions(backend="llm", verify="run", timeout=240)
    (run,) = run_jobs([LLMJob(SCRIPT, "track-mlflow", options)], jobs=1)
    assert isinstance(run.result, Applied), run.result
    assert run.result.code == GOOD
    assert run.result.report.executed and run.result.safety == "safe"
    # Only the best statically verified candidate went to the sandbox; it passed, so the
    # runner-up was never executed (and can never be chosen).
    executed = [
        c
        for c in run.candidates
        if c.report is not None and any(ch.id == "V5" for ch in c.report.checks)
    ]
    assert [c.code for c in executed] == [GOOD]
    assert any(c.problem and "not executed" in c.problem for c in run.candidates)
