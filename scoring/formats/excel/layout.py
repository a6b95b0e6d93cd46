"""The workbook's layout, shared by export and import: one plan per applicant type listing every sheet's rows
(model path, label, kind, unit), taken from the models through :mod:`scoring.application.formspec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ...application.formspec import YEAR_COLUMNS, DerivedValue, FieldSpec, ListTable, SeriesRow, SeriesTable, form_spec
from ...application.ids import ApplicantType


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
    from ...application.models import EnterpriseApplication, ParkApplication

    cls = ParkApplication if app_type is ApplicantType.PARK else EnterpriseApplication
    return Desc(dv.path, _title_of(cls, dv.path), "float", dv.unit)


