"""The in-process vLLM backend: a clear error without the gpu extra, batching across files and
threads through the collector (with a stand-in engine), a real run only where vllm imports."""

from __future__ import annotations

import importlib.util
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from llm_scripts import GOOD, SCRIPT, fenced

from mlops_adapt.engine import adapt
from mlops_adapt.llm import vllm_local
from mlops_adapt.llm.cache import Completion
from mlops_adapt.llm.config import load_llm_config
from mlops_adapt.llm.errors import LLMError
from mlops_adapt.llm.loopback import loopback_tokens, render_template, user_code_of
from mlops_adapt.llm.pipeline import LLMJob, run_jobs
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed

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


# ---------------------------------------------------------------- batching, with a stand-in engine
# vllm needs a GPU, so the one boundary that touches it (vllm_local.load_engine, which builds a
# VllmEngine) is replaced by an object with the same three members; the collector, the client,
# the pipeline and the verifier run for real.


def variant(code: str, trees: int) -> str:
    """The script (or its adapted form) with its own number of trees, to tell files apart."""
    return code.replace("N_ESTIMATORS = 50", f"N_ESTIMATORS = {trees}")


class StandInEngine:
    """VllmEngine's interface: answers each conversation with the adapted form of its own script."""

    max_model_len = 32768

    def __init__(self) -> None:
        self.calls: list[tuple[int, list[dict], dict | None]] = []
        self.inside = 0
        self.most_inside = 0
        self.first_size: int | None = None
        self.release = threading.Event()  # the first call works until the test releases it
        self._lock = threading.Lock()

    def generate(self, conversations, samplings, template_kwargs):
        with self._lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
            first = self.first_size is None
            if first:
                self.first_size = len(conversations)
        if first:  # the GPU at work on the first batch; meanwhile the other files queue up
            self.release.wait(60)
        with self._lock:
            self.inside -= 1
            self.calls.append((len(conversations), list(samplings), template_kwargs))
        out = []
        for conversation, sampling in zip(conversations, samplings):
            code = user_code_of({"messages": conversation})
            trees = int(code.split("N_ESTIMATORS = ")[1].split("\n")[0])
            out.append([Completion(fenced(variant(GOOD, trees)))] * sampling["n"])
        return out

    def count_tokens(self, messages):
        return loopback_tokens(render_template(messages))


@pytest.fixture
def engine(monkeypatch):
    """A fresh process-wide engine slot, filled by a stand-in; records the engine settings."""
    stand_in = StandInEngine()
    loads: list[tuple[str, dict]] = []

    def load(model, engine_args):
        loads.append((model, engine_args))
        return stand_in

    monkeypatch.setattr(vllm_local, "_COLLECTORS", {})
    monkeypatch.setattr(vllm_local, "load_engine", load)
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BACKEND", "vllm")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", "Qwen/Qwen2.5-Coder-7B-Instruct")
    stand_in.loads = loads
    return stand_in


FILES = [variant(SCRIPT, 60 + i) for i in range(6)]


def batched(engine: StandInEngine, conversations: int) -> list[int]:
    """The engine calls a batching collector makes: the first batch, then all the rest at once."""
    rest = conversations - (engine.first_size or 0)
    return [engine.first_size] + ([rest] if rest else [])


def while_the_first_batch_works(engine: StandInEngine, conversations: int, work):
    """Run `work` while the engine holds its first batch until every other conversation is
    queued, then let it go: the queued ones must then reach the engine as one batch."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(work)
        deadline = time.monotonic() + 120
        while not future.done() and time.monotonic() < deadline:
            collectors = list(vllm_local._COLLECTORS.values())
            queued = collectors[0]._queue.qsize() if collectors else 0
            if engine.first_size is not None and engine.first_size + queued >= conversations:
                break
            time.sleep(0.02)
        engine.release.set()
        return future.result()


def test_a_batch_run_sends_its_files_to_the_engine_together(engine, monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_VLLM_MAX_MODEL_LEN", "8192")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_VLLM_TENSOR_PARALLEL_SIZE", "2")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_VLLM_QUANTIZATION", "awq")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_TOP_K", "20")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_CHAT_TEMPLATE_KWARGS", '{"enable_thinking": false}')
    config = load_llm_config()
    jobs = [LLMJob(source, "track-mlflow", AdaptOptions(backend="llm")) for source in FILES]
    runs = while_the_first_batch_works(
        engine, len(FILES), lambda: run_jobs(jobs, jobs=len(jobs), config=config)
    )
    # Every file got the adaptation of its own script: answers were matched to their prompts.
    for source, run in zip(FILES, runs):
        assert isinstance(run.result, Applied)
        assert run.result.code == variant(GOOD, int(source.split("N_ESTIMATORS = ")[1][:2]))
    sizes = [size for size, _, _ in engine.calls]
    assert sizes == batched(engine, len(FILES))
    assert engine.most_inside == 1  # vllm.LLM is never entered twice at once
    _, samplings, template_kwargs = engine.calls[0]
    assert samplings[0]["n"] == 3 and samplings[0]["top_k"] == 20  # k samples in one request
    assert template_kwargs == {"enable_thinking": False}
    assert engine.loads == [
        (
            "Qwen/Qwen2.5-Coder-7B-Instruct",
            {"max_model_len": 8192, "tensor_parallel_size": 2, "quantization": "awq"},
        )
    ]


def test_apply_jobs_threads_share_one_engine_and_batch_across_threads(engine):
    # `apply --jobs N` with the llm backend runs one event loop per worker thread.
    def apply_with_jobs():
        with ThreadPoolExecutor(max_workers=len(FILES)) as pool:
            return list(pool.map(
                lambda source: adapt(source, "track-mlflow", AdaptOptions(backend="llm")), FILES
            ))

    results = while_the_first_batch_works(engine, len(FILES), apply_with_jobs)
    assert all(isinstance(result, Applied) for result in results)
    assert [r.code for r in results] == [variant(GOOD, 60 + i) for i in range(len(FILES))]
    assert len(engine.loads) == 1 and engine.most_inside == 1
    sizes = [size for size, _, _ in engine.calls]
    assert sizes == batched(engine, len(FILES))


def test_a_second_engine_in_one_process_is_refused_clearly(engine):
    vllm_local.collector_for("model-a", {})
    with pytest.raises(LLMError, match="one vLLM engine per process"):
        vllm_local.collector_for("model-b", {})


def test_an_engine_failure_reaches_every_waiting_file(engine, monkeypatch):
    def broken(conversations, samplings, template_kwargs):
        raise RuntimeError("CUDA out of memory")

    monkeypatch.setattr(engine, "generate", broken)
    engine.release.set()
    result = adapt(SCRIPT, "track-mlflow", AdaptOptions(backend="llm"))
    assert isinstance(result, Failed)
    assert any("vLLM generation failed" in r and "CUDA out of memory" in r for r in result.reasons)
