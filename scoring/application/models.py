"""Pydantic models of a whole application (Annex 2 park form, Annex 3 enterprise form).

Every field carries its Chinese label (``title``) and the form's unit (``json_schema_extra['unit']``), so a
validation error can name the field in Chinese (:func:`scoring.application.errors.format_validation_error`).
Missing values are ``None`` (a draft), never zero. Values that the form asks for but that can be derived
(averages, growth rates, shares, weighted counts) are optional *typed* fields: :mod:`scoring.application.derived`
computes them from their components and flags a mismatch with what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, field_validator, model_validator

from .clean import COUNT_CAP, RATE_CAP, SERIES_CAP, check_value, number_cap
from .attachments import MAX_MATERIALS, MAX_RANKED, AwardEntry, MaterialEntry, RecommenderOpinion, StandardEntry
from .formwords import form_words
from .ids import AiKind, ApplicantType, City, Domain

SCHEMA_VERSION = 1

# ---------------------------------------------------------------------------------------------------------------
# value types


def _num(title: str, unit: str, *, ge: float | None = 0, le: float | None = None,
         derived: bool = False, help: str | None = None, form: dict[str, Any] | None = None) -> Any:
    extra: dict[str, Any] = {"unit": unit, **(form or {})}
    if derived:
        extra["derivable"] = True
    if le is None:
        le = number_cap(unit)
    return Field(default=None, title=title, ge=ge, le=le, description=help, json_schema_extra=extra)


def _txt(title: str, *, help: str | None = None, max_chars: int | None = None,
         form: dict[str, Any] | None = None) -> Any:
    extra: dict[str, Any] = dict(form or {})
    if max_chars:
        extra["max_chars"] = max_chars  # checked by eligibility (text over the limit is kept, not rejected)
    return Field(default="", title=title, description=help, json_schema_extra=extra or None)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False,
                              str_strip_whitespace=False, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, v: Any, info: ValidationInfo) -> Any:
        """No control characters, lone surrogates or over-long text in any field (see :mod:`.clean`)."""
        return check_value(v, info.field_name or "")


class AmountSeries(_Model):
    """A row of a 近三年 table with non-negative values (amounts, counts)."""

    y2023: Optional[float] = Field(default=None, title="2023年", ge=0, le=SERIES_CAP)
    y2024: Optional[float] = Field(default=None, title="2024年", ge=0, le=SERIES_CAP)
    y2025: Optional[float] = Field(default=None, title="2025年", ge=0, le=SERIES_CAP)
    avg: Optional[float] = Field(default=None, title="近三年平均值（填报值）", ge=0, le=SERIES_CAP,
                                 description="可不填：系统按三年数值计算；填写则与计算值比对")


class PercentSeries(_Model):
    """A row of percentages between 0 and 100 (shares, intensities)."""

    y2023: Optional[float] = Field(default=None, title="2023年", ge=0, le=100)
    y2024: Optional[float] = Field(default=None, title="2024年", ge=0, le=100)
    y2025: Optional[float] = Field(default=None, title="2025年", ge=0, le=100)
    avg: Optional[float] = Field(default=None, title="近三年平均值（填报值）", ge=0, le=100)


class RateSeries(_Model):
    """A row of rates that may be negative (growth rates, margins; margins at most 100%)."""

    y2023: Optional[float] = Field(default=None, title="2023年", ge=-100, le=RATE_CAP)
    y2024: Optional[float] = Field(default=None, title="2024年", ge=-100, le=RATE_CAP)
    y2025: Optional[float] = Field(default=None, title="2025年", ge=-100, le=RATE_CAP)
    avg: Optional[float] = Field(default=None, title="近三年平均值（填报值）", ge=-100, le=RATE_CAP)


class MarginSeries(_Model):
    y2023: Optional[float] = Field(default=None, title="2023年", ge=-100, le=100)
    y2024: Optional[float] = Field(default=None, title="2024年", ge=-100, le=100)
    y2025: Optional[float] = Field(default=None, title="2025年", ge=-100, le=100)
    avg: Optional[float] = Field(default=None, title="近三年平均值（填报值）", ge=-100, le=100)


def _series(cls: type[_Model], title: str, unit: str, *, derived: bool = False, help: str | None = None,
            form: dict[str, Any] | None = None) -> Any:
    extra: dict[str, Any] = {"unit": unit, "series": True, **(form or {})}
    if derived:
        extra["derivable"] = True
    return Field(default_factory=cls, title=title, description=help, json_schema_extra=extra)


Count = Optional[Annotated[int, Field(ge=0, le=COUNT_CAP)]]


# ---------------------------------------------------------------------------------------------------------------
# common parts


class Attestations(_Model):
    """Statements the applicant makes (section 四 of the notice). ``None`` = not yet stated."""

    no_major_accident: Optional[bool] = Field(
        default=None, title="近三年未发生较大及以上生产安全事故",
        description="通知四（三）")
    no_env_incident: Optional[bool] = Field(
        default=None, title="近三年未发生Ⅱ级及以上环境污染事件", description="通知四（三）")
    no_adverse_event: Optional[bool] = Field(
        default=None, title="近三年未发生其他社会影响严重的不良事件", description="通知四（三）")
    materials_truthful: Optional[bool] = Field(
        default=None, title="申报材料真实且不涉及国家秘密、商业秘密", description="通知三（一）")


class WorkPlan(_Model):
    """二、创建工作方案（每部分不超过 2000 字）.

    The hint under each heading differs between the park and the enterprise form (保障措施: the park's includes
    组织实施机制): it is :data:`scoring.application.formwords.SECTION_GUIDANCE`, per type, not a field description."""

    basis: str = _txt("发展基础", max_chars=2000)
    approach: str = _txt("总体思路", max_chars=2000)
    tasks: str = _txt("重点任务", max_chars=2000)
    schedule: str = _txt("进度安排", max_chars=2000)
    safeguards: str = _txt("保障措施", max_chars=2000)


class PointClaim(_Model):
    """The applicant's own word on one evaluation point, where the machine's verdict cannot be certain."""

    action: Literal["confirmed", "rejected", "not_applicable"] = Field(
        title="本人意见", description="confirmed 本人确认已覆盖（附证据句）；rejected 判定有误、实际未覆盖；not_applicable 不适用（附理由）")
    sentence: str = Field(default="", max_length=2000, title="证据句", description="本人确认已覆盖时，文中的证据句")
    reason: str = Field(default="", max_length=500, title="理由", description="标记不适用时的理由")

    @model_validator(mode="after")
    def _complete(self) -> "PointClaim":
        if self.action == "confirmed" and not self.sentence.strip():
            raise ValueError("本人确认已覆盖时须选定文中的证据句")
        if self.action == "not_applicable" and not self.reason.strip():
            raise ValueError("标记不适用时须写明理由")
        return self


class Meta(_Model):
    is_sample: bool = Field(default=False, title="示例数据")
    note: str = Field(default="", title="备注")


def _lenient(enum: Any, v: Any) -> Any:
    """Accept the Chinese name of an id; leave anything unknown for pydantic to reject."""
    if isinstance(v, str):
        try:
            return enum.parse(v)
        except ValueError:
            return v
    return v


class _ApplicationBase(_Model):
    schema_version: int = Field(default=SCHEMA_VERSION, title="数据格式版本")
    domain: Domain = Field(title="申报创建领域", json_schema_extra=form_words("申报领域"))
    city: Optional[City] = Field(default=None, title="所在设区市", json_schema_extra=form_words(on_form=False))
    applicant_name: str = Field(default="", title="申报单位名称",
                                description="盖章的申报单位；园区一般为其管理机构",
                                json_schema_extra=form_words("申报单位"))
    recommender: str = Field(default="福建省工业和信息化厅", title="推荐单位",
                             description="通知三（一）：申请书首页推荐单位统一填写“福建省工业和信息化厅”")
    fill_date: Optional[dt.date] = Field(default=None, title="填报日期")
    other_domains: list[Domain] = Field(default_factory=list, title="同时申报的其他领域",
                                        description="通知四（一）：原则上限申报1个创建领域",
                                        json_schema_extra=form_words(on_form=False))
    attestations: Attestations = Field(default_factory=Attestations, title="承诺事项",
                                       json_schema_extra=form_words(on_form=False, rows_on_form=False))
    work_plan: WorkPlan = Field(default_factory=WorkPlan, title="创建工作方案",
                                json_schema_extra=form_words(note="每部分不超过2000字"))
    coverage_claims: dict[str, PointClaim] = Field(
        default_factory=dict, title="评价要点本人确认",
        description="评价要点编号 → 申报单位本人的意见；计入得分时标为“本人确认”，与系统判定分开显示")
    materials: dict[str, MaterialEntry] = Field(
        default_factory=dict, max_length=MAX_MATERIALS, title="附件清单",
        description="附件清单项目编号（规则包 materials.yaml）→ 已附 / 尚未附 / 不适用及说明；未列出的项目为尚未附。"
                    "其他规则包的编号原样保留")
    recommender_opinion: RecommenderOpinion = Field(
        default_factory=RecommenderOpinion, title="推荐单位意见", description="由推荐单位填写，申报单位不填")
    meta: Meta = Field(default_factory=Meta, title="说明")

    @field_validator("domain", mode="before")
    @classmethod
    def _parse_domain(cls, v: Any) -> Any:
        return _lenient(Domain, v)

    @field_validator("city", mode="before")
    @classmethod
    def _parse_city(cls, v: Any) -> Any:
        return None if v in ("", None) else _lenient(City, v)

    @field_validator("other_domains", mode="before")
    @classmethod
    def _parse_other_domains(cls, v: Any) -> Any:
        return [_lenient(Domain, x) for x in v] if isinstance(v, list) else v


# ---------------------------------------------------------------------------------------------------------------
# park (Annex 2)


class TopEnterprise(_Model):
    name: str = Field(default="", title="企业名称")
    revenue: Optional[float] = _num("营业收入", "亿元")
    main_business: str = Field(default="", title="主营业务和主要产品")


class ParkBasic(_Model):
    """园区基本信息 + 总体情况."""

    park_name: str = Field(default="", title="园区名称")
    address: str = Field(default="", title="园区地址")
    approval_date: Optional[dt.date] = Field(default=None, title="批复设立日期")
    approval_authority: str = Field(default="", title="批复单位")
    management_body: str = Field(default="", title="管理机构")
    head: str = Field(default="", title="负责人及职务")
    contact: str = Field(default="", title="联系人及职务")
    phone: str = Field(default="", title="联系电话")
    planned_area: Optional[float] = _num("规划面积", "公顷")
    built_area: Optional[float] = _num("建成面积", "公顷")
    land_investment_intensity: Optional[float] = _num("近三年单位土地平均投资强度", "万元/公顷")
    land_output: Optional[float] = _num("近三年单位土地平均产出", "万元/公顷")


class ParkStatus(_Model):
    """Facts behind the park eligibility rules (通知四（一）)."""

    in_catalog: Optional[bool] = Field(default=None, title="已列入最新版《中国开发区审核公告目录》")
    catalog_name: str = Field(default="", title="目录中的开发区名称")
    is_sub_park: Optional[bool] = Field(default=None, title="以“园中园”申报")
    boundary: str = Field(default="", title="四至范围", description="以“园中园”申报的，必须明确四至范围")
    sub_park_manager: Optional[Literal["parent_park", "local_government", "other"]] = Field(
        default=None, title="园中园管理机构",
        description="由所在园区管理机构（parent_park）或所在地人民政府（local_government）负责")


class ParkMain(_Model):
    """近三年主要发展指标."""

    total_revenue: AmountSeries = _series(AmountSeries, "总营业收入", "亿元")
    total_revenue_growth: RateSeries = _series(RateSeries, "总营业收入增长率", "%", derived=True,
                                               help="2024、2025年可由营业收入计算；2023年需填报")
    above_scale_firms: AmountSeries = _series(AmountSeries, "规模以上企业数量", "个")
    employees: AmountSeries = _series(AmountSeries, "年末从业人员数量", "人")
    labor_productivity: AmountSeries = _series(AmountSeries, "全员劳动生产率", "万元/人", derived=True,
                                               help="= 总营业收入 ÷ 年末从业人员数量")


class ParkLead(_Model):
    """主导产业近三年发展情况（仅限于申报领域）."""

    revenue: AmountSeries = _series(AmountSeries, "主导产业规模以上企业营业收入", "亿元",
                                    form=form_words("规模以上企业营业收入"))
    share: PercentSeries = _series(PercentSeries, "主导产业占园区总营业收入比重", "%", derived=True,
                                   form=form_words("占园区总营业收入比重"))
    growth: RateSeries = _series(RateSeries, "近三年主导产业规模以上企业营业收入增速", "%", derived=True,
                                 form=form_words("近三年规模以上企业营业收入增速"))
    firms: Count = _num("主导产业企业数量", "个", form=form_words("企业数量"))
    above_scale_firms: Count = _num("主导产业规模以上企业数量", "个", form=form_words("规模以上企业数量"))
    tech_sme: Count = _num("科技和创新型中小企业数量", "个")
    high_tech: Count = _num("高新技术企业数量", "个")
    srdi_sme: Count = _num("专精特新中小企业数量", "个")
    little_giant: Count = _num("专精特新“小巨人”企业数量", "个")
    single_champion: Count = _num("制造业单项冠军企业数量", "个")
    quality_weighted: Optional[float] = _num(
        "优质企业加权数量（填报值）", "个", derived=True, form=form_words(note="同一企业不重复计算"),
        help="按申请书填写去重后的数值，评分以此为准；不填则按分类数量估算（未去重，为上限）")
    top10: list[TopEnterprise] = Field(default_factory=list, title="主导产业营业收入排名前十的企业", max_length=10,
                                       json_schema_extra=form_words(note="按2025年末数据排名"))


class ParkRD(_Model):
    park_rd_intensity: PercentSeries = _series(PercentSeries, "园区研发投入强度", "%")
    lead_rd_spend: AmountSeries = _series(AmountSeries, "主导产业研发投入", "亿元")
    lead_rd_intensity: PercentSeries = _series(PercentSeries, "主导产业研发投入强度", "%", derived=True,
                                               form=form_words("近三年主导产业研发投入强度"),
                                               help="= 主导产业研发投入 ÷ 主导产业规上企业营业收入")
    tech_contracts: AmountSeries = _series(AmountSeries, "技术合同成交额", "亿元")


class Platforms(_Model):
    """主导产业创新平台建设情况."""

    national_lab: Count = _num("国家实验室数量", "个")
    key_lab: Count = _num("全国重点实验室数量", "个")
    mfg_innovation_center: Count = _num("国家制造业创新中心数量", "个")
    tech_innovation_center: Count = _num("国家技术创新中心数量", "个")
    emerging_innovation_center: Count = _num("国家新兴产业创新中心数量", "个")
    engineering_center: Count = _num("国家产业技术工程化中心数量", "个")
    science_facility: Count = _num("国家重大科技基础设施数量", "个")
    pilot_platform: Count = _num("国家级制造业中试平台和工业和信息化部科技型孵化器数量", "个")
    weighted: Optional[float] = _num(
        "国家级创新平台加权数量（填报值）", "个", derived=True,
        form=form_words(note="依托同一单位建设的不同平台或多家单位参与建设的同一平台不重复计算"),
        help="按申请书填写去重后的数值，评分以此为准；不填则按分类数量估算（未去重，为上限）")


class Patents(_Model):
    """创新成果产出 / 知识产权创造（仅统计作为第一完成单位的专利）."""

    invention: Count = _num("有效发明专利数量", "件")
    gold: Count = _num("其中，获得中国专利奖金奖数量", "件")
    silver: Count = _num("其中，获得中国专利奖银奖数量", "件")
    weighted: Optional[float] = _num("有效发明专利加权数量（填报值）", "件", derived=True,
                                     form=form_words(note="同一专利不重复计算"))


class Talent(_Model):
    postgrad: Count = _num("研究生学历人员数量", "人")
    senior_title: Count = _num("高级职称人员数量", "人")
    high_skill: Count = _num("高技能人才数量", "人")
    staff: Count = _num("从业人员总数量", "人")
    high_level: Count = _num("高水平人才数量（同一人员不重复计算）", "人", form=form_words(
        "高水平人才数量", "高水平人才包括研究生学历人员、高级职称人员和高技能人才，同一人员不重复计算", unit_on_form=False))
    high_level_share: Optional[float] = _num("高水平人才占比（填报值）", "%", le=100, derived=True)


class SmartFactories(_Model):
    """主导产业数字化发展水平."""

    pilot: Count = _num("领航级智能工厂数量", "个")
    excellent: Count = _num("卓越级智能工厂数量", "个")
    advanced: Count = _num("先进级智能工厂数量", "个")
    basic: Count = _num("基础级智能工厂数量", "个")
    weighted: Optional[float] = _num(
        "智能工厂加权数量（填报值）", "个", derived=True,
        help="按申请书填写的数值（同一工厂按最高层级计一次），评分以此为准；不填则按分类数量估算（未去重，为上限）")
    share: Optional[float] = _num(
        "智能工厂占比（填报值）", "%", le=100, derived=True,
        help="按申请书填写的数值，评分以此为准；不填则按本工具假设的口径估算（各级智能工厂数之和 ÷ 主导产业规上企业数）")


_DESCRIBE = "详细描述有关情况（不超过2000字）"
"""The form's note on each of its text items."""


class ParkNarratives(_Model):
    industry_policy: str = _txt("主导产业产业政策情况", max_chars=2000, form=form_words(note=_DESCRIBE))
    public_service: str = _txt("主导产业公共服务水平情况", max_chars=2000, form=form_words(note=_DESCRIBE))


class ParkApplication(_ApplicationBase):
    """国家新兴产业发展示范基地创建申请书（示范园区），附件2."""

    type: Literal[ApplicantType.PARK] = Field(default=ApplicantType.PARK, title="申报类别")
    status: ParkStatus = Field(default_factory=ParkStatus, title="园区资格信息",
                               json_schema_extra=form_words(on_form=False, rows_on_form=False))
    basic: ParkBasic = Field(default_factory=ParkBasic, title="园区基本信息")
    main: ParkMain = Field(default_factory=ParkMain, title="近三年主要发展指标")
    lead: ParkLead = Field(default_factory=ParkLead, title="主导产业近三年发展情况",
                           json_schema_extra=form_words(note="主导产业相关数据仅限于申报领域，下同"))
    rd: ParkRD = Field(default_factory=ParkRD, title="近三年研发投入及创新合作情况",  # two headings of the form
                       json_schema_extra=form_words(on_form=False))
    platforms: Platforms = Field(default_factory=Platforms, title="主导产业创新平台建设情况")
    patents: Patents = Field(default_factory=Patents, title="主导产业创新成果产出情况",
                             json_schema_extra=form_words(note="仅统计作为第一完成单位的专利"))
    financing: AmountSeries = _series(AmountSeries, "主导产业融资额", "亿元",
                                      form=form_words("融资额", group="主导产业融资情况"))
    talent: Talent = Field(default_factory=Talent, title="主导产业人才队伍建设情况")
    factories: SmartFactories = Field(default_factory=SmartFactories, title="主导产业数字化发展水平")
    narratives: ParkNarratives = Field(default_factory=ParkNarratives, title="主导产业产业政策及公共服务情况",
                                       json_schema_extra=form_words(on_form=False))  # two headings of the form

    @property
    def display_name(self) -> str:
        return self.basic.park_name or self.applicant_name


# ---------------------------------------------------------------------------------------------------------------
# enterprise (Annex 3)


class TopProduct(_Model):
    name: str = Field(default="", title="产品名称")
    sales: Optional[float] = _num("销售收入", "亿元")
    market_share: Optional[float] = _num("国内市场占有率", "%", le=100)


class EnterpriseBasic(_Model):
    """企业基本信息 + 企业认定情况."""

    name: str = Field(default="", title="企业名称")
    credit_code: str = Field(default="", title="统一社会信用代码",
                             pattern=r"^(|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})$")
    ownership: Optional[Literal["state", "private", "joint", "other"]] = Field(
        default=None, title="企业类型", description="国有 / 民营 / 合资 / 其他")
    ownership_other: str = Field(default="", title="企业类型（其他）",
                                 json_schema_extra=form_words(on_form=False))  # the form's blank after 其他
    address: str = Field(default="", title="注册地址")
    main_business: str = Field(default="", title="主营业务")
    founded: Optional[dt.date] = Field(default=None, title="成立日期")
    legal_rep: str = Field(default="", title="法定代表人")
    contact: str = Field(default="", title="联系人及职务")
    phone: str = Field(default="", title="联系电话")
    cert_high_tech: bool = Field(default=False, title="高新技术企业")
    cert_srdi: bool = Field(default=False, title="专精特新中小企业")
    cert_little_giant: bool = Field(default=False, title="专精特新“小巨人”企业")
    cert_champion: bool = Field(default=False, title="制造业单项冠军企业")
    cert_other: str = Field(default="", title="其他认定",
                            json_schema_extra=form_words(on_form=False))  # the form's blank after 其他


class EnterpriseStatus(_Model):
    """Facts behind the enterprise eligibility rules (通知一、四（一）)."""

    independent_legal_person: Optional[bool] = Field(default=None, title="具有独立法人资格")
    parent_name: str = Field(default="", title="所属集团公司名称", description="无上级集团的填空")
    parent_credit_code: str = Field(
        default="", title="所属集团公司统一社会信用代码",
        pattern=r"^(|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})$")
    group_also_applies: Optional[bool] = Field(
        default=None, title="集团公司或其子公司也在申报", description="集团公司与其子公司不得重复申报")


class EnterpriseMain(_Model):
    total_revenue: AmountSeries = _series(AmountSeries, "总营业收入", "亿元")
    total_revenue_growth: RateSeries = _series(RateSeries, "总营业收入增长率", "%", derived=True,
                                               help="2024、2025年可由营业收入计算；2023年需填报")
    gross_margin: MarginSeries = _series(MarginSeries, "毛利润率", "%")
    tax: AmountSeries = _series(AmountSeries, "税金总额", "亿元")
    employees: AmountSeries = _series(AmountSeries, "年末从业人员数量", "人")


class EnterpriseDomain(_Model):
    """重点领域近三年经营情况（仅限于申报领域）."""

    revenue: AmountSeries = _series(AmountSeries, "重点领域营业收入", "亿元", form=form_words("营业收入"))
    growth: RateSeries = _series(RateSeries, "近三年重点领域营业收入增速", "%", derived=True)
    share: PercentSeries = _series(PercentSeries, "重点领域营业收入占总营业收入比重", "%", derived=True,
                                   form=form_words("占总营业收入比重"))
    gross_margin: MarginSeries = _series(MarginSeries, "近三年重点领域毛利润率", "%")
    top5: list[TopProduct] = Field(default_factory=list, title="重点领域主导产品（2025年销售收入前五位）",
                                   max_length=5, json_schema_extra=form_words(
                                       "重点领域主导产品情况", "2025年销售收入占总营收前五位的产品"))


class EnterpriseRD(_Model):
    rd_intensity: PercentSeries = _series(PercentSeries, "研发投入强度", "%")
    domain_rd_spend: AmountSeries = _series(AmountSeries, "重点领域研发投入", "亿元")
    domain_rd_intensity: PercentSeries = _series(PercentSeries, "重点领域研发投入强度", "%", derived=True,
                                                 form=form_words("近三年重点领域研发投入强度"),
                                                 help="= 重点领域研发投入 ÷ 重点领域营业收入")


class Awards(_Model):
    """重点领域重大技术突破情况."""

    nsa_special: Count = _num("国家自然科学奖特等奖数量", "个", form=form_words("获得国家自然科学奖特等奖数量"))
    nsa_first: Count = _num("国家自然科学奖一等奖数量", "个", form=form_words("获得国家自然科学奖一等奖数量"))
    nsa_second: Count = _num("国家自然科学奖二等奖数量", "个", form=form_words("获得国家自然科学奖二等奖数量"))
    tia_special: Count = _num("国家技术发明奖特等奖数量", "个", form=form_words("获得国家技术发明奖特等奖数量"))
    tia_first: Count = _num("国家技术发明奖一等奖数量", "个", form=form_words("获得国家技术发明奖一等奖数量"))
    tia_second: Count = _num("国家技术发明奖二等奖数量", "个", form=form_words("获得国家技术发明奖二等奖数量"))
    stp_special: Count = _num("国家科技进步奖特等奖数量", "个", form=form_words("获得国家科技进步奖特等奖数量"))
    stp_first: Count = _num("国家科技进步奖一等奖数量", "个", form=form_words("获得国家科技进步奖一等奖数量"))
    stp_second: Count = _num("国家科技进步奖二等奖数量", "个", form=form_words("获得国家科技进步奖二等奖数量"))
    provincial: Count = _num("省部级奖励数量", "个", form=form_words("获得省部级奖励数量"))
    weighted: Optional[float] = _num("科技奖励加权数量（填报值）", "个", derived=True)


class Standards(_Model):
    """重点领域标准供给情况."""

    international: Count = _num("制修订的国际标准数量", "个")
    national: Count = _num("制修订的国家标准数量", "个")
    industry: Count = _num("制修订的行业标准数量", "个")
    weighted: Optional[float] = _num("标准加权数量（填报值）", "个", derived=True)


class EnterpriseNarratives(_Model):
    scenario_innovation: str = _txt("重点领域场景创新情况", max_chars=2000, form=form_words(note=_DESCRIBE))
    business_model_innovation: str = _txt("重点领域商业模式创新情况", max_chars=2000, form=form_words(note=_DESCRIBE))
    governance: str = _txt("公司治理情况", max_chars=2000, form=form_words(note=_DESCRIBE))


class EnterpriseApplication(_ApplicationBase):
    """国家新兴产业发展示范基地创建申请书（示范企业），附件3."""

    type: Literal[ApplicantType.ENTERPRISE] = Field(default=ApplicantType.ENTERPRISE, title="申报类别")
    ai_kind: Optional[AiKind] = Field(
        default=None, title="企业类型（人工智能领域）",
        description="附件5：人工智能领域对创新型企业和应用型企业分别评价，工作方案只按所选类型的要点和共同要点评分；"
                    "仅人工智能领域的企业选择，其他领域不适用（不保存）",
        json_schema_extra=form_words(on_form=False))  # not a row of Annex 3: the tool's, to choose the points
    status: EnterpriseStatus = Field(default_factory=EnterpriseStatus, title="企业资格信息",
                                     json_schema_extra=form_words(on_form=False, rows_on_form=False))
    basic: EnterpriseBasic = Field(default_factory=EnterpriseBasic, title="企业基本信息")
    main: EnterpriseMain = Field(default_factory=EnterpriseMain, title="近三年主要经营指标")
    domain_ops: EnterpriseDomain = Field(default_factory=EnterpriseDomain, title="重点领域近三年经营情况",
                                         json_schema_extra=form_words(note="重点领域相关数据仅限于申报领域，下同"))
    rd: EnterpriseRD = Field(default_factory=EnterpriseRD, title="近三年研发投入情况")
    awards: Awards = Field(default_factory=Awards, title="重点领域重大技术突破情况")
    patents: Patents = Field(default_factory=Patents, title="重点领域知识产权创造情况",
                             json_schema_extra=form_words(note="仅统计作为第一完成单位的专利"))
    standards: Standards = Field(default_factory=Standards, title="重点领域标准供给情况")
    talent: Talent = Field(default_factory=Talent, title="重点领域人才集聚情况")
    narratives: EnterpriseNarratives = Field(default_factory=EnterpriseNarratives, title="场景创新、商业模式创新及公司治理情况",
                                             json_schema_extra=form_words(on_form=False))  # three headings of the form
    award_entries: list[AwardEntry] = Field(
        default_factory=list, max_length=MAX_RANKED, title="科技奖励清单",
        description="附件清单第3项：获国家级和省部级科技奖励情况需要明确企业在所有参与单位中的排序")
    standard_entries: list[StandardEntry] = Field(
        default_factory=list, max_length=MAX_RANKED, title="标准清单",
        description="附件清单第5项：标准制修订情况需要明确企业在所有参与单位中的排序")

    @field_validator("ai_kind", mode="before")
    @classmethod
    def _parse_ai_kind(cls, v: Any) -> Any:
        return None if v in ("", None) else _lenient(AiKind, v)

    @model_validator(mode="after")
    def _ai_kind_only_for_ai(self) -> "EnterpriseApplication":
        """The kind means nothing outside 人工智能: it is cleared, not refused, so that a change of domain (or a file
        from elsewhere) never fails on a field the applicant of another domain does not see. Set in ``__dict__``:
        assigning would validate again."""
        if self.ai_kind is not None and self.domain is not Domain.AI:
            self.__dict__["ai_kind"] = None
        return self

    @property
    def display_name(self) -> str:
        return self.basic.name or self.applicant_name


Application = Annotated[Union[ParkApplication, EnterpriseApplication], Field(discriminator="type")]
APPLICATION_ADAPTER: TypeAdapter[ParkApplication | EnterpriseApplication] = TypeAdapter(Application)

AnyApplication = Union[ParkApplication, EnterpriseApplication]


def parse_application(data: dict[str, Any]) -> AnyApplication:
    """Validate a dict (e.g. loaded JSON) into a park or enterprise application.

    The type may be given by its Chinese name (``示范园区``), like the domain and the city."""
    t = data.get("type") if isinstance(data, dict) else None
    if isinstance(t, str) and t not in ("park", "enterprise"):
        try:
            data = {**data, "type": ApplicantType.parse(t).value}
        except ValueError:
            pass  # left for the discriminator to reject with its own message
    return APPLICATION_ADAPTER.validate_python(data)


def parse_application_json(text: str | bytes) -> AnyApplication:
    return APPLICATION_ADAPTER.validate_json(text)


def new_application(app_type: ApplicantType | str, domain: Domain | str) -> AnyApplication:
    t = ApplicantType.parse(app_type)
    d = Domain.parse(domain)
    if t is ApplicantType.PARK:
        return ParkApplication(domain=d)
    return EnterpriseApplication(domain=d)


def application_json_schema() -> dict[str, Any]:
    return APPLICATION_ADAPTER.json_schema()


def dump_application(app: AnyApplication) -> dict[str, Any]:
    """JSON-ready dict with enums as ids."""
    return app.model_dump(mode="json")


def narrative_items(app: AnyApplication) -> dict[str, tuple[str, str]]:
    """The form's narrative items: key -> (Chinese title, text)."""
    n = app.narratives
    return {k: (f.title or k, getattr(n, k)) for k, f in type(n).model_fields.items()}


def work_plan_sections(app: AnyApplication) -> dict[str, str]:
    return app.work_plan.model_dump()
