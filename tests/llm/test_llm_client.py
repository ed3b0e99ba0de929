"""The endpoint client against a real loopback server: n, retries, errors, timeouts, cache, no key leaks."""

from __future__ import annotations

import asyncio

import pytest

from mlops_adapt.llm.cache import ResponseCache
from mlops_adapt.llm.client import ChatClient
from mlops_adapt.llm.config import LLMConfig
from mlops_adapt.llm.errors import LLMError
from mlops_adapt.llm.loopback import Answer

HELLO = [{"role": "user", "content": "hello"}]
SECRET = "sk-test-secret-0123456789"


def numbered(body, index):
    return [f"answer {index}.{j}" for j in range(body.get("n") or 1)]


def complete(config: LLMConfig, n: int, messages=HELLO, cache=None):
    async def go():
        client = ChatClient(config, cache)
        try:
            return await client.complete(messages, n), client.model
        finally:
            await client.aclose()

    return asyncio.run(go())


def error_of(config: LLMConfig, n: int = 1) -> LLMError:
    with pytest.raises(LLMError) as info:
        complete(config, n)
    return info.value


def test_n_samples_in_one_request_and_the_model_is_discovered(serve):
    endpoint = serve(numbered, point=False, models=["served-model"])
    answers, model = complete(
        LLMConfig(base_url=endpoint.base_url, temperature=0.5, max_tokens=99), 3
    )
    assert [a.text for a in answers] == ["answer 0.0", "answer 0.1", "answer 0.2"]
    assert model == "served-model"
    body = endpoint.requests[0]
    assert (body["n"], body["temperature"], body["max_tokens"], body["model"]) == (
        3,
        0.5,
        99,
        "served-model",
    )


def test_a_server_that_ignores_n_gets_parallel_requests(serve):
    endpoint = serve(numbered, point=False, honor_n=False)
    answers, _ = complete(LLMConfig(base_url=endpoint.base_url, model="test-model"), 3)
    assert len(answers) == 3
    assert len({a.text for a in answers}) == 3
    assert [r["n"] for r in endpoint.requests] == [3, 1, 1]


def test_429_and_5xx_are_retried(serve):
    endpoint = serve(
        numbered, point=False, failures=[(503, "loading"), (429, "slow down"), (502, "bad gateway")]
    )
    answers, _ = complete(LLMConfig(base_url=endpoint.base_url, model="test-model", retries=3), 1)
    assert answers[0].text == "answer 3.0"
    assert len(endpoint.requests) == 4


def test_retries_are_bounded(serve):
    endpoint = serve(numbered, point=False, failures=[(500, "boom")] * 5)
    err = error_of(LLMConfig(base_url=endpoint.base_url, model="test-model", retries=1))
    assert err.kind == "server" and "HTTP 500" in err.message
    assert len(endpoint.requests) == 2


def test_auth_failure_is_clear_and_never_shows_the_key(serve):
    endpoint = serve(numbered, point=False, api_key="the-right-key")
    err = error_of(LLMConfig(base_url=endpoint.base_url, model="test-model", api_key=SECRET))
    assert err.kind == "auth"
    assert "rejected the API key" in err.message and "MLOPS_ADAPT_LLM_API_KEY" in err.message
    assert SECRET not in str(err)
    assert (
        endpoint.headers[0]["authorization"] == f"Bearer {SECRET}"
    )  # it was sent, just never shown


def test_missing_model(serve):
    endpoint = serve(numbered, point=False, models=["a-model"])
    err = error_of(LLMConfig(base_url=endpoint.base_url, model="no-such-model"))
    assert err.kind == "model" and "'no-such-model' is not served" in err.message


def test_ambiguous_model_asks_for_the_setting(serve):
    endpoint = serve(numbered, point=False, models=["one", "two"])
    err = error_of(LLMConfig(base_url=endpoint.base_url))
    assert (
        err.kind == "model" and "MLOPS_ADAPT_LLM_MODEL" in err.message and "one, two" in err.message
    )


def test_context_overflow(serve):
    endpoint = serve(numbered, point=False, max_prompt_chars=3)
    err = error_of(LLMConfig(base_url=endpoint.base_url, model="test-model"))
    assert err.kind == "context" and "context window" in err.message


def test_unreachable_endpoint(closed_port_url):
    err = error_of(LLMConfig(base_url=closed_port_url, model="m", retries=1, timeout=5))
    assert err.kind == "unreachable" and closed_port_url in err.message


def test_slow_endpoint_times_out_with_a_clear_error(serve):
    endpoint = serve(numbered, point=False, delay=30)
    err = error_of(LLMConfig(base_url=endpoint.base_url, model="test-model", timeout=1))
    assert err.kind == "timeout"
    assert "did not answer within 1 s" in err.message and "MLOPS_ADAPT_LLM_TIMEOUT" in err.message


def test_truncation_is_reported_per_answer(serve):
    endpoint = serve(
        lambda body, i: [Answer("```python\nx = (", "length"), Answer("x = 1", "stop")], point=False
    )
    answers, _ = complete(LLMConfig(base_url=endpoint.base_url, model="test-model"), 2)
    assert [a.truncated for a in answers] == [True, False]


def test_the_cache_replays_answers_without_a_request(serve, tmp_path):
    endpoint = serve(numbered, point=False)
    cache = ResponseCache(tmp_path / "answers")
    config = LLMConfig(base_url=endpoint.base_url, model="test-model")
    first, _ = complete(config, 2, cache=cache)
    again, _ = complete(config, 2, cache=cache)
    assert again == first and len(endpoint.requests) == 1
    # Other sampling parameters or another prompt are other keys.
    complete(
        LLMConfig(base_url=endpoint.base_url, model="test-model", temperature=0.0), 2, cache=cache
    )
    complete(config, 2, messages=[{"role": "user", "content": "other"}], cache=cache)
    assert len(endpoint.requests) == 3


def test_the_cache_key_holds_the_base_url(serve, tmp_path):
    first = serve(numbered, point=False)
    second = serve(lambda body, i: ["from the second server"], point=False)
    cache = ResponseCache(tmp_path / "answers")
    a, _ = complete(LLMConfig(base_url=first.base_url, model="test-model"), 1, cache=cache)
    b, _ = complete(LLMConfig(base_url=second.base_url, model="test-model"), 1, cache=cache)
    assert a[0].text == "answer 0.0" and b[0].text == "from the second server"
    assert len(first.requests) == 1 and len(second.requests) == 1


def test_sampling_parameters_and_headers_reach_the_server(serve):
    endpoint = serve(numbered, point=False)
    config = LLMConfig(
        base_url=endpoint.base_url,
        model="test-model",
        top_p=0.9,
        top_k=20,
        min_p=0.05,
        repetition_penalty=1.1,
        seed=7,
        stop=("</code>",),
        chat_template_kwargs={"enable_thinking": False},
        extra_body={"cache_prompt": True},
        extra_headers={"X-Trace": "run-42", "X-Gateway-Token": "gw-secret-value"},
    )
    complete(config, 2)
    body, headers = endpoint.requests[0], endpoint.headers[0]
    assert (body["top_p"], body["top_k"], body["min_p"], body["repetition_penalty"]) == (
        0.9, 20, 0.05, 1.1,
    )
    assert body["seed"] == 7 and body["stop"] == ["</code>"]
    assert body["chat_template_kwargs"] == {"enable_thinking": False}
    assert body["cache_prompt"] is True and body["n"] == 2
    assert headers["x-trace"] == "run-42" and headers["x-gateway-token"] == "gw-secret-value"
    # A token-like header value is a secret: never in reprs or reports.
    assert "gw-secret-value" not in repr(config)
    assert "gw-secret-value" not in str(config.public_dict())


def test_unset_sampling_parameters_are_not_sent(serve):
    endpoint = serve(numbered, point=False)
    complete(LLMConfig(base_url=endpoint.base_url, model="test-model"), 1)
    sent = set(endpoint.requests[0])
    assert not sent & {"top_p", "top_k", "min_p", "repetition_penalty", "seed", "stop"}


def test_a_seed_is_spread_over_samples_sent_one_per_request(serve):
    # The same seed on each of k separate requests would give k copies of one answer.
    endpoint = serve(numbered, point=False, honor_n=False)
    complete(LLMConfig(base_url=endpoint.base_url, model="test-model", seed=10), 3)
    assert sorted(r["seed"] for r in endpoint.requests) == [10, 11, 12]


def test_a_llama_cpp_like_server_clamps_silently_without_the_budget(serve):
    # What the token budget protects against: llama.cpp answers 200 to a request that does not
    # fit, cutting it short. complete() alone (no budget) shows the loopback doing the same.
    endpoint = serve(numbered, point=False, flavour="llama.cpp", n_ctx=64)
    answers, _ = complete(LLMConfig(base_url=endpoint.base_url, model="test-model"), 1)
    assert answers and endpoint.clamped == [0]
