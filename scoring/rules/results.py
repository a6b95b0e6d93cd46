"""Pydantic models of what the rules produce for one application: eligibility checks, consistency warnings,
typed-versus-computed mismatches, derived metrics and the indicator score with its breakdown (CLI --json prints
these inside the whole result)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

CheckStatus = Literal["满足", "不满足", "待确认"]


class EligibilityCheck(BaseModel):
    key: str
    title: str = Field(description="规则名称")
    status: CheckStatus
    message: str = Field(description="中文说明：为何满足/不满足/待确认")
    basis: str = Field(description="所依据的通知原文")
    ref: str = Field(description="出处，如“通知四（一）”")
    kind: Literal["硬性规则", "参考值"] = "硬性规则"
    fields: list[str] = Field(default_factory=list, description="涉及的字段（中文）")


class ConsistencyWarning(BaseModel):
    key: str
    message: str
    fields: list[str] = Field(default_factory=list)


class MismatchOut(BaseModel):
    key: str
    label: str
    typed: float
    computed: float
    unit: str
    message: str


class MetricOut(BaseModel):
    key: str
    label: str
    unit: str
    value: Optional[float]
    source: Literal["typed", "derived", "missing"]
    formula: str = ""
    missing_reason: str = ""
    estimate: bool = Field(default=False, description="是否为估算值：未填报时按分项估算（如按分类数量估算，未去重，为上限）")
    computed: Optional[float] = Field(default=None, description="以填报值为准的指标：按分项计算（估算）的值")
    upper_bound: bool = Field(default=False, description="计算值为上限：填报的去重数值不应高于它")
    parts: list[str] = Field(default_factory=list, description="计算所用分项的字段路径")
    computed_formula: str = Field(default="", description="以填报值为准的指标：估算值的口径和计算方法")


class IndicatorLine(BaseModel):
    key: str
    label: str
    metric: str
    value: Optional[float]
    unit: str
    rule: str = Field(description="评分规则（中文）")
    fraction: Optional[float] = Field(default=None, description="得分率 0–1")
    points: float = 0.0
    max_points: float = Field(description="本指标在 100 分中的分值（含重新分配）")
    basis: str
    source: str
    status: Literal["已评分", "缺数据", "不考查"]
    note: str = ""
    value_kind: Literal["填报", "计算", "估算", ""] = Field(
        default="", description="数值来源：填报（申请书填写的值）、计算（由分项计算）、估算（未填报，按分项估算）；无数值为空")


class DimensionScore(BaseModel):
    key: str
    label: str
    points: float
    max_points: float
    indicators: list[IndicatorLine]


class IndicatorScore(BaseModel):
    score: float = Field(description="指标得分 0–100（缺数据的指标记 0 分）")
    max_score: float = 100.0
    dimensions: list[DimensionScore]
    missing: list[str] = Field(default_factory=list, description="缺数据的指标（中文名称）")
    not_assessed: list[str] = Field(default_factory=list, description="不考查的指标及其分值去向")
    data_completeness: float = Field(description="有数据的指标分值占比 0–1")
    reference_share: float = Field(description="以参考值评分的分值占比 0–1")
    rubric_version: str = ""
