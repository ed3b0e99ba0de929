"""Throughput of the LLM path: 50 files, --jobs 8, an endpoint that takes 1 s per request (target <= 10 s).

Run: .venv/bin/python bench/llm/throughput.py [--files 50] [--jobs 8] [--delay 1.0] [--k 3] [--cli]

The endpoint is the loopback OpenAI-compatible server; its answers are the recipe's verified edits
of each file, computed before the clock starts, so the figure measures our client, concurrency
and verification, not a model. Every answer is verified as usual (V1-V4).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = """\
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

N_ESTIMATORS = {n}
MAX_DEPTH = {depth}

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state={seed})
model_{i} = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH)
model_{i}.fit(X_train, y_train)
accuracy_{i} = accuracy_score(y_test, model_{i}.predict(X_test))
print(accuracy_{i})
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument(
        "--cli", action="store_true", help="also time `mlops-adapt apply --jobs` (thread pool)"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="llm-throughput-"))
    os.environ["MLOPS_ADAPT_CACHE_DIR"] = str(work / "cache")  # cold cache: every request is real
    from mlops_adapt.llm.config import LLMConfig
    from mlops_adapt.llm.loopback import ScriptedEndpoint, user_code_of
    from mlops_adapt.llm.pipeline import LLMJob, run_jobs
    from mlops_adapt.options import AdaptOptions
    from mlops_adapt.results import Applied
    from mlops_adapt.transforms.base import run_recipe

    sources = [TEMPLATE.format(i=i, n=10 + i, depth=2 + i % 5, seed=i) for i in range(args.files)]
    answers = {s: run_recipe("track-mlflow", s, AdaptOptions()) for s in sources}
    assert all(isinstance(a, str) for a in answers.values()), (
        "the recipe must adapt every bench file"
    )

    def responder(body, index):
        return [f"```python\n{answers[user_code_of(body)]}```"] * int(body.get("n") or 1)

    with ScriptedEndpoint(responder, delay=args.delay) as endpoint:
        config = LLMConfig(
            base_url=endpoint.base_url,
            model="test-model",
            k=args.k,
            concurrency=max(args.jobs, 1),
            timeout=60,
        )
        items = [
            LLMJob(s, "track-mlflow", AdaptOptions(backend="llm", path=f"train_{i}.py"))
            for i, s in enumerate(sources)
        ]
        # Cold: a fresh process pays for importing openai, libcst rules and loading the docs index.
        started = time.perf_counter()
        runs = run_jobs(items, jobs=args.jobs, config=config)
        cold = time.perf_counter() - started
        _report("cold process", args, runs, cold, len(endpoint.requests))
        # Warm: the same batch again with a fresh cache, as in a long-running server or CI job.
        os.environ["MLOPS_ADAPT_CACHE_DIR"] = str(work / "cache-warm")
        before = len(endpoint.requests)
        started = time.perf_counter()
        runs = run_jobs(items, jobs=args.jobs, config=config)
        warm = time.perf_counter() - started
        _report("warm process", args, runs, warm, len(endpoint.requests) - before)
        ok = warm <= 10 and all(isinstance(r.result, Applied) for r in runs)

        if args.cli:
            ok = _time_cli(args, endpoint, sources, work) and ok
    return 0 if ok else 1


def _report(label: str, args, runs, elapsed: float, requests: int) -> None:
    from mlops_adapt.results import Applied

    verified = sum(isinstance(r.result, Applied) for r in runs)
    per_file = sorted(r.seconds for r in runs)
    print(
        f"llm throughput ({label}, adapt_many_with_llm): {args.files} files, jobs {args.jobs}, k {args.k}, "
        f"{args.delay:g} s per request: {elapsed:.2f} s ({args.files / elapsed:.1f} files/s), "
        f"{verified}/{args.files} verified, {requests} requests, per file median "
        f"{per_file[len(per_file) // 2]:.2f} s max {per_file[-1]:.2f} s; target <= 10 s: "
        f"{'PASS' if elapsed <= 10 and verified == args.files else 'FAIL'}"
    )


def _time_cli(args, endpoint, sources, work: Path) -> bool:
    from mlops_adapt.cli import main as cli_main

    folder = work / "files"
    folder.mkdir()
    for i, source in enumerate(sources):
        (folder / f"train_{i}.py").write_text(source)
    os.environ.update(
        {
            "MLOPS_ADAPT_LLM_BASE_URL": endpoint.base_url,
            "MLOPS_ADAPT_LLM_MODEL": "test-model",
            "MLOPS_ADAPT_LLM_K": str(args.k),
            "MLOPS_ADAPT_CACHE_DIR": str(work / "cache-cli"),
        }
    )
    before = len(endpoint.requests)
    started = time.perf_counter()
    stdout = sys.stdout
    with open(os.devnull, "w") as sink:
        sys.stdout = sink
        try:
            code = cli_main(
                [
                    "apply",
                    "track-mlflow",
                    str(folder),
                    "--backend",
                    "llm",
                    "--jobs",
                    str(args.jobs),
                    "--json",
                    str(work / "report.json"),
                ]
            )
        finally:
            sys.stdout = stdout
    elapsed = time.perf_counter() - started
    print(
        f"llm throughput (mlops-adapt apply --jobs {args.jobs}): {len(sources)} files: {elapsed:.2f} s, "
        f"exit {code}, {len(endpoint.requests) - before} requests"
    )
    return code == 0 and elapsed <= 10


if __name__ == "__main__":
    sys.exit(main())
