"""Shared parts of import/export: the import error, upload checks, tolerant parsing.

- :class:`ImportProblem`: a file that cannot be imported at all; ``reasons`` are Chinese lines for the user.
  Importers raise it *before* anything is changed, so a broken file never alters what was already entered.
- :func:`check_upload`: extension, size, magic bytes and ZIP-bomb limits of an uploaded file.
- :func:`safe_cell`: write user text into an openpyxl cell so that it can never become a formula.
- :func:`parse_number`, :func:`parse_date`, :func:`parse_yes_no`: tolerant readers shared by the Excel and Word
  importers (commas, full-width digits, units); anything they cannot read is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Iterable, Optional

from ..limits import LIMITS

# ---------------------------------------------------------------------------------------------------------------
# the import error


class ImportProblem(Exception):
    """A file that cannot be imported; ``reasons`` are Chinese lines (show them all)."""

    def __init__(self, reasons: list[str]):
        super().__init__("\n".join(reasons))
        self.reasons = list(reasons)


# ---------------------------------------------------------------------------------------------------------------
# upload safety

MB = 1024 * 1024
MAX_UPLOAD_BYTES: dict[str, int] = {"json": LIMITS.json_bytes, "xlsx": LIMITS.xlsx_bytes, "docx": LIMITS.docx_bytes}
"""Largest accepted file per kind (from :data:`scoring.limits.LIMITS`)."""

ZIP_MAX_ENTRIES = LIMITS.zip_members
ZIP_MAX_UNCOMPRESSED = LIMITS.zip_total_bytes
ZIP_MAX_MEMBER = LIMITS.zip_member_bytes
ZIP_MAX_RATIO = LIMITS.zip_ratio
_RATIO_FROM = 256 * 1024
"""Members smaller than this are never a bomb by themselves; the total cap bounds many of them."""
_MEMBER_CAPS: dict[str, int] = {"word/document.xml": LIMITS.docx_document_bytes}

KIND_LABEL: dict[str, str] = {"json": "JSON 数据文件（.json）", "xlsx": "Excel 工作簿（.xlsx）",
                              "docx": "Word 文档（.docx）"}
_REQUIRED_MEMBER: dict[str, str] = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls of Office 97–2003, and password-encrypted .docx/.xlsx


def _size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, round(n / 1024))} KB"


def _shown(member: str) -> str:
    """A member name fit to show: printable, at most 60 characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in member)
    return clean if len(clean) <= 60 else clean[:58] + "…"


def file_kind(name: str) -> str:
    """``'json'`` / ``'xlsx'`` / ``'docx'`` (or the lower-case extension of anything else, '' if none)."""
    return PurePath(name).suffix.lower().lstrip(".")


def check_zip(data: bytes, kind: str, name: str = "文件") -> None:
    """Reject anything that is not a sane ZIP package of ``kind`` (xlsx/docx); raise :class:`ImportProblem`."""
    what = KIND_LABEL.get(kind, kind)
    if data[:8] == _OLE_MAGIC:
        raise ImportProblem([f"{name}：是旧版 Office 格式（.doc/.xls）或已设置打开密码的文件，无法读取。"
                             f"请在 Office/WPS 中另存为{what}（不设密码）后再导入。"])
    if data[:4] != b"PK\x03\x04":
        raise ImportProblem([f"{name}：不是有效的{what}（文件内容不是 Office Open XML 压缩包），可能已损坏或扩展名不符。"])
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise ImportProblem([f"{name}：{what}已损坏，无法打开（{e}）。"]) from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ImportProblem([f"{name}：压缩包内文件数过多（{len(infos)} 个，上限 {ZIP_MAX_ENTRIES}），拒绝导入。"])
    total = 0
    for info in infos:
        total += info.file_size
        cap = _MEMBER_CAPS.get(info.filename, ZIP_MAX_MEMBER)
        if info.file_size > cap:
            raise ImportProblem([f"{name}：压缩包内“{_shown(info.filename)}”解压后 {_size_text(info.file_size)}，"
                                 f"超过上限 {_size_text(cap)}，拒绝导入。"])
        if info.file_size > _RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise ImportProblem([f"{name}：压缩包内“{_shown(info.filename)}”的压缩比异常（疑似压缩炸弹），拒绝导入。"])
        if info.flag_bits & 0x1:
            raise ImportProblem([f"{name}：文件已加密，无法读取。"])
    if total > ZIP_MAX_UNCOMPRESSED:
        raise ImportProblem([f"{name}：解压后总大小 {_size_text(total)} 超过上限 {_size_text(ZIP_MAX_UNCOMPRESSED)}"
                             "（疑似压缩炸弹），拒绝导入。"])
    required = _REQUIRED_MEMBER.get(kind)
    names = {i.filename for i in infos}
    if required and required not in names:
        other = next((k for k, m in _REQUIRED_MEMBER.items() if m in names and k != kind), None)
        hint = f"（看起来是{KIND_LABEL[other]}）" if other else ""
        raise ImportProblem([f"{name}：不是{what}{hint}。"])


def check_upload(name: str, data: bytes, allowed_exts: Iterable[str]) -> str:
    """Check an uploaded file before parsing it; return its kind (``json``/``xlsx``/``docx``).

    Checks, in order: the extension is one of ``allowed_exts`` (with or without the dot), the size is within
    :data:`MAX_UPLOAD_BYTES` of its kind, and the content matches the kind (UTF-8 text starting with ``{`` for
    JSON; a ZIP package with the right main part and no zip bomb for xlsx/docx). Raises :class:`ImportProblem`.
    """
    allowed = [e.lower().lstrip(".") for e in allowed_exts]
    kind = file_kind(name)
    shown = name or "文件"
    if kind not in allowed:
        names = "、".join(f".{e}" for e in allowed)
        got = f".{kind}" if kind else "无扩展名"
        raise ImportProblem([f"{shown}：文件类型不受支持（{got}），只接受 {names} 文件。"])
    limit = MAX_UPLOAD_BYTES.get(kind)
    if limit is None:
        raise ImportProblem([f"{shown}：文件类型不受支持（.{kind}）。"])
    if len(data) == 0:
        raise ImportProblem([f"{shown}：文件是空的。"])
    if len(data) > limit:
        raise ImportProblem([f"{shown}：文件大小 {_size_text(len(data))} 超过上限 {_size_text(limit)}。"])
    if kind == "json":
        head = data[:4096]
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if b"\x00" in head:
            raise ImportProblem([f"{shown}：不是 UTF-8 编码的 JSON 文本文件。"])
        if not head.lstrip().startswith(b"{"):
            raise ImportProblem([f"{shown}：不是本工具的 JSON 数据文件（内容应以 “{{” 开头）。"])
    else:
        check_zip(data, kind, shown)
    return kind


# ---------------------------------------------------------------------------------------------------------------
# formula injection

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these could be read as a formula (or a DDE call) by a spreadsheet program."""

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def xml_safe_text(text: str) -> str:
    """Drop control characters that XML (hence .xlsx and .docx) cannot hold; tabs and line breaks are kept."""
    return _ILLEGAL_XML.sub("", text)


def safe_cell(cell: Any, value: Any) -> Any:
    """Put ``value`` into an openpyxl ``cell`` so that user text can never become a formula.

    openpyxl stores any string starting with ``=`` as a formula; such text (and text starting with ``+ - @``,
    tab or CR, which spreadsheet programs may evaluate when the cell is edited) is stored as a plain string cell
    (``data_type 's'``) with the *quote prefix* style, so Excel/WPS show the text and keep it text when edited.
    Read back with openpyxl the value is the original string. Returns the cell.
    """
    if isinstance(value, str):
        value = xml_safe_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


# ---------------------------------------------------------------------------------------------------------------
# tolerant value parsing (shared by the Excel and Word importers)

EMPTY_MARKS = frozenset({"", "—", "——", "-", "--", "－", "/", "／", "\\", "不适用", "n/a", "N/A", "NA"})
"""Cell contents that mean “nothing filled”."""

_COUNT_UNITS = ("个", "家", "项")


def _unit_variants(unit: str) -> set[str]:
    """The unit texts that may follow a number of this field (only the field's own unit: never converted)."""
    if not unit:
        return set()
    u = normalize_text(unit)
    out = {u}
    if u == "%":
        out |= {"%", "％"}
    if u in _COUNT_UNITS:
        out |= set(_COUNT_UNITS)
    return out

_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def normalize_text(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), unified minus signs, no surrounding whitespace."""
    t = unicodedata.normalize("NFKC", str(text))
    return t.replace("−", "-").replace("–", "-").replace("﹣", "-").strip()


class ValueProblem(ValueError):
    """A cell value that cannot be read; the message is Chinese and names the text."""


def parse_number(raw: Any, unit: str = "", integer: bool = False) -> Optional[float | int]:
    """Read a number written by a person: ``1,350`` ``１３５０`` ``1350 公顷`` ``12.5%`` ``3.72万人``.

    Returns ``None`` for an empty cell (or a dash). Raises :class:`ValueProblem` for anything else that is not a
    plain number with an optional unit (``约30``, ``30左右``, ``很多``) — such text is reported, never guessed.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem(f"无法识别“{raw}”")
    if isinstance(raw, (int, float)):
        v: float | int = raw
    else:
        original = str(raw)
        t = normalize_text(original)
        if t in EMPTY_MARKS:
            return None
        t = re.sub(r"\s+", "", t)
        multiplier = 1
        for u in sorted(_unit_variants(unit), key=len, reverse=True):
            if t.endswith(u) and len(t) > len(u):
                t = t[: -len(u)]
                break
        if t.endswith("万") and unit in ("人", "个", "件", "家", "项"):
            t, multiplier = t[:-1], 10000
        t = t.replace(",", "")
        if not _NUM.match(t):
            raise ValueProblem(f"无法识别“{original.strip()}”")
        v = float(Decimal(t) * multiplier)
    if integer:
        if float(v) != int(float(v)):
            raise ValueProblem(f"应为整数（“{raw}”）")
        return int(float(v))
    return float(v)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(raw: Any) -> Optional[dt.date]:
    """``2026-03-25`` ``2026/3/25`` ``2026年3月25日`` ``2026.3.25`` ``20260325`` or a date/datetime; '' → None."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    t = normalize_text(str(raw))
    if t in EMPTY_MARKS or re.fullmatch(r"年\s*月\s*日", t):
        return None
    for pat in _DATE_PATTERNS:
        m = pat.match(t)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise ValueProblem(f"无法识别日期“{str(raw).strip()}”（应为 2026-03-25 或 2026年3月25日）")


_YES = frozenset({"是", "有", "√", "✓", "✔", "☑", "■", "y", "yes", "true", "1", "对"})
_NO = frozenset({"否", "没有", "×", "✗", "✘", "☐", "□", "n", "no", "false", "0", "不是"})


def parse_yes_no(raw: Any) -> Optional[bool]:
    """``是/否`` (and √ ×, true/false, 1/0); '' → None; anything else raises :class:`ValueProblem`."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    t = normalize_text(str(raw)).lower()
    if t in EMPTY_MARKS or t == "":
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise ValueProblem(f"无法识别“{str(raw).strip()}”（应为“是”或“否”）")


def fmt_exact(v: Optional[float | int]) -> str:
    """A number as text that reads back to exactly the same value: ``1350.0`` → ``1350``, ``14.2`` → ``14.2``."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    r = repr(float(v))
    return r if "e" not in r else f"{v:.17f}".rstrip("0").rstrip(".")


def fmt_computed(v: Optional[float]) -> str:
    """A computed value as shown in a form: two decimals at most (``14.29``, ``55.36``, ``3``)."""
    if v is None:
        return ""
    r = round(float(v), 2)
    if r == int(r):
        return str(int(r))
    return f"{r:.2f}".rstrip("0").rstrip(".")


def delete_in(data: dict[str, Any], loc: list[Any]) -> bool:
    """Remove the value at ``loc`` (a validation error location) from nested dicts/lists; False if absent."""
    cur: Any = data
    for p in loc[:-1]:
        try:
            cur = cur[p]
        except (KeyError, IndexError, TypeError):
            return False
    last = loc[-1] if loc else None
    if isinstance(cur, dict) and last in cur:
        del cur[last]
        return True
    if isinstance(cur, list) and isinstance(last, int) and last < len(cur):
        del cur[last]
        return True
    return False

