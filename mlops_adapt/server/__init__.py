"""The MLOps-Adapt language server (pygls): start it over stdio or TCP with main() or start_server()."""

from __future__ import annotations

import argparse
import logging


def start_server(tcp: str | None = None) -> int:
    """Serve LSP over stdio, or over TCP when given "HOST:PORT"; the exit code when it ends.

    The code is 0 after `shutdown` then `exit`, 1 after an `exit` alone (as LSP asks). Engine
    workers still busy with abandoned runs are ended here, so exiting never waits for them.
    """
    from mlops_adapt.server.app import server
    from mlops_adapt.server.jobs import ENGINE

    try:
        if tcp is None:
            return server.start_io()
        host, port = parse_tcp(tcp)
        server.start_tcp(host, port)
        return 0
    except SystemExit as stop:  # pygls leaves through sys.exit on the client's `exit`
        return stop.code if isinstance(stop.code, int) else 1
    finally:
        ENGINE.close()


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
    return start_server(args.tcp)
