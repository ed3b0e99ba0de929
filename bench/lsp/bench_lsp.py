"""Language-server latency benchmark: initialize, codeAction on a 2,000-line file, recipe resolve.

Run: .venv/bin/python bench/lsp/bench_lsp.py [--iterations N] [--json REPORT]
Targets (issue 7): initialize <= 1 s, codeAction p95 <= 50 ms, recipe resolve p95 <= 500 ms.
Drives the server over stdio with pygls' own client, as an editor would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HEAVY = ("torch", "chromadb", "sentence_transformers", "mlflow", "wandb", "openai")
TARGETS_MS = {"initialize": 1000.0, "codeAction_2000_lines_p95": 50.0, "resolve_recipe_p95": 500.0}

SCRIPT = textwrap.dedent(
    """\
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    n_estimators = {n}
    max_depth = 4

    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    model = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=0)
    model.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    print(f"accuracy: {{accuracy:.3f}}")
    """
)


def padded(lines: int, n: int = 50) -> str:
    """The training script padded with helper functions to `lines` lines."""
    body = SCRIPT.format(n=n) + "\n\n"
    i = 0
    while body.count("\n") < lines:
        body += f"def helper_{i}(x):\n    y = x * {i}\n    return y + 1\n\n\n"
        i += 1
    return body


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(p95(samples), 2),
        "max_ms": round(max(samples), 2),
    }


def heavy_modules_on_start_path() -> list[str]:
    """Heavy modules loaded by importing the server and analysing a script (should be none)."""
    code = (
        "import sys, mlops_adapt.server.app; from mlops_adapt.server.analysis import analyze_text;"
        f"analyze_text({SCRIPT.format(n=1)!r});"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


class Session:
    """A pygls client talking to `python -m mlops_adapt.server` over stdio."""

    def __init__(self) -> None:
        self.client = LanguageClient("bench", "1")
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            """Diagnostics are off by default; the server still clears them on each change."""

    async def start(self) -> float:
        started = time.perf_counter()
        await self.client.start_io(sys.executable, "-m", "mlops_adapt.server")
        capabilities = types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(
                code_action=types.CodeActionClientCapabilities(
                    resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"])
                )
            ),
            workspace=types.WorkspaceClientCapabilities(
                workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
            ),
        )
        await self.client.initialize_async(types.InitializeParams(capabilities=capabilities))
        self.client.initialized(types.InitializedParams())
        return (time.perf_counter() - started) * 1000

    def open(self, uri: str, text: str) -> None:
        self.versions[uri] = 1
        item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))

    def replace(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def code_actions(self, uri: str) -> tuple[float, list]:
        params = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
        started = time.perf_counter()
        actions = await self.client.text_document_code_action_async(params)
        return (time.perf_counter() - started) * 1000, actions or []

    async def resolve(self, action) -> tuple[float, types.CodeAction]:
        started = time.perf_counter()
        resolved = await self.client.code_action_resolve_async(action)
        return (time.perf_counter() - started) * 1000, resolved

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


async def run(iterations: int) -> dict:
    initialize, initialize_cpu = [], []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        session = Session()
        initialize.append(await session.start())
        await session.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU of the whole server process (start, initialize, shutdown): load-independent
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        initialize_cpu.append(cpu * 1000)

    session = Session()
    await session.start()
    big_uri, small_uri = "file:///bench/big.py", "file:///bench/train.py"
    big = padded(2000)
    session.open(big_uri, big)
    changed, cached = [], []
    for i in range(iterations):
        session.replace(big_uri, big.replace("max_depth = 4", f"max_depth = {i + 5}"))
        changed.append((await session.code_actions(big_uri))[0])  # analysis of a new text
        cached.append((await session.code_actions(big_uri))[0])  # same text again

    session.open(small_uri, SCRIPT.format(n=50))
    await session.resolve(_track_mlflow((await session.code_actions(small_uri))[1]))  # warm imports
    resolves = []
    for i in range(iterations):
        session.replace(small_uri, SCRIPT.format(n=100 + i))  # new text: no cached result
        elapsed, resolved = await session.resolve(
            _track_mlflow((await session.code_actions(small_uri))[1])
        )
        assert resolved.edit is not None
        resolves.append(elapsed)

    big_resolves = []
    for i in range(3):
        session.replace(big_uri, big.replace("max_depth = 4", f"max_depth = {i + 1000}"))
        big_resolves.append(
            (await session.resolve(_track_mlflow((await session.code_actions(big_uri))[1])))[0]
        )
    await session.stop()

    return {
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
        "initialize_ms": summary(initialize),
        "server_process_cpu_ms_start_to_exit": summary(initialize_cpu),
        "heavy_modules_on_start_path": heavy_modules_on_start_path(),
        "codeAction_2000_lines_after_change": summary(changed),
        "codeAction_2000_lines_unchanged": summary(cached),
        "resolve_recipe_track_mlflow_15_lines": summary(resolves),
        "resolve_recipe_track_mlflow_2000_lines": summary(big_resolves),
    }


def _track_mlflow(actions: list) -> types.CodeAction:
    return next(a for a in actions if a.kind == "refactor.rewrite.mlops.track-mlflow")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    report = asyncio.run(run(args.iterations))
    checks = {
        "initialize": report["initialize_ms"]["max_ms"],
        "codeAction_2000_lines_p95": report["codeAction_2000_lines_after_change"]["p95_ms"],
        "resolve_recipe_p95": report["resolve_recipe_track_mlflow_15_lines"]["p95_ms"],
    }
    report["targets"] = {
        name: {
            "measured_ms": value,
            "target_ms": TARGETS_MS[name],
            "met": value <= TARGETS_MS[name],
        }
        for name, value in checks.items()
    }
    for name, figures in report.items():
        print(f"{name}: {json.dumps(figures)}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
