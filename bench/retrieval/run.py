"""Retrieval benchmark: recall@5 and MRR per mode, warm query latency, full build time.

Usage (from the repository root):
    .venv/bin/python bench/retrieval/run.py [--queries FILE]... [--cache-dir DIR] [--skip-build]
        [--json REPORT]

Without --cache-dir the index is built from scratch in a temp dir, which is the full-build
timing. Targets: hybrid recall@5 >= 0.9, warm p95 <= 30 ms, full build <= 90 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

MODES = ("dense", "lexical", "hybrid")


def load_queries(files: list[Path]) -> list[dict]:
    queries = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                query = json.loads(line)
                query["source"] = f"{path.name}:{number}"
                queries.append(query)
    return queries


def score(queries: list[dict], mode: str, k: int = 5) -> dict:
    from mlops_adapt.retrieval.catalog import load_catalog
    from mlops_adapt.retrieval.query import retrieve_detailed

    recalls, reciprocal_ranks, misses, used = [], [], [], set()
    for query in queries:
        catalog = load_catalog(query["library"])
        expected = {catalog.canonical(name) or name for name in query["expected"]}
        result = retrieve_detailed(query["query"], query["library"], 20, mode=mode)
        used.add(result.mode)
        ranked = [hit.qualname for hit in result.hits]
        found = expected & set(ranked[:k])
        recalls.append(len(found) / len(expected))
        rank = next((i for i, name in enumerate(ranked, 1) if name in expected), None)
        reciprocal_ranks.append(1.0 / rank if rank else 0.0)
        if len(found) < len(expected):
            misses.append(
                {"query": query["query"], "expected": sorted(expected), "top5": ranked[:k]}
            )
    return {
        "recall@5": statistics.mean(recalls),
        "mrr": statistics.mean(reciprocal_ranks),
        "modes_used": sorted(used),
        "misses": misses,
    }


def latency(queries: list[dict], mode: str, rounds: int = 3) -> dict:
    from mlops_adapt.retrieval.query import retrieve_detailed

    for query in queries[:5]:  # warm: model loaded, catalogs parsed, BM25 built
        retrieve_detailed(query["query"], query["library"], 8, mode=mode)
    samples = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            retrieve_detailed(query["query"], query["library"], 8, mode=mode)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": samples[len(samples) // 2],
        "p95_ms": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        "n": len(samples),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--queries",
        action="append",
        type=Path,
        help="JSONL of {library, query, expected} (default: queries.jsonl)",
    )
    parser.add_argument("--cache-dir", type=Path, help="reuse an index in this cache dir")
    parser.add_argument("--skip-build", action="store_true", help="do not (re)build the index")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    cache = args.cache_dir or Path(tempfile.mkdtemp(prefix="mlops-adapt-bench-"))
    os.environ["MLOPS_ADAPT_CACHE_DIR"] = str(cache)
    queries = load_queries(args.queries or [HERE / "queries.jsonl"])
    report: dict = {
        "queries": len(queries),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg()[0],
    }

    if not args.skip_build:
        from mlops_adapt.retrieval.query import build_index

        started = time.perf_counter()
        reports = build_index(progress=False)
        report["build_seconds"] = time.perf_counter() - started
        report["embedded"] = sum(r["added"] for r in reports)
        started = time.perf_counter()
        build_index(progress=False)
        report["rebuild_unchanged_seconds"] = time.perf_counter() - started

    for mode in MODES:
        report[mode] = score(queries, mode)
    report["latency"] = {mode: latency(queries, mode) for mode in MODES}
    report["load_average_at_end"] = os.getloadavg()[0]

    print(f"queries: {len(queries)}  (cache: {cache})")
    if "build_seconds" in report:
        print(
            f"full build: {report['build_seconds']:.1f} s for {report['embedded']} entries; "
            f"unchanged rebuild: {report['rebuild_unchanged_seconds']:.1f} s"
        )
    for mode in MODES:
        figures = report[mode]
        lat = report["latency"][mode]
        print(
            f"{mode:8} recall@5 {figures['recall@5']:.3f}  MRR {figures['mrr']:.3f}  "
            f"warm p50 {lat['p50_ms']:.1f} ms  p95 {lat['p95_ms']:.1f} ms  "
            f"(ran as {','.join(figures['modes_used'])})"
        )
    print(
        f"load average: {report['load_average_at_start']:.2f} at start, "
        f"{report['load_average_at_end']:.2f} at end, on {report['cpus']} cpus"
    )
    if args.show_misses:
        for mode in MODES:
            for miss in report[mode]["misses"]:
                print(f"  [{mode}] {miss['query']!r}: want {miss['expected']}, got {miss['top5']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
