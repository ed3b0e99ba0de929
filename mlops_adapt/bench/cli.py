"""`mlops-adapt bench`: the accuracy benchmark (pass@k over the corpus) and the verifier benchmark."""

from __future__ import annotations


def add_bench_command(subparsers) -> None:
    """Register the `bench` subcommand on the CLI's subparsers."""
    bench = subparsers.add_parser(
        "bench", help="run the accuracy benchmark (or the verifier benchmark)"
    )
    bench.add_argument("--backend", choices=["auto", "recipe", "llm"], default="recipe")
    bench.add_argument("--k", type=int, default=1, help="report pass@k (default 1)")
    bench.add_argument(
        "--samples",
        type=int,
        default=None,
        help="samples per case (default: 1 for recipes, k otherwise)",
    )
    bench.add_argument(
        "--tasks", nargs="+", default=None, metavar="TASK", help="only these task ids"
    )
    bench.add_argument(
        "--match",
        default=None,
        help="only corpus scripts (or verifier cases) whose name contains this",
    )
    bench.add_argument(
        "--json", dest="json_path", metavar="REPORT", help="write the full report as JSON"
    )
    bench.add_argument(
        "--corpus",
        default=None,
        metavar="DIR",
        help="another corpus folder with its own tasks.json, e.g. 'holdout' for bench/corpus/holdout "
        "(default: bench/corpus)",
    )
    bench.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    bench.add_argument("--static", action="store_true", help="V1-V4 only, no executed check")
    bench.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per sandboxed script run"
    )
    bench.add_argument(
        "--verifier",
        action="store_true",
        help="run the verifier benchmark (known-bad and known-good candidates) instead",
    )
    bench.add_argument(
        "--set",
        dest="case_set",
        choices=["all", "own", "foreign"],
        default="all",
        help="verifier case set: own (this project's style), foreign (other projects' style) "
        "or all (default); only with --verifier",
    )
    bench.set_defaults(handler=run_bench)


def run_bench(args) -> int:
    """Run the chosen benchmark, print its table; 0 on success, 2 on bad input."""
    from mlops_adapt.tasks import TASKS

    unknown = [t for t in (args.tasks or []) if t not in TASKS]
    if unknown:
        print(f"error: unknown task(s) {', '.join(unknown)}; known: {', '.join(TASKS)}")
        return 2
    try:
        if args.verifier:
            from mlops_adapt.bench.verifier import format_verifier_report, run_verifier_bench

            report = run_verifier_bench(
                args.json_path,
                args.jobs,
                not args.static,
                args.match,
                args.timeout,
                getattr(args, "case_set", "all"),
            )
            print(format_verifier_report(report))
            return 0
        from mlops_adapt.bench.accuracy import format_table, run_accuracy_bench

        report = run_accuracy_bench(
            backend=args.backend,
            k=args.k,
            tasks=args.tasks,
            json_path=args.json_path,
            jobs=args.jobs,
            samples=args.samples,
            match=args.match,
            execute=not args.static,
            timeout=args.timeout,
            corpus=getattr(args, "corpus", None),
        )
    except FileNotFoundError as err:
        print(f"error: {err}")
        return 2
    print(format_table(report))
    if args.json_path:
        print(f"full report: {args.json_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: `python -m mlops_adapt.bench.cli ...` (same options as `mlops-adapt bench`)."""
    import argparse

    parser = argparse.ArgumentParser(prog="mlops-adapt")
    add_bench_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["bench", *(argv or [])] if argv is not None else None)
    return run_bench(args)


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
