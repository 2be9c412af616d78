"""`factorcheck serve`: the questionnaire as a local web page, with a report to print."""

from __future__ import annotations

import argparse
from typing import TextIO

from factorcheck.cli.options import add_rules_option

DESCRIPTION = (
    "Serve the questionnaire as a local web page and print its address; Ctrl-C stops it. "
    "Nothing is stored or logged. By default only this computer can reach it; with another --host "
    "the answers cross the network unencrypted (a warning says so). "
    "Exit codes: 0 stopped with Ctrl-C; 1 it could not start (for example, the port is in use)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Describe `serve` and add its arguments."""
    parser.description = DESCRIPTION
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8765, help="the port to listen on (default: 8765; 0 picks a free one)"
    )
    add_rules_option(parser)


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run `factorcheck serve` until Ctrl-C; returns the exit code."""
    # Imported here, so that only a server that runs loads the web stack.
    from factorcheck.web.serve import run_serve

    return run_serve(args.host, args.port, args.rules, stdout, stderr, args.allow_below_safety_floor)
