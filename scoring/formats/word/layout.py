"""The 创建申请书's layout (Annex 2 park / Annex 3 enterprise), shared by export and import: fonts and styles, the
form's blocks and rows in the form's wording, headings and section guidance, and how a field's value is shown.

The model paths tie the layout to :mod:`scoring.application.models`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from ...application.derived import YEAR_KEYS, DerivedResult
from ...application.formspec import OPTION_LABELS, form_spec, get_in
from ...application.formwords import SECTION_GUIDANCE  # noqa: F401 - the 创建工作方案 hints, used by export and reading
from ...application.ids import ApplicantType
from ..common import fmt_computed, fmt_exact, normalize_text, xml_safe_text
from ...application.models import AnyApplication, EnterpriseApplication, ParkApplication


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

SECTION_NUMERALS = ("一", "二", "三", "四", "五")

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
    from ...assessment.engine import derive

    return derive(app)


def _align(t: ApplicantType, path: str) -> Any:
    kind = _field_info(t, path).kind
    return WD_ALIGN_PARAGRAPH.LEFT if kind == "text" else WD_ALIGN_PARAGRAPH.CENTER


def _shown(app_data: dict[str, Any], derived: DerivedResult, path: str, computed_ok: bool) -> str:
    v = get_in(app_data, path)
    if v is None and computed_ok:
        m = derived.metrics.get(path)
        if m is not None and m.estimate:
            return ""  # an estimate (a 加权数量 not de-duplicated, an assumed share) is not the form's figure
        return fmt_computed(derived.value(path))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return fmt_exact(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, str) and app_data.get("type") in ("park", "enterprise") and \
            _field_info(ApplicantType.parse(app_data["type"]), path).kind == "date":
        try:  # the forms write dates the Chinese way: 2012年8月19日
            d = dt.date.fromisoformat(v)
            return f"{d.year}年{d.month}月{d.day}日"
        except ValueError:
            pass
    return xml_safe_text(str(v))


_PARENS = re.compile(r"[（(][^（）()]*[)）]")


def _strip_parens(text: str) -> str:
    t = normalize_text(text)
    prev = None
    while prev != t:
        prev, t = t, _PARENS.sub("", t)
    return t.strip()


