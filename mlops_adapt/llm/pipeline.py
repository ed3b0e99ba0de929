"""The LLM path: prompt, sample k candidates, verify all, repair with the verifier's reasons, pick the best."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from mlops_adapt.llm.budget import Fit, answer_room, fit_prompt
from mlops_adapt.llm.cache import Completion, ResponseCache
from mlops_adapt.llm.config import (
    NO_ENDPOINT,
    ConfigError,
    LLMConfig,
    load_llm_config,
    overrides_from_task_options,
)
from mlops_adapt.llm.errors import LLMError
from mlops_adapt.llm.selection import Candidate, best_verified, rank_key, repair_target
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed, Result
from mlops_adapt.tasks import TASKS

MAX_REASONS_PER_CANDIDATE = 4
MAX_REASONS = 40


@dataclass(frozen=True)
class LLMJob:
    """One file for the LLM path."""

    source: str
    task: str
    options: AdaptOptions = field(default_factory=AdaptOptions)
    recipe_result: Result | None = None


@dataclass
class LLMRun:
    """The result of one job plus every candidate seen, for benchmarks and reports."""

    result: Result
    candidates: list[Candidate] = field(default_factory=list)
    seconds: float = 0.0


# ------------------------------------------------------------------ sync entry points
def adapt_with_llm(
    source: str, task: str, options: AdaptOptions, recipe_result: Result | None
) -> Result:
    """The engine's LLM backend for one source text; never raises, never returns unverified code."""
    options = options or AdaptOptions()
    try:
        config = load_llm_config(None, overrides_from_task_options(options.task_options))
    except ConfigError as err:
        return Failed(task, "input", (str(err),))
    if not config.configured:
        return _no_endpoint(task, recipe_result)
    return run_jobs([LLMJob(source, task, options, recipe_result)], jobs=1, config=config)[0].result


def adapt_many_with_llm(
    items: list[LLMJob], jobs: int = 8, config: LLMConfig | None = None
) -> list[Result]:
    """Adapt many files concurrently on one event loop (`--jobs`); results in input order."""
    return [run.result for run in run_jobs(items, jobs, config)]


def run_jobs(items: list[LLMJob], jobs: int = 8, config: LLMConfig | None = None) -> list[LLMRun]:
    """Like adapt_many_with_llm, with every candidate kept (the benchmark reads them)."""
    if not items:
        return []
    if config is None:
        try:
            config = load_llm_config(
                None, overrides_from_task_options(items[0].options.task_options)
            )
        except ConfigError as err:
            return [LLMRun(Failed(i.task, "input", (str(err),))) for i in items]
    if not config.configured:
        return [LLMRun(_no_endpoint(i.task, i.recipe_result)) for i in items]
    return _run_sync(lambda: run_jobs_async(items, jobs, config))


def _run_sync(make: Callable[[], Awaitable]):
    """asyncio.run, or in a helper thread when this thread already runs a loop (the language server)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _no_endpoint(task: str, recipe_result: Result | None) -> Result:
    """Auto mode reports the recipe's own failure unchanged; `--backend llm` says what to set."""
    if isinstance(recipe_result, Failed):
        return recipe_result
    return Failed(task, "unverified", (NO_ENDPOINT,))


# ------------------------------------------------------------------ async core
def make_client(config: LLMConfig):
    """The HTTP client, or the in-process vLLM one; both share the response cache."""
    cache = ResponseCache() if config.cache else None
    if config.backend == "vllm":
        from mlops_adapt.llm.vllm_local import VllmClient

        return VllmClient(config, cache)
    if config.backend != "http":
        raise LLMError(
            "config", f"unknown LLM backend {config.backend!r}; expected 'http' or 'vllm'"
        )
    from mlops_adapt.llm.client import ChatClient

    return ChatClient(config, cache)


async def run_jobs_async(items: list[LLMJob], jobs: int, config: LLMConfig) -> list[LLMRun]:
    """Every job on this loop, at most `jobs` files at once and `config.concurrency` requests."""
    try:
        client = make_client(config)
    except LLMError as err:
        return [LLMRun(_failure(i, [], [f"LLM: {config.clean(err.message)}"])) for i in items]
    # Prompts for the next files are built while `jobs` files wait on the endpoint.
    gate, prep_gate = asyncio.Semaphore(max(1, jobs)), asyncio.Semaphore(max(1, jobs))

    async def one(item: LLMJob) -> LLMRun:
        started = time.perf_counter()
        try:
            async with prep_gate:
                prepared = await _prepare(client, config, item)
            if isinstance(prepared, LLMRun):
                return prepared
            async with gate:
                started = time.perf_counter()
                run = await _generate(client, config, prepared)
        except Exception as err:  # noqa: BLE001 - one file's bug must not sink the batch
            run = LLMRun(
                Failed(item.task, "internal", (f"LLM path crashed: {type(err).__name__}: {err}",))
            )
        run.seconds = time.perf_counter() - started
        run.result = _without_credentials(run.result, config)
        return run

    try:
        return list(await asyncio.gather(*(one(i) for i in items)))
    finally:
        await client.aclose()


@dataclass(frozen=True)
class _Prepared:
    """A job with its first conversation built."""

    item: LLMJob
    base: list[dict]
    version: str
    warnings: tuple[str, ...]
    max_tokens: int | None = None  # the answer's room in the context (None: window unknown)
    reserve: int = 0  # tokens an answer needs, for checking repair prompts


async def _prepare(client, config: LLMConfig, item: LLMJob) -> _Prepared | LLMRun:
    """Facts, docs and the recipe draft into the first prompt, fitted to the model's context;
    an LLMRun when the input is bad or the code alone does not fit."""
    from mlops_adapt.analysis.facts import analyze
    from mlops_adapt.llm.docs import retrieve_docs
    from mlops_adapt.llm.prompting import build_messages, render_scaffold

    source, task, options = item.source, item.task, item.options
    if task not in TASKS:
        return LLMRun(
            Failed(task, "input", (f"unknown task {task!r}; known tasks: {', '.join(TASKS)}",))
        )
    try:
        facts = await asyncio.to_thread(analyze, source)
    except Exception as err:  # noqa: BLE001 - libcst syntax errors and friends
        return LLMRun(
            Failed(task, "input", (f"{options.path or '<source>'}: cannot analyse: {err}",))
        )
    docs = await asyncio.to_thread(retrieve_docs, task, source, facts, config.docs_k)
    draft, draft_reasons = await asyncio.to_thread(_recipe_draft, item)
    scaffold = render_scaffold(source, draft, draft_reasons)

    def build(docs_kept: int, with_scaffold: bool) -> list[dict]:
        shown = scaffold if with_scaffold else SCAFFOLD_LEFT_OUT
        return build_messages(
            task, source, facts, docs.first(docs_kept), docs.version, shown, options.path
        )

    total = len(docs.entries)
    try:
        fit = await fit_prompt(client, build, total, source, config.max_tokens)
    except LLMError as err:
        return LLMRun(_failure(item, [], [f"LLM: {err.message}"]))
    if fit.messages is None:
        return LLMRun(Failed(task, "input", (_too_long(options.path, fit),)))
    warnings = [docs.warning] if docs.warning else []
    if fit.docs_kept < total or not fit.scaffold_kept:
        dropped = [f"docs {total} -> {fit.docs_kept} entries"] if fit.docs_kept < total else []
        dropped += [] if fit.scaffold_kept else ["recipe draft left out"]
        warnings.append(
            f"prompt trimmed to fit the model's context of {fit.window} tokens: "
            + ", ".join(dropped)
        )
    return _Prepared(
        item, fit.messages, docs.version, tuple(warnings), fit.max_tokens, fit.reserve
    )


SCAFFOLD_LEFT_OUT = "(recipe draft left out: the prompt must fit the model's context window)"


def _too_long(path: str | None, fit: Fit) -> str:
    how = "counted by the server's tokenizer" if fit.exact else "estimated at 3.5 characters each"
    return (
        f"{path or '<source>'}: the script does not fit the model's context window: the prompt "
        f"without docs or recipe draft takes {fit.prompt_tokens} tokens ({how}) and the answer "
        f"needs about {fit.reserve} more, but the context holds {fit.window}. Serve the model "
        "with a larger context (llama.cpp -c, vLLM --max-model-len; set `context_tokens` if the "
        "server reports it wrong) or split the file"
    )


async def _generate(client, config: LLMConfig, prepared: _Prepared) -> LLMRun:
    """Sample, verify, repair up to config.repair_rounds times, and pick the best verified candidate."""
    from mlops_adapt.llm.prompting import repair_messages

    item, base = prepared.item, prepared.base
    source, task = item.source, item.task
    candidates: list[Candidate] = []
    verified_cache: dict[str, Candidate] = {}
    errors: list[str] = []
    messages, max_tokens = base, prepared.max_tokens
    for round_ in range(config.repair_rounds + 1):
        try:
            answers = await client.complete(messages, config.k, max_tokens=max_tokens)
        except LLMError as err:
            errors.append(f"LLM: {err.message}")
            break
        batch = await _verify_answers(answers, round_, item, verified_cache)
        if item.options.verify == "run":
            batch = await _execute_in_rank_order(batch, item, verified_cache)
        candidates += batch
        if best_verified(candidates, source) is not None:
            break
        target = repair_target(batch) or repair_target(candidates)
        if target is None or target.code is None:
            break
        follow_up = repair_messages(base, target.code, target.reasons, task, prepared.version)
        if follow_up == messages:
            break  # the same question again would only replay the same (cached) answers
        max_tokens = await answer_room(client, follow_up, prepared.reserve, config.max_tokens)
        if max_tokens == 0:
            errors.append(
                "LLM: no repair round: the repair prompt leaves too little of the model's "
                "context window for an answer"
            )
            break
        messages = follow_up

    best = best_verified(candidates, source)
    if best is None:
        return LLMRun(_failure(item, candidates, errors), candidates)
    assert best.code is not None and best.report is not None
    return LLMRun(Applied(task, source, best.code, "llm", best.report, prepared.warnings), candidates)


def _recipe_draft(item: LLMJob) -> tuple[str | None, tuple[str, ...]]:
    """The recipe's output to show the model: its verified code, or the draft that failed, with reasons."""
    if isinstance(item.recipe_result, Applied):
        return item.recipe_result.code, ()
    if not isinstance(item.recipe_result, Failed) or item.recipe_result.kind != "unverified":
        return None, ()
    try:
        from mlops_adapt.transforms.base import run_recipe

        draft = run_recipe(item.task, item.source, item.options)
    except Exception:  # noqa: BLE001 - a draft is a hint; its absence is not an error
        return None, ()
    return (draft if isinstance(draft, str) else None), item.recipe_result.reasons


async def _verify_answers(
    answers: list[Completion], round_: int, item: LLMJob, seen: dict[str, Candidate]
) -> list[Candidate]:
    """Parse and statically verify each answer (identical code is verified once), off the event loop."""
    from mlops_adapt.llm.parsing import extract_code
    from mlops_adapt.verify.pipeline import verify_candidate

    static = dataclasses.replace(item.options, verify="static")

    out = []
    for index, answer in enumerate(answers):
        extracted = extract_code(answer, item.source)
        if extracted.code is None:
            out.append(Candidate(round_, index, None, None, extracted.problem))
            continue
        if extracted.code == item.source:
            out.append(
                Candidate(round_, index, None, None, "the answer made no change to the script")
            )
            continue
        if extracted.code in seen:
            earlier = seen[extracted.code]
            out.append(Candidate(round_, index, earlier.code, earlier.report))
            continue
        report = await asyncio.to_thread(
            verify_candidate, item.source, extracted.code, item.task, static, "llm"
        )
        candidate = Candidate(round_, index, extracted.code, report)
        seen[extracted.code] = candidate
        out.append(candidate)
    return out


async def _execute_in_rank_order(
    batch: list[Candidate], item: LLMJob, seen: dict[str, Candidate]
) -> list[Candidate]:
    """V5 for the statically verified candidates, best first, until one passes.

    Sandbox runs cost seconds, and running them in rank order picks the same winner as running
    them all: the first to pass outranks every candidate after it.
    """
    from mlops_adapt.verify.pipeline import verify_candidate

    order = sorted((c for c in batch if c.verified), key=lambda c: rank_key(c, item.source))
    executed: dict[str, Candidate] = {}
    for candidate in order:
        if candidate.code in executed:
            continue
        report = await asyncio.to_thread(
            verify_candidate, item.source, candidate.code, item.task, item.options, "llm"
        )
        done = dataclasses.replace(candidate, report=report)
        executed[candidate.code] = seen[candidate.code] = done
        if report.ok:
            break
    out = []
    for candidate in batch:
        if candidate.code in executed:
            out.append(dataclasses.replace(candidate, report=executed[candidate.code].report))
        elif candidate.verified:
            # Statically fine but never run, because a better one passed V5: not a candidate for selection.
            out.append(
                dataclasses.replace(
                    candidate,
                    code=None,
                    report=None,
                    problem="not executed (a better candidate passed V5)",
                )
            )
        else:
            out.append(candidate)
    return out


def _without_credentials(result: Result, config: LLMConfig) -> Result:
    """The result with the API key and URL credentials cleaned out of its messages.

    A last line of defence: the client's own messages are clean already, but a library's
    exception text (quoted in a crash reason) may hold the full URL.
    """
    if isinstance(result, Failed):
        return dataclasses.replace(result, reasons=tuple(config.clean(r) for r in result.reasons))
    if isinstance(result, Applied) and result.warnings:
        return dataclasses.replace(result, warnings=tuple(config.clean(w) for w in result.warnings))
    return result


def _failure(item: LLMJob, candidates: list[Candidate], errors: list[str]) -> Failed:
    """Exit-3 failure listing why each candidate (and the recipe, in auto mode) was rejected."""
    reasons: list[str] = []
    if isinstance(item.recipe_result, Failed):
        reasons += [f"recipe: {r}" for r in item.recipe_result.reasons]
    for candidate in candidates:
        shown = candidate.reasons[:MAX_REASONS_PER_CANDIDATE]
        more = len(candidate.reasons) - len(shown)
        reasons += [f"llm {candidate.label}: {r}" for r in shown]
        if more > 0:
            reasons.append(f"llm {candidate.label}: ... and {more} more")
    reasons += errors
    if not candidates and not errors:
        reasons.append("LLM: no candidate was produced")
    if len(reasons) > MAX_REASONS:
        reasons = reasons[:MAX_REASONS] + [f"... and {len(reasons) - MAX_REASONS} more reasons"]
    return Failed(item.task, "unverified", tuple(reasons))
