"""Waiting per candidate against a real loopback server: a busy single-slot server, late answers,
a hung sample beside finished ones, and `n` support remembered across processes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap

from mlops_adapt.llm.cache import ResponseCache
from mlops_adapt.llm.client import ChatClient
from mlops_adapt.llm.config import LLMConfig

HELLO = [{"role": "user", "content": "hello"}]


def numbered(body, index):
    return [f"answer {index}.{j}" for j in range(body.get("n") or 1)]


def complete(config: LLMConfig, n: int, cache=None):
    async def go():
        client = ChatClient(config, cache)
        try:
            return await client.complete(HELLO, n)
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_a_single_slot_server_serving_samples_one_after_another_finishes_all(serve):
    # llama.cpp with one slot ignores n and serves the three samples in turn, 1 s each. The
    # last one waits 2 s from being sent: a 1.6 s per-call timeout would drop it.
    endpoint = serve(numbered, point=False, single_slot=True, honor_n=False, delay=1.0)
    config = LLMConfig(base_url=endpoint.base_url, model="test-model", timeout=1.6)
    answers = complete(config, 3)
    assert sorted(a.text for a in answers) == ["answer 0.0", "answer 1.0", "answer 2.0"]
    waited = [answered - arrived for _, arrived, answered in endpoint.served]
    assert max(waited) > config.timeout  # the scheme kept an answer a per-call timeout loses


def test_an_answer_later_than_the_timeout_is_kept_while_the_server_makes_progress(serve):
    # A parallel server: sample 1 takes 2.6 s (over the 2 s timeout); sample 2 finishes after
    # 1.2 s, which shows the server is working, so sample 1 is waited for and kept.
    delays = {0: 0.2, 1: 2.6, 2: 1.2}
    endpoint = serve(numbered, point=False, honor_n=False, delay=lambda body, i: delays[i])
    answers = complete(LLMConfig(base_url=endpoint.base_url, model="test-model", timeout=2.0), 3)
    assert sorted(a.text for a in answers) == ["answer 0.0", "answer 1.0", "answer 2.0"]
    late = [answered - arrived for index, arrived, answered in endpoint.served if index == 1]
    assert late and late[0] > 2.0


def test_a_hung_sample_does_not_discard_the_finished_ones_and_is_topped_up_later(
    serve, tmp_path
):
    delays = {0: 0.0, 1: 30.0, 2: 0.0}
    endpoint = serve(
        numbered, point=False, honor_n=False, delay=lambda body, i: delays.get(i, 0.0)
    )
    cache = ResponseCache(tmp_path / "answers")
    config = LLMConfig(base_url=endpoint.base_url, model="test-model", timeout=1.0)
    answers = complete(config, 3, cache)
    assert sorted(a.text for a in answers) == ["answer 0.0", "answer 2.0"]
    # The next run reuses the two cached answers and asks only for the missing one.
    again = complete(config, 3, cache)
    assert [a.text for a in again[:2]] == [a.text for a in answers]
    assert again[2].text == "answer 3.0"
    assert [r["n"] for r in endpoint.requests] == [3, 1, 1, 1]


def test_no_answer_at_all_is_still_a_clear_timeout(serve):
    endpoint = serve(numbered, point=False, honor_n=False, delay=30)
    config = LLMConfig(base_url=endpoint.base_url, model="test-model", timeout=1.0)
    try:
        complete(config, 2)
    except Exception as err:  # noqa: BLE001 - the kind and message are what is checked
        assert getattr(err, "kind", None) == "timeout"
        assert "did not answer within 1 s" in str(err)
    else:
        raise AssertionError("a server that never answers must give a timeout error")


SAMPLE_IN_A_FRESH_PROCESS = textwrap.dedent(
    """
    import asyncio, sys
    from mlops_adapt.llm.client import ChatClient
    from mlops_adapt.llm.config import LLMConfig

    async def main():
        client = ChatClient(LLMConfig(base_url=sys.argv[1], model="test-model"), None)
        answers = await client.complete([{"role": "user", "content": sys.argv[2]}], 3)
        await client.aclose()
        print(len(answers))

    asyncio.run(main())
    """
)


def test_a_server_that_ignores_n_is_remembered_across_processes(serve, tmp_path):
    endpoint = serve(numbered, point=False, honor_n=False)
    env = {**os.environ, "PYTHONPATH": os.getcwd() + os.pathsep + _repo_root()}

    def run(prompt: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", SAMPLE_IN_A_FRESH_PROCESS, endpoint.base_url, prompt],
            check=False, capture_output=True, text=True, env=env, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("first prompt") == "3"
    assert [r["n"] for r in endpoint.requests] == [3, 1, 1]  # probed once: n was ignored
    assert run("second prompt") == "3"
    assert [r["n"] for r in endpoint.requests[3:]] == [1, 1, 1]  # no probing request
    # The fact lives in the cache dir, per base URL and model, readable by people.
    facts = list((tmp_path / "cache" / "llm" / "endpoints").glob("*.json"))
    assert len(facts) == 1
    stored = json.loads(facts[0].read_text())
    assert stored["model"] == "test-model" and stored["facts"]["honours_n"]["value"] is False


def test_a_server_that_honours_n_is_asked_once_per_prompt(serve):
    endpoint = serve(numbered, point=False)
    config = LLMConfig(base_url=endpoint.base_url, model="test-model")
    complete(config, 3)
    complete(config, 2)
    assert [r["n"] for r in endpoint.requests] == [3, 2]


def _repo_root() -> str:
    import mlops_adapt

    return os.path.dirname(os.path.dirname(mlops_adapt.__file__))
