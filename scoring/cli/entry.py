"""Command-line entry ``python -m scoring <command> ...``: the parser, with the commands registered by one module
per command group, and the exit codes.

``--pack ID`` (before or after the command) chooses the rule pack every command reads (default: the default pack,
see :mod:`scoring.programme.packs`); an unknown id is an input error.

Exit codes: 0 done/scored, 2 invalid input (reasons on stderr, in Chinese; also any error a hostile file could
cause, and an unknown ``--pack``), 1 internal error (a broken rubric, or a bug: the traceback goes to a log file whose path is printed).
No command ever shows a traceback.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import zipfile
from typing import Callable, Optional, Sequence

from pydantic import ValidationError

from ..formats.common import ImportProblem
from ..programme.packs import PackNotFound, activate, reset
from ..programme.rubric import RubricError
from . import core, formats, peers, programme, selection
from .common import EXIT_ERROR, EXIT_INVALID, InputError


Registrar = Callable[[argparse._SubParsersAction], None]  # type: ignore[type-arg]
EXTRA_COMMANDS: list[Registrar] = []
"""Later modules register sub-commands here (coverage, benchmark, convert, report, rank)."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scoring", description="示范基地自评台：命令行评分工具")
    p.add_argument("--pack", metavar="ID", default=None, help=PACK_HELP)
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")
    core.register(sub)
    peers.register(sub)
    formats.register(sub)
    selection.register(sub)
    programme.register(sub)
    for register in EXTRA_COMMANDS:
        register(sub)
    seen: set[int] = set()
    for sp in sub.choices.values():  # the option is also accepted after the command (SUPPRESS keeps an earlier one)
        if id(sp) not in seen:
            seen.add(id(sp))
            sp.add_argument("--pack", metavar="ID", default=argparse.SUPPRESS, help=PACK_HELP)
    return p


PACK_HELP = "规则包（申报批次）编号，如 fujian-2026-1；默认为默认规则包。可用 python -m scoring packs 查看"


def main(argv: Optional[Sequence[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        token = activate(args.pack)
    except PackNotFound as e:
        print(f"--pack：{e}", file=sys.stderr)
        return EXIT_INVALID
    except RubricError as e:
        print(f"规则文件错误：{e}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return _run(args)
    finally:
        reset(token)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except InputError as e:
        for line in e.reasons:
            print(_printable(line), file=sys.stderr)
        return EXIT_INVALID
    except RubricError as e:
        print(f"规则文件错误：{e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except _INPUT_ERRORS as e:  # a file the readers did not foresee: still a problem of the input
        print(f"输入无法处理（{type(e).__name__}）：{_printable(str(e))[:200]}", file=sys.stderr)
        return EXIT_INVALID
    except Exception:  # a real internal error: a Chinese line and the traceback in a log file
        log = _write_log()
        print(f"内部错误：命令未能完成。详细信息已写入 {log}，请将该文件反馈给维护者。", file=sys.stderr)
        return EXIT_ERROR


_INPUT_ERRORS: tuple[type[BaseException], ...] = (
    ImportProblem, ValidationError, UnicodeError, RecursionError, MemoryError, OverflowError, zipfile.BadZipFile,
    csv.Error)


def _printable(text: str) -> str:
    """A line safe for a terminal: no escapes or other control characters (tabs and line breaks kept)."""
    return "".join(ch if ch.isprintable() or ch in "\t\n" else f"\\x{ord(ch):02x}" if ord(ch) < 0x100
                   else f"\\u{ord(ch):04x}" for ch in text)


def _write_log() -> str:
    import tempfile
    import time
    import traceback

    try:
        fd, path = tempfile.mkstemp(prefix=f"sfjd-error-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(" ".join(sys.argv) + "\n\n" + traceback.format_exc())
        return path
    except OSError:
        return "（日志无法写入）"
