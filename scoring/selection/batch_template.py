"""The Excel batch template: one row per candidate, one sheet per type (示范园区 / 示范企业).

The columns are built from :func:`scoring.application.formspec.form_spec`, i.e. from the models' titles and units (the
self-contained ``title_label``, not the form's shorter row label, so a header says what it is on its own): every scalar
field of the form, every typed year of the 近三年 tables, the top-10 enterprises / top-5 products, the narrative items
and the five sections of the 创建工作方案. Computed values (averages, shares, growth 2024/2025, 加权数量) have no
column: the tool computes them. The header row is Chinese; a column is found again by its header text, so columns
may be reordered or deleted.

* :func:`template_bytes` — the empty template (with a 填写说明 sheet listing every column, its unit and the values
  allowed);
* :func:`write_workbook` — applications written as rows (used to export a batch and by the tests' round trip);
* :func:`read_workbook` — rows back to applications, each bad sheet, row or cell reported with its row number,
  column and a Chinese reason. A bad cell is left empty and the rest of the row is imported (the problem is
  reported, never dropped); a row whose 申报创建领域 is missing or unknown cannot be an application and is not imported.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Literal, Optional

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError

from ..application.errors import format_validation_error
from ..application.derived import YEAR_KEYS
from ..application.formspec import YEAR_COLUMNS, FieldSpec, ListTable, SeriesTable, form_spec, get_in, set_in
from ..application.ids import ApplicantType, City, Domain
from ..application.models import AnyApplication, dump_application, parse_application
from ..limits import LIMITS
from ..formats.common import EMPTY_MARKS, ValueProblem, normalize_text, parse_date, parse_number, parse_yes_no, safe_cell

Kind = Literal["text", "textarea", "int", "float", "bool", "tristate", "date", "choice", "multichoice"]

SHEET_TITLES: dict[ApplicantType, str] = {ApplicantType.PARK: "示范园区", ApplicantType.ENTERPRISE: "示范企业"}
HELP_SHEET = "填写说明"
SEP = "｜"
MAX_ROWS = LIMITS.batch_rows
"""Rows read per sheet at most (a city receives a few dozen applications); more are reported, not read."""



@dataclass(frozen=True)
class Column:
    header: str
    path: str
    kind: Kind
    unit: str = ""
    options: tuple[tuple[str, str], ...] = ()
    help: str = ""
    percent: bool = False

    def allowed(self) -> str:
        if self.kind in ("bool", "tristate"):
            return "是 / 否" + ("（可留空：尚未确认）" if self.kind == "tristate" else "")
        if self.kind == "choice":
            return " / ".join(lab for _, lab in self.options)
        if self.kind == "multichoice":
            return "多个领域用“、”分隔：" + "、".join(lab for _, lab in self.options)
        if self.kind == "date":
            return "日期，如 2026-03-25"
        if self.kind == "int":
            return "整数" + (f"，单位：{self.unit}" if self.unit else "")
        if self.kind == "float":
            return "数字" + (f"，单位：{self.unit}" if self.unit else "")
        if self.kind == "textarea":
            return "文字（每部分不超过 2000 字）"
        return "文字"


@dataclass(frozen=True)
class Issue:
    """One problem of an uploaded workbook; ``row`` is the Excel row number, ``column`` the header (with letter)."""

    sheet: str
    row: Optional[int]
    column: Optional[str]
    reason: str
    level: Literal["错误", "提示"] = "错误"


@dataclass
class RowResult:
    sheet: str
    row: int
    app: Optional[AnyApplication]
    issues: list[Issue]


MAX_CELL_CHARS = 32_767


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write a value with :func:`scoring.formats.common.safe_cell` (text never becomes a formula); 是/否 for booleans,
    text cut to Excel's cell limit."""
    if isinstance(value, bool):
        value = "是" if value else "否"
    elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        value = value[:MAX_CELL_CHARS - 1] + "…"
    return safe_cell(ws.cell(row=row, column=column), value)


# ---------------------------------------------------------------------------------------------------------------
# columns


def _field_column(prefix: str, fs: FieldSpec) -> Column:
    header = f"{prefix}{SEP}{fs.title_label}" if prefix else fs.title_label
    return Column(header=header, path=fs.path, kind=fs.kind, unit=fs.unit, options=fs.options, help=fs.help,
                  percent=fs.unit == "%")


@lru_cache(maxsize=4)
def columns(app_type: ApplicantType | str) -> tuple[Column, ...]:
    """The template's columns of a type, in the form's order (headers unique)."""
    t = ApplicantType.parse(app_type)
    spec = form_spec(t)
    out: list[Column] = []
    for group in spec.groups():
        prefix = "" if group.key == "cover" else group.title
        for item in group.items:
            if isinstance(item, FieldSpec):
                out.append(_field_column(prefix, item))
            elif isinstance(item, SeriesTable):
                for row in item.rows:
                    for ykey, ycol in zip(YEAR_KEYS, YEAR_COLUMNS):
                        if ykey in row.typed_years:
                            out.append(Column(header=f"{prefix}{SEP}{row.title_label}{SEP}{ycol}",
                                              path=f"{row.path}.{ykey}", kind="float", unit=row.unit, help=row.help,
                                              percent=row.unit == "%"))
            elif isinstance(item, ListTable):
                for i in range(item.max_rows):
                    for col in item.columns:
                        fs = FieldSpec(path=f"{item.path}.{i}.{col.name}", name=col.name, title=col.title,
                                       kind=col.kind, unit=col.unit, help=col.help)
                        out.append(Column(header=f"{prefix}{SEP}{item.title}{SEP}第{i + 1}项{SEP}{col.title_label}",
                                          path=fs.path, kind=col.kind, unit=col.unit, percent=col.unit == "%"))
            # DerivedValue: computed by the tool, no column
    out.append(Column(header=f"说明{SEP}示例数据", path="meta.is_sample", kind="bool",
                      help="虚构的示例数据填“是”"))
    out.append(Column(header=f"说明{SEP}备注", path="meta.note", kind="text"))
    headers = [c.header for c in out]
    dup = {h for h in headers if headers.count(h) > 1}
    if dup:  # pragma: no cover - a model change that makes two labels equal must be resolved here
        raise RuntimeError(f"batch template: duplicate headers {sorted(dup)}")
    return tuple(out)


def _norm_header(h: Any) -> str:
    s = re.sub(r"\s+", "", str(h or ""))
    return s.replace("|", SEP).replace("(", "（").replace(")", "）")


@lru_cache(maxsize=4)
def _by_header(app_type: ApplicantType) -> dict[str, Column]:
    return {_norm_header(c.header): c for c in columns(app_type)}


# ---------------------------------------------------------------------------------------------------------------
# writing

_HEAD_FILL = PatternFill("solid", fgColor="DCE6F2")
_HEAD_FONT = Font(bold=True)


def _display(col: Column, value: Any) -> Any:
    """A model value as the template shows it (labels, 是/否, dates)."""
    if value is None or value == "" or value == []:
        return None
    if col.kind in ("bool", "tristate"):
        return "是" if value else "否"
    if col.kind == "choice":
        for v, lab in col.options:
            if v == value:
                return lab
        return str(value)
    if col.kind == "multichoice":
        labels = dict(col.options)
        return "、".join(labels.get(v, str(v)) for v in value)
    if col.kind == "date":
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    return value


def _header_row(ws: Any, cols: tuple[Column, ...]) -> None:
    for j, c in enumerate(cols, 1):
        cell = put(ws, 1, j, c.header)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = c.allowed() + (f"\n{c.help}" if c.help else "")
        cell.comment = Comment(note, "示范基地自评台")
        width = 40 if c.kind == "textarea" else min(30, max(12, len(c.header) // 2))
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 60


def _validations(ws: Any, cols: tuple[Column, ...]) -> None:
    """Drop-down lists for yes/no and choice columns (rows 2..MAX_ROWS+1)."""
    lists: dict[str, list[int]] = {}
    for j, c in enumerate(cols, 1):
        if c.kind in ("bool", "tristate"):
            lists.setdefault('"是,否"', []).append(j)
        elif c.kind == "choice":
            formula = '"' + ",".join(lab for _, lab in c.options) + '"'
            if len(formula) <= 255:
                lists.setdefault(formula, []).append(j)
    for formula, cols_j in lists.items():
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
        for j in cols_j:
            letter = get_column_letter(j)
            dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)


def _help_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(HELP_SHEET, 0)
    lines = [
        "国家新兴产业发展示范基地创建申请书 批量导入模板（示范基地自评台）",
        "每个候选对象填一行：示范园区填“示范园区”工作表，示范企业填“示范企业”工作表。第一行为列名，请勿修改列名；"
        "可以删除不用的列，也可以调整列的顺序。",
        "“申报创建领域”必须填写；其余各项可以留空（按缺数据处理，评分时不计分）。平均值、比重、增长率（2024、2025年）"
        "和各类加权数量由本工具根据分项数据计算，模板中没有这些列。",
        "百分比一律填写百分数的数值（如 12.5 表示 12.5%）；单元格设置为百分比格式时按显示值读取。",
        "本工具不计算公式：含公式的单元格按 Excel 保存的计算结果读取。",
    ]
    for i, text in enumerate(lines, 1):
        put(ws, i, 1, text).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 50
    ws.column_dimensions["D"].width = 50
    r = len(lines) + 2
    for t in ApplicantType:
        put(ws, r, 1, f"{SHEET_TITLES[t]}工作表的列").font = _HEAD_FONT
        r += 1
        for j, text in enumerate(("列名", "单位", "填写要求", "说明"), 1):
            put(ws, r, j, text).font = _HEAD_FONT
        r += 1
        for c in columns(t):
            for j, v in enumerate((c.header, c.unit or "—", c.allowed(), c.help or ""), 1):
                put(ws, r, j, v)
            r += 1
        r += 1


def write_workbook(apps: Iterable[AnyApplication] = ()) -> Workbook:
    """The template with one row per application (an empty iterable gives the empty template)."""
    wb = Workbook()
    default = wb.active
    rows: dict[ApplicantType, list[AnyApplication]] = {t: [] for t in ApplicantType}
    for a in apps:
        rows[ApplicantType.parse(a.type)].append(a)  # type: ignore[index]
    for t in ApplicantType:
        ws = wb.create_sheet(SHEET_TITLES[t])
        cols = columns(t)
        _header_row(ws, cols)
        _validations(ws, cols)
        for i, app in enumerate(rows[t], 2):
            data = dump_application(app)
            for j, c in enumerate(cols, 1):
                v = _display(c, get_in(data, c.path))
                cell = put(ws, i, j, v)
                if c.kind == "date" and v is not None:
                    cell.number_format = "yyyy-mm-dd"
                if c.kind == "textarea":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.remove(default)
    _help_sheet(wb)
    return wb


def _to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_bytes() -> bytes:
    """The empty batch template (.xlsx)."""
    return _to_bytes(write_workbook())


def workbook_bytes(apps: Iterable[AnyApplication]) -> bytes:
    return _to_bytes(write_workbook(apps))


# ---------------------------------------------------------------------------------------------------------------
# reading


class CellError(ValueError):
    """A cell that cannot be read; the message is the Chinese reason."""


def _number(raw: Any, col: Column, number_format: str, integer: bool = False) -> Optional[float | int]:
    if isinstance(raw, (dt.date, dt.datetime)):
        raise CellError("应为数字，实际为日期")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and col.percent and "%" in (number_format or ""):
        raw = raw * 100.0  # a cell formatted as percentage stores 0.125 for 12.5%
    try:
        v = parse_number(raw, col.unit, integer=integer)
    except ValueProblem as e:
        unit = f"，单位：{col.unit}" if col.unit else ""
        raise CellError(f"{e}（应为{'整数' if integer else '数字'}{unit}）") from None
    if v is not None and not col.percent and isinstance(raw, str) and normalize_text(raw).endswith("%"):
        raise CellError(f"本列单位为{col.unit or '无'}，不应填写百分数")
    return v


def _cell_value(raw: Any, col: Column, number_format: str = "General") -> Any:
    """Cell -> model value; raises CellError with a Chinese reason."""
    if col.kind in ("text", "textarea"):
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, (dt.date, dt.datetime)):
            return raw.strftime("%Y-%m-%d")
        text = str(raw)
        return text if col.kind == "textarea" else text.strip()
    if col.kind in ("float", "int"):
        v = _number(raw, col, number_format, integer=col.kind == "int")
        if col.kind == "float" and v is not None:
            v = round(float(v), 10)  # 0.125 × 100 read back as 12.5, not 12.500000000000002
        return v
    if col.kind in ("bool", "tristate"):
        try:
            return parse_yes_no(raw)
        except ValueProblem as e:
            raise CellError(str(e)) from None
    if col.kind == "date":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            try:
                return from_excel(raw).date()
            except (ValueError, OverflowError, TypeError, AttributeError):
                raise CellError("日期无效") from None
        try:
            return parse_date(raw)
        except ValueProblem as e:
            raise CellError(str(e)) from None
    if col.kind == "choice":
        text = str(raw).strip()
        for opt, lab in col.options:
            if text == opt or text == lab:
                return opt
        if col.path == "domain":
            try:
                return Domain.parse(text).value
            except ValueError:
                pass
        if col.path == "city":
            try:
                return City.parse(text).value
            except ValueError:
                pass
        raise CellError("取值无效，应为：" + "、".join(lab for _, lab in col.options))
    if col.kind == "multichoice":
        out = []
        for part in re.split(r"[、,，;；/\s]+", str(raw).strip()):
            if not part:
                continue
            try:
                out.append(Domain.parse(part).value)
            except ValueError:
                raise CellError(f"无法识别领域“{part}”，可选：" + "、".join(lab for _, lab in col.options)) from None
        return out
    raise CellError("无法读取")  # pragma: no cover


def _col_name(j: int, header: str) -> str:
    return f"{get_column_letter(j)} 列（{header}）"


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and (not v.strip() or v.strip() in EMPTY_MARKS))


def _row_to_app(sheet: str, row_no: int, t: ApplicantType, cells: list[tuple[int, Column, Any, str]]
                ) -> RowResult:
    """Build one application from the (column index, column, value, number format) cells of a row."""
    issues: list[Issue] = []
    data: dict[str, Any] = {"type": t.value}
    lists: dict[str, dict[int, dict[str, Any]]] = {}
    where: dict[str, tuple[int, Column]] = {}
    list_where: dict[tuple[str, int, str], tuple[int, Column]] = {}
    domain_col: Optional[tuple[int, Column]] = None
    domain_bad = False
    for j, col, raw, fmt in cells:
        if col.path == "domain":
            domain_col = (j, col)
        if _is_empty(raw):
            continue
        try:
            value = _cell_value(raw, col, fmt)
        except CellError as e:
            shown = str(raw)
            shown = shown if len(shown) <= 30 else shown[:30] + "…"
            issues.append(Issue(sheet, row_no, _col_name(j, col.header), f"{e}（单元格内容：{shown}），该项未导入"))
            domain_bad = domain_bad or col.path == "domain"
            continue
        parts = col.path.split(".")
        k = next((i for i, p in enumerate(parts) if p.isdigit()), None)
        if k is not None:  # a list entry: lead.top10.3.name
            lp, idx, field = ".".join(parts[:k]), int(parts[k]), ".".join(parts[k + 1:])
            lists.setdefault(lp, {}).setdefault(idx, {})[field] = value
            list_where[(lp, idx, field)] = (j, col)
        else:
            set_in(data, col.path, value)
            where[col.path] = (j, col)
    for lp, entries in lists.items():
        # filled entries in order (an empty entry between two filled ones is not kept)
        set_in(data, lp, [entries[i] for i in sorted(entries)])
        for n, i in enumerate(sorted(entries)):
            for field in entries[i]:
                where[f"{lp}.{n}.{field}"] = list_where[(lp, i, field)]
    if not data.get("domain"):
        if domain_bad:
            issues.append(Issue(sheet, row_no, None, "申报创建领域无法识别，本行未导入（申报创建领域为必填项）"))
        else:
            col_text = _col_name(domain_col[0], domain_col[1].header) if domain_col else "申报创建领域"
            issues.append(Issue(sheet, row_no, col_text, "申报创建领域未填写，本行未导入（申报创建领域为必填项）"))
        return RowResult(sheet, row_no, None, issues)
    # validate; a value the model rejects (e.g. a negative amount) is reported at its cell and left empty
    for _ in range(50):
        try:
            app = parse_application(data)
            return RowResult(sheet, row_no, app, issues)
        except ValidationError as e:
            removed = False
            lines = format_validation_error(e)
            for err, line in zip(e.errors(), lines):
                loc = [str(x) for x in err.get("loc", ())]
                if loc and loc[0] == t.value:
                    loc = loc[1:]
                path = ".".join(loc)
                # the closest column: exact path, or a list entry's field
                hit = where.get(path)
                if hit is None:
                    for p, jc in where.items():
                        if path.startswith(p + ".") or p.startswith(path + "."):
                            hit = jc
                            path = p
                            break
                if hit is None:
                    issues.append(Issue(sheet, row_no, None, f"{line}；本行未导入"))
                    return RowResult(sheet, row_no, None, issues)
                j, col = hit
                msg = line.split("：", 1)[-1]
                issues.append(Issue(sheet, row_no, _col_name(j, col.header), f"{msg}，该项未导入"))
                _drop(data, path)
                where.pop(path, None)
                removed = True
            if not removed:  # pragma: no cover - defensive
                break
    issues.append(Issue(sheet, row_no, None, "数据校验未通过，本行未导入"))
    return RowResult(sheet, row_no, None, issues)


def _drop(data: dict[str, Any], path: str) -> None:
    parts = path.split(".")
    cur: Any = data
    for p in parts[:-1]:
        cur = cur[int(p)] if isinstance(cur, list) else cur.get(p)
        if cur is None:
            return
    last = parts[-1]
    if isinstance(cur, list):
        if last.isdigit() and int(last) < len(cur):
            cur[int(last)] = {}
    elif isinstance(cur, dict):
        cur.pop(last, None)


def read_workbook(data: bytes) -> tuple[list[RowResult], list[Issue]]:
    """Rows of the two type sheets -> applications. Returns (row results, sheet-level issues)."""
    from ..formats.xlsx_guard import prune_workbook

    data = prune_workbook(data, lambda name: name.strip() in SHEET_TITLES.values())
    try:
        wb_values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        wb_formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many kinds (zip, xml, key errors) for a broken file
        return [], [Issue("", None, None, f"无法读取 Excel 文件（{type(e).__name__}），请确认是 .xlsx 格式且未损坏")]
    sheet_issues: list[Issue] = []
    results: list[RowResult] = []
    known = {v: k for k, v in SHEET_TITLES.items()}
    found = [n for n in wb_values.sheetnames if n.strip() in known]
    if not found:
        return [], [Issue("", None, None, "没有找到“示范园区”或“示范企业”工作表：不是本工具的批量导入模板"
                                          "（请在“遴选排序”页下载模板）")]
    for name in wb_values.sheetnames:
        if name.strip() not in known and name.strip() != HELP_SHEET:
            sheet_issues.append(Issue(name, None, None, f"工作表“{name}”不是模板的工作表，未读取", "提示"))
    for name in found:
        t = known[name.strip()]
        ws_v = wb_values[name]
        ws_f = wb_formulas[name]
        # never the declared dimension: a sheet claiming A1:XFD1048576 is read as far as the limits only
        bounds = {"min_row": 1, "max_row": LIMITS.batch_rows + 2, "max_col": LIMITS.batch_columns}
        rows_v = ws_v.iter_rows(**bounds)
        rows_f = ws_f.iter_rows(**bounds)
        try:
            header_cells = next(rows_v)
            next(rows_f)
        except StopIteration:
            continue
        by_header = _by_header(t)
        col_map: dict[int, Column] = {}
        seen: set[str] = set()
        for j, cell in enumerate(header_cells, 1):
            h = _norm_header(cell.value)
            if not h:
                continue
            col = by_header.get(h)
            if col is None:
                sheet_issues.append(Issue(name, 1, _col_name(j, str(cell.value)), "不是模板中的列，该列未读取", "提示"))
            elif col.header in seen:
                sheet_issues.append(Issue(name, 1, _col_name(j, col.header), "列名重复，只读取第一列", "提示"))
            else:
                seen.add(col.header)
                col_map[j] = col
        if "申报创建领域" not in seen:
            sheet_issues.append(Issue(name, 1, None, "缺少“申报创建领域”列，本工作表未导入"))
            continue
        n = 0
        for row_no, (rv, rf) in enumerate(zip(rows_v, rows_f), 2):
            cells: list[tuple[int, Column, Any, str]] = []
            formula_issues: list[Issue] = []
            any_value = False
            for j, (cv, cf) in enumerate(zip(rv, rf), 1):
                col = col_map.get(j)
                value = getattr(cv, "value", None)
                formula = getattr(cf, "value", None)
                if col is None:
                    continue
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    formula_issues.append(Issue(name, row_no, _col_name(j, col.header),
                                                "单元格为公式但没有保存计算结果（请在 Excel 中打开后保存，或粘贴为数值），该项未导入"))
                    any_value = True
                    continue
                if not _is_empty(value):
                    any_value = True
                cells.append((j, col, value, getattr(cv, "number_format", "General") or "General"))
            if not any_value:
                continue
            n += 1
            if n > MAX_ROWS:
                sheet_issues.append(Issue(name, row_no, None, f"超过 {MAX_ROWS} 行，第 {row_no} 行及以后未读取"))
                break
            res = _row_to_app(name, row_no, t, cells)
            res.issues[:0] = formula_issues
            results.append(res)
    return results, sheet_issues
