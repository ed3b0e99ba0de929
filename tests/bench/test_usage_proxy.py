"""The real-model bench's pass-through: answers reach the client unchanged and their usage is recorded."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mlops_adapt.llm.loopback import Answer, ScriptedEndpoint

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "llm"))
from usage_proxy import UsageProxy


def post(url: str, body: dict, key: str = "") -> dict:
    headers = {"content-type": "application/json"}
    if key:
        headers["authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request, timeout=10) as resp:
        return json.load(resp)


def test_answers_pass_unchanged_and_usage_is_counted_per_exchange():
    def responder(body, index):
        return ["```python\nx = 1\n```", Answer("cut", "length")][: body.get("n", 1)]

    with ScriptedEndpoint(responder) as endpoint:
        proxy = UsageProxy(endpoint.base_url).start()
        try:
            mark = proxy.log.mark()
            chat = {"model": "test-model", "messages": [{"role": "user", "content": "a" * 400}]}
            got = post(proxy.base_url + "/chat/completions", {**chat, "n": 2})
            direct = post(endpoint.base_url + "/chat/completions", {**chat, "n": 2})
            assert got["choices"] == direct["choices"]
            post(proxy.base_url + "/chat/completions", {**chat, "messages": chat["messages"] * 4})
            exchanges = proxy.log.since(mark)
        finally:
            proxy.stop()
    assert [e.messages for e in exchanges] == [1, 4]
    assert exchanges[0].answers == ["```python\nx = 1\n```", "cut"]
    assert exchanges[0].finish_reasons == ["stop", "length"]
    assert exchanges[0].prompt_tokens == got["usage"]["prompt_tokens"] > 0
    assert exchanges[0].completion_tokens == got["usage"]["completion_tokens"]
    assert exchanges[1].prompt_tokens > exchanges[0].prompt_tokens


def test_errors_and_the_api_key_pass_through():
    with ScriptedEndpoint(lambda body, i: ["ok"], api_key="s3cret") as endpoint:
        proxy = UsageProxy(endpoint.base_url).start()
        try:
            chat = {"model": "test-model", "messages": [{"role": "user", "content": "hi"}]}
            assert post(proxy.base_url + "/chat/completions", chat, "s3cret")["choices"]
            with pytest.raises(urllib.error.HTTPError) as err:
                post(proxy.base_url + "/chat/completions", chat, "wrong")
            assert err.value.code == 401
            assert len(proxy.log.since(0)) == 1  # a refused request is not an exchange
        finally:
            proxy.stop()
