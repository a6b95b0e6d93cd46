"""File formats of one application: JSON (lossless), the Excel workbook, the Word 创建申请书 (export and import)
and the Word 自评报告, with the shared upload limits and tolerant parsing.

Excel and Word load openpyxl and python-docx, which are needed only when such a file is read or written, so the
names below are imported on first use (``from scoring.formats import export_xlsx`` works as usual).
"""

from importlib import import_module
from typing import Any

_WHERE = {"ImportProblem": "common", "MAX_UPLOAD_BYTES": "common", "check_upload": "common", "file_kind": "common",
          "export_json": "json_io", "import_json": "json_io", "export_xlsx": "excel", "import_xlsx": "excel",
          "export_application_docx": "word", "import_application_docx": "word", "report_docx": "report"}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
