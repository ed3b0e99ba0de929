"""pass@k of the LLM path over a set of scripts, as reported by `mlops-adapt bench --backend llm --k K`.

A sample passes when it verifies (V1-V4, and V5 with `verify="run"`). pass@1 and pass@k use the
unbiased estimator of Chen et al. 2021 over the first-round samples; `repaired` is the share of
scripts for which the whole pipeline (repair rounds included) returned a verified edit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import comb

from mlops_adapt.llm.config import LLMConfig, load_llm_config
from mlops_adapt.llm.pipeline import LLMJob, run_jobs
from mlops_adapt.results import Applied


@dataclass(frozen=True)
class ScriptScore:
    """The samples of one script: how many there were and how many verified."""

    task: str
    path: str
    samples: int
    verified: int
    repaired: bool  # the pipeline's final answer verified
    seconds: float
    error: str | None = None


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn from n (c correct) is correct."""
    if n <= 0:
        return 0.0
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def score_scripts(
    items: list[LLMJob], k: int = 3, jobs: int = 8, config: LLMConfig | None = None
) -> list[ScriptScore]:
    """Sample k candidates per script (plus repairs), verify them all, and count."""
    config = replace(config or load_llm_config(), k=k)
    scores = []
    for item, run in zip(items, run_jobs(items, jobs, config)):
        first = [c for c in run.candidates if c.round == 0]
        error = None
        if not isinstance(run.result, Applied) and not first:
            error = "; ".join(getattr(run.result, "reasons", ())) or "no samples"
        scores.append(
            ScriptScore(
                item.task,
                item.options.path or "<source>",
                len(first),
                sum(c.verified for c in first),
                isinstance(run.result, Applied),
                run.seconds,
                error,
            )
        )
    return scores


def summarize(scores: list[ScriptScore], k: int = 3) -> dict[str, dict]:
    """Per task (and "all"): scripts, pass@1, pass@k and with-repair rates in percent."""
    groups: dict[str, list[ScriptScore]] = {}
    for score in scores:
        groups.setdefault(score.task, []).append(score)
    groups["all"] = list(scores)
    table = {}
    for task, rows in groups.items():
        if not rows:
            continue
        table[task] = {
            "scripts": len(rows),
            "pass@1": 100 * sum(pass_at_k(r.samples, r.verified, 1) for r in rows) / len(rows),
            f"pass@{k}": 100 * sum(pass_at_k(r.samples, r.verified, k) for r in rows) / len(rows),
            "with_repair": 100 * sum(r.repaired for r in rows) / len(rows),
            "errors": sum(r.error is not None for r in rows),
        }
    return table


def format_table(table: dict[str, dict], k: int = 3) -> str:
    """The paper's layout: one row per task, Pass@1 and Pass@k in percent (plus our repair column)."""
    lines = [f"{'task':<26} {'scripts':>7} {'Pass@1':>7} {f'Pass@{k}':>7} {'+repair':>8}"]
    for task, row in table.items():
        lines.append(
            f"{task:<26} {row['scripts']:>7} {row['pass@1']:>6.1f}% {row[f'pass@{k}']:>6.1f}% {row['with_repair']:>7.1f}%"
        )
    return "\n".join(lines)
