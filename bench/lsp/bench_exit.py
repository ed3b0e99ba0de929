"""How fast the language server answers `shutdown` and ends on `exit` while a long resolve runs.

Run: .venv/bin/python bench/lsp/bench_exit.py [--lines N] [--repeat R]
The resolve (track-mlflow on an N-line file) needs far longer than the figures printed here;
before issue 14, `mlops-adapt lsp` waited for it to finish before exiting.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lsp import padded


class Server:
    """`python -m mlops_adapt lsp` (as the VS Code extension starts it) over hand-framed stdio."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "mlops_adapt", "lsp"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def answer(self, msg_id) -> dict:
        while True:
            length = 0
            while (line := self.process.stdout.readline()).strip():
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            message = json.loads(self.process.stdout.read(length))
            if message.get("id") == msg_id and "method" not in message:
                return message


def once(lines: int) -> tuple[float, float]:
    server = Server()
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    server.answer(1)
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///bench/long.py"
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": padded(lines)}}})
    server.send({"jsonrpc": "2.0", "id": 2, "method": "codeAction/resolve", "params": {
        "title": "t", "data": {"uri": uri, "version": 1, "task": "track-mlflow"}}})
    time.sleep(2.0)  # the engine is busy with the resolve now
    started = time.perf_counter()
    server.send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
    server.answer(3)
    shutdown_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    server.send({"jsonrpc": "2.0", "method": "exit"})
    server.process.wait(timeout=300)
    return shutdown_ms, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=60000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [once(args.lines) for _ in range(args.repeat)]
    for label, values in (("shutdown_answer_ms", [r[0] for r in runs]),
                          ("exit_to_process_end_ms", [r[1] for r in runs])):
        print(f"{label}: p50 {statistics.median(values):.1f}, max {max(values):.1f} "
              f"(n={len(values)}, resolve on {args.lines} lines still running)")


if __name__ == "__main__":
    main()
