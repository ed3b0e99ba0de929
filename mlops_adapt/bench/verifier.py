"""Verifier benchmark: known-bad candidates must be rejected for the named reason, known-good ones accepted."""

from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from mlops_adapt.bench.corpus import VerifierCase, load_verifier_cases


def judge_case(case: VerifierCase, execute: bool, timeout: float) -> dict:
    """verify_candidate on one case, with `verify run` semantics (V1-V5) unless execute is off."""
    from mlops_adapt.options import AdaptOptions
    from mlops_adapt.verify.pipeline import verify_candidate

    started = time.monotonic()
    options = AdaptOptions(
        verify="run" if execute else "static", path=case.original.name, timeout=timeout
    )
    report = verify_candidate(
        case.original.read_text(encoding="utf-8"),
        case.candidate.read_text(encoding="utf-8"),
        case.task,
        options,
    )
    failures = report.failures
    text = " ".join(failures).lower()
    if case.expect == "reject":
        correct = not report.ok
        named = correct and case.reason.lower() in text
    else:
        correct = report.ok
        named = correct
    return {
        "id": case.id,
        "set": case.set,
        "task": case.task,
        "expect": case.expect,
        "reason_keyword": case.reason,
        "mistake": case.mistake,
        "ok": report.ok,
        "correct": correct,
        "reason_named": named,
        "failures": failures,
        "v5": next((c.status for c in report.checks if c.id == "V5"), "not run"),
        "seconds": time.monotonic() - started,
    }


def run_verifier_bench(
    json_path: str | None = None,
    jobs: int = 2,
    execute: bool = True,
    match: str | None = None,
    timeout: float = 120.0,
    which: str = "all",
) -> dict:
    """Judge every case of the chosen set(s); report the rejection rate of bad ones and the
    acceptance rate of good ones, overall and per set and task."""
    cases = [c for c in load_verifier_cases(which=which) if not match or match in c.id]
    started = time.monotonic()
    if jobs <= 1:
        results = [judge_case(c, execute, timeout) for c in cases]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(
                pool.map(judge_case, cases, [execute] * len(cases), [timeout] * len(cases))
            )
    sets = _keys(results, "set")
    report = {
        "checks": "V1-V5" if execute else "V1-V4",
        "set": which,
        **_rates(results),
        "by_set": {s: _rates(_where(results, set=s)) for s in sets},
        "by_task": {
            s: {
                t: _rates(_where(results, set=s, task=t))
                for t in _keys(_where(results, set=s), "task")
            }
            for s in sets
        },
        "wall_seconds": time.monotonic() - started,
        "results": results,
    }
    if json_path:
        Path(json_path).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def _keys(results: list[dict], key: str) -> list[str]:
    return list(dict.fromkeys(r[key] for r in results))


def _where(results: list[dict], **match) -> list[dict]:
    return [r for r in results if all(r[k] == v for k, v in match.items())]


def _rates(results: list[dict]) -> dict:
    """Counts and rates of a group of judged cases."""
    bad = [r for r in results if r["expect"] == "reject"]
    good = [r for r in results if r["expect"] == "accept"]
    return {
        "bad_cases": len(bad),
        "good_cases": len(good),
        "bad_rejected": sum(r["correct"] for r in bad),
        "good_accepted": sum(r["correct"] for r in good),
        "rejection_rate": 100.0 * sum(r["correct"] for r in bad) / max(1, len(bad)),
        "reason_named_rate": 100.0 * sum(r["reason_named"] for r in bad) / max(1, len(bad)),
        "acceptance_rate": 100.0 * sum(r["correct"] for r in good) / max(1, len(good)),
    }


def format_verifier_report(report: dict) -> str:
    """A short summary plus one line per case that went wrong."""
    lines = [
        (
            f"verifier bench ({report['checks']}): {report['bad_cases']} bad, {report['good_cases']} good, "
            f"wall {report['wall_seconds']:.0f}s"
        ),
        f"  bad rejected:          {report['rejection_rate']:.1f}%",
        f"  bad rejected, reason named: {report['reason_named_rate']:.1f}%",
        f"  good accepted:         {report['acceptance_rate']:.1f}%",
    ]
    for name, tasks in report.get("by_task", {}).items():
        row = report["by_set"][name]
        lines.append(f"  set {name}: {_counts(row)}")
        lines += [f"    {task:<24} {_counts(r)}" for task, r in tasks.items()]
    for r in report["results"]:
        if not r["correct"]:
            what = (
                "accepted a bad candidate"
                if r["expect"] == "reject"
                else "rejected a good candidate"
            )
            lines.append(
                f"  MISS {r['id']} ({r['task']}): {what}; {'; '.join(r['failures'])[:300]}"
            )
        elif r["expect"] == "reject" and not r["reason_named"]:
            lines.append(
                f"  VAGUE {r['id']}: rejected without naming '{r['reason_keyword']}': "
                f"{'; '.join(r['failures'])[:300]}"
            )
    return "\n".join(lines)


def _counts(row: dict) -> str:
    return (
        f"bad rejected {row['bad_rejected']}/{row['bad_cases']} "
        f"(reason named {row['reason_named_rate']:.0f}%), "
        f"good accepted {row['good_accepted']}/{row['good_cases']}"
    )
