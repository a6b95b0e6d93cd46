"""The filled 创建申请书 as Word: export with python-docx, and import of a filled form.

Export follows Annex 2 (park) / Annex 3 (enterprise) of the notice: the cover page (申报单位、申报领域、推荐单位、
填报日期, 工业和信息化部制), 一、基本情况 with the form's tables in its order and wording, 二、创建工作方案 with
its five sections, 三、附件清单 and 四、推荐单位意见. Values the form asks for but the tool computes (近三年平均值,
growth rates, shares, 加权数量) are filled with the computed value when the applicant did not type one.
Chinese fonts are set on the Normal style and on every run, both ``w:ascii``/``w:hAnsi`` and ``w:eastAsia``.

The application's full data is also stored in the file as a custom XML part (Word keeps it when saving). On import
the visible form always wins: the hidden data only supplies what the form does not show (设区市, 资格信息, 承诺事项,
备注) and tells a computed value apart from a typed one, so an exported 申请书 imports back equal to the original.

Import reads any filled 申请书 in the official layout (this tool's export, or the official template filled by hand):
tables are found by their title rows and row labels (not by position; one big table or many small ones), numbers
are read tolerant of units, commas and full-width digits, and the five sections by their headings. Whatever cannot
be read is listed by table and row and left empty — never guessed.

The layout below is the form's wording (Annex 2/3 of 闽工信函产业〔2026〕132号); the model paths tie it to
:mod:`scoring.application.models`.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Optional

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from pydantic import ValidationError

from ..application.derived import YEAR_KEYS, DerivedResult
from ..application.errors import _message as _validation_message
from ..application.formspec import OPTION_LABELS, form_spec, get_in, set_in
from ..application.ids import YEARS, ApplicantType, Domain, Section
from .common import (delete_in, MAX_UPLOAD_BYTES, ImportProblem, ValueProblem, check_zip, fmt_computed, fmt_exact,
                        normalize_text, parse_date, parse_number, xml_safe_text)
from .json_io import export_json
from ..application.models import SCHEMA_VERSION, AnyApplication, EnterpriseApplication, ParkApplication, parse_application

# ---------------------------------------------------------------------------------------------------------------
# fonts

FONT_BODY = "仿宋_GB2312"
FONT_TABLE = "宋体"
FONT_HEADING = "黑体"
FONT_SUBHEADING = "楷体_GB2312"
FONT_LATIN = "Times New Roman"


def set_font(target: Any, east_asia: str, size: Optional[float] = None, bold: Optional[bool] = None,
             latin: Optional[str] = None) -> None:
    """Set the font of a run or a style: ``font.name`` (ascii/hAnsi) *and* ``w:eastAsia`` in ``rPr/rFonts``."""
    font = target.font
    font.name = latin or east_asia
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    el = target.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr._add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), latin or east_asia)
    rfonts.set(qn("w:hAnsi"), latin or east_asia)


def _setup_styles(doc: Any) -> None:
    st = doc.styles
    normal = st["Normal"]
    set_font(normal, FONT_BODY, 16, latin=FONT_LATIN)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>')
        rpr.append(lang)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_before = pf.space_after = Pt(0)
    for name, font, size, lvl in (("Heading 1", FONT_HEADING, 16, 0), ("Heading 2", FONT_SUBHEADING, 16, 1)):
        h = st[name]
        set_font(h, font, size, bold=False)
        h.font.color.rgb = RGBColor(0, 0, 0)
        h.paragraph_format.space_before = Pt(8)
        h.paragraph_format.space_after = Pt(4)
        h.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        h.paragraph_format.line_spacing = Pt(28)
        h.paragraph_format.first_line_indent = Pt(32) if lvl == 1 else Pt(0)
    for name in ("Header", "Footer"):
        set_font(st[name], FONT_TABLE, 10.5, latin=FONT_LATIN)


# ---------------------------------------------------------------------------------------------------------------
# the form's layout (Annex 2 / Annex 3)

PLACEHOLDER = "详细描述有关情况（不超过 2000 字）。"
HEADER_ROW = ("项目/年度", "2023 年", "2024 年", "2025 年", "近三年平均值")
CHECKED, UNCHECKED = "■", "□"  # both in every Chinese font (☑/☐ are not, and may fall back to emoji)


@dataclass(frozen=True)
class Row:
    kind: str  # series | pair | wide | single | choice | checks | check_other | text
    cells: tuple[tuple[str, str], ...]  # (label, path) pairs
    options: tuple[tuple[str, str], ...] = ()  # choice: (value, label)
    other_path: str = ""  # choice/check_other: the 其他 text field


def S(label: str, path: str) -> Row:
    return Row("series", ((label, path),))


def P(l1: str, p1: str, l2: str, p2: str) -> Row:
    return Row("pair", ((l1, p1), (l2, p2)))


def W(label: str, path: str) -> Row:
    return Row("wide", ((label, path),))


def L(label: str, path: str) -> Row:
    return Row("single", ((label, path),))


def T(label: str, path: str) -> Row:
    return Row("text", ((label, path),))


@dataclass(frozen=True)
class Block:
    title: str
    kind: str  # grid | list | text
    ncols: int
    rows: tuple[Row, ...] = ()
    header: bool = False  # the 项目/年度 header row
    list_path: str = ""
    list_cols: tuple[tuple[str, str, float], ...] = ()  # (header label, field name, width cm)
    list_rows: int = 0

    @property
    def short(self) -> str:
        return _strip_parens(self.title)


PARK_BLOCKS: tuple[Block, ...] = (
    Block("园区基本信息", "grid", 4, (
        W("园区名称", "basic.park_name"),
        W("园区地址", "basic.address"),
        P("批复设立日期", "basic.approval_date", "批复单位", "basic.approval_authority"),
        P("管理机构", "basic.management_body", "负责人及职务", "basic.head"),
        P("联系人及职务", "basic.contact", "联系电话", "basic.phone"))),
    Block("总体情况", "grid", 4, (
        P("规划面积（公顷）", "basic.planned_area", "建成面积（公顷）", "basic.built_area"),
        P("近三年单位土地平均投资强度（万元/公顷）", "basic.land_investment_intensity",
          "近三年单位土地平均产出（万元/公顷）", "basic.land_output"))),
    Block("近三年主要发展指标", "grid", 5, (
        S("总营业收入（亿元）", "main.total_revenue"),
        S("总营业收入增长率（%）", "main.total_revenue_growth"),
        S("规模以上企业数量（个）", "main.above_scale_firms"),
        S("年末从业人员数量（人）", "main.employees"),
        S("全员劳动生产率（万元/人）", "main.labor_productivity")), header=True),
    Block("主导产业近三年发展情况（主导产业相关数据仅限于申报领域，下同）", "grid", 5, (
        S("规模以上企业营业收入（亿元）", "lead.revenue"),
        S("占园区总营业收入比重（%）", "lead.share"),
        S("近三年规模以上企业营业收入增速（%）", "lead.growth"),
        P("企业数量（个）", "lead.firms", "规模以上企业数量（个）", "lead.above_scale_firms"),
        P("科技和创新型中小企业数量（个）", "lead.tech_sme", "高新技术企业数量（个）", "lead.high_tech"),
        P("专精特新中小企业数量（个）", "lead.srdi_sme", "专精特新“小巨人”企业数量（个）", "lead.little_giant"),
        L("制造业单项冠军企业数量（个）", "lead.single_champion"),
        L("优质企业加权数量（个，同一企业不重复计算）", "lead.quality_weighted")), header=True),
    Block("主导产业营业收入排名前十的企业（按 2025 年末数据排名）", "list", 3, list_path="lead.top10",
          list_cols=(("企业名称", "name", 5.6), ("营业收入（亿元）", "revenue", 3.0),
                     ("主营业务和主要产品", "main_business", 7.0)), list_rows=10),
    Block("近三年研发投入情况", "grid", 5, (
        S("园区研发投入强度（%）", "rd.park_rd_intensity"),
        S("主导产业研发投入（亿元）", "rd.lead_rd_spend"),
        S("近三年主导产业研发投入强度（%）", "rd.lead_rd_intensity")), header=True),
    Block("主导产业创新合作情况", "grid", 5, (
        S("技术合同成交额（亿元）", "rd.tech_contracts"),), header=True),
    Block("主导产业创新平台建设情况", "grid", 4, (
        P("国家实验室数量（个）", "platforms.national_lab", "全国重点实验室数量（个）", "platforms.key_lab"),
        P("国家制造业创新中心数量（个）", "platforms.mfg_innovation_center",
          "国家技术创新中心数量（个）", "platforms.tech_innovation_center"),
        P("国家新兴产业创新中心数量（个）", "platforms.emerging_innovation_center",
          "国家产业技术工程化中心数量（个）", "platforms.engineering_center"),
        P("国家重大科技基础设施数量（个）", "platforms.science_facility",
          "国家级制造业中试平台和工业和信息化部科技型孵化器数量（个）", "platforms.pilot_platform"),
        L("国家级创新平台加权数量（个，依托同一单位建设的不同平台或多家单位参与建设的同一平台不重复计算）",
          "platforms.weighted"))),
    Block("主导产业创新成果产出情况（仅统计作为第一完成单位的专利）", "grid", 4, (
        L("有效发明专利数量（件）", "patents.invention"),
        L("其中，获得中国专利奖金奖数量（件）", "patents.gold"),
        L("其中，获得中国专利奖银奖数量（件）", "patents.silver"),
        L("有效发明专利加权数量（件，同一专利不重复计算）", "patents.weighted"))),
    Block("主导产业融资情况", "grid", 5, (S("融资额（亿元）", "financing"),), header=True),
    Block("主导产业人才队伍建设情况", "grid", 4, (
        P("研究生学历人员数量（人）", "talent.postgrad", "高级职称人员数量（人）", "talent.senior_title"),
        P("高技能人才数量（人）", "talent.high_skill", "从业人员总数量（人）", "talent.staff"),
        L("主导产业高水平人才数量（高水平人才包括研究生学历人员、高级职称人员和高技能人才，同一人员不重复计算）",
          "talent.high_level"),
        L("主导产业高水平人才占比（%）", "talent.high_level_share"))),
    Block("主导产业数字化发展水平", "grid", 4, (
        P("领航级智能工厂数量（个）", "factories.pilot", "卓越级智能工厂数量（个）", "factories.excellent"),
        P("先进级智能工厂数量（个）", "factories.advanced", "基础级智能工厂数量（个）", "factories.basic"),
        P("智能工厂加权数量（个）", "factories.weighted", "智能工厂占比（%）", "factories.share"))),
    Block("主导产业产业政策情况", "text", 1, (T("主导产业产业政策情况", "narratives.industry_policy"),)),
    Block("主导产业公共服务水平情况", "text", 1, (T("主导产业公共服务水平情况", "narratives.public_service"),)),
)

_OWNERSHIP = tuple((v, lab) for v, lab in OPTION_LABELS["basic.ownership"].items())

ENTERPRISE_BLOCKS: tuple[Block, ...] = (
    Block("企业基本信息", "grid", 4, (
        W("企业名称", "basic.name"),
        W("统一社会信用代码", "basic.credit_code"),
        Row("choice", (("企业类型", "basic.ownership"),), options=_OWNERSHIP, other_path="basic.ownership_other"),
        W("注册地址", "basic.address"),
        W("主营业务", "basic.main_business"),
        P("成立日期", "basic.founded", "法定代表人", "basic.legal_rep"),
        P("联系人及职务", "basic.contact", "联系电话", "basic.phone"))),
    Block("企业认定情况", "grid", 4, (
        Row("checks", (("高新技术企业", "basic.cert_high_tech"), ("专精特新中小企业", "basic.cert_srdi"))),
        Row("checks", (("专精特新“小巨人”企业", "basic.cert_little_giant"), ("制造业单项冠军企业", "basic.cert_champion"))),
        Row("check_other", (("其他", "basic.cert_other"),)))),
    Block("近三年主要经营指标", "grid", 5, (
        S("总营业收入（亿元）", "main.total_revenue"),
        S("总营业收入增长率（%）", "main.total_revenue_growth"),
        S("毛利润率（%）", "main.gross_margin"),
        S("税金总额（亿元）", "main.tax"),
        S("年末从业人员数量（人）", "main.employees")), header=True),
    Block("重点领域近三年经营情况（重点领域相关数据仅限于申报领域，下同）", "grid", 5, (
        S("营业收入（亿元）", "domain_ops.revenue"),
        S("近三年重点领域营业收入增速（%）", "domain_ops.growth"),
        S("占总营业收入比重（%）", "domain_ops.share"),
        S("近三年重点领域毛利润率（%）", "domain_ops.gross_margin")), header=True),
    Block("重点领域主导产品情况（2025 年销售收入占总营收前五位的产品）", "list", 3, list_path="domain_ops.top5",
          list_cols=(("产品名称", "name", 7.8), ("销售收入（亿元）", "sales", 3.9),
                     ("国内市场占有率（%）", "market_share", 3.9)), list_rows=5),
    Block("近三年研发投入情况", "grid", 5, (
        S("研发投入强度（%）", "rd.rd_intensity"),
        S("重点领域研发投入（亿元）", "rd.domain_rd_spend"),
        S("近三年重点领域研发投入强度（%）", "rd.domain_rd_intensity")), header=True),
    Block("重点领域重大技术突破情况", "grid", 4, (
        P("获得国家自然科学奖特等奖数量（个）", "awards.nsa_special", "获得国家自然科学奖一等奖数量（个）", "awards.nsa_first"),
        P("获得国家自然科学奖二等奖数量（个）", "awards.nsa_second", "获得国家技术发明奖特等奖数量（个）", "awards.tia_special"),
        P("获得国家技术发明奖一等奖数量（个）", "awards.tia_first", "获得国家技术发明奖二等奖数量（个）", "awards.tia_second"),
        P("获得国家科技进步奖特等奖数量（个）", "awards.stp_special", "获得国家科技进步奖一等奖数量（个）", "awards.stp_first"),
        P("获得国家科技进步奖二等奖数量（个）", "awards.stp_second", "获得省部级奖励数量（个）", "awards.provincial"),
        L("科技奖励加权数量（个）", "awards.weighted"))),
    Block("重点领域知识产权创造情况（仅统计作为第一完成单位的专利）", "grid", 4, (
        L("有效发明专利数量（件）", "patents.invention"),
        L("其中，获得中国专利奖金奖数量（件）", "patents.gold"),
        L("其中，获得中国专利奖银奖数量（件）", "patents.silver"),
        L("有效发明专利加权数量（件，同一专利不重复计算）", "patents.weighted"))),
    Block("重点领域标准供给情况", "grid", 4, (
        P("制修订的国际标准数量（个）", "standards.international", "制修订的国家标准数量（个）", "standards.national"),
        P("制修订的行业标准数量（个）", "standards.industry", "标准加权数量（个）", "standards.weighted"))),
    Block("重点领域人才集聚情况", "grid", 4, (
        P("研究生学历人员数量（人）", "talent.postgrad", "高级职称人员数量（人）", "talent.senior_title"),
        P("高技能人才数量（人）", "talent.high_skill", "从业人员总数量（人）", "talent.staff"),
        L("高水平人才数量（高水平人才包括研究生学历人员、高级职称人员和高技能人才，同一人员不重复计算）",
          "talent.high_level"),
        L("高水平人才占比（%）", "talent.high_level_share"))),
    Block("重点领域场景创新情况", "text", 1, (T("重点领域场景创新情况", "narratives.scenario_innovation"),)),
    Block("重点领域商业模式创新情况", "text", 1, (T("重点领域商业模式创新情况", "narratives.business_model_innovation"),)),
    Block("公司治理情况", "text", 1, (T("公司治理情况", "narratives.governance"),)),
)

SECTION_GUIDANCE: dict[ApplicantType, dict[Section, str]] = {
    ApplicantType.PARK: {
        Section.BASIS: "主要包括园区整体发展情况、主导产业发展情况。",
        Section.APPROACH: "主要包括发展定位、创建目标和发展思路。",
        Section.TASKS: "围绕发展定位和目标，下一步拟开展的重点工作。重点任务应包括总结推广和辐射带动相关工作考虑。",
        Section.SCHEDULE: "创建期内落实各项重点任务的时间节点安排。",
        Section.SAFEGUARDS: "主要包括组织实施机制、工作基础、要素保障等。",
    },
    ApplicantType.ENTERPRISE: {
        Section.BASIS: "主要包括企业整体发展情况、重点领域发展情况。",
        Section.APPROACH: "主要包括发展定位、创建目标和发展思路。",
        Section.TASKS: "围绕发展定位和目标，下一步拟开展的重点工作。重点任务应包括总结推广和辐射带动相关工作考虑。",
        Section.SCHEDULE: "创建期内落实各项重点任务的时间节点安排。",
        Section.SAFEGUARDS: "主要包括工作基础、要素保障等。",
    },
}
SECTION_NUMERALS = ("一", "二", "三", "四", "五")

ATTACHMENTS: dict[ApplicantType, tuple[str, ...]] = {
    ApplicantType.PARK: (
        "1.示范基地空间布局平面图；",
        "2.主导产业规模的说明材料和测算依据；",
        "3.主导产业规上企业名单；",
        "4.各类优质企业、国家级创新平台证明材料；",
        "5.融资情况证明材料；",
        "6.智能工厂证明材料；",
        "7.有关节能环保、安全生产达标等方面的说明材料；",
        "8.其他说明或证明材料。",
    ),
    ApplicantType.ENTERPRISE: (
        "1.示范基地空间布局平面图；",
        "2.重点领域营业收入的说明或证明材料；",
        "3.国家级和省部级科技奖励清单及证明材料，获国家级和省部级科技奖励情况需要明确企业在所有参与单位中的排序；",
        "4.有效发明专利清单及获奖的证明材料；",
        "5.国际标准、国家标准、行业标准清单及证明材料，标准制修订情况需要明确企业在所有参与单位中的排序；",
        "6.主导产品市场占有率的说明或证明材料；",
        "7.有关节能环保、安全生产达标等方面的证明材料；",
        "8.其他。",
    ),
}

H_BASIC = "一、基本情况"
H_PLAN = "二、创建工作方案（每部分不超过 2000 字）"
H_ATTACH = "三、附件清单"
H_OPINION = "四、推荐单位意见"
FORM_TITLE = "国家新兴产业发展示范基地创建申请书"
SUBTITLE = {ApplicantType.PARK: "（示范园区）", ApplicantType.ENTERPRISE: "（示范企业）"}


def blocks_for(app_type: ApplicantType | str) -> tuple[Block, ...]:
    return PARK_BLOCKS if ApplicantType.parse(app_type) is ApplicantType.PARK else ENTERPRISE_BLOCKS


# ---------------------------------------------------------------------------------------------------------------
# values


def _model_cls(t: ApplicantType) -> type:
    return ParkApplication if t is ApplicantType.PARK else EnterpriseApplication


@dataclass(frozen=True)
class FieldInfo:
    kind: str  # text int float date bool
    unit: str = ""


@lru_cache(maxsize=4)
def _field_infos(t: ApplicantType) -> dict[str, FieldInfo]:
    spec = form_spec(t)
    out: dict[str, FieldInfo] = {}
    for item in spec.items():
        name = type(item).__name__
        if name == "FieldSpec":
            out[item.path] = FieldInfo({"textarea": "text", "tristate": "bool"}.get(item.kind, item.kind), item.unit)
        elif name == "DerivedValue":
            out[item.path] = FieldInfo("float", item.unit)
        elif name == "ListTable":
            for c in item.columns:
                out[c.path] = FieldInfo({"textarea": "text"}.get(c.kind, c.kind), c.unit)
        elif name == "SeriesTable":
            for row in item.rows:
                for yk in (*YEAR_KEYS, "avg"):
                    out[f"{row.path}.{yk}"] = FieldInfo("float", row.unit)
    return out


def _field_info(t: ApplicantType, path: str) -> FieldInfo:
    return _field_infos(t).get(re.sub(r"\.\d+\.", ".", path), FieldInfo("text"))


def _derivable_paths(t: ApplicantType) -> tuple[set[str], set[str]]:
    """(cells computed from other cells, average cells): shown computed when not typed."""
    spec = form_spec(t)
    year_level: set[str] = set()
    avgs: set[str] = set()
    for row in spec.series_rows():
        avgs.add(f"{row.path}.avg")
        for y in row.computed_years:
            year_level.add(f"{row.path}.{y}")
    for item in spec.items():
        if type(item).__name__ == "DerivedValue":
            year_level.add(item.path)
    return year_level, avgs


def _derive(app: AnyApplication) -> DerivedResult:
    from ..assessment.engine import derive

    return derive(app)


def _align(t: ApplicantType, path: str) -> Any:
    kind = _field_info(t, path).kind
    return WD_ALIGN_PARAGRAPH.LEFT if kind == "text" else WD_ALIGN_PARAGRAPH.CENTER


def _shown(app_data: dict[str, Any], derived: DerivedResult, path: str, computed_ok: bool) -> str:
    v = get_in(app_data, path)
    if v is None and computed_ok:
        return fmt_computed(derived.value(path))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return fmt_exact(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    return xml_safe_text(str(v))


# ---------------------------------------------------------------------------------------------------------------
# export


def _para(container: Any, text: str = "", *, font: str = FONT_BODY, size: float = 16, bold: bool = False,
          align: Optional[Any] = None, indent: bool = False, style: Optional[str] = None,
          latin: Optional[str] = FONT_LATIN, space_before: float = 0, space_after: float = 0,
          line: Optional[float] = None) -> Any:
    p = container.add_paragraph(style=style) if style else container.add_paragraph()
    pf = p.paragraph_format
    pf.first_line_indent = Pt(size * 2) if indent else Pt(0)
    pf.space_before, pf.space_after = Pt(space_before), Pt(space_after)
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    if align is not None:
        p.alignment = align
    if text:
        r = p.add_run(xml_safe_text(text))
        set_font(r, font, size, bold, latin=latin)
    return p


def _run(p: Any, text: str, font: str = FONT_BODY, size: float = 16, bold: bool = False,
         underline: bool = False, latin: Optional[str] = FONT_LATIN) -> Any:
    r = p.add_run(xml_safe_text(text))
    set_font(r, font, size, bold, latin=latin)
    if underline:
        r.font.underline = True
    return r


def _cell_write(cell: Any, text: str, *, bold: bool = False, align: Any = WD_ALIGN_PARAGRAPH.LEFT,
                size: float = 10.5) -> None:
    """Replace a cell's content with ``text`` (one paragraph per line), table font, single spacing."""
    tc = cell._tc
    for p in list(tc.xpath("./w:p")):
        tc.remove(p)
    lines = text.split("\n") if text else [""]
    for line in lines:
        p = cell.add_paragraph()
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_before = pf.space_after = Pt(1)
        p.alignment = align
        if line:
            parts = re.split(f"([{CHECKED}{UNCHECKED}])", line)
            for part in parts:
                if not part:
                    continue
                _run(p, part, FONT_TABLE, size, bold, latin=FONT_TABLE if part in (CHECKED, UNCHECKED) else FONT_LATIN)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _no_split(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = parse_xml(f'<w:cantSplit {nsdecls("w")}/>')
    trpr.append(el)


def _repeat_header(row: Any) -> None:
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _keep_with_next(row: Any) -> None:
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


TEXT_WIDTH_CM = 15.6


def _widths(block: Block) -> list[float]:
    if block.kind == "list":
        return [w for _, _, w in block.list_cols]
    if block.ncols == 5:
        return [5.4, 2.4, 2.4, 2.4, 3.0]
    if block.ncols == 4:
        return [4.4, 3.4, 4.4, 3.4]
    return [TEXT_WIDTH_CM]


def _add_table(doc: Any, block: Block) -> Any:
    widths = _widths(block)
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    tblpr.append(layout)
    for col, w in zip(table.columns, widths):
        col.width = Cm(w)
    return table


def _new_row(table: Any, widths: list[float]) -> Any:
    row = table.add_row()
    for cell, w in zip(row.cells, widths):
        cell.width = Cm(w)
    return row


def _merged(row: Any, a: int, b: int) -> Any:
    return row.cells[a] if a == b else row.cells[a].merge(row.cells[b])


def _title_row(table: Any, widths: list[float], title: str) -> None:
    row = _new_row(table, widths)
    cell = _merged(row, 0, len(widths) - 1)
    _cell_write(cell, title, bold=True)
    _shade(cell, "F2F2F2")
    _keep_with_next(row)
    _no_split(row)


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _write_block(doc: Any, block: Block, t: ApplicantType, data: dict[str, Any], derived: DerivedResult,
                 computed: set[str]) -> None:
    widths = _widths(block)
    table = _add_table(doc, block)
    _title_row(table, widths, block.title)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if block.kind == "list":
        row = _new_row(table, widths)
        for j, (label, _, _) in enumerate(block.list_cols):
            _cell_write(row.cells[j], label, bold=True, align=center)
        _keep_with_next(row)
        _no_split(row)
        _repeat_header(row)
        items = get_in(data, block.list_path) or []
        for i in range(max(block.list_rows, len(items))):
            row = _new_row(table, widths)
            _no_split(row)
            for j, (_, name, _) in enumerate(block.list_cols):
                v = get_in(data, f"{block.list_path}.{i}.{name}") if i < len(items) else None
                text = "" if v is None else (fmt_exact(v) if isinstance(v, (int, float)) else str(v))
                _cell_write(row.cells[j], xml_safe_text(text), align=center if j else WD_ALIGN_PARAGRAPH.LEFT)
        return
    if block.kind == "text":
        row = _new_row(table, widths)
        text = get_in(data, block.rows[0].cells[0][1]) or ""
        _cell_write(row.cells[0], xml_safe_text(text) if text else PLACEHOLDER, size=12)
        return
    if block.header:
        row = _new_row(table, widths)
        for j, h in enumerate(HEADER_ROW):
            _cell_write(row.cells[j], h, bold=True, align=center)
        _keep_with_next(row)
        _no_split(row)
    n = block.ncols
    for spec in block.rows:
        row = _new_row(table, widths)
        _no_split(row)
        if spec.kind == "series":
            label, path = spec.cells[0]
            _cell_write(row.cells[0], label)
            for j, yk in enumerate((*YEAR_KEYS, "avg"), start=1):
                p = f"{path}.{yk}"
                _cell_write(row.cells[j], _shown(data, derived, p, p in computed), align=center)
        elif spec.kind == "pair":
            (l1, p1), (l2, p2) = spec.cells
            _cell_write(row.cells[0], l1)
            _cell_write(row.cells[1], _shown(data, derived, p1, p1 in computed), align=_align(t, p1))
            if n == 5:
                _cell_write(_merged(row, 2, 3), l2)
                _cell_write(row.cells[4], _shown(data, derived, p2, p2 in computed), align=_align(t, p2))
            else:
                _cell_write(row.cells[2], l2)
                _cell_write(row.cells[3], _shown(data, derived, p2, p2 in computed), align=_align(t, p2))
        elif spec.kind == "wide":
            label, path = spec.cells[0]
            _cell_write(row.cells[0], label)
            _cell_write(_merged(row, 1, n - 1), _shown(data, derived, path, False))
        elif spec.kind == "single":
            label, path = spec.cells[0]
            _cell_write(_merged(row, 0, n - 2), label)
            _cell_write(row.cells[n - 1], _shown(data, derived, path, path in computed), align=center)
        elif spec.kind == "choice":
            label, path = spec.cells[0]
            value = get_in(data, path)
            _cell_write(row.cells[0], label)
            other = get_in(data, spec.other_path) or ""
            parts = [f"{CHECKED if value == v else UNCHECKED}{lab}" + (f" {other or '＿＿＿＿'}" if v == "other" else "")
                     for v, lab in spec.options]
            _cell_write(_merged(row, 1, n - 1), "　".join(parts))
        elif spec.kind == "checks":
            for j, (label, path) in enumerate(spec.cells):
                mark = CHECKED if get_in(data, path) else UNCHECKED
                _cell_write(_merged(row, 2 * j, 2 * j + 1), f"{mark}{label}")
        elif spec.kind == "check_other":
            label, path = spec.cells[0]
            other = get_in(data, path) or ""
            mark = CHECKED if other.strip() else UNCHECKED
            _cell_write(_merged(row, 0, n - 1), f"{mark}{label} {other or '＿＿＿＿＿＿'}")


def _page_number_footer(section: Any) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", FONT_TABLE, 12)
    r = p.add_run()
    set_font(r, FONT_TABLE, 12, latin=FONT_LATIN)
    r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    r2 = p.add_run()
    r2._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
    r3 = p.add_run()
    r3._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    _run(p, " —", FONT_TABLE, 12)


def _setup_page(doc: Any) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.different_first_page_header_footer = True  # no page number on the cover
    _page_number_footer(sec)


COVER_WIDTHS = (3.6, 8.8, 3.0)


def _cover(doc: Any, app: AnyApplication, t: ApplicantType) -> None:
    _para(doc, FORM_TITLE, font=FONT_HEADING, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=90,
          line=36, latin=None)
    _para(doc, SUBTITLE[t], font=FONT_HEADING, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=70,
          line=36, latin=None)
    d = app.fill_date
    date_text = f"{d.year} 年 {d.month} 月 {d.day} 日" if d else "　　　　年　　月　　日"
    fields = (("申报单位：", app.applicant_name, "（盖章）"),
              ("申报领域：", app.domain.label, ""),
              ("推荐单位：", app.recommender, "（盖章）"),
              ("填报日期：", date_text, ""))
    table = doc.add_table(rows=0, cols=3)  # no style: no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    for col, w in zip(table.columns, COVER_WIDTHS):
        col.width = Cm(w)
    for label, value, tail in fields:
        row = _new_row(table, list(COVER_WIDTHS))
        _no_split(row)
        for cell, text in zip(row.cells, (label, xml_safe_text(value), tail)):
            _cell_write(cell, text, size=16)
            for p in cell.paragraphs:
                p.paragraph_format.space_before = Pt(8)
                p.paragraph_format.space_after = Pt(2)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        for r in row.cells[0].paragraphs[0].runs + row.cells[2].paragraphs[0].runs + row.cells[1].paragraphs[0].runs:
            set_font(r, FONT_BODY, 16, latin=FONT_LATIN)
        row.cells[1]._tc.get_or_add_tcPr().append(parse_xml(
            f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            f'</w:tcBorders>'))
    p = _para(doc, "工业和信息化部制", font=FONT_BODY, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=120,
              latin=None)
    p.runs[0].add_break(WD_BREAK.PAGE)


def _heading(doc: Any, text: str, level: int = 1, page_break: bool = False) -> Any:
    p = doc.add_paragraph(style="Heading 1" if level == 1 else "Heading 2")
    r = p.add_run(text)
    set_font(r, FONT_HEADING if level == 1 else FONT_SUBHEADING, 16, bold=level != 1)
    p.paragraph_format.page_break_before = page_break
    return p


def _spacer(doc: Any) -> None:
    _para(doc, "", size=6, line=8)


def _plan_sections(doc: Any, app: AnyApplication, t: ApplicantType) -> None:
    _heading(doc, H_PLAN, 1, page_break=True)
    for i, sec in enumerate(Section):
        _heading(doc, f"（{SECTION_NUMERALS[i]}）{sec.label}", 2)
        text = getattr(app.work_plan, sec.value)
        if text:
            for line in text.split("\n"):
                _para(doc, line, indent=True)


def _attachments(doc: Any, t: ApplicantType) -> None:
    _heading(doc, H_ATTACH, 1, page_break=True)
    _para(doc, "有关说明或证明材料，包括但不限于：", indent=True)
    for item in ATTACHMENTS[t]:
        _para(doc, item, indent=True)


def _opinion(doc: Any) -> None:
    _heading(doc, H_OPINION, 1, page_break=False)
    table = doc.add_table(rows=1, cols=1)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = table.rows[0].cells[0]
    cell.width = Cm(TEXT_WIDTH_CM)
    _cell_write(cell, "推荐意见：", size=14)
    for _ in range(7):
        cell.add_paragraph()
    for text in ("（盖章）", "年　　月　　日"):
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Cm(1.5)
        _run(p, text, FONT_BODY, 14)
    cell.add_paragraph()


# -- hidden data ---------------------------------------------------------------------------------------------------

DATA_NS = "urn:sfjd:application"
_ITEM_ID = "{5F6A1D2C-3B4E-4C8A-9D7E-2A1B0C9D8E7F}"


def _embed_data(doc: Any, app: AnyApplication) -> None:
    root = etree.Element(f"{{{DATA_NS}}}application", nsmap={None: DATA_NS})
    root.set("schemaVersion", str(SCHEMA_VERSION))
    root.text = export_json(app)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = doc.part.package
    partname = package.next_partname("/customXml/item%d.xml")
    part = Part(PackURI(partname), "application/xml", blob, package)
    doc.part.relate_to(part, RT.CUSTOM_XML)
    props = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
             f'<ds:datastoreItem ds:itemID="{_ITEM_ID}" '
             f'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
             f'<ds:schemaRefs><ds:schemaRef ds:uri="{DATA_NS}"/></ds:schemaRefs></ds:datastoreItem>').encode()
    props_name = partname.replace("/item", "/itemProps")
    props_part = Part(PackURI(props_name), "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                      props, package)
    part.relate_to(props_part, RT.CUSTOM_XML_PROPS)


def _embedded_data(doc: Any) -> Optional[dict[str, Any]]:
    for rel in doc.part.rels.values():
        if rel.reltype != RT.CUSTOM_XML or rel.is_external:
            continue
        try:
            root = etree.fromstring(rel.target_part.blob, parser=etree.XMLParser(resolve_entities=False,
                                                                                  no_network=True))
        except etree.XMLSyntaxError:
            continue
        if root.tag == f"{{{DATA_NS}}}application" and root.text:
            try:
                data = json.loads(root.text)
            except json.JSONDecodeError:
                return None
            return data if isinstance(data, dict) else None
    return None


def export_application_docx(app: AnyApplication, embed_data: bool = True) -> bytes:
    """The filled 创建申请书 (Annex 2 park / Annex 3 enterprise) as .docx bytes.

    ``embed_data`` stores the whole application (including what the form does not show: 设区市, 资格信息, 承诺事项,
    备注) in a custom XML part so that the file imports back exactly; pass False for a copy to hand out that
    carries only what is visible.
    """
    t = ApplicantType.parse(app.type)
    derived = _derive(app)
    data = app.model_dump(mode="json")
    year_level, avgs = _derivable_paths(t)
    computed = year_level | avgs
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    cp = doc.core_properties
    cp.title = f"{FORM_TITLE}{SUBTITLE[t]}"
    cp.subject = app.display_name or ""
    cp.author = app.applicant_name or "示范基地自评台"
    cp.last_modified_by = "示范基地自评台"
    cp.comments = "由示范基地自评台导出"
    # the default template's body holds one empty paragraph: reuse nothing, start clean
    body = doc.element.body
    for p in list(body.xpath("./w:p")):
        body.remove(p)
    _cover(doc, app, t)
    _heading(doc, H_BASIC, 1)
    for block in blocks_for(t):
        _write_block(doc, block, t, data, derived, computed)
        _spacer(doc)
    _plan_sections(doc, app, t)
    _attachments(doc, t)
    _opinion(doc)
    if embed_data:
        _embed_data(doc, app)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# import

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SYM_CHECKED = {"F052", "F053", "F0FE", "F0FD", "F0FC", "F0D6", "F078"}
_SYM_UNCHECKED = {"F0A3", "F0A8", "F06F", "F0A1", "F071", "F0A2"}
_CHECK_MARKS = "☑☒■√✓✔▣⊠"
_UNCHECK_MARKS = "☐□"  # ☐ too: a hand-filled template may use it


def _para_text(p: Any) -> str:
    """All text of a w:p in document order, including content controls; tabs and breaks kept."""
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == qn("w:t"):
            # skip text of deleted revisions (w:delText is a different tag) and of field instructions
            out.append(el.text or "")
        elif tag == qn("w:tab"):
            if el.getparent() is not None and el.getparent().tag == qn("w:r"):
                out.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            if el.get(qn("w:type")) in (None, "textWrapping"):
                out.append("\n")
        elif tag == qn("w:sym"):
            ch = (el.get(qn("w:char")) or "").upper()
            out.append(CHECKED if ch in _SYM_CHECKED else UNCHECKED if ch in _SYM_UNCHECKED else "")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _cell_text(tc: Any) -> str:
    paras = tc.xpath("./w:p | ./w:sdt/w:sdtContent/w:p")
    return "\n".join(_para_text(p) for p in paras)


def _row_cells(tr: Any) -> list[str]:
    cells = []
    for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
        vm = tc.xpath("./w:tcPr/w:vMerge")
        if vm and vm[0].get(qn("w:val")) in (None, "continue"):
            continue  # continuation of a vertically merged cell
        cells.append(_cell_text(tc))
    return cells


_PARENS = re.compile(r"[（(][^（）()]*[)）]")
_PUNCT = re.compile(r"[\s“”\"'‘’，,、：:。．.；;·/／_＿\-—]+")


def _strip_parens(text: str) -> str:
    t = normalize_text(text)
    prev = None
    while prev != t:
        prev, t = t, _PARENS.sub("", t)
    return t.strip()


def _key(text: str) -> str:
    """Match key of a label: no parenthesised parts (units, notes), no spaces or punctuation, NFKC."""
    return _PUNCT.sub("", _strip_parens(text)).lower()


def _label_aliases(t: ApplicantType) -> dict[str, list[str]]:
    """path → extra labels (the model titles) accepted for a row besides the form's wording."""
    spec = form_spec(t)
    out: dict[str, list[str]] = {}
    for row in spec.series_rows():
        out.setdefault(row.path, []).append(row.title)
    for fs in spec.fields():
        out.setdefault(fs.path, []).append(fs.title)
    for item in spec.items():
        if type(item).__name__ == "DerivedValue":
            out.setdefault(item.path, []).append(item.title)
    return out


@dataclass
class _Where:
    table: str
    row: int
    label: str
    column: str = ""
    raw: str = ""

    def message(self, reason: str) -> str:
        col = self.column
        return f"表「{self.table}」第{self.row}行「{_strip_parens(self.label)}」{col}：{reason}"


@dataclass
class _Found:
    value: Any
    where: _Where


class _Ctx:
    def __init__(self, t: ApplicantType):
        self.t = t
        self.values: dict[str, _Found] = {}
        self.problems: list[str] = []
        self.found_blocks: set[str] = set()
        self.seen_paths: set[str] = set()

    def read(self, path: str, raw: str, where: _Where) -> None:
        info = _field_info(self.t, path)
        self.seen_paths.add(path)
        try:
            value: Any
            if info.kind == "text":
                value = raw
            elif info.kind == "int":
                value = parse_number(raw, info.unit, integer=True)
            elif info.kind == "float":
                value = parse_number(raw, info.unit)
            elif info.kind == "date":
                value = parse_date(raw)
            else:
                value = raw
        except ValueProblem as e:
            self.problems.append(where.message(str(e)))
            self.values[path] = _Found(None if info.kind != "text" else "", where)
            return
        self.values[path] = _Found(value, where)


def _body_elements(doc: Any) -> Iterator[Any]:
    """Body-level w:p and w:tbl in order (also inside block-level content controls)."""
    def walk(parent: Any) -> Iterator[Any]:
        for el in parent:
            if el.tag in (qn("w:p"), qn("w:tbl")):
                yield el
            elif el.tag == qn("w:sdt"):
                content = el.find(qn("w:sdtContent"))
                if content is not None:
                    yield from walk(content)
    yield from walk(doc.element.body)


_H_BASIC_RE = re.compile(r"^一[、.．]\s*基本情况")
_H_PLAN_RE = re.compile(r"^二[、.．]\s*创建工作方案")
_H_END_RE = re.compile(r"^(三[、.．]\s*附件清单|四[、.．]\s*推荐单位意见)")
_SECTION_RE = re.compile(r"^[（(]?\s*([一二三四五])\s*[)）、.．]?\s*(发展基础|总体思路|重点任务|进度安排|保障措施)\s*[:：]?$")
_COVER_RE = {
    "applicant_name": re.compile(r"^申报单位\s*[:：]\s*(.*?)\s*(?:[（(]\s*盖章\s*[)）])?\s*$"),
    "domain": re.compile(r"^申报领域\s*[:：]\s*(.*?)\s*$"),
    "recommender": re.compile(r"^推荐单位\s*[:：]\s*(.*?)\s*(?:[（(]\s*盖章\s*[)）])?\s*$"),
    "fill_date": re.compile(r"^填报日期\s*[:：]\s*(.*?)\s*$"),
}


def _clean_cover(v: str) -> str:
    return v.strip(" \u3000\t_＿")


def _read_blocks(ctx: _Ctx, tables: list[Any]) -> None:
    t = ctx.t
    blocks = blocks_for(t)
    by_key = {_key(b.title): b for b in blocks}
    aliases = _label_aliases(t)
    cur: Optional[Block] = None
    labels: dict[str, tuple[Row, int]] = {}
    col_map: dict[int, str] = {}
    list_cols: dict[int, str] = {}
    data_no = 0
    items: list[dict[str, Any]] = []
    text_done = False

    def finish() -> None:
        if cur is not None and cur.kind == "list":
            ctx.values[cur.list_path] = _Found(items[:], _Where(cur.short, 0, ""))
            ctx.seen_paths.add(cur.list_path)

    for tbl in tables:
        for tr in tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"):
            cells = _row_cells(tr)
            texts = [c for c in cells if c.strip()]
            uniq = list(dict.fromkeys(normalize_text(c) for c in texts))
            if len(uniq) == 1 and _key(uniq[0]) in by_key:
                finish()
                cur = by_key[_key(uniq[0])]
                ctx.found_blocks.add(cur.title)
                labels = {}
                for r in cur.rows:  # the form's wording first, then the model titles
                    for j, (lab, _path) in enumerate(r.cells):
                        labels.setdefault(_key(lab), (r, j))
                for r in cur.rows:
                    for j, (_lab, path) in enumerate(r.cells):
                        for alias in aliases.get(path, []):
                            labels.setdefault(_key(alias), (r, j))
                col_map, list_cols, data_no, items, text_done = {}, {}, 0, [], False
                continue
            if cur is None:
                continue
            if not texts:
                data_no += 1
                if cur.kind == "text" and not text_done:
                    label, path = cur.rows[0].cells[0]
                    ctx.read(path, "", _Where(cur.short, data_no, label))
                    text_done = True
                continue
            first = _key(cells[0]) if cells else ""
            # the 项目/年度 header row of a 近三年 table
            if cur.kind == "grid" and (first in ("项目年度", "项目", "年度") or
                                       sum(1 for c in cells if re.search(r"20(23|24|25)", normalize_text(c))) >= 2):
                if not any(_key(c) in labels for c in cells):
                    col_map = {}
                    for i, c in enumerate(cells):
                        n = normalize_text(c).replace(" ", "")
                        for yk, y in zip(YEAR_KEYS, YEARS):
                            if str(y) in n:
                                col_map[i] = yk
                        if "平均" in n:
                            col_map[i] = "avg"
                    continue
            if cur.kind == "list" and not list_cols:
                keys = [_key(c) for c in cells]
                wanted = {_key(lab): name for lab, name, _ in cur.list_cols}
                if sum(1 for k in keys if k in wanted) >= 2:
                    list_cols = {i: wanted[k] for i, k in enumerate(keys) if k in wanted}
                    continue
            data_no += 1
            if cur.kind == "text":
                if not text_done:
                    label, path = cur.rows[0].cells[0]
                    text = "\n".join(cells) if len(cells) > 1 else cells[0]
                    if _key(text) == _key(PLACEHOLDER):
                        text = ""
                    ctx.read(path, text, _Where(cur.short, data_no, label))
                    text_done = True
                continue
            if cur.kind == "list":
                _read_list_row(ctx, cur, cells, list_cols, items, data_no)
                continue
            _read_grid_row(ctx, cur, cells, labels, col_map, data_no)
    finish()


def _read_list_row(ctx: _Ctx, block: Block, cells: list[str], list_cols: dict[int, str],
                   items: list[dict[str, Any]], data_no: int) -> None:
    mapping = list_cols or {i: name for i, (_, name, _) in enumerate(block.list_cols)}
    if len(items) >= block.list_rows:
        ctx.problems.append(f"表「{block.short}」第{data_no}行：超过 {block.list_rows} 行，未导入。")
        return
    idx = len(items)
    item: dict[str, Any] = {}
    name_col = block.list_cols[0][1]
    row_name = next((cells[i] for i, n in mapping.items() if n == name_col and i < len(cells)), "")
    for i, name in mapping.items():
        raw = cells[i] if i < len(cells) else ""
        label = next(lab for lab, n, _ in block.list_cols if n == name)
        path = f"{block.list_path}.{idx}.{name}"
        where = _Where(block.short, data_no, row_name.strip() or f"第{data_no}项", _strip_parens(label), raw)
        ctx.read(path, raw, where)
        item[name] = ctx.values[path].value
    items.append(item)


def _read_grid_row(ctx: _Ctx, block: Block, cells: list[str], labels: dict[str, tuple[Row, int]],
                   col_map: dict[int, str], data_no: int) -> None:
    i = 0
    matched = False
    while i < len(cells):
        k = _key(cells[i])
        hit = labels.get(k)
        if hit is None and k:
            # a checkbox cell: ☑高新技术企业
            stripped = _key(cells[i].lstrip(_CHECK_MARKS + _UNCHECK_MARKS + " "))
            if stripped != k:
                hit = labels.get(stripped)
            if hit is None and ("其他" in k):
                hit = labels.get(_key("其他"))
        if hit is None:
            i += 1
            continue
        matched = True
        row, j = hit
        label, path = row.cells[j]
        where = _Where(block.short, data_no, label)
        if row.kind == "series":
            positions = col_map or {i + 1: "y2023", i + 2: "y2024", i + 3: "y2025", i + 4: "avg"}
            for pos, yk in positions.items():
                raw = cells[pos] if pos < len(cells) else ""
                head = f"{YEARS[YEAR_KEYS.index(yk)]}年" if yk in YEAR_KEYS else "近三年平均值"
                ctx.read(f"{path}.{yk}", raw, _Where(block.short, data_no, label, head, raw))
            return
        if row.kind == "choice":
            _read_choice(ctx, row, " ".join(cells[i + 1:]), where)
            return
        if row.kind == "checks":
            for lab, p in row.cells:
                _read_check(ctx, p, lab, " ".join(cells), where)
            return
        if row.kind == "check_other":
            text = " ".join(cells)
            m = re.search(r"其他\s*[:：]?\s*(.*)$", text, re.S)
            other = (m.group(1) if m else "").strip(" \u3000\t_＿")
            ctx.seen_paths.add(path)
            ctx.values[path] = _Found(other, where)
            return
        raw = cells[i + 1] if i + 1 < len(cells) else ""
        ctx.read(path, raw, _Where(block.short, data_no, label, "", raw))
        i += 2
    if not matched:
        first = next((c for c in cells if c.strip()), "")
        ctx.problems.append(f"表「{block.short}」第{data_no}行「{_strip_parens(first)[:30]}」：不是申请书中的项目，未导入。")


def _checked_before(text: str, label: str) -> Optional[bool]:
    """Is the checkbox in front of ``label`` ticked? None when the label is not in the text."""
    t = normalize_text(text)
    lab = normalize_text(label)
    pos = t.find(lab)
    if pos < 0:
        lab_k = _key(label)
        # search ignoring punctuation/quotes: compare keys of growing prefixes
        compact = _PUNCT.sub("", t)
        pos2 = compact.find(lab_k)
        if pos2 < 0:
            return None
        before = compact[:pos2].rstrip()
    else:
        before = t[:pos].rstrip()
    if before and before[-1] in _CHECK_MARKS:
        return True
    if before and before[-1] in _UNCHECK_MARKS:
        return False
    return None


def _read_check(ctx: _Ctx, path: str, label: str, text: str, where: _Where) -> None:
    v = _checked_before(text, label)
    ctx.seen_paths.add(path)
    if v is None:
        if _key(label) in _PUNCT.sub("", _key(text)):
            ctx.problems.append(f"表「{where.table}」第{where.row}行「{label}」：无法识别是否勾选（请用 ■ 或 □ 标记）")
        v = False
    ctx.values[path] = _Found(v, _Where(where.table, where.row, label))


def _read_choice(ctx: _Ctx, row: Row, text: str, where: _Where) -> None:
    label, path = row.cells[0]
    ctx.seen_paths.update({path, row.other_path})
    chosen = [v for v, lab in row.options if _checked_before(text, lab)]
    other_text = ""
    m = re.search(r"其他\s*[:：]?\s*(.*)$", text, re.S)
    if m:
        other_text = m.group(1).strip(" \u3000\t_＿")
    if not chosen and not any(ch in text for ch in _CHECK_MARKS + _UNCHECK_MARKS):
        named = [v for v, lab in row.options if lab in normalize_text(text)]
        chosen = named if len(named) == 1 else []
    if len(chosen) > 1:
        ctx.problems.append(where.message("勾选了多个选项，无法确定，未导入"))
        chosen = []
    ctx.values[path] = _Found(chosen[0] if chosen else None, where)
    ctx.values[row.other_path] = _Found(other_text if (chosen and chosen[0] == "other") else "", where)


def _read_cover(ctx: _Ctx, paragraphs: list[str]) -> tuple[Optional[ApplicantType], Optional[str]]:
    t_found: Optional[ApplicantType] = None
    domain_text: Optional[str] = None
    for text in paragraphs:
        n = normalize_text(text)
        original = text.strip(" \u3000\t")
        if "示范园区" in n and FORM_TITLE[:6] in n or n in ("(示范园区)", "（示范园区）"):
            t_found = ApplicantType.PARK
        elif "示范企业" in n and FORM_TITLE[:6] in n or n in ("(示范企业)", "（示范企业）"):
            t_found = ApplicantType.ENTERPRISE
        for key, pat in _COVER_RE.items():
            m = pat.match(original)
            if not m:
                continue
            v = _clean_cover(m.group(1))
            where = _Where("申请书首页", 0, {"applicant_name": "申报单位", "domain": "申报领域",
                                             "recommender": "推荐单位", "fill_date": "填报日期"}[key])
            if key == "domain":
                domain_text = v
            elif key == "fill_date":
                try:
                    ctx.values[key] = _Found(parse_date(v), where)
                except ValueProblem as e:
                    ctx.problems.append(f"申请书首页「填报日期」：{e}")
                    ctx.values[key] = _Found(None, where)
            else:
                ctx.values[key] = _Found(v, where)
    return t_found, domain_text


def _read_sections(ctx: _Ctx, elements: list[Any]) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    current: Optional[Section] = None
    guidance = {_key(v) for g in SECTION_GUIDANCE.values() for v in g.values()}
    for el in elements:
        if el.tag == qn("w:tbl"):
            if current is not None:
                for tr in el.xpath(".//w:tr"):
                    out[current.value].append("\t".join(c.replace("\n", " ") for c in _row_cells(tr)))
            continue
        text = _para_text(el)
        m = _SECTION_RE.match(normalize_text(text).replace(" ", ""))
        if m:
            sec = Section.parse(m.group(2))
            if sec.value not in out:
                current = sec
                out[sec.value] = []
                continue
        if current is None:
            continue
        lines = out[current.value]
        if not lines and _key(text) in guidance:
            continue  # the template's guidance sentence under the heading
        lines.append(text)
    return {k: "\n".join(v) for k, v in out.items()}


def import_application_docx(data: bytes) -> tuple[Optional[AnyApplication], list[str]]:
    """Read a filled 申请书 (.docx) back into an application; ``(None, reasons)`` when it is not one.

    The second element lists what could not be read (table, row and reason); those fields are left empty.
    A file that is not a readable .docx at all raises :class:`ImportProblem`.
    """
    if len(data) > MAX_UPLOAD_BYTES["docx"]:
        raise ImportProblem([f"文件过大，Word 文档上限 {MAX_UPLOAD_BYTES['docx'] // (1024 * 1024)} MB。"])
    check_zip(data, "docx", "Word 文档")
    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise ImportProblem([f"Word 文档已损坏或格式不正确，无法读取（{type(e).__name__}）。"]) from None
    except Exception as e:  # python-docx raises many kinds on malformed packages
        raise ImportProblem([f"Word 文档无法读取（{type(e).__name__}: {e}）。"]) from None

    hidden = _embedded_data(doc)
    notes: list[str] = []
    if hidden is not None and hidden.get("schema_version") != SCHEMA_VERSION:
        notes.append(f"文档内嵌的数据格式版本为 {hidden.get('schema_version')}，本工具支持版本 {SCHEMA_VERSION}："
                     "只读取文档中的表格和文字。")
        hidden = None

    # split the body into regions by the form's headings
    elements = list(_body_elements(doc))
    cover_paras: list[str] = []
    basic_tables: list[Any] = []
    plan_elements: list[Any] = []
    region = "cover"
    for el in elements:
        if el.tag == qn("w:p"):
            text = normalize_text(_para_text(el)).replace(" ", "")
            if _H_BASIC_RE.match(text):
                region = "basic"
                continue
            if _H_PLAN_RE.match(text):
                region = "plan"
                continue
            if _H_END_RE.match(text):
                region = "end"
                continue
            if region == "cover":
                cover_paras.append(_para_text(el))
            elif region == "plan":
                plan_elements.append(el)
        else:
            if region == "cover":  # a cover laid out as a table: each row reads like a line
                cover_paras.extend("".join(_row_cells(tr)) for tr in el.xpath(".//w:tr"))
            if region in ("cover", "basic"):
                basic_tables.append(el)
            elif region == "plan":
                plan_elements.append(el)

    # which form: the title, else the tables, else the embedded data
    probe = _Ctx(ApplicantType.PARK)
    t, domain_text = _read_cover(probe, cover_paras)
    if t is None:
        keys = {_key(" ".join(_row_cells(tr))) for tbl in basic_tables for tr in tbl.xpath("./w:tr")}
        if _key("园区基本信息") in keys:
            t = ApplicantType.PARK
        elif _key("企业基本信息") in keys:
            t = ApplicantType.ENTERPRISE
        elif hidden is not None:
            try:
                t = ApplicantType.parse(hidden.get("type", ""))
            except ValueError:
                t = None
    if t is None:
        return None, [*notes, "不是国家新兴产业发展示范基地创建申请书：找不到申请书标题（示范园区/示范企业）"
                              "或“园区基本信息”“企业基本信息”表。"]

    ctx = _Ctx(t)
    _read_cover(ctx, cover_paras)
    problems = ctx.problems
    problems[:0] = notes

    domain: Optional[str] = None
    if domain_text:
        try:
            domain = Domain.parse(domain_text).value
        except ValueError:
            problems.append(f"申请书首页「申报领域」：无法识别“{domain_text}”")
    if domain is None and hidden is not None and hidden.get("domain"):
        domain = str(hidden["domain"])
        if domain_text is not None:
            problems.append(f"申请书首页「申报领域」：沿用文档内嵌数据中的“{_domain_label(domain)}”")
    if domain is None:
        return None, [*problems, "申请书首页缺少可识别的“申报领域”（如：人工智能），无法导入。"]

    _read_blocks(ctx, basic_tables)
    for block in blocks_for(t):
        if block.title not in ctx.found_blocks:
            problems.append(f"未找到表「{block.short}」，其中各项未导入。")
    sections = _read_sections(ctx, plan_elements)
    for i, sec in enumerate(Section):
        if sec.value not in sections:
            problems.append(f"二、创建工作方案：未找到“（{SECTION_NUMERALS[i]}）{sec.label}”标题，该部分未导入。")

    # assemble: the visible form wins; the embedded data fills what the form does not show
    base: dict[str, Any] = copy.deepcopy(hidden) if hidden is not None and hidden.get("type") == t.value else {}
    base["type"] = t.value
    base["domain"] = domain
    base["schema_version"] = SCHEMA_VERSION
    year_level, avgs = _derivable_paths(t)
    candidates: dict[str, Any] = {}
    for path, found in ctx.values.items():
        if re.search(r"\.\d+\.", path):
            continue
        if path in year_level or path in avgs:
            candidates[path] = found.value
            set_in(base, path, None)
        else:
            set_in(base, path, found.value)
    for key, text in sections.items():
        set_in(base, f"work_plan.{key}", text)

    # a shown value equal to the computed one was not typed (when the embedded data says so)
    for group in (year_level, avgs):
        app0 = _validated(base, ctx, problems)
        derived = _derive(app0)
        for path in sorted(p for p in candidates if p in group):
            v = candidates[path]
            if v is None:
                continue
            comp = derived.value(path)
            typed_in_hidden = get_in(hidden, path) if hidden is not None else "absent"
            if hidden is not None and typed_in_hidden is None and comp is not None and \
                    abs(float(v) - round(comp, 2)) < 1e-9:
                continue
            set_in(base, path, v)
    app = _validated(base, ctx, problems)
    return app, problems


def _domain_label(value: str) -> str:
    try:
        return Domain.parse(value).label
    except ValueError:
        return value


def _validated(data: dict[str, Any], ctx: _Ctx, problems: list[str]) -> AnyApplication:
    """Validate; a value the model rejects is reported at its table/row and removed (the field stays empty)."""
    for _ in range(50):
        try:
            return parse_application(data)
        except ValidationError as e:
            removed = False
            for err in e.errors():
                loc = [p for p in err.get("loc", ()) if p not in ("park", "enterprise")]
                path = ".".join(str(p) for p in loc)
                found = ctx.values.get(path)
                msg = _validation_message(err)
                line = found.where.message(msg) if found is not None else f"{_path_label(ctx.t, loc)}：{msg}"
                if line not in problems:
                    problems.append(line)
                if delete_in(data, loc):
                    removed = True
            if not removed:
                raise ImportProblem(["文档内容无法组成一份有效的申报数据：", *problems]) from None
    raise ImportProblem(["文档中无效的内容过多，未导入。", *problems[:50]])


def _path_label(t: ApplicantType, loc: list[Any]) -> str:
    from ..application.errors import field_label

    return field_label(tuple(loc), _model_cls(t))


