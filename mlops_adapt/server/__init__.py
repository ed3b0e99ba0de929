"""The MLOps-Adapt language server (pygls): start it over stdio or TCP with main() or start_server()."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys


def start_server(tcp: str | None = None) -> None:
    """Serve LSP over stdio, or over TCP when given "HOST:PORT"."""
    from mlops_adapt.server.app import server

    if tcp is None:
        server.start_io()
        return
    host, port = parse_tcp(tcp)
    server.start_tcp(host, port)


def parse_tcp(value: str) -> tuple[str, int]:
    """Split "HOST:PORT" (the host may be empty for localhost), raising ValueError with a clear reason."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--tcp wants HOST:PORT, got {value!r}")
    return host or "127.0.0.1", int(port)


def main(argv: list[str] | None = None) -> int:
    """`mlops-adapt lsp [--tcp HOST:PORT] [--log-file PATH]`: run the server until the client exits."""
    parser = argparse.ArgumentParser(
        prog="mlops-adapt lsp", description="Run the MLOps-Adapt language server."
    )
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    parser.add_argument("--log-file", help="write server logs to this file")
    args = parser.parse_args(argv)
    if args.tcp is not None:
        try:
            parse_tcp(args.tcp)
        except ValueError as err:
            parser.error(str(err))
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.INFO)
    try:
        start_server(args.tcp)
        code = 0
    except SystemExit as stop:  # pygls leaves through sys.exit on the client's `exit`
        code = stop.code if isinstance(stop.code, int) else 1
    from mlops_adapt.server.jobs import engine_busy

    if engine_busy():  # abandoned (cancelled) engine runs must not hold the editor's shutdown
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(ValueError, OSError):  # pygls may have closed stdout already
                stream.flush()
        os._exit(code)
    return code
