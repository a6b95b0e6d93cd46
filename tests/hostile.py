"""Builders of small hostile files, made in the test (never stored): zip bombs, sheets that claim a huge
dimension, oversized XML members, and measurement of a subprocess's time and peak memory.

Each builder starts from a real export of a sample, so the file is otherwise one the tool would read.
"""

from __future__ import annotations

import functools
import io
import json
import random
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "park_ai.json"


def sample_app():
    from scoring.formats.json_io import import_json

    return import_json(SAMPLE.read_bytes())


def sample_dict() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def with_value(path: list, value) -> dict:
    """The sample as a dict with ``value`` at ``path`` (a list of keys)."""
    d = sample_dict()
    cur = d
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = value
    return d


def raw_json(path: list, literal: str) -> str:
    """The sample as JSON text with ``literal`` written as is at ``path`` (``Infinity``, ``1e999``, ``"\\ud800"``)."""
    return json.dumps(with_value(path, "__RAW__")).replace('"__RAW__"', literal)


BAD_JSON: dict[str, Callable[[], str | bytes]] = {
    "Infinity": lambda: raw_json(["main", "total_revenue", "y2023"], "Infinity"),
    "inf as text": lambda: json.dumps(with_value(["main", "total_revenue", "y2023"], "inf")),
    "1e999": lambda: raw_json(["main", "total_revenue", "y2024"], "1e999"),
    "1e308 three years": lambda: json.dumps(with_value(["main", "total_revenue"],
                                                       {"y2023": 1e308, "y2024": 1e308, "y2025": 1e308})),
    "5000-digit integer": lambda: json.dumps(sample_dict())[:-1] + ', "n": ' + "9" * 5000 + "}",
    "nested 2000 deep": lambda: '{"a": ' + "[" * 2000 + "]" * 2000 + "}",
    "ANSI escape in the name": lambda: json.dumps(with_value(["basic", "park_name"], "园区\x1b[31m红\x1b[0m")),
    "NUL in a text": lambda: json.dumps(with_value(["work_plan", "basis"], "发展\x00基础")),
    "lone surrogate": lambda: raw_json(["basic", "park_name"], '"\\ud800园区"'),
    "name of 300 characters": lambda: json.dumps(with_value(["basic", "park_name"], "长" * 300)),
    "schema_version 999": lambda: json.dumps(with_value(["schema_version"], 999)),
    "not UTF-8": lambda: "申报".encode("gbk"),
    "a list": lambda: "[1, 2]",
}
"""Broken and hostile JSON applications: text or bytes (write text with ``encode("utf-8", "surrogatepass")``)."""


def json_bytes(case: str) -> bytes:
    text = BAD_JSON[case]()
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def rezip(data: bytes, edit: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of the ZIP ``data`` with each member passed through ``edit(name, content)`` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            content = edit(info.filename, zin.read(info.filename))
            if content is not None:
                zout.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            zout.writestr(name, content)
    return out.getvalue()


@functools.lru_cache(maxsize=None)
def sample_xlsx() -> bytes:
    from scoring.formats.excel import export_xlsx

    return export_xlsx(sample_app())


@functools.lru_cache(maxsize=None)
def sample_docx() -> bytes:
    from scoring.formats.word import export_application_docx

    return export_application_docx(sample_app())


@functools.lru_cache(maxsize=None)
def _padded_sheet(mb: float, dense: bool = True) -> bytes:
    if not dense:  # one cell repeated: compresses about 1000 times, like the bombs seen in the wild
        row = '<row r="1"><c r="A1"><v>1</v></c></row>'
        body = row * int(mb * 1024 * 1024 / len(row))
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<sheetData>{body}</sheetData></worksheet>').encode()
    rnd = random.Random(7)
    words = [rnd.randbytes(6).hex() for _ in range(64)]
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{rnd.choice(words)}</t></is></c></row>'
                   for r in range(1, int(mb * 1024 * 1024 / 70) + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{rows}</sheetData></worksheet>').encode()


def xlsx_many_sheets(n: int, mb: float = 1.0, dense: bool = True) -> bytes:
    """The sample workbook plus ``n`` extra sheets of ``mb`` MB each (registered in the workbook)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(sample_xlsx()))
    first = len(wb.sheetnames)
    for k in range(n):
        wb.create_sheet(f"附加{k}")["A1"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    big = _padded_sheet(mb, dense)
    names = {f"xl/worksheets/sheet{first + k + 1}.xml" for k in range(n)}
    return rezip(buf.getvalue(), lambda name, content: big if name in names else content)


def xlsx_far_cell(data: bytes | None = None) -> bytes:
    """Every sheet claims A1:XFD1048576 and has one cell there."""
    def edit(name: str, content: bytes) -> bytes:
        if not name.startswith("xl/worksheets/sheet"):
            return content
        text = content.decode()
        text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', text)
        text = text.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
        return text.encode()

    return rezip(data if data is not None else sample_xlsx(), edit)


def batch_template_far() -> bytes:
    """A batch template with one candidate whose sheets declare (and use) the dimension A1:XFD1048576."""
    from scoring.selection.batch_template import workbook_bytes

    return xlsx_far_cell(workbook_bytes([sample_app()]))


def docx_big_document(mb: float) -> bytes:
    """The sample 申请书 with its document.xml padded by empty paragraphs to about ``mb`` MB."""
    rnd = random.Random(mb)
    count = int(mb * 1024 * 1024 / 100)
    paras = b"".join(b"<w:p><w:r><w:t>" + rnd.randbytes(35).hex().encode() + b"</w:t></w:r></w:p>"
                     for _ in range(count))

    def edit(name: str, content: bytes) -> bytes:
        if name != "word/document.xml":
            return content
        return content.replace(b"<w:sectPr", paras + b"<w:sectPr", 1)

    return rezip(sample_docx(), edit)


def zip_bomb(kind: str, mb: int = 300) -> bytes:
    """A package of ``kind`` with one member of ``mb`` MB of zeros (compresses about 1000 times)."""
    main = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(main, b"<x/>")
        with z.open("bomb.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(mb):
                f.write(chunk)
    return out.getvalue()


def measure(args: list[str], timeout: float = 60, cwd: Path = ROOT) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run ``python -m scoring *args`` in a fresh wrapper process; (result, CPU seconds, peak memory in MB).

    The wrapper starts the command as its own child and reports ``RUSAGE_CHILDREN``, so the figures are those of
    this one command (start-up included) and not of anything else the tests started. CPU time, not wall time:
    it does not depend on how busy the machine is.
    """
    code = ("import resource, subprocess, sys, json\n"
            "r = subprocess.run([sys.executable, '-m', 'scoring', *sys.argv[1:]], capture_output=True)\n"
            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "sys.stdout.buffer.write(json.dumps([r.returncode, u.ru_maxrss, u.ru_utime + u.ru_stime,"
            " r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace')]).encode())\n")
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=timeout, cwd=cwd)
    rc, peak_kb, cpu, out, err = json.loads(p.stdout.decode())
    return subprocess.CompletedProcess(args, rc, out, err), cpu, peak_kb / 1024


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
