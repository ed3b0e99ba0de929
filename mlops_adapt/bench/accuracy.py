"""Accuracy benchmark: every applicable task on every corpus script, V1-V5, scored by pass@k."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from mlops_adapt.bench.corpus import CorpusScript, corpus_dir, load_corpus
from mlops_adapt.bench.passk import PAPER_REFERENCE, pass_at_k


def run_script_cases(
    script: CorpusScript, backend: str, samples: int, execute: bool, timeout: float
) -> list[dict]:
    """All tasks on one script: adapt (V1-V4) each sample, then V5 for all candidates in one pytest run."""
    from mlops_adapt.options import AdaptOptions
    from mlops_adapt.results import Applied, Failed, Skipped

    adapt_one, source, name = _adapter(script)
    options = AdaptOptions(backend=backend, verify="static", path=name, timeout=timeout)
    cases: list[dict] = []
    pending: list[tuple[int, int, str]] = []  # (case index, sample index, candidate)
    for task in script.tasks:
        case = {"script": script.name, "task": task, "n": samples, "outcomes": [], "seconds": 0.0}
        for sample in range(samples):
            started = time.monotonic()
            try:
                result = adapt_one(task, options)
            except Exception as err:  # noqa: BLE001 - a crashing case is a failure, not the end of the bench
                result = Failed(task, "internal", (f"{type(err).__name__}: {err}",))
            case["seconds"] += time.monotonic() - started
            if isinstance(result, Applied) and result.changed:
                case["outcomes"].append({"ok": True, "reasons": []})
                if execute:
                    pending.append((len(cases), sample, result.code))
            elif isinstance(result, Skipped):
                case["outcomes"].append({"ok": False, "reasons": [f"skipped: {result.reason}"]})
            elif isinstance(result, Failed):
                case["outcomes"].append(
                    {"ok": False, "reasons": [f"{result.kind}: {r}" for r in result.reasons]}
                )
            else:
                case["outcomes"].append({"ok": False, "reasons": ["no change"]})
        cases.append(case)
    if pending:
        from mlops_adapt.verify.executed import check_executed_many

        started = time.monotonic()
        checks = check_executed_many(
            [(source, code, cases[i]["task"]) for i, _, code in pending],
            AdaptOptions(backend=backend, verify="run", path=name, timeout=timeout),
        )
        share = (time.monotonic() - started) / len(pending)
        for (i, sample, _), check in zip(pending, checks):
            cases[i]["seconds"] += share
            if check.status == "fail":
                cases[i]["outcomes"][sample] = {
                    "ok": False,
                    "reasons": [f"V5 {r}" for r in check.reasons],
                }
            elif check.status == "skip":
                cases[i]["outcomes"][sample] = {
                    "ok": False,
                    "reasons": [f"V5 skipped: {r}" for r in check.reasons],
                }
    for case in cases:
        case["c"] = sum(o["ok"] for o in case["outcomes"])
    return cases


def _adapter(script: CorpusScript):
    """(adapt(task, options), the program text, its file name) for a script or a notebook.

    A notebook's code cells are one program (see mlops_adapt.notebook): its edit must also map
    back into the cells to count, and V5 runs the program as a script.
    """
    from mlops_adapt.engine import adapt

    if script.name.endswith(".ipynb"):
        from mlops_adapt.notebook import adapt_notebook, engine_path, open_notebook

        notebook = open_notebook(str(script.path))
        return (lambda task, options: adapt_notebook(notebook, task, options), notebook.text,
                Path(engine_path(script.name)).name)
    source = script.source()
    return (lambda task, options: adapt(source, task, options)), source, Path(script.name).name


def run_accuracy_bench(
    backend: str = "recipe",
    k: int = 1,
    tasks: list[str] | None = None,
    json_path: str | None = None,
    jobs: int = 2,
    samples: int | None = None,
    match: str | None = None,
    execute: bool = True,
    timeout: float = 120.0,
    corpus: str | None = None,
) -> dict:
    """Run the benchmark and return (and optionally write) the report.

    `corpus` picks another corpus folder with its own tasks.json (e.g. "holdout", the held-out set).
    """
    samples = samples or (1 if backend == "recipe" else k)
    folder = corpus_dir(corpus)
    scripts = load_corpus(tasks=tasks, match=match, corpus=folder)
    # Costly scripts (torch, many tasks) first, so the pool's workers finish together.
    scripts.sort(key=lambda s: (-len(s.tasks), s.name))
    started = time.monotonic()
    cases: list[dict] = []
    if jobs <= 1:
        for done, script in enumerate(scripts, 1):
            cases += _progress(
                done,
                len(scripts),
                run_script_cases(script, backend, samples, execute, timeout),
                started,
            )
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [
                pool.submit(run_script_cases, s, backend, samples, execute, timeout)
                for s in scripts
            ]
            for done, future in enumerate(as_completed(futures), 1):
                cases += _progress(done, len(scripts), future.result(), started)
    wall = time.monotonic() - started
    report = summarize(cases, backend, k, samples, wall, execute)
    report["corpus"] = _display_path(folder)
    if json_path:
        Path(json_path).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def _display_path(path: Path) -> str:
    """A corpus folder relative to the current directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _progress(done: int, total: int, cases: list[dict], started: float) -> list[dict]:
    """One stderr line per finished script, so a long run shows where it is."""
    import sys

    passed = sum(c["c"] > 0 for c in cases)
    name = cases[0]["script"] if cases else "?"
    print(
        f"[{done}/{total}] {name}: {passed}/{len(cases)} passed ({time.monotonic() - started:.0f}s)",
        file=sys.stderr,
        flush=True,
    )
    return cases


def summarize(
    cases: list[dict], backend: str, k: int, samples: int, wall: float, execute: bool
) -> dict:
    """Per-task rows: cases, pass@1, pass@k, seconds per case, most common failure reasons."""
    by_task: dict[str, list[dict]] = defaultdict(list)
    for case in cases:
        by_task[case["task"]].append(case)
    rows = []
    for task, items in sorted(by_task.items()):
        reasons = Counter(
            _reason_key(r)
            for c in items
            for o in c["outcomes"]
            if not o["ok"]
            for r in o["reasons"][:1]
        )
        rows.append(
            {
                "task": task,
                "cases": len(items),
                "pass@1": 100.0 * sum(pass_at_k(c["n"], c["c"], 1) for c in items) / len(items),
                f"pass@{k}": 100.0 * sum(pass_at_k(c["n"], c["c"], k) for c in items) / len(items),
                "seconds_per_case": sum(c["seconds"] for c in items) / len(items),
                "failures": [{"reason": r, "count": n} for r, n in reasons.most_common(5)],
                "failed_cases": [
                    {"script": c["script"], "reasons": c["outcomes"][0]["reasons"][:3]}
                    for c in items
                    if c["c"] == 0
                ],
            }
        )
    return {
        "backend": backend,
        "k": k,
        "samples_per_case": samples,
        "checks": "V1-V5" if execute else "V1-V4",
        "cases": len(cases),
        "wall_seconds": wall,
        "tasks": rows,
        "reference": [
            {
                "category": name,
                "tasks": list(ref["tasks"]),
                "gpt-3.5-turbo pass@3": ref["gpt-3.5-turbo"],
                "WizardCoder pass@3": ref["WizardCoder"],
            }
            for name, ref in PAPER_REFERENCE.items()
        ],
    }


def _reason_key(reason: str) -> str:
    """A failure reason shortened so that equal problems on different scripts count together."""
    import re

    text = re.sub(r"line \d+", "line N", reason)
    text = re.sub(r"\(.*\)", "", text)
    return text[:160].strip()


def format_table(report: dict) -> str:
    """The report as a Markdown table, with the paper's reference rows."""
    k = report["k"]
    lines = [
        (
            (f"corpus={report['corpus']} " if report.get("corpus") else "")
            + f"backend={report['backend']} checks={report['checks']} samples/case={report['samples_per_case']} "
            f"cases={report['cases']} wall={report['wall_seconds']:.0f}s"
        ),
        "",
        "| task | cases | pass@1 |" + (f" pass@{k} |" if k > 1 else "") + " s/case | top failure |",
        "|---|---:|---:|" + ("---:|" if k > 1 else "") + "---:|---|",
    ]
    for row in report["tasks"]:
        top = row["failures"][0]["reason"] if row["failures"] else ""
        at_k = f" {row[f'pass@{k}']:.1f} |" if k > 1 else ""
        lines.append(
            f"| {row['task']} | {row['cases']} | {row['pass@1']:.1f} |{at_k} "
            f"{row['seconds_per_case']:.1f} | {top[:90]} |"
        )
    lines += [
        "",
        "Reference (Patel et al. 2024, Pass@3, best settings):",
        "",
        "| category | tasks | gpt-3.5-turbo | WizardCoder-15B |",
        "|---|---|---:|---:|",
    ]
    for ref in report["reference"]:
        lines.append(
            f"| {ref['category']} | {', '.join(ref['tasks'])} | {ref['gpt-3.5-turbo pass@3']:.1f} | "
            f"{ref['WizardCoder pass@3']:.1f} |"
        )
    return "\n".join(lines)
