"""The writers of one application offered for download, and safe download names from applicant text."""

from __future__ import annotations

import unicodedata
from typing import Any



def exporters() -> dict[str, Any]:
    """label -> (function app -> bytes, file extension, mime) for the writers that exist; missing ones -> None."""
    out: dict[str, Any] = {}
    try:
        from scoring.formats.json_io import export_json

        out["JSON 数据文件"] = (lambda app: export_json(app).encode("utf-8"), "json", "application/json")
    except ImportError:
        out["JSON 数据文件"] = None
    try:
        from scoring.formats.excel import export_xlsx

        out["Excel 工作簿"] = (export_xlsx, "xlsx",
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    except ImportError:
        out["Excel 工作簿"] = None
    try:
        from scoring.formats.word import export_application_docx

        out["Word 申请书"] = (export_application_docx, "docx",
                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    except ImportError:
        out["Word 申请书"] = None
    return out


_RESERVED_STEMS = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                             *(f"LPT{i}" for i in range(1, 10))})


def safe_file_stem(name: str) -> str:
    """A download name from applicant text: no path or control characters, no bidi overrides (U+202E would show
    ``exe.docx`` as ``xcod.exe``), not a reserved Windows device name, at most 60 characters."""
    stem = "".join("_" if c in '\\/:*?"<>|' or not c.isprintable() or unicodedata.category(c) == "Cf" else c
                   for c in name).strip(" ._")[:60].strip(" ._")
    if stem.split(".")[0].upper() in _RESERVED_STEMS:
        stem = "_" + stem
    return stem or "申报"
