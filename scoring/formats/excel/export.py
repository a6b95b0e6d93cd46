"""Export of one application as an Excel workbook laid out like the form, with the computed 自动计算 rows, data
validation for choices and a 说明 sheet. Text is written so that it can never become a formula
(:func:`scoring.formats.common.safe_cell`).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Optional

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ...application.derived import TYPED_FIRST, YEAR_KEYS, DerivedResult
from ...application.formspec import YEAR_COLUMNS, DerivedValue, form_spec
from ...application.ids import ApplicantType, City, Domain
from ..common import safe_cell
from ...application.models import AnyApplication
from ...narrative.workplan import char_count
from .layout import (AUTO, Desc, KV_HEADERS, NO, PATH_HEADER, SERIES_HEADERS, S_BASIC, S_COUNTS, S_LIST, S_README,
                     S_SERIES, S_TEXT, TEXT_HEADERS, YES, _AUTO_FILL, _AUTO_FONT, _BODY_FONT, _BOLD, _BORDER, _CENTER,
                     _GROUP_FILL, _HEAD_FILL, _TITLE_FONT, _WRAP, _derived_desc, plan_for)


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
    from ...assessment.engine import derive

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
            w.line(row.path, [row.title_label, *typed, auto_avg, note])  # self-contained: no form headings here
            if row.derivable:
                comp = [_round2(derived.value(f"{row.path}.{y}")) for y in YEAR_KEYS]
                metric = derived.metrics.get(f"{row.path}.{YEAR_KEYS[-1]}")
                formula = metric.formula if metric and metric.source == "derived" else ""
                w.line(None, [f"　{row.title} · {AUTO}", *comp, None, _round2(derived.value(f"{row.path}.avg")),
                              AUTO + ("：" + formula if formula else "")], auto=True, number_format="0.00")

    # 数量与平台
    w = _Writer(wb, S_COUNTS, KV_HEADERS, (52, 16, 10, 52), f"{form_title} · {S_COUNTS}",
                "白色单元格填写数量。“加权数量”“占比”可不填：灰色“自动计算”行为导出时按已填分项计算的结果（权重为参考值）。"
                "优质企业、国家级创新平台、智能工厂的加权数量和智能工厂占比以填写的数值为准（加权数量请填去重后的数值），"
                "不填时评分使用自动计算的估算值；其他项填写则与计算值比对。")
    for title, crows in plan.counts:
        w.group(title)
        for item in crows:
            if isinstance(item, DerivedValue):
                d = _derived_desc(t, item)
                w.line(d.path, [d.title, _get(app, d.path), d.unit, item.help or "可不填：由本工具按分项计算"])
                metric = derived.metrics.get(item.path)
                if metric is not None and item.path in TYPED_FIRST:  # the typed value counts: show the estimate
                    auto, how = metric.computed, metric.computed_formula
                else:
                    auto, how = derived.value(item.path), metric.formula if metric else ""
                w.line(None, [f"　{item.title} · {AUTO}", _round2(auto), item.unit,
                              AUTO + ("：" + how if how else "")], auto=True)
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


