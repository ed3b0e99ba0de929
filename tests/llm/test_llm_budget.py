"""The token budget against real loopback servers: llama.cpp-like (/props, /tokenize), vLLM-like
(max_model_len, /tokenize with messages), and a server without a tokenizer (estimate)."""

from __future__ import annotations

from llm_scripts import GOOD, HALLUCINATED, SCRIPT, fenced

from mlops_adapt.llm.budget import estimate_tokens
from mlops_adapt.llm.config import LLMConfig
from mlops_adapt.llm.pipeline import LLMJob, run_jobs
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed

ANSWER_ROOM = 300  # max_tokens: with this script the answer reserve is max_tokens itself


def good(body, index):
    return [fenced(GOOD)] * (body.get("n") or 1)


def run(base_url: str, **settings):
    config = LLMConfig(
        base_url=base_url, model="test-model", max_tokens=ANSWER_ROOM, k=1, **settings
    )
    job = LLMJob(SCRIPT, "track-mlflow", AdaptOptions(backend="llm"))
    return run_jobs([job], jobs=1, config=config)[0].result


def docs_in(body: dict) -> int:
    """Doc entries in the task prompt (each names the library and version in brackets)."""
    return body["messages"][1]["content"].count("[mlflow ")


def full_prompt(serve) -> tuple[int, int, list[dict]]:
    """Tokens, doc entries and messages of the untrimmed prompt, from a roomy server."""
    roomy = serve(good, point=False, flavour="llama.cpp", n_ctx=100_000)
    assert isinstance(run(roomy.base_url), Applied)
    body = roomy.requests[0]
    assert body["max_tokens"] == ANSWER_ROOM and docs_in(body) >= 2
    return roomy.prompt_tokens[0], docs_in(body), body["messages"]


def test_llama_cpp_docs_are_trimmed_to_leave_room_for_the_answer(serve):
    tokens, docs, _ = full_prompt(serve)
    tight = serve(good, point=False, flavour="llama.cpp", n_ctx=tokens + ANSWER_ROOM - 1)
    result = run(tight.base_url)
    assert isinstance(result, Applied)
    body = tight.requests[0]
    assert docs_in(body) == docs - 1  # one entry fewer is enough, and the code is whole
    assert SCRIPT.strip() in body["messages"][1]["content"]
    assert tight.prompt_tokens[0] + body["max_tokens"] <= tight.n_ctx
    assert tight.clamped == []  # llama.cpp would have cut the request silently
    assert ("GET", "/props") in tight.calls and ("POST", "/tokenize") in tight.calls
    assert any("prompt trimmed" in w and f"{docs} -> {docs - 1}" in w for w in result.warnings)


def test_code_that_does_not_fit_alone_is_refused_before_any_request(serve):
    tiny = serve(good, point=False, flavour="llama.cpp", n_ctx=300)
    result = run(tiny.base_url)
    assert isinstance(result, Failed) and result.kind == "input"
    message = result.reasons[0]
    assert "does not fit the model's context window" in message
    assert "counted by the server's tokenizer" in message and "holds 300" in message
    assert "-c" in message and "--max-model-len" in message
    assert tiny.requests == []  # no chat request was sent


def test_vllm_max_model_len_and_tokenize_with_messages(serve):
    tokens, docs, _ = full_prompt(serve)
    tight = serve(good, point=False, flavour="vllm", n_ctx=tokens + ANSWER_ROOM - 1)
    result = run(tight.base_url)
    assert isinstance(result, Applied)  # vLLM answers 400 to an over-long request; none was sent
    assert docs_in(tight.requests[0]) == docs - 1
    assert ("POST", "/tokenize") in tight.calls


def test_without_a_tokenizer_the_estimate_is_used_against_context_tokens(serve):
    _, docs, messages = full_prompt(serve)
    plain = serve(good, point=False)  # no /props, no /tokenize, no max_model_len
    window = estimate_tokens(messages).budgeted + ANSWER_ROOM - 1
    result = run(plain.base_url, context_tokens=window)
    assert isinstance(result, Applied)
    body = plain.requests[0]
    assert docs_in(body) < docs
    assert estimate_tokens(body["messages"]).budgeted + body["max_tokens"] <= window
    assert not any(path == "/tokenize" for _, path in plain.calls)
    refused = run(plain.base_url, context_tokens=200)
    assert isinstance(refused, Failed) and "estimated at 3.5 characters" in refused.reasons[0]


def test_an_unknown_window_leaves_the_prompt_whole(serve):
    plain = serve(good, point=False)
    assert isinstance(run(plain.base_url), Applied)
    assert plain.requests[0]["max_tokens"] == ANSWER_ROOM


def test_a_repair_prompt_without_room_for_the_answer_is_not_sent(serve):
    tokens, docs, _ = full_prompt(serve)
    # The first prompt fits whole; the repair prompt (plus the failed answer and the reasons)
    # would leave fewer than ANSWER_ROOM tokens for the next answer.
    tight = serve(broken, point=False, flavour="llama.cpp", n_ctx=tokens + ANSWER_ROOM + 20)
    result = run(tight.base_url, repair_rounds=1)
    assert isinstance(result, Failed)
    assert len(tight.requests) == 1 and docs_in(tight.requests[0]) == docs
    assert any("no repair round" in reason for reason in result.reasons)
    assert tight.clamped == []


def broken(body, index):
    return [fenced(HALLUCINATED)] * (body.get("n") or 1)


def test_llama_cpp_python_counts_with_extras_tokenize_against_context_tokens(serve):
    tokens, docs, _ = full_prompt(serve)
    # llama-cpp-python reports no context size: the window comes from `context_tokens`.
    window = tokens + ANSWER_ROOM + 40
    tight = serve(good, point=False, flavour="llama-cpp-python", n_ctx=window)
    result = run(tight.base_url, context_tokens=window - 60)
    assert isinstance(result, Applied)
    body = tight.requests[0]
    assert docs_in(body) < docs
    assert ("POST", "/extras/tokenize/count") in tight.calls
    assert tight.prompt_tokens[0] + body["max_tokens"] <= window and tight.clamped == []
