"""Excel export and import of one application, with openpyxl.

The workbook is laid out like the form (Annex 2 park / Annex 3 enterprise), one sheet per part:

- 基本信息: 申请书首页, basic information, eligibility facts and attestations (项目 | 填报内容 | 单位 | 填写说明);
- 近三年指标: the 近三年 tables (rows = indicators with units; columns 2023年 / 2024年 / 2025年 / 近三年平均值);
  a row the tool can compute is followed by a grey 「自动计算」 row (computed at export; recomputed on import);
- 数量与平台: counts (enterprises, platforms, patents, talent, smart factories / awards, standards) and the
  weighted counts with their 自动计算 rows;
- 前十企业 (park) / 前五产品 (enterprise): the top list;
- 文字材料: the narrative items of the form and the five sections of the 创建工作方案;
- 说明: how to fill the workbook offline and the data-format version.

Labels, units and help texts come from the models through :mod:`scoring.application.formspec`. Column A of every data sheet is
hidden and holds the model path of its row, so an import is exact; when it is missing, the row label is used.
Text is written so that it can never become a formula (:func:`scoring.formats.common.safe_cell`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from ..application.derived import YEAR_KEYS, DerivedResult
from ..application.errors import _message as _validation_message
from ..application.formspec import (AVG_COLUMN, YEAR_COLUMNS, DerivedValue, FieldSpec, ListTable, SeriesRow, SeriesTable,
                       form_spec, set_in)
from ..application.ids import ApplicantType, City, Domain
from .common import (delete_in, MAX_UPLOAD_BYTES, ImportProblem, ValueProblem, check_zip, normalize_text, parse_date,
                        parse_number, parse_yes_no, safe_cell)
from .json_io import check_schema_version
from ..application.models import SCHEMA_VERSION, AnyApplication, parse_application
from ..narrative.workplan import char_count

# ---------------------------------------------------------------------------------------------------------------
# layout

S_BASIC, S_SERIES, S_COUNTS, S_TEXT, S_README = "基本信息", "近三年指标", "数量与平台", "文字材料", "说明"
S_LIST = {ApplicantType.PARK: "前十企业", ApplicantType.ENTERPRISE: "前五产品"}
BASIC_GROUPS = ("cover", "basic", "status", "attestations")
TEXT_GROUPS = ("narratives", "work_plan")

PATH_HEADER = "字段路径"
AUTO = "自动计算"
TYPED_AVG = "近三年平均值（填报值，可不填）"
AUTO_AVG = "近三年平均值（自动计算）"
SERIES_HEADERS = ("项目", *YEAR_COLUMNS, TYPED_AVG, AUTO_AVG, "说明")
KV_HEADERS = ("项目", "填报内容", "单位", "填写说明")
TEXT_HEADERS = ("项目", "内容", "字数（自动计算）", "填写说明")
SECTION_PREFIX = ("（一）", "（二）", "（三）", "（四）", "（五）")
YES, NO = "是", "否"

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_AUTO_FILL = PatternFill("solid", fgColor="EDEDED")
_AUTO_FONT = Font(name="宋体", size=10, color="595959", italic=True)
_BODY_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_TITLE_FONT = Font(name="黑体", size=14, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Desc:
    """How one model path is written and read."""

    path: str
    title: str
    kind: str  # text textarea int float bool tristate date choice multichoice type version
    unit: str = ""
    options: tuple[tuple[str, str], ...] = ()


def _desc_from_field(fs: FieldSpec, path: Optional[str] = None) -> Desc:
    return Desc(path=path or fs.path, title=fs.title, kind=fs.kind, unit=fs.unit, options=fs.options)


def _title_of(app_cls: Any, path: str) -> str:
    model = app_cls
    title = path
    for part in path.split("."):
        f = model.model_fields[part]
        title = f.title or part
        ann = f.annotation
        model = ann if isinstance(ann, type) else None
    return title


@dataclass
class Plan:
    """Everything the workbook contains for one applicant type."""

    type: ApplicantType
    basic: list[tuple[str, list[Desc]]] = field(default_factory=list)  # (group title, rows)
    series: list[tuple[str, list[SeriesRow]]] = field(default_factory=list)
    counts: list[tuple[str, list[Desc | DerivedValue]]] = field(default_factory=list)
    lists: list[ListTable] = field(default_factory=list)
    texts: list[tuple[str, list[Desc]]] = field(default_factory=list)
    meta: list[Desc] = field(default_factory=list)


_PLANS: dict[ApplicantType, Plan] = {}


def plan_for(app_type: ApplicantType | str) -> Plan:
    t = ApplicantType.parse(app_type)
    if t in _PLANS:
        return _PLANS[t]
    spec = form_spec(t)
    plan = Plan(type=t)
    type_desc = Desc("type", "申报类别", "type", options=tuple((m.value, m.label) for m in ApplicantType))
    for g in spec.groups():
        if g.key in BASIC_GROUPS:
            rows = [_desc_from_field(it) for it in g.items if isinstance(it, FieldSpec)]
            if g.key == "cover":
                rows.insert(0, type_desc)
            plan.basic.append((g.title, rows))
            continue
        if g.key in TEXT_GROUPS:
            rows = [_desc_from_field(it) for it in g.items if isinstance(it, FieldSpec)]
            if g.key == "work_plan":
                rows = [Desc(d.path, f"{SECTION_PREFIX[i]}{d.title}", d.kind, d.unit, d.options)
                        for i, d in enumerate(rows)]
            plan.texts.append((g.title, rows))
            continue
        srows: list[SeriesRow] = []
        crows: list[Desc | DerivedValue] = []
        for it in g.items:
            if isinstance(it, SeriesTable):
                srows.extend(it.rows)
            elif isinstance(it, ListTable):
                plan.lists.append(it)
            elif isinstance(it, DerivedValue):
                crows.append(it)
            elif isinstance(it, FieldSpec):
                if it.kind == "textarea":
                    plan.texts.append((g.title, [_desc_from_field(it)]))
                else:
                    crows.append(_desc_from_field(it))
        if srows:
            plan.series.append((g.title, srows))
        if crows:
            plan.counts.append((g.title, crows))
    plan.meta = [Desc("schema_version", "数据格式版本", "version"),
                 Desc("meta.is_sample", "示例数据", "bool"),
                 Desc("meta.note", "备注", "text")]
    _PLANS[t] = plan
    return plan


def _derived_desc(app_type: ApplicantType, dv: DerivedValue) -> Desc:
    from ..application.models import EnterpriseApplication, ParkApplication

    cls = ParkApplication if app_type is ApplicantType.PARK else EnterpriseApplication
    return Desc(dv.path, _title_of(cls, dv.path), "float", dv.unit)


# ---------------------------------------------------------------------------------------------------------------
# export


def _display(desc: Desc, value: Any) -> Any:
    """Model value → cell value."""
    if desc.kind in ("bool", "tristate"):
        return None if value is None else (YES if value else NO)
    if desc.kind in ("choice", "type"):
        if value is None:
            return None
        v = getattr(value, "value", value)
        return dict(desc.options).get(v, str(v))
    if desc.kind == "multichoice":
        labels = dict(desc.options)
        return "、".join(labels.get(getattr(v, "value", v), str(v)) for v in value or [])
    if desc.kind == "date":
        return value
    return value


def _get(app: AnyApplication, path: str) -> Any:
    obj: Any = app
    for part in path.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
    return obj


class _Writer:
    def __init__(self, wb: Workbook, name: str, headers: tuple[str, ...], widths: tuple[float, ...], title: str,
                 note: str):
        self.ws: Worksheet = wb.create_sheet(name)
        self.headers = headers
        ws = self.ws
        ncols = len(headers) + 1
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["A"].hidden = True
        for i, w in enumerate(widths, start=2):
            ws.column_dimensions[get_column_letter(i)].width = w
        safe_cell(ws.cell(1, 2), title).font = _TITLE_FONT
        ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=ncols)
        ws.row_dimensions[1].height = 24
        c = safe_cell(ws.cell(2, 2), note)
        c.font = Font(name="宋体", size=9, color="595959")
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=ncols)
        ws.row_dimensions[2].height = 30
        safe_cell(ws.cell(3, 1), PATH_HEADER)
        for j, h in enumerate(headers, start=2):
            c = safe_cell(ws.cell(3, j), h)
            c.font, c.fill, c.alignment, c.border = _BOLD, _HEAD_FILL, _CENTER, _BORDER
        ws.row_dimensions[3].height = 30
        ws.freeze_panes = "C4"
        self.widths = (0.0, *widths)
        self.row = 4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.page_setup.orientation = "landscape"
        ws.print_title_rows = "3:3"

    def group(self, title: str) -> None:
        ws = self.ws
        ncols = len(self.headers) + 1
        c = safe_cell(ws.cell(self.row, 2), title)
        c.font, c.fill = _BOLD, _GROUP_FILL
        for j in range(2, ncols + 1):
            ws.cell(self.row, j).fill = _GROUP_FILL
            ws.cell(self.row, j).border = _BORDER
        ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=ncols)
        self.row += 1

    def line(self, path: Optional[str], values: list[Any], *, auto: bool = False,
             number_format: Optional[str] = None, height: Optional[float] = None) -> int:
        ws = self.ws
        r = self.row
        if path:
            safe_cell(ws.cell(r, 1), path)
        for j, v in enumerate(values, start=2):
            c = safe_cell(ws.cell(r, j), v)
            c.border = _BORDER
            c.alignment = _WRAP
            c.font = _AUTO_FONT if auto else _BODY_FONT
            if auto:
                c.fill = _AUTO_FILL
            if isinstance(v, dt.date):
                c.number_format = "yyyy-mm-dd"
            elif isinstance(v, float) and number_format:
                c.number_format = number_format
        ws.cell(r, 2).font = _AUTO_FONT if auto else _BODY_FONT
        lines = max([1] + [_wrapped_lines(v, w) for v, w in zip(values, self.widths[1:])])
        height = height or (14.0 * lines + 2 if lines > 1 else None)
        if height:
            ws.row_dimensions[r].height = min(409.0, height)
        self.row += 1
        return r


def _round2(v: Optional[float]) -> Optional[float]:
    return None if v is None else round(v, 2)


def _validation(ws: Worksheet, options: list[str], cells: list[str]) -> None:
    if not cells:
        return
    formula = '"' + ",".join(options) + '"'
    if len(formula) > 255:
        return
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    ws.add_data_validation(dv)
    for ref in cells:
        dv.add(ref)


def _derive(app: AnyApplication) -> DerivedResult:
    from ..assessment.engine import derive

    return derive(app)


def export_xlsx(app: AnyApplication) -> bytes:
    """The application as an .xlsx workbook laid out like the form (see the module docstring)."""
    t = ApplicantType.parse(app.type)
    plan = plan_for(t)
    derived = _derive(app)
    wb = Workbook()
    wb.remove(wb.active)
    form_title = "国家新兴产业发展示范基地创建申请书（示范园区）" if t is ApplicantType.PARK else \
        "国家新兴产业发展示范基地创建申请书（示范企业）"
    name = app.display_name or "未命名"

    # 基本信息
    w = _Writer(wb, S_BASIC, KV_HEADERS, (34, 48, 10, 44), f"{form_title} · {S_BASIC}",
                f"{name}。白色单元格可填写；带下拉箭头的单元格请从列表中选择（是/否、领域、设区市）。")
    yes_no: list[str] = []
    domain_cells: list[str] = []
    city_cells: list[str] = []
    option_cells: dict[tuple[str, ...], list[str]] = {}
    for title, rows in plan.basic:
        w.group(title)
        for d in rows:
            value = _display(d, _get(app, d.path))
            r = w.line(d.path, [d.title, value, d.unit, _help(t, d.path)])
            ref = f"C{r}"
            if d.kind in ("bool", "tristate"):
                yes_no.append(ref)
            elif d.kind == "choice" and d.path in ("domain",):
                domain_cells.append(ref)
            elif d.kind == "choice" and d.path == "city":
                city_cells.append(ref)
            elif d.kind == "choice":
                option_cells.setdefault(tuple(lab for _, lab in d.options), []).append(ref)
    _validation(w.ws, [YES, NO], yes_no)
    _validation(w.ws, [m.label for m in Domain], domain_cells)
    _validation(w.ws, [m.label for m in City], city_cells)
    for opts, cells in option_cells.items():
        _validation(w.ws, list(opts), cells)

    # 近三年指标
    w = _Writer(wb, S_SERIES, SERIES_HEADERS, (40, 13, 13, 13, 17, 17, 56), f"{form_title} · {S_SERIES}",
                "白色单元格填写各年数值（单位见项目名称）。灰色“自动计算”行和“近三年平均值（自动计算）”列为导出时按已填数据"
                "计算的结果，仅供核对，导入时不读取、由本工具重新计算。")
    for title, srows in plan.series:
        w.group(title)
        for row in srows:
            s = _get(app, row.path)
            typed = [getattr(s, y) for y in YEAR_KEYS] + [s.avg]
            auto_avg = None if row.derivable else _round2(derived.value(f"{row.path}.avg"))
            note = row.help
            if row.computed_years:
                years = "、".join(YEAR_COLUMNS[YEAR_KEYS.index(y)] for y in row.computed_years)
                note = f"{years}可不填：由本工具计算，填写则与计算值比对"
            w.line(row.path, [row.label, *typed, auto_avg, note])
            if row.derivable:
                comp = [_round2(derived.value(f"{row.path}.{y}")) for y in YEAR_KEYS]
                metric = derived.metrics.get(f"{row.path}.{YEAR_KEYS[-1]}")
                formula = metric.formula if metric and metric.source == "derived" else ""
                w.line(None, [f"　{row.title} · {AUTO}", *comp, None, _round2(derived.value(f"{row.path}.avg")),
                              AUTO + ("：" + formula if formula else "")], auto=True, number_format="0.00")

    # 数量与平台
    w = _Writer(wb, S_COUNTS, KV_HEADERS, (52, 16, 10, 52), f"{form_title} · {S_COUNTS}",
                "白色单元格填写数量。“加权数量”“占比”可不填：灰色“自动计算”行为导出时按已填分项计算的结果（权重为参考值），"
                "填写则与计算值比对。")
    for title, crows in plan.counts:
        w.group(title)
        for item in crows:
            if isinstance(item, DerivedValue):
                d = _derived_desc(t, item)
                w.line(d.path, [d.title, _get(app, d.path), d.unit, item.help or "可不填：由本工具按分项计算"])
                metric = derived.metrics.get(item.path)
                w.line(None, [f"　{item.title} · {AUTO}", _round2(derived.value(item.path)), item.unit,
                              AUTO + ("：" + metric.formula if metric and metric.formula else "")], auto=True)
            else:
                w.line(item.path, [item.title, _get(app, item.path), item.unit, _help(t, item.path)])

    # 前十企业 / 前五产品
    for lt in plan.lists:
        cols = tuple(c.label for c in lt.columns)
        w = _Writer(wb, S_LIST[t], ("序号", *cols), (8, *(36 if c.kind == "text" else 16 for c in lt.columns)),
                    f"{form_title} · {lt.title}", f"最多 {lt.max_rows} 行；空行不导入。")
        items = list(_get(app, lt.path))
        for i in range(max(lt.max_rows, len(items))):
            vals: list[Any] = [None] * len(lt.columns)
            if i < len(items):
                vals = [getattr(items[i], c.name) for c in lt.columns]
            w.line(lt.path, [i + 1, *vals])

    # 文字材料
    w = _Writer(wb, S_TEXT, TEXT_HEADERS, (26, 100, 12, 30), f"{form_title} · {S_TEXT}",
                "每项不超过 2000 字。单元格内换行：Excel 按 Alt+Enter，WPS 按 Alt+Enter 或 Ctrl+Enter。")
    for title, rows in plan.texts:
        w.group(title)
        for d in rows:
            text = _get(app, d.path)
            height = min(409, 15 * max(2, _text_lines(text, 58)))
            w.line(d.path, [d.title, text, char_count(text), _help(t, d.path)], height=height)

    # 说明
    ws_title = f"{form_title} · {S_README}"
    w = _Writer(wb, S_README, ("项目", "内容"), (30, 90), ws_title, "本工作簿由“示范基地自评台”导出。")
    for line in _readme_lines(t):
        w.line(None, [line[0], line[1]], height=15 * max(1, _text_lines(line[1], 52)))
    w.group("导入所需信息（请勿修改）")
    for d in plan.meta:
        w.line(d.path, [d.title, _display(d, _get(app, d.path))])
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _wrapped_lines(value: Any, width: float) -> int:
    """Lines a value takes in a wrapped cell of ``width`` (Excel width units; a Chinese character takes 2)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(1.0, (width - 1) / 1.7)
    return sum(max(1, -(-int(len(seg)) // int(per_line))) for seg in value.split("\n"))


def _text_lines(text: str, width: int) -> int:
    return sum(max(1, -(-len(ln) // width)) for ln in (text or "").split("\n"))


def _help(t: ApplicantType, path: str) -> str:
    spec = form_spec(t)
    try:
        return spec.get_field(path).help
    except KeyError:
        return ""


def _readme_lines(t: ApplicantType) -> list[tuple[str, str]]:
    return [
        ("用途", "离线填写一份申报数据，填好后在自评台“我的申报”页导入，或用命令 python -m scoring convert 转换。"),
        ("可以修改", "各工作表中白色单元格的数值和文字。“是/否”、领域、设区市请从下拉列表选择。"),
        ("不要修改", "工作表名称、第 3 行表头和隐藏的 A 列（字段路径）；灰色“自动计算”内容导入时不读取。"),
        ("数字", "直接填数字，不带单位；可写千分位逗号。无数据留空，不要填 0 代替未知。"),
        ("导入结果", "无法识别的单元格会列出工作表、单元格和原因，其余内容照常导入。"),
        ("申报类别", "示范园区（附件2）" if t is ApplicantType.PARK else "示范企业（附件3）"),
    ]


# ---------------------------------------------------------------------------------------------------------------
# import


@dataclass
class _Cell:
    sheet: str
    coord: str
    label: str
    raw: Any


class _Reader:
    def __init__(self, data: bytes):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.wb = load_workbook(io.BytesIO(data), data_only=False)
                self.values = load_workbook(io.BytesIO(data), data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, AttributeError) as e:
            raise ImportProblem([f"Excel 工作簿已损坏或格式不正确，无法读取（{type(e).__name__}）。"]) from None
        except Exception as e:  # openpyxl raises many kinds on malformed XML
            raise ImportProblem([f"Excel 工作簿无法读取（{type(e).__name__}: {e}）。"]) from None
        self.problems: list[str] = []

    def sheet(self, name: str) -> Optional[Worksheet]:
        return self.wb[name] if name in self.wb.sheetnames else None

    def value(self, ws: Worksheet, row: int, col: int) -> tuple[Any, Optional[str]]:
        """(value, problem): a formula cell gives its cached result, or a problem when it has none."""
        c = ws.cell(row, col)
        v = c.value
        if c.data_type == "f" or (isinstance(v, str) and v.startswith("=") and c.data_type != "s"):
            cached = self.values[ws.title].cell(row, col).value
            if cached is None:
                return None, "单元格是公式且没有计算结果，请改为直接填写数值或文字"
            return cached, None
        return v, None

    def header_row(self, ws: Worksheet) -> Optional[int]:
        for r in range(1, min(ws.max_row, 12) + 1):
            if str(ws.cell(r, 1).value or "").strip() == PATH_HEADER:
                return r
            for col in range(1, 4):
                if _norm(ws.cell(r, col).value) in ("项目", "序号"):
                    return r
        return None


def _norm(v: Any) -> str:
    return re.sub(r"\s+", "", normalize_text(str(v))) if v is not None else ""


def _cell_problem(cell: _Cell, reason: str) -> str:
    shown = cell.raw
    if isinstance(shown, str):
        shown = shown if len(shown) <= 30 else shown[:28] + "…"
    tail = "" if shown in (None, "") else f"（输入值：“{shown}”）"
    return f"工作表「{cell.sheet}」单元格 {cell.coord}（{cell.label}）：{reason}{tail}"


def _convert(desc: Desc, raw: Any) -> Any:
    """Cell value → model value (raise ValueProblem with a Chinese reason)."""
    k = desc.kind
    if k in ("text", "textarea"):
        if raw is None:
            return ""
        if isinstance(raw, bool):
            return YES if raw else NO
        if isinstance(raw, float) and raw == int(raw):
            return str(int(raw))
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
        if isinstance(raw, dt.date):
            return raw.isoformat()
        return str(raw)
    if k in ("int", "float"):
        try:
            return parse_number(raw, desc.unit, integer=k == "int")
        except ValueProblem as e:
            raise ValueProblem("应为整数" if "整数" in str(e) else "应为数字") from None
    if k == "version":
        return parse_number(raw, integer=True)
    if k == "bool":
        v = parse_yes_no(raw)
        return False if v is None else v
    if k == "tristate":
        return parse_yes_no(raw)
    if k == "date":
        return parse_date(raw)
    if k in ("choice", "type"):
        if raw is None or _norm(raw) == "":
            return None
        t = _norm(raw)
        for value, label in desc.options:
            if t in (_norm(value), _norm(label)):
                return value
        for enum in (Domain, City, ApplicantType):
            if {m.value for m in enum} == {v for v, _ in desc.options}:
                try:
                    return enum.parse(t).value
                except ValueError:
                    pass
        raise ValueProblem("取值无效，可选：" + "、".join(lab for _, lab in desc.options))
    if k == "multichoice":
        if raw is None:
            return []
        out = []
        for part in re.split(r"[、,，;；\s]+", normalize_text(str(raw))):
            if not part:
                continue
            try:
                out.append(Domain.parse(part).value)
            except ValueError:
                raise ValueProblem(f"无法识别领域“{part}”，可选：" + "、".join(m.label for m in Domain)) from None
        return out
    raise ValueProblem("无法读取")  # pragma: no cover


def _columns(rd: _Reader, ws: Worksheet) -> tuple[Optional[int], int, int]:
    """(path column or None, label column, value column), found by the header texts (columns may have moved)."""
    h = rd.header_row(ws) or 3
    hmap = _header_map(ws, h)
    path_col = hmap.get(_norm(PATH_HEADER))
    label_col = hmap.get("项目", 2)
    value_col = next((hmap[k] for k in ("填报内容", "内容") if k in hmap), label_col + 1)
    return path_col, label_col, value_col


def _iter_rows(rd: _Reader, ws: Worksheet) -> Iterator[tuple[int, str, str]]:
    """(row, path, label) of the data rows after the header."""
    h = rd.header_row(ws)
    if h is None:
        return
    path_col, label_col, _ = _columns(rd, ws)
    for r in range(h + 1, ws.max_row + 1):
        path = str(ws.cell(r, path_col).value or "").strip() if path_col else ""
        label = str(ws.cell(r, label_col).value or "").strip()
        yield r, path, label


def _header_map(ws: Worksheet, h: int) -> dict[str, int]:
    return {_norm(ws.cell(h, c).value): c for c in range(1, ws.max_column + 1) if ws.cell(h, c).value is not None}


def import_xlsx(data: bytes) -> tuple[AnyApplication, list[str]]:
    """Read a workbook of :func:`export_xlsx` (possibly filled offline) back into an application.

    Returns the application and the problems (one Chinese line per bad cell: sheet, cell, field and reason);
    a bad cell keeps the field empty, every good cell is kept. A file that is not such a workbook at all
    raises :class:`ImportProblem` (nothing is changed).
    """
    if len(data) > MAX_UPLOAD_BYTES["xlsx"]:
        raise ImportProblem([f"文件过大，Excel 工作簿上限 {MAX_UPLOAD_BYTES['xlsx'] // (1024 * 1024)} MB。"])
    check_zip(data, "xlsx", "Excel 工作簿")
    rd = _Reader(data)
    ws_basic = rd.sheet(S_BASIC)
    if ws_basic is None or rd.header_row(ws_basic) is None:
        raise ImportProblem([f"不是本工具的申报工作簿：找不到「{S_BASIC}」工作表及其表头。"
                             f"（该工作簿的工作表：{'、'.join(rd.wb.sheetnames) or '无'}）",
                             "请先在自评台导出 Excel，在导出的工作簿中填写后再导入。"])

    # the version first (a workbook of another format version is refused as a whole)
    ws_readme = rd.sheet(S_README)
    if ws_readme is not None:
        vcol = _columns(rd, ws_readme)[2]
        for r, path, label in _iter_rows(rd, ws_readme):
            if path == "schema_version" or (not path and _norm(label) == "数据格式版本"):
                raw, _ = rd.value(ws_readme, r, vcol)
                try:
                    v = parse_number(raw, integer=True)
                except ValueProblem:
                    v = raw
                if v is not None:
                    check_schema_version({"schema_version": v}, "该工作簿")

    # the applicant type decides the layout
    app_type: Optional[ApplicantType] = None
    for r, path, label in _iter_rows(rd, ws_basic):
        if path == "type" or (not path and _norm(label) == "申报类别"):
            raw, _ = rd.value(ws_basic, r, _columns(rd, ws_basic)[2])
            try:
                app_type = ApplicantType.parse(normalize_text(str(raw or "")))
            except ValueError:
                pass
            break
    if app_type is None:
        sheets = set(rd.wb.sheetnames)
        matches = [t for t, n in S_LIST.items() if n in sheets]
        if len(matches) == 1:
            app_type = matches[0]
    if app_type is None:
        raise ImportProblem([f"工作表「{S_BASIC}」中找不到有效的“申报类别”（应为 示范园区 或 示范企业），无法确定表格样式。"])
    plan = plan_for(app_type)

    values: dict[str, tuple[Any, _Cell]] = {}  # path -> (model value, where it came from)
    problems: list[str] = []

    def put(desc: Desc, cell: _Cell, path: Optional[str] = None) -> None:
        try:
            values[path or desc.path] = (_convert(desc, cell.raw), cell)
        except ValueProblem as e:
            problems.append(_cell_problem(cell, str(e)))

    def read_kv(sheet_name: str, descs: list[Desc]) -> None:
        ws = rd.sheet(sheet_name)
        if ws is None:
            problems.append(f"找不到工作表「{sheet_name}」，其中各项未导入。")
            return
        by_path = {d.path: d for d in descs}
        by_label = {_norm(d.title): d for d in descs}
        vcol = _columns(rd, ws)[2]
        for r, path, label in _iter_rows(rd, ws):
            d = by_path.get(path) or (by_label.get(_norm(label)) if not path else None)
            if d is None:
                continue
            raw, prob = rd.value(ws, r, vcol)
            cell = _Cell(sheet_name, f"{get_column_letter(vcol)}{r}", d.title, raw)
            if prob:
                problems.append(_cell_problem(cell, prob))
                continue
            put(d, cell)

    read_kv(S_BASIC, [d for _, rows in plan.basic for d in rows if d.path != "type"])
    count_descs = [(_derived_desc(app_type, it) if isinstance(it, DerivedValue) else it)
                   for _, rows in plan.counts for it in rows]
    read_kv(S_COUNTS, count_descs)
    read_kv(S_TEXT, [d for _, rows in plan.texts for d in rows])
    if ws_readme is not None:
        read_kv(S_README, [d for d in plan.meta if d.path != "schema_version"])

    # 近三年指标
    ws = rd.sheet(S_SERIES)
    if ws is None:
        problems.append(f"找不到工作表「{S_SERIES}」，其中各项未导入。")
    else:
        h = rd.header_row(ws) or 3
        hmap = _header_map(ws, h)
        year_cols: dict[str, int] = {}
        for yk, head in zip((*YEAR_KEYS, "avg"), (*YEAR_COLUMNS, TYPED_AVG)):
            col = hmap.get(_norm(head))
            if col is None and head == TYPED_AVG:
                col = hmap.get(_norm(AVG_COLUMN))
            year_cols[yk] = col or (3 + (*YEAR_KEYS, "avg").index(yk))
        srows = {row.path: row for _, rs in plan.series for row in rs}
        by_label = {_norm(row.label): row for row in srows.values()} | {_norm(row.title): row for row in srows.values()}
        for r, path, label in _iter_rows(rd, ws):
            row = srows.get(path) or (by_label.get(_norm(label)) if not path else None)
            if row is None:
                continue
            for yk, col in year_cols.items():
                raw, prob = rd.value(ws, r, col)
                head = YEAR_COLUMNS[YEAR_KEYS.index(yk)] if yk in YEAR_KEYS else "近三年平均值"
                cell = _Cell(S_SERIES, f"{get_column_letter(col)}{r}", f"{row.title} {head}", raw)
                if prob:
                    problems.append(_cell_problem(cell, prob))
                    continue
                put(Desc(f"{row.path}.{yk}", row.title, "float", row.unit), cell)

    # 前十企业 / 前五产品
    for lt in plan.lists:
        sname = S_LIST[app_type]
        ws = rd.sheet(sname)
        if ws is None:
            problems.append(f"找不到工作表「{sname}」，其中各项未导入。")
            continue
        h = rd.header_row(ws) or 3
        hmap = _header_map(ws, h)
        cols = []
        for j, c in enumerate(lt.columns):
            col = hmap.get(_norm(c.label)) or hmap.get(_norm(c.title)) or (3 + j)
            cols.append((c, col))
        items: list[dict[str, Any]] = []
        for r, path, _label in _iter_rows(rd, ws):
            if path and path != lt.path:
                continue
            raws = [(c, col, *rd.value(ws, r, col)) for c, col in cols]
            if all(raw is None or (isinstance(raw, str) and not raw.strip()) for _, _, raw, _ in raws):
                continue
            idx = len(items)
            if idx >= lt.max_rows:
                problems.append(f"工作表「{sname}」第 {r} 行：超过 {lt.max_rows} 行，未导入。")
                continue
            item: dict[str, Any] = {}
            for c, col, raw, prob in raws:
                cell = _Cell(sname, f"{get_column_letter(col)}{r}", f"第{idx + 1}行 {c.title}", raw)
                if prob:
                    problems.append(_cell_problem(cell, prob))
                    continue
                try:
                    item[c.name] = _convert(_desc_from_field(c), raw)
                    values[f"{lt.path}.{idx}.{c.name}"] = (item[c.name], cell)
                except ValueProblem as e:
                    problems.append(_cell_problem(cell, str(e)))
            items.append(item)
        values[lt.path] = (items, _Cell(sname, "", lt.title, None))

    # assemble and validate; a value the model rejects is reported at its cell and dropped
    if not values.get("domain", (None, None))[0]:
        raise ImportProblem([f"工作表「{S_BASIC}」：缺少有效的“申报创建领域”，无法导入。", *problems])
    data: dict[str, Any] = {"type": app_type.value, "schema_version": SCHEMA_VERSION}
    for path, (v, _cell) in values.items():
        if re.search(r"\.\d+\.", path):
            continue  # list items are set as whole lists
        set_in(data, path, v)
    for _ in range(50):
        try:
            app = parse_application(data)
            return app, problems
        except ValidationError as e:
            removed = False
            for err in e.errors():
                loc = [p for p in err.get("loc", ()) if p not in ("park", "enterprise")]
                path = ".".join(str(p) for p in loc)
                cell = values.get(path, (None, None))[1]
                msg = _validation_message(err)
                if cell is not None:
                    problems.append(_cell_problem(cell, msg))
                else:
                    problems.append(f"{path}：{msg}")
                if delete_in(data, loc):
                    removed = True
            if not removed:
                raise ImportProblem(["工作簿内容无法组成一份有效的申报数据：", *problems]) from None
    raise ImportProblem(["工作簿中无效的单元格过多，未导入。", *problems[:50]])


