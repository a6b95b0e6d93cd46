"""The one table of input limits, used alike by the command line, the web app and the store.

Whatever a file says about itself (its declared sheet dimension, ``max_row``, a member's declared size), no import
does more work than these numbers allow; a file over a limit is refused with a Chinese reason before it is parsed.
The README shows this table (keep the two in step: ``tests/test_limits_doc.py`` checks it).

The module imports nothing from the package, so every layer may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # files as a whole
    json_bytes: int = 2 * MB
    """Largest .json application (an application is a few dozen KB)."""
    xlsx_bytes: int = 10 * MB
    """Largest .xlsx (workbook or batch template)."""
    docx_bytes: int = 20 * MB
    """Largest .docx (a 申请书 may carry images)."""
    csv_bytes: int = 5 * MB
    """Largest peer table (.csv)."""

    # ZIP packages (.xlsx, .docx)
    zip_members: int = 2000
    """Members of one package (a .docx has about 15–40, a .xlsx about 15)."""
    zip_member_bytes: int = 8 * MB
    """Uncompressed size of any one member (an exported sheet or document.xml is well under 1 MB)."""
    zip_total_bytes: int = 64 * MB
    """Uncompressed size of all members together."""
    zip_ratio: int = 100
    """Largest compression ratio of a member over 256 KB (XML compresses 5–20 times; bombs 1000+)."""
    docx_document_bytes: int = 8 * MB
    """Uncompressed size of word/document.xml (five 2000-character sections and the tables are about 300 KB)."""

    # what is read of a workbook
    sheet_rows: int = 600
    """Rows read of a sheet of the application workbook (it uses about 60)."""
    sheet_columns: int = 40
    """Columns read of any sheet."""
    batch_rows: int = 1000
    """Candidate rows read of a batch template sheet (a city has a few dozen)."""
    batch_columns: int = 200
    """Columns read of a batch template sheet (it has about 120)."""
    sheet_cells: int = 200_000
    """Cells read of one workbook in total."""

    # values
    text_chars: int = 20_000
    """Characters of any one text field (a work-plan section is rated up to 2000)."""
    name_chars: int = 200
    """Characters of a name or short field (the Word export puts names into document properties, max 255)."""
    csv_field_chars: int = 20_000
    """Characters of one CSV field."""
    csv_rows: int = 5000
    """Rows of a peer table."""
    json_depth: int = 32
    """Nesting depth of a JSON file (an application is 4 deep)."""
    number_digits: int = 30
    """Digits of a number written in a file (a 5000-digit integer is refused before it is converted)."""

    # time
    import_seconds: float = 20.0
    """Time budget of one import in the web app (a normal import takes well under a second)."""

    def table(self) -> list[tuple[str, str]]:
        """(what, limit) rows in Chinese, for the README and the app's help."""
        return [
            ("JSON 文件大小", _size(self.json_bytes)),
            ("Excel 文件大小（.xlsx）", _size(self.xlsx_bytes)),
            ("Word 文件大小（.docx）", _size(self.docx_bytes)),
            ("同行指标表大小（.csv）", _size(self.csv_bytes)),
            ("压缩包成员数", f"{self.zip_members}"),
            ("单个成员解压后大小", _size(self.zip_member_bytes)),
            ("全部成员解压后总大小", _size(self.zip_total_bytes)),
            ("Word 正文（document.xml）解压后大小", _size(self.docx_document_bytes)),
            ("每个工作表读取的行数 / 列数", f"{self.sheet_rows} / {self.sheet_columns}"),
            ("批量模板每个工作表读取的行数", f"{self.batch_rows}"),
            ("批量模板每个工作表读取的列数", f"{self.batch_columns}"),
            ("每个工作簿读取的单元格总数", f"{self.sheet_cells:,}"),
            ("单个文字字段字符数", f"{self.text_chars:,}"),
            ("名称类字段字符数", f"{self.name_chars}"),
            ("CSV 单个字段字符数 / 行数", f"{self.csv_field_chars:,} / {self.csv_rows:,}"),
            ("JSON 嵌套层数", f"{self.json_depth}"),
            ("数字的位数", f"{self.number_digits}"),
            ("网页导入的时间上限", f"{self.import_seconds:g} 秒"),
        ]


def _size(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n // 1024} KB"


LIMITS = Limits()
"""The limits in force."""


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in JSON text (strings skipped), without parsing it."""
    depth = best = 0
    for m in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            best = max(best, depth)
        else:
            depth -= 1
    return best
