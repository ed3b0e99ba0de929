"""`mlops-adapt index build|query`: argparse wiring for the docs index (thin adapter)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time


def add_index_commands(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `index build` and `index query` on a CLI's subparsers; returns `index`."""
    index = subparsers.add_parser(
        "index",
        help="build or query the API-docs index",
        description="Build or query the version-matched API-docs index.",
    )
    commands = index.add_subparsers(dest="index_command", metavar="{build,query}")
    commands.required = True
    server_help = "Chroma server HOST:PORT (default: $MLOPS_ADAPT_CHROMA, else the embedded store)"

    build = commands.add_parser(
        "build",
        help="index the installed libraries (embeds only what changed)",
        description="Introspect the installed target libraries into the user cache and embed "
        "their entries into Chroma. Libraries that are not installed are indexed "
        "from the committed corpus.",
    )
    build.add_argument(
        "--lib",
        action="append",
        metavar="NAME",
        dest="libs",
        help="library to index (repeatable; default: all)",
    )
    build.add_argument(
        "--committed-only",
        action="store_true",
        help="do not introspect installed libraries; embed the committed corpus",
    )
    build.add_argument("--chroma", metavar="HOST:PORT", help=server_help)
    build.add_argument("--json", action="store_true", help="print the build report as JSON")

    query = commands.add_parser(
        "query",
        help="retrieve API docs for a task intent or code",
        description="Hybrid (dense + BM25) retrieval from the index.",
    )
    query.add_argument("text", metavar="TEXT")
    query.add_argument("--lib", metavar="NAME", help="restrict to one library")
    query.add_argument("-k", type=int, default=8, help="number of hits (default 8)")
    query.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default="hybrid")
    query.add_argument("--chroma", metavar="HOST:PORT", help=server_help)
    query.add_argument("--json", action="store_true", help="print hits as a JSON list")
    return index


def _run_build(args: argparse.Namespace) -> int:
    from mlops_adapt.retrieval.libraries import LIBRARIES
    from mlops_adapt.retrieval.query import build_index

    unknown = [name for name in args.libs or [] if name not in LIBRARIES]
    if unknown:
        print(
            f"error: unknown library {', '.join(unknown)}; known: {', '.join(LIBRARIES)}",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        reports = build_index(args.libs, server=args.chroma, from_installed=not args.committed_only)
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({"libraries": reports, "seconds": round(elapsed, 2)}, indent=2))
    else:
        for r in reports:
            print(
                f"{r['library']} {r['version']} ({r['source']}): {r['added']} embedded, "
                f"{r['kept']} unchanged, {r['removed']} removed"
            )
        print(f"done in {elapsed:.1f} s")
    return 0


def _run_query(args: argparse.Namespace) -> int:
    from mlops_adapt.retrieval.query import retrieve_detailed

    if args.k < 1:
        print("error: -k must be at least 1", file=sys.stderr)
        return 2
    try:
        # Libraries loaded on the way (transformers, wandb) may chat on stdout; keep it JSON.
        with contextlib.redirect_stdout(sys.stderr):
            result = retrieve_detailed(
                args.text, args.lib, args.k, mode=args.mode, server=args.chroma
            )
    except (KeyError, LookupError) as err:
        print(f"error: {err.args[0] if err.args else err}", file=sys.stderr)
        return 2
    if result.note:
        print(f"note: {result.note}", file=sys.stderr)
    if args.json:
        print(json.dumps([hit.to_dict() for hit in result.hits], indent=2))
    else:
        versions = ", ".join(f"{lib} {ver}" for lib, ver in result.versions.items())
        print(f"{result.mode} retrieval from {versions}:")
        for number, hit in enumerate(result.hits, 1):
            print(f"{number:2}. {hit.render()}")
    return 0


def run_index_command(args: argparse.Namespace) -> int:
    """Run a parsed `index` command; returns the process exit code."""
    import warnings

    with warnings.catch_warnings():
        # The CLI prints the fallback note itself.
        warnings.simplefilter("ignore", RuntimeWarning)
        if args.index_command == "build":
            return _run_build(args)
        return _run_query(args)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point until the main CLI wires the commands in."""
    parser = argparse.ArgumentParser(prog="mlops-adapt")
    commands = parser.add_subparsers(dest="command", required=True)
    add_index_commands(commands)
    return run_index_command(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
