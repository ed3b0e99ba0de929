"""The command-line adapter: tasks, apply, verify, and the index/lsp/review/bench entry points."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from mlops_adapt import __version__, progress
from mlops_adapt.config import ConfigError, choice_setting, read_tool_config
from mlops_adapt.edits import unified_diff
from mlops_adapt.fsio import ReadError, SourceFile, atomic_write, load_source, write_file
from mlops_adapt.notebook.adapt import NotebookFile
from mlops_adapt.options import BACKENDS, VERIFY_MODES, AdaptOptions, OptionError, check_options
from mlops_adapt.results import Applied, Failed, Result, Skipped, result_to_dict
from mlops_adapt.tasks import TASKS

EXIT_OK, EXIT_CHANGES, EXIT_INPUT, EXIT_UNVERIFIED = 0, 1, 2, 3
EXIT_CLOSED_PIPE = 141  # what a shell reports for a process ended by SIGPIPE, e.g. under `| head`
SKIP_DIRS = {".git", ".venv", "venv", "env", "__pycache__", "node_modules", ".tox", ".mypy_cache", "build", "dist",
             ".ipynb_checkpoints"}


class UsageError(Exception):
    """A command line that cannot run; reported as one line, exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlops-adapt", description="Adapt ML training code to MLOps tools with verified edits."
    )
    parser.add_argument("--version", action="version", version=f"mlops-adapt {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    tasks = sub.add_parser("tasks", help="list the tasks")
    tasks.add_argument("--json", action="store_true", help="print JSON")

    apply = sub.add_parser("apply", help="adapt files for a task")
    apply.add_argument("task", help="task id (see `mlops-adapt tasks`)")
    apply.add_argument("paths", nargs="+",
                       help="files or folders (folders recurse into *.py and *.ipynb)")
    mode = apply.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_const", dest="mode", const="diff",
                      help="print a diff; exit 1 on edits (with no mode given: diff, exit 0)")
    mode.add_argument("--write", action="store_const", dest="mode", const="write", help="rewrite files atomically")
    mode.add_argument("--check", action="store_const", dest="mode", const="check", help="report only; exit 1 on changes")
    apply.add_argument("--backend", choices=BACKENDS, default=None)
    apply.add_argument("--verify", choices=VERIFY_MODES, default=None)
    apply.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
    apply.add_argument("--jobs", type=int, default=1)
    apply.add_argument("--json", dest="json_report", metavar="REPORT",
                       help="write a JSON report ('-' = stdout, which then carries only it)")
    apply.add_argument("--emit-test", metavar="DIR",
                       help="with --write: a pytest file per adapted file into DIR")
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
    try:
        return _dispatch(argv)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, no traceback
        _silence_closed_streams()
        return EXIT_CLOSED_PIPE


def _dispatch(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    progress.enable_on_terminal()  # slow steps (index build, V5, review) show a status line
    handlers = {"tasks": cmd_tasks, "apply": cmd_apply, "verify": cmd_verify, "lsp": cmd_lsp}
    if args.command in handlers:
        return handlers[args.command](args)
    runner = getattr(args, "handler", None) or _optional_runner(args.command)
    if runner is None:
        parser.error(f"command {args.command!r} is not available in this installation")
    return int(runner(args) or 0)


def _silence_closed_streams() -> None:
    """Point stdout and stderr at /dev/null, so the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


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


@dataclass(frozen=True)
class ApplyRun:
    """An `apply` command line, checked: what to do with each file's result."""

    task: str
    mode: str  # "diff", "write" or "check"
    explicit_mode: bool  # --diff given (then edits exit 1, like --check); the default diff exits 0
    options: AdaptOptions
    report: str | None  # --json REPORT; "-" is stdout
    emit_test: str | None
    unsafe: bool
    jobs: int


def parse_options(pairs: list[str]) -> dict[str, str]:
    """--option KEY=VALUE pairs as a dict; raises ValueError on a malformed pair."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--option expects KEY=VALUE, got {pair!r}")
        out[key.strip()] = value
    return out


def prepare_apply(args) -> ApplyRun:
    """Check everything about the command line and the configuration before any file is read."""
    if args.task not in TASKS:
        raise UsageError(f"unknown task {args.task!r}; known tasks: {', '.join(TASKS)}")
    cli_options = parse_options(args.option)
    check_options(cli_options, args.task)
    config, pyproject = read_tool_config()
    config_options = {k: str(v) for k, v in config.get("options", {}).items()}
    check_options(config_options, None, f"{pyproject}: [tool.mlops-adapt.options]")
    task_options = {**config_options, **cli_options}
    backend = args.backend or choice_setting(
        config, "backend", "MLOPS_ADAPT_BACKEND", "auto", BACKENDS, pyproject)
    verify = args.verify or choice_setting(
        config, "verify", "MLOPS_ADAPT_VERIFY", "static", VERIFY_MODES, pyproject)
    options = AdaptOptions(backend=backend, verify=verify, task_options=task_options)
    if "timeout" in task_options:
        options = replace(options, timeout=float(task_options["timeout"]))
    if args.emit_test:
        if args.mode != "write":
            raise UsageError("--emit-test needs --write: its test checks the written file")
        if Path(args.emit_test).exists() and not Path(args.emit_test).is_dir():
            raise UsageError(f"--emit-test {args.emit_test}: not a folder")
    _check_report_path(args.json_report)
    _check_pytest(options)
    options = _check_llm_client(options)
    return ApplyRun(args.task, args.mode or "diff", args.mode == "diff", options, args.json_report,
                    args.emit_test, args.unsafe, max(1, args.jobs))


def _check_report_path(report: str | None) -> None:
    if report is None or report == "-":
        return
    path = Path(report)
    if path.is_dir():
        raise UsageError(f"--json {report}: is a folder; give the report a file name")
    if not path.parent.is_dir():
        raise UsageError(f"--json {report}: folder {path.parent} does not exist")


def _check_pytest(options: AdaptOptions) -> None:
    if options.verify == "run" and not _installed("pytest"):
        raise UsageError("--verify run needs pytest, which is not installed: pip install pytest")


def _check_llm_client(options: AdaptOptions) -> AdaptOptions:
    """The LLM client package, named before any work starts when the llm backend is chosen.

    `auto` without it falls back to recipes only (with a note when an endpoint is configured),
    as it does when no endpoint is configured.
    """
    if options.backend == "recipe":
        return options
    from mlops_adapt.llm.config import ConfigError as LLMConfigError
    from mlops_adapt.llm.config import load_llm_config, overrides_from_task_options

    try:
        llm = load_llm_config(None, overrides_from_task_options(options.task_options))
    except LLMConfigError as err:
        if options.backend == "llm":
            raise UsageError(str(err)) from None
        return options  # auto: reported per file, and only if a file needs the LLM
    package, extra = ("vllm", "gpu") if llm.backend == "vllm" else ("openai", "llm")
    if _installed(package):
        return options
    install = f"pip install 'mlops-adapt[{extra}]'"
    if options.backend == "llm":
        raise UsageError(
            f"the llm backend needs the {package} package, which is not installed: {install}")
    if llm.configured:
        print(f"mlops-adapt: note: no LLM fallback, recipes only: the {package} package is not "
              f"installed: {install}", file=sys.stderr)
    return replace(options, backend="recipe")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ValueError:  # imported already, without a spec
        return module in sys.modules and sys.modules[module] is not None
    except ImportError:
        return False


def collect_files(paths: list[str]) -> tuple[list[str], list[str]]:
    """Python files and notebooks under the given paths (each once), and one message per path
    that gives none."""
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [str(f) for f in sorted([*path.rglob("*.py"), *path.rglob("*.ipynb")])
                     if not SKIP_DIRS & set(f.relative_to(path).parts[:-1]) and not f.is_dir()]
            if not found:
                problems.append(f"{raw}: no Python files or notebooks found")
            files += found
        elif path.exists() or path.is_symlink():
            files.append(str(path))
        else:
            problems.append(f"{raw}: no such file or directory")
    seen: set[object] = set()
    unique = []
    for name in files:  # a file named twice, or through a symlink or hard link, is adapted once
        try:
            info = os.stat(name)
            key: object = (info.st_dev, info.st_ino)
        except OSError:
            key = os.path.realpath(name)
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique, problems


def adapt_file(job: FileJob) -> tuple[str, SourceFile | NotebookFile | None, Result]:
    """Read and adapt one file (runs in a worker): (path, the file as read or None, result)."""
    from mlops_adapt.engine import adapt
    from mlops_adapt.notebook import adapt_notebook, is_notebook, open_notebook

    notebook = is_notebook(job.path)
    try:
        source = open_notebook(job.path) if notebook else load_source(job.path)
    except ReadError as err:
        return job.path, None, Failed(job.task, "input", (str(err),))
    try:
        if notebook:
            return job.path, source, adapt_notebook(source, job.task, job.options)
        return job.path, source, adapt(source.text, job.task, job.options)
    except ImportError as err:
        reason = f"a package it needs is not installed: {err.name or err}"
        return job.path, source, Failed(job.task, "internal", (reason,))
    except Exception as err:  # noqa: BLE001 - one file's crash must not end the batch
        reason = f"internal error: {type(err).__name__}: {err}"
        return job.path, source, Failed(job.task, "internal", (reason,))


def writable(result: Applied, allow_unsafe: bool) -> bool:
    """Safe edits are applied; unsafe ones only with --unsafe (the label alone decides)."""
    from mlops_adapt.verify.safety import threshold

    return result.safety.meets(threshold(allow_unsafe))


def cmd_apply(args) -> int:
    try:
        run = prepare_apply(args)
    except (UsageError, ConfigError, OptionError, ValueError) as err:
        print(f"mlops-adapt: {err}", file=sys.stderr)
        return EXIT_INPUT
    started = time.monotonic()
    files, problems = collect_files(args.paths)
    for message in problems:
        print(f"mlops-adapt: {message}", file=sys.stderr)
    jobs = [FileJob(f, run.task, replace(run.options, path=f)) for f in files]
    with _stdout_kept_for_the_report(run.report == "-"):
        exit_code, report, counts = _apply_all(run, jobs, files, problems)
    if files:
        edited = "edited" if run.mode == "write" else "with edits"
        plural = "s" * (len(files) != 1)
        print(f"mlops-adapt: {len(files)} file{plural}: {counts['edited']} {edited}, "
              f"{counts['skipped']} skipped, {counts['failed']} failed "
              f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    if run.report:
        exit_code = _worse(exit_code, _write_report(run, report))
    return exit_code


@contextlib.contextmanager
def _stdout_kept_for_the_report(keep: bool):
    """With `--json -`, send whatever libraries print while files are adapted to stderr.

    Some print on import or first use (W&B's offline notice), through handlers bound to the
    original stdout, so the file descriptor itself is redirected, then restored for the report.
    """
    if not keep:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _apply_all(run: ApplyRun, jobs: list, files: list[str], problems: list[str]):
    """Adapt every file; (worst exit code, report entries, outcome counts)."""
    console = Console(len(jobs))
    exit_code = EXIT_INPUT if problems or not files else EXIT_OK
    report, counts = [], Counter()
    with contextlib.closing(_run_jobs(jobs, run.jobs, run.options.backend)) as results:
        console.progress(0, files[0] if files else "")
        for done, (path, source, result) in enumerate(results, 1):
            entry = {"path": path, **result_to_dict(result)}
            code, outcome = _handle_result(run, path, source, result, entry, console)
            exit_code = _worse(exit_code, code)
            counts[outcome] += 1
            report.append(entry)
            console.progress(done, path)
    console.done()
    return exit_code, report, counts


def _write_report(run: ApplyRun, files: list[dict]) -> int:
    text = json.dumps({"task": run.task, "mode": run.mode, "files": files}, indent=2)
    if run.report == "-":
        print(text)
        return EXIT_OK
    try:
        atomic_write(run.report, text + "\n")
    except OSError as err:
        print(f"mlops-adapt: --json {run.report}: not written: {err.strerror or err}",
              file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def _run_jobs(jobs: list[FileJob], workers: int, backend: str):
    if workers == 1 or len(jobs) <= 1:
        yield from map(adapt_file, jobs)
        return
    # LLM work waits on the network (threads suffice); recipes are CPU-bound (processes).
    pool = (ThreadPoolExecutor if backend == "llm" else ProcessPoolExecutor)(max_workers=workers)
    try:
        yield from pool.map(adapt_file, jobs)
    finally:  # a run cut short (closed pipe, error) must not wait for the files still queued
        pool.shutdown(wait=True, cancel_futures=True)


def _worse(a: int, b: int) -> int:
    order = [EXIT_OK, EXIT_CHANGES, EXIT_UNVERIFIED, EXIT_INPUT]
    return a if order.index(a) >= order.index(b) else b


def _handle_result(
    run: ApplyRun, path: str, source: SourceFile | NotebookFile | None, result: Result, entry: dict,
    console: Console,
) -> tuple[int, str]:
    """Show or write one file's result; (exit code, "edited" | "skipped" | "failed")."""
    if isinstance(result, Failed):
        if result.kind == "input":
            console.say(_input_error(path, result.reasons))
            return EXIT_INPUT, "failed"
        console.say(f"{path}: no verified edit:")
        for reason in result.reasons:
            console.say(f"  - {reason}")
        return EXIT_UNVERIFIED, "failed"
    if isinstance(result, Skipped) or not result.changed:
        reason = result.reason if isinstance(result, Skipped) else "nothing to adapt"
        console.say(f"{path}: skipped: {reason}")
        return EXIT_OK, "skipped"
    assert source is not None
    new = source.encode(result.code)  # the file's own BOM and line ends; a notebook's JSON layout
    diff = (source.diff(result.code) if isinstance(source, NotebookFile)  # by cell, readable
            else unified_diff(source.raw_text, new.decode("utf-8"), path))
    entry["diff"] = diff
    if run.mode == "check":
        console.say(f"{path}: would adapt for {result.task} ({result.safety})")
        return EXIT_CHANGES, "edited"
    if run.mode == "diff":
        if run.report != "-":  # with --json -, stdout carries the report only; the diff is in it
            console.out(diff)
        reasons = "; ".join(result.report.safety_reasons) or "verified"
        console.say(f"{path}: {result.safety} edit ({reasons})")
        return (EXIT_CHANGES if run.explicit_mode else EXIT_OK), "edited"
    if not writable(result, run.unsafe):
        entry["written"] = False
        reasons = "; ".join(result.report.safety_reasons)
        console.say(f"{path}: not written: unsafe edit ({reasons}); pass --unsafe to apply it")
        return EXIT_UNVERIFIED, "failed"
    try:
        write_file(path, new, expected=source.raw)
    except OSError as err:
        entry["written"] = False
        console.say(str(err) if str(err).startswith(path) else f"{path}: not written: {err}")
        return EXIT_INPUT, "failed"
    entry["written"] = True
    console.say(f"{path}: adapted for {result.task} ({result.safety})")
    if run.emit_test and isinstance(source, NotebookFile):
        console.say(f"{path}: no test emitted: --emit-test writes tests for .py files only")
        return EXIT_OK, "edited"
    if run.emit_test:
        return _emit_test(run, path, source, result, console), "edited"
    return EXIT_OK, "edited"


def _input_error(path: str, reasons: tuple[str, ...]) -> str:
    """One line: the reason itself when it already starts with the file's name (file:line:col)."""
    if len(reasons) == 1 and reasons[0].startswith(f"{path}:"):
        return reasons[0]
    return f"{path}: error: {'; '.join(reasons)}"


GENERATED_MARK = '"""Generated by mlops-adapt'  # how testgen's files begin; only those are replaced


def _emit_test(
    run: ApplyRun, path: str, source: SourceFile, result: Applied, console: Console
) -> int:
    """Write the pytest file for one written adaptation; never replaces a hand-written file."""
    try:
        from mlops_adapt.verify.testgen import generate_kept_test
    except ImportError:
        console.say(f"{path}: test generation is not available")
        return EXIT_INPUT
    target = Path(run.emit_test) / f"test_{Path(path).stem}_{result.task.replace('-', '_')}.py"
    try:
        ours = not target.exists() or target.read_text("utf-8", "replace").startswith(GENERATED_MARK)
        if not ours:
            console.say(f"{target}: not written: it exists and was not generated by mlops-adapt")
            return EXIT_INPUT
        text = generate_kept_test(source.text, result.code, result.task,
                                  replace(run.options, path=path), test_dir=run.emit_test)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text)
    except OSError as err:
        console.say(f"{target}: not written: {err.strerror or err}")
        return EXIT_INPUT
    console.say(f"{path}: wrote {target}")
    return EXIT_OK


class Console:
    """Output of a run: status lines on stderr, diffs on stdout, and, when stderr is a terminal
    and there is more than one file, a `[done/total] path` line kept at the bottom."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.live = total > 1 and _is_terminal(sys.stderr)
        self.drawn = False

    def say(self, line: str) -> None:
        self._erase()
        print(line, file=sys.stderr)

    def out(self, text: str) -> None:
        """Text for stdout, byte for byte (CRs and all) when stdout has a byte layer."""
        self._erase()
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
        else:
            buffer.write(text.encode("utf-8"))
        sys.stdout.flush()  # keep the diff ahead of the status line when both go to a terminal

    def progress(self, done: int, path: str) -> None:
        if not self.live:
            return
        try:
            width = os.get_terminal_size(sys.stderr.fileno()).columns or 80  # 0: size never set
        except (OSError, ValueError):
            width = 80
        line = f"[{done}/{self.total}] {path}"
        if len(line) >= width:
            line = line[: max(width - 2, 0)] + "…"
        sys.stderr.write("\r\033[K" + line)
        sys.stderr.flush()
        self.drawn = True

    def done(self) -> None:
        self._erase()

    def _erase(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.drawn = False


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------- verify
def cmd_verify(args) -> int:
    from mlops_adapt.engine import InputError, parse_source
    from mlops_adapt.verify.pipeline import verify_candidate

    try:
        if args.task not in TASKS:
            raise UsageError(f"unknown task {args.task!r}; known tasks: {', '.join(TASKS)}")
        task_options = parse_options(args.option)
        check_options(task_options, args.task)
        options = AdaptOptions(verify="run" if args.run else "static", path=args.original,
                               task_options=task_options)
        if "timeout" in task_options:
            options = replace(options, timeout=float(task_options["timeout"]))
        _check_pytest(options)
        # Both sides without BOM and with "\n" line ends, as `apply` gives them to the engine.
        original = load_source(args.original).text
        candidate = load_source(args.candidate).text
        parse_source(original, args.original)
    except (UsageError, OptionError, ValueError, ReadError, InputError) as err:
        print(f"mlops-adapt: {err}", file=sys.stderr)
        return EXIT_INPUT
    # The candidate comes from outside (a person, another tool): only V5 can make it `safe`.
    report = verify_candidate(original, candidate, args.task, options, backend="external")
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
        from mlops_adapt.server import parse_tcp, start_server
    except ImportError as err:
        print(f"mlops-adapt: the language server is not available: {err}", file=sys.stderr)
        return EXIT_INPUT
    if args.tcp is not None:
        try:
            parse_tcp(args.tcp)
        except ValueError as err:
            print(f"mlops-adapt: {err}", file=sys.stderr)
            return EXIT_INPUT
    try:
        return int(start_server(args.tcp) or 0)
    except OSError as err:
        if args.tcp is None:
            raise
        print(f"mlops-adapt: cannot listen on {args.tcp}: {err.strerror or err}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
