"""Real-model bench: verified pass@1 / pass@k of the tool's LLM path with a real code model, per task.

Opt-in, outside CI. By default it starts the local CPU model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M
under llama-cpp-python, installed by bench/llm/setup_local_model.sh) on 127.0.0.1; with
--base-url it talks to any running OpenAI-compatible server instead (vLLM on a GPU box):

    PYTHONPATH=. .venv/bin/python bench/llm/real_model.py --k 3                  # local CPU model
    PYTHONPATH=. .venv/bin/python bench/llm/real_model.py --k 3 --base-url http://gpu:8000/v1 \
        --model Qwen/Qwen2.5-Coder-7B-Instruct --api-key-env MY_VLLM_KEY          # a vLLM server
    ... --limit 1 --k 1                                                           # smoke run
    ... --docs-k 1 --variant short-prompt                                         # prompt-size variant

Each script of the fixed subset (bench/llm/subset.json, held-out scripts) goes through the tool's
own LLM pipeline (mlops_adapt.llm.pipeline.run_jobs: prompt, k samples, V1-V5, repair rounds) with
the response cache off. pass@1 and pass@k use every first-round sample, each verified V1-V5 (the
pipeline stops executing once one passes, so the bench executes the rest itself). A loopback
pass-through counts tokens in/out. Every candidate is saved with its verifier reasons under
bench/llm/results/candidates/<variant>/; the report (rewritten after every script, so a run cut
short keeps what it measured) goes to bench/llm/results/<variant>.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import signal
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from usage_proxy import UsageProxy

from mlops_adapt.llm.cache import Completion
from mlops_adapt.llm.config import load_llm_config
from mlops_adapt.llm.evaluate import pass_at_k
from mlops_adapt.llm.local_server import (
    DEFAULT_MODEL,
    DEFAULT_PYTHON,
    LocalServer,
    LocalServerError,
)
from mlops_adapt.llm.parsing import extract_code
from mlops_adapt.llm.pipeline import LLMJob, run_jobs
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.verify.pipeline import verify_candidate

RESULTS = HERE / "results"


def load_subset(path: Path) -> list[tuple[str, Path]]:
    """(task, script) pairs of the committed subset, paths relative to the repository root."""
    rows = json.loads(path.read_text(encoding="utf-8"))["scripts"]
    return [(row["task"], ROOT / row["path"]) for row in rows]


def candidate_dir(variant: str, task: str, script: Path) -> Path:
    return RESULTS / "candidates" / variant / task / script.stem


def save_candidate(folder: Path, name: str, code: str | None, reasons: list[str]) -> str:
    """The candidate's code (when there is any) and its verdict, side by side; the code's path."""
    folder.mkdir(parents=True, exist_ok=True)
    if code is not None:
        (folder / f"{name}.py").write_text(code, encoding="utf-8")
    verdict = "\n".join(reasons) if reasons else "verified (V1-V5 passed)"
    (folder / f"{name}.txt").write_text(verdict + "\n", encoding="utf-8")
    return str((folder / f"{name}.py").relative_to(ROOT))


def first_round_verdicts(run, exchanges, source: str, job: LLMJob) -> list[dict]:
    """Every first-round sample with its V1-V5 verdict; V5 run here where the pipeline skipped it."""
    reports = {c.code: c.report for c in run.candidates if c.code is not None and c.report}
    answers = [
        Completion(text, reason)
        for ex in exchanges
        if ex.messages == 2  # system + task prompt: the first round (repairs carry 4 messages)
        for text, reason in zip(ex.answers, ex.finish_reasons)
    ]
    out = []
    for answer in answers:
        extracted = extract_code(answer, source)
        if extracted.code is None or extracted.code == source:
            problem = extracted.problem or "the answer made no change to the script"
            out.append({"code": None, "ok": False, "reasons": [problem]})
            continue
        report = reports.get(extracted.code)
        if report is None or (report.ok and job.options.verify == "run" and not report.executed):
            report = verify_candidate(source, extracted.code, job.task, job.options, "llm")
            reports[extracted.code] = report
        out.append({"code": extracted.code, "ok": report.ok, "reasons": report.failures})
    return out


def run_script(task: str, script: Path, config, proxy: UsageProxy, args) -> dict:
    """One script through the pipeline; its samples, verdicts, tokens and seconds."""
    source = script.read_text(encoding="utf-8")
    rel = str(script.relative_to(ROOT))
    job = LLMJob(source, task, AdaptOptions(backend="llm", verify=args.verify, path=str(script)))
    mark = proxy.log.mark()
    run = run_jobs([job], jobs=1, config=config)[0]
    exchanges = proxy.log.since(mark)
    started = time.perf_counter()
    samples = first_round_verdicts(run, exchanges, source, job)
    extra_v5 = time.perf_counter() - started

    folder = candidate_dir(args.variant, task, script)
    for i, sample in enumerate(samples):
        sample["file"] = save_candidate(folder, f"r0c{i + 1}", sample.pop("code"), sample["reasons"])
    repairs = []
    for c in run.candidates:
        if c.round > 0:
            path = save_candidate(folder, f"r{c.round}c{c.index + 1}", c.code, c.reasons)
            repairs.append({"round": c.round, "ok": c.verified, "reasons": c.reasons, "file": path})

    applied = isinstance(run.result, Applied)
    winner = None
    if applied:
        winner = next((c.round for c in run.candidates if c.code == run.result.code), None)
    n, c = len(samples), sum(s["ok"] for s in samples)
    return {
        "task": task,
        "script": rel,
        "samples": n,
        "verified": c,
        "pass@1": pass_at_k(n, c, 1),
        f"pass@{args.k}": pass_at_k(n, c, args.k),
        "applied": applied,
        "winning_round": winner,
        "repair_helped": applied and bool(winner),
        "repair_rounds_run": max((c.round for c in run.candidates), default=0),
        "requests": len(exchanges),
        "tokens_in": sum(e.prompt_tokens for e in exchanges),
        "tokens_out": sum(e.completion_tokens for e in exchanges),
        "seconds": round(run.seconds, 1),
        "extra_v5_seconds": round(extra_v5, 1),
        "first_round": samples,
        "repairs": repairs,
        "failure": None if applied else list(getattr(run.result, "reasons", ())),
    }


def summarize(rows: list[dict], k: int) -> dict:
    """Per task and overall: pass@1, pass@k, with repair, repair helped, tokens, seconds per file."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["task"], []).append(row)
    if rows:
        groups["all"] = rows
    table = {}
    for task, group in groups.items():
        n = len(group)
        table[task] = {
            "scripts": n,
            "pass@1": round(100 * sum(r["pass@1"] for r in group) / n, 1),
            f"pass@{k}": round(100 * sum(r[f"pass@{k}"] for r in group) / n, 1),
            "with_repair": round(100 * sum(r["applied"] for r in group) / n, 1),
            "repair_helped": sum(r["repair_helped"] for r in group),
            "tokens_in": sum(r["tokens_in"] for r in group),
            "tokens_out": sum(r["tokens_out"] for r in group),
            "seconds_per_file": round(sum(r["seconds"] for r in group) / n, 1),
        }
    return table


def format_table(table: dict, k: int) -> str:
    head = (
        f"{'task':<24} {'scripts':>7} {'pass@1':>7} {f'pass@{k}':>7} {'+repair':>8} "
        f"{'repair helped':>13} {'tokens in':>9} {'tokens out':>10} {'s/file':>7}"
    )
    lines = [head]
    for task, r in table.items():
        lines.append(
            f"{task:<24} {r['scripts']:>7} {r['pass@1']:>6.1f}% {r[f'pass@{k}']:>6.1f}% "
            f"{r['with_repair']:>7.1f}% {r['repair_helped']:>13} {r['tokens_in']:>9} "
            f"{r['tokens_out']:>10} {r['seconds_per_file']:>7.1f}"
        )
    return "\n".join(lines)


def markdown(reports: list[dict]) -> str:
    """Saved reports as one markdown table (a row per variant and task) and, per task that never
    verified, the verifier's reasons counted over its samples."""
    lines = [
        (
            "| variant | task | scripts | samples | pass@1 | pass@k | +repair | repair helped "
            "| tokens in | tokens out | s/file |"
        ),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    zero: dict[tuple[str, str], dict[str, int]] = {}
    for report in reports:
        k = report["k"]
        for task, r in report.get("summary", {}).items():
            rows = [s for s in report["scripts"] if task in ("all", s["task"])]
            lines.append(
                f"| {report['variant']} | {task} | {r['scripts']} | {sum(s['samples'] for s in rows)} "
                f"| {r['pass@1']:.1f} | {r[f'pass@{k}']:.1f} (k={k}) | {r['with_repair']:.1f} "
                f"| {r['repair_helped']} | {r['tokens_in']} | {r['tokens_out']} "
                f"| {r['seconds_per_file']:.0f} |"
            )
            if task != "all" and r["with_repair"] == 0 and r[f"pass@{k}"] == 0:
                counts = zero.setdefault((report["variant"], task), {})
                for script in rows:
                    for sample in script["first_round"]:
                        for reason in sample["reasons"]:
                            counts[reason] = counts.get(reason, 0) + 1
    out = ["\n".join(lines)]
    for (variant, task), counts in zero.items():
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:6]
        out.append(f"{variant} / {task}, 0 verified; reasons (times over its samples):\n"
                   + "\n".join(f"- {n}x {reason}" for reason, n in top))
    return "\n\n".join(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=Path, default=HERE / "subset.json")
    parser.add_argument("--variant", default="full-prompt", help="report and candidates name")
    parser.add_argument("--k", type=int, default=3, help="samples per script (pass@k)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N scripts")
    parser.add_argument("--tasks", nargs="+", default=None, help="only these tasks")
    parser.add_argument("--verify", choices=["static", "run"], default="run")
    parser.add_argument("--repair-rounds", type=int, default=None, help="default: the config's")
    parser.add_argument("--docs-k", type=int, default=None, help="doc entries per prompt")
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--temperature", type=float, default=None)
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds without any answer finishing"
    )
    remote = parser.add_argument_group("an existing server (vLLM, ...) instead of the local one")
    remote.add_argument("--base-url", default=None)
    remote.add_argument("--model", default=None, help="model id (default: the one it serves)")
    remote.add_argument("--api-key-env", default=None, help="name of the variable holding the key")
    local = parser.add_argument_group("the local llama-cpp-python server")
    local.add_argument("--gguf", type=Path, default=DEFAULT_MODEL)
    local.add_argument("--server-python", type=Path, default=DEFAULT_PYTHON)
    local.add_argument("--n-ctx", type=int, default=8192)
    # One thread: on 2 shared cores, llama.cpp's spinning threads lose ~10x to contention.
    local.add_argument("--threads", type=int, default=1)
    local.add_argument(
        "--server-nice", type=int, default=None,
        help="the server's nice value (default: inherited from this process)",
    )  # fmt: skip
    local.add_argument("--server-log", type=Path, default=Path("/tmp/mlops-adapt-llm-server.log"))
    parser.add_argument("--out", type=Path, default=None, help="default results/<variant>.json")
    parser.add_argument(
        "--resume", action="store_true",
        help="keep the scripts already in the report and run only the others",
    )  # fmt: skip
    parser.add_argument(
        "--show", type=Path, nargs="+", default=None, metavar="REPORT",
        help="print saved reports as a markdown table, with the reasons of tasks that scored 0",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show:
        print(markdown([json.loads(p.read_text(encoding="utf-8")) for p in args.show]))
        return 0
    pairs = [(t, p) for t, p in load_subset(args.subset) if not args.tasks or t in args.tasks]
    pairs = pairs[: args.limit] if args.limit else pairs
    out = args.out or RESULTS / f"{args.variant}.json"
    done: list[dict] = []
    if args.resume and out.is_file():
        done = json.loads(out.read_text(encoding="utf-8"))["scripts"]
        finished = {(row["task"], row["script"]) for row in done}
        pairs = [(t, p) for t, p in pairs if (t, str(p.relative_to(ROOT))) not in finished]
        print(f"resuming {out.name}: {len(done)} scripts kept, {len(pairs)} to run", flush=True)
        if not pairs:
            print(format_table(summarize(done, args.k), args.k))
            return 0

    # `kill PID` ends the run through the finally below, which stops the model server too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = None
    if args.base_url:
        upstream, model = args.base_url, args.model or ""
        api_key = os.environ.get(args.api_key_env, "") if args.api_key_env else ""
        served = {"kind": "remote", "base_url": upstream, "model": model}
    else:
        server = LocalServer(
            args.gguf, args.server_python, n_ctx=args.n_ctx, threads=args.threads,
            log_path=args.server_log, niceness=args.server_nice,
        )  # fmt: skip
        t0 = time.perf_counter()
        try:
            server.start()
        except LocalServerError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        upstream, model, api_key = server.base_url, server.alias, ""
        served = {
            "kind": "local llama-cpp-python 0.2.62",
            "gguf": args.gguf.name,
            "n_ctx": args.n_ctx,
            "threads": args.threads,
            "nice": args.server_nice,
            "ready_seconds": round(time.perf_counter() - t0, 1),
        }
        print(f"server ready in {served['ready_seconds']} s at {upstream}", flush=True)
    proxy = UsageProxy(upstream).start()
    overrides = {
        "base_url": proxy.base_url,
        "model": model,
        "api_key": api_key,
        "k": args.k,
        "cache": False,  # every sample is a real one
        "timeout": args.timeout,
        "concurrency": args.k,
        "max_tokens": args.max_tokens,
        "repair_rounds": args.repair_rounds,
        "docs_k": args.docs_k,
        "temperature": args.temperature,
        "context_tokens": args.n_ctx if server else None,
    }
    config = load_llm_config(None, {k: v for k, v in overrides.items() if v is not None})
    report = {
        "variant": args.variant,
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
        "server": served,
        "config": {**config.public_dict(), "base_url": "(usage pass-through)"},
        "k": args.k,
        "verify": args.verify,
        "scripts": list(done),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        for i, (task, script) in enumerate(pairs, 1):
            print(f"[{i}/{len(pairs)}] {task} {script.name} ...", flush=True)  # of those left
            row = run_script(task, script, config, proxy, args)
            report["scripts"].append(row)
            report["summary"] = summarize(report["scripts"], args.k)
            report["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            write_json(out, report)
            print(
                f"    {row['verified']}/{row['samples']} verified, applied={row['applied']} "
                f"(round {row['winning_round']}), {row['tokens_in']} in / {row['tokens_out']} out, "
                f"{row['seconds']} s",
                flush=True,
            )
            for sample in row["first_round"]:
                if not sample["ok"]:
                    print(f"      {sample['file']}: {'; '.join(sample['reasons'][:3])}", flush=True)
    finally:
        proxy.stop()
        if server is not None:
            server.stop()
    print(format_table(report.get("summary", {}), args.k))
    print(f"report: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


def write_json(path: Path, data: dict) -> None:
    """Atomically: a run killed mid-write keeps the previous report."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, default=_plain) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _plain(value):
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    return str(value)


if __name__ == "__main__":
    raise SystemExit(main())
