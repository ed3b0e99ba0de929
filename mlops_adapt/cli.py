"""The command-line adapter: tasks, apply, verify, and the index/lsp/review/bench entry points."""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mlops_adapt.config import load_tool_config, setting
from mlops_adapt.edits import unified_diff
from mlops_adapt.fsio import ReadError, atomic_write, read_source
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed, Result, Skipped, result_to_dict
from mlops_adapt.tasks import TASKS

EXIT_OK, EXIT_CHANGES, EXIT_INPUT, EXIT_UNVERIFIED = 0, 1, 2, 3
SKIP_DIRS = {".git", ".venv", "venv", "env", "__pycache__", "node_modules", ".tox", ".mypy_cache", "build", "dist"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlops-adapt", description="Adapt ML training code to MLOps tools with verified edits."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    tasks = sub.add_parser("tasks", help="list the tasks")
    tasks.add_argument("--json", action="store_true", help="print JSON")

    apply = sub.add_parser("apply", help="adapt files for a task")
    apply.add_argument("task", help="task id (see `mlops-adapt tasks`)")
    apply.add_argument("paths", nargs="+", help="files or folders (folders recurse into *.py)")
    mode = apply.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_const", dest="mode", const="diff", help="print a diff (default)")
    mode.add_argument("--write", action="store_const", dest="mode", const="write", help="rewrite files atomically")
    mode.add_argument("--check", action="store_const", dest="mode", const="check", help="report only; exit 1 on changes")
    apply.add_argument("--backend", choices=["auto", "recipe", "llm"], default=None)
    apply.add_argument("--verify", choices=["static", "run"], default=None)
    apply.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
    apply.add_argument("--jobs", type=int, default=1)
    apply.add_argument("--json", dest="json_report", metavar="REPORT", help="write a JSON report ('-' = stdout)")
    apply.add_argument("--emit-test", metavar="DIR", help="write a pytest file per adapted file into DIR")
    apply.add_argument("--unsafe", action="store_true", help="also apply edits labelled unsafe")

    verify = sub.add_parser("verify", help="verify a candidate adaptation")
    verify.add_argument("task")
    verify.add_argument("original")
    verify.add_argument("candidate")
    verify.add_argument("--run", action="store_true", help="also run the generated test (V5)")
    verify.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
    verify.add_argument("--json", action="store_true")

    lsp = sub.add_parser("lsp", help="start the language server")
    lsp.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")

    _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub) -> None:
    """Subcommands owned by other packages: index, review, bench."""
    for module, adder in (
        ("mlops_adapt.retrieval.cli", "add_index_commands"),
        ("mlops_adapt.review.cli", "add_review_command"),
        ("mlops_adapt.bench.cli", "add_bench_command"),
    ):
        try:
            mod = __import__(module, fromlist=[adder])
            getattr(mod, adder)(sub)
        except (ImportError, AttributeError):
            continue


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"tasks": cmd_tasks, "apply": cmd_apply, "verify": cmd_verify, "lsp": cmd_lsp}
    if args.command in handlers:
        return handlers[args.command](args)
    runner = getattr(args, "handler", None) or _optional_runner(args.command)
    if runner is None:
        parser.error(f"command {args.command!r} is not available in this installation")
    return int(runner(args) or 0)


def _optional_runner(command: str):
    table = {
        "index": ("mlops_adapt.retrieval.cli", "run_index_command"),
        "review": ("mlops_adapt.review.cli", "run_review"),
        "bench": ("mlops_adapt.bench.cli", "run_bench"),
    }
    if command not in table:
        return None
    module, name = table[command]
    return getattr(__import__(module, fromlist=[name]), name, None)


# ---------------------------------------------------------------- tasks
def cmd_tasks(args) -> int:
    from mlops_adapt.transforms.base import discover_recipes

    recipes = discover_recipes()
    rows = [
        {
            "id": t.id, "kind": t.kind, "target": t.target, "title": t.title,
            "recipe": t.id in recipes,
        }
        for t in TASKS.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(f"{row['id']:<26} {row['kind']:<10} {row['title']}")
    return EXIT_OK


# ---------------------------------------------------------------- apply
@dataclass(frozen=True)
class FileJob:
    """One file to adapt, with everything a worker process needs."""

    path: str
    task: str
    options: AdaptOptions


def parse_options(pairs: list[str]) -> dict[str, str]:
    """--option KEY=VALUE pairs as a dict; raises ValueError on a malformed pair."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--option expects KEY=VALUE, got {pair!r}")
        out[key.strip()] = value
    return out


def collect_files(paths: list[str]) -> tuple[list[str], list[str]]:
    """Python files under the given paths, and error messages for paths that do not exist."""
    files, errors = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*.py")):
                if not SKIP_DIRS & set(found.relative_to(path).parts[:-1]):
                    files.append(str(found))
        elif path.exists():
            files.append(str(path))
        else:
            errors.append(f"{raw}: no such file or directory")
    return files, errors


def adapt_file(job: FileJob) -> tuple[str, str | None, Result]:
    """Read and adapt one file (runs in a worker): (path, original text or None, result)."""
    from mlops_adapt.engine import adapt

    try:
        source = read_source(job.path)
    except ReadError as err:
        return job.path, None, Failed(job.task, "input", (str(err),))
    return job.path, source, adapt(source, job.task, job.options)


def writable(result: Applied, allow_unsafe: bool) -> bool:
    """Safe edits are applied; unsafe ones only with --unsafe (the label alone decides)."""
    from mlops_adapt.verify.safety import threshold

    return result.safety.meets(threshold(allow_unsafe))


def cmd_apply(args) -> int:
    if args.task not in TASKS:
        print(f"mlops-adapt: unknown task {args.task!r}; known tasks: {', '.join(TASKS)}", file=sys.stderr)
        return EXIT_INPUT
    try:
        task_options = parse_options(args.option)
    except ValueError as err:
        print(f"mlops-adapt: {err}", file=sys.stderr)
        return EXIT_INPUT
    config = load_tool_config()
    mode = args.mode or "diff"
    options_kw = dict(
        backend=args.backend or setting(config, "backend", "MLOPS_ADAPT_BACKEND", "auto"),
        verify=args.verify or setting(config, "verify", "MLOPS_ADAPT_VERIFY", "static"),
        task_options={**{k: str(v) for k, v in config.get("options", {}).items()}, **task_options},
    )
    if "timeout" in options_kw["task_options"]:
        options_kw["timeout"] = float(options_kw["task_options"]["timeout"])
    files, missing = collect_files(args.paths)
    for message in missing:
        print(f"mlops-adapt: {message}", file=sys.stderr)
    jobs = [FileJob(f, args.task, AdaptOptions(path=f, **options_kw)) for f in files]
    results = list(_run_jobs(jobs, max(1, args.jobs), options_kw["backend"]))

    exit_code = EXIT_INPUT if missing else EXIT_OK
    report = []
    for path, original, result in results:
        entry = {"path": path, **result_to_dict(result)}
        code = _handle_result(path, original, result, mode, args, entry)
        exit_code = _worse(exit_code, code)
        report.append(entry)
    if args.json_report:
        text = json.dumps({"task": args.task, "mode": mode, "files": report}, indent=2)
        if args.json_report == "-":
            print(text)
        else:
            atomic_write(args.json_report, text + "\n")
    return exit_code


def _run_jobs(jobs: list[FileJob], workers: int, backend: str):
    if workers == 1 or len(jobs) <= 1:
        yield from map(adapt_file, jobs)
        return
    # LLM work waits on the network (threads suffice); recipes are CPU-bound (processes).
    pool_type = ThreadPoolExecutor if backend == "llm" else ProcessPoolExecutor
    with pool_type(max_workers=workers) as pool:
        yield from pool.map(adapt_file, jobs)


def _worse(a: int, b: int) -> int:
    order = [EXIT_OK, EXIT_CHANGES, EXIT_UNVERIFIED, EXIT_INPUT]
    return a if order.index(a) >= order.index(b) else b


def _handle_result(path: str, original: str | None, result: Result, mode: str, args, entry: dict) -> int:
    if isinstance(result, Failed):
        label = "error" if result.kind == "input" else "no verified edit"
        print(f"{path}: {label}:", file=sys.stderr)
        for reason in result.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return EXIT_INPUT if result.kind == "input" else EXIT_UNVERIFIED
    if isinstance(result, Skipped) or not result.changed:
        reason = result.reason if isinstance(result, Skipped) else "nothing to adapt"
        print(f"{path}: skipped: {reason}", file=sys.stderr)
        return EXIT_OK
    assert original is not None
    if mode == "check":
        print(f"{path}: would adapt for {result.task} ({result.safety})", file=sys.stderr)
        return EXIT_CHANGES
    if mode == "diff":
        sys.stdout.write(unified_diff(original, result.code, path))
        sys.stdout.flush()  # keep the diff ahead of the status line when both go to a terminal
        print(f"{path}: {result.safety} edit ({'; '.join(result.report.safety_reasons) or 'verified'})", file=sys.stderr)
        return EXIT_OK
    if not writable(result, args.unsafe):
        entry["written"] = False
        print(f"{path}: not written: unsafe edit ({'; '.join(result.report.safety_reasons)}); "
              "pass --unsafe to apply it", file=sys.stderr)
        return EXIT_UNVERIFIED
    try:
        if read_source(path) != original:
            print(f"{path}: not written: the file changed while it was being adapted", file=sys.stderr)
            return EXIT_INPUT
        atomic_write(path, result.code)
    except (ReadError, OSError) as err:
        print(f"{path}: not written: {err}", file=sys.stderr)
        return EXIT_INPUT
    entry["written"] = True
    print(f"{path}: adapted for {result.task} ({result.safety})", file=sys.stderr)
    if args.emit_test:
        _emit_test(path, original, result, args.emit_test)
    return EXIT_OK


def _emit_test(path: str, original: str, result: Applied, folder: str) -> None:
    try:
        from mlops_adapt.verify.testgen import generate_test
    except ImportError:
        print(f"{path}: test generation is not available", file=sys.stderr)
        return
    text = generate_test(original, result.code, result.task, AdaptOptions(path=path))
    target = Path(folder) / f"test_{Path(path).stem}_{result.task.replace('-', '_')}.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text)
    print(f"{path}: wrote {target}", file=sys.stderr)


# ---------------------------------------------------------------- verify
def cmd_verify(args) -> int:
    from mlops_adapt.verify.pipeline import verify_candidate

    if args.task not in TASKS:
        print(f"mlops-adapt: unknown task {args.task!r}; known tasks: {', '.join(TASKS)}", file=sys.stderr)
        return EXIT_INPUT
    try:
        original = read_source(args.original)
        candidate = read_source(args.candidate)
        task_options = parse_options(args.option)
    except (ReadError, ValueError) as err:
        print(f"mlops-adapt: {err}", file=sys.stderr)
        return EXIT_INPUT
    from mlops_adapt.engine import InputError, parse_source

    try:
        parse_source(original, args.original)
    except InputError as err:
        print(f"mlops-adapt: {err}", file=sys.stderr)
        return EXIT_INPUT
    options = AdaptOptions(verify="run" if args.run else "static", path=args.original, task_options=task_options)
    if "timeout" in task_options:
        options = AdaptOptions(verify=options.verify, path=options.path, task_options=task_options,
                               timeout=float(task_options["timeout"]))
    report = verify_candidate(original, candidate, args.task, options)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for check in report.checks:
            print(f"{check.id} {check.name:<15} {check.status}")
            for reason in check.reasons:
                print(f"    {reason}")
        print(f"verdict: {'accepted' if report.ok else 'rejected'} ({report.safety})")
    return EXIT_OK if report.ok else EXIT_CHANGES


# ---------------------------------------------------------------- lsp
def cmd_lsp(args) -> int:
    try:
        from mlops_adapt.server import start_server
    except ImportError as err:
        print(f"mlops-adapt: the language server is not available: {err}", file=sys.stderr)
        return EXIT_INPUT
    return int(start_server(args.tcp) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
