"""Command-line entry ``python -m scoring <command> ...``: the parser, with the commands registered by one module
per command group, and the exit codes.

Exit codes: 0 done/scored, 2 invalid input (reasons on stderr), 1 internal error (e.g. a broken rubric).
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Optional, Sequence

from ..programme.rubric import RubricError
from . import core, formats, peers, selection
from .common import EXIT_ERROR, EXIT_INVALID, InputError


Registrar = Callable[[argparse._SubParsersAction], None]  # type: ignore[type-arg]
EXTRA_COMMANDS: list[Registrar] = []
"""Later modules register sub-commands here (coverage, benchmark, convert, report, rank)."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scoring", description="示范基地自评台：命令行评分工具")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")
    core.register(sub)
    peers.register(sub)
    formats.register(sub)
    selection.register(sub)
    for register in EXTRA_COMMANDS:
        register(sub)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as e:
        for line in e.reasons:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except RubricError as e:
        print(f"规则文件错误：{e}", file=sys.stderr)
        return EXIT_ERROR
