"""Indicator score (0–100) driven entirely by the rubric file.

Nothing here knows a weight or a threshold: dimensions, indicators, weights, rules and exclusions come from
``rubrics/<pack>/indicators/<type>.yaml`` (:class:`scoring.programme.rubric.IndicatorRubric`).

* A dimension's ``weight`` is its share of 100 points (normalised: weights that do not sum to 100 are scaled).
* An indicator's max points = dimension points × indicator weight ÷ Σ weights of the *assessed* indicators of the
  dimension. An indicator whose ``not_for`` lists the application's domain is 不考查: 0 max points, and its share goes
  to the other indicators of the same dimension in proportion to their weights (the total stays 100).
* A metric without a value is 缺数据: 0 points, listed in ``missing`` with the reason; never scored as a silent zero.
* A metric is scored on its value: for the 「加权数量」 counted without double counting and 智能工厂占比 that is the
  typed value, and the computed one only when nothing is typed (``value_kind`` 估算, said in the note).
* Points are kept unrounded while summing; only the output is rounded to 2 decimals, by largest remainders so that
  the displayed indicator points add up to the displayed dimension points and those to the displayed total.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Optional

from ..application.derived import DerivedResult, Metric, compute_derived, fmt
from ..application.ids import ApplicantType, Domain
from ..application.models import AnyApplication, new_application
from .results import DimensionScore, IndicatorLine, IndicatorScore
from ..programme.rubric import Dimension, Indicator, IndicatorRubric, RubricError

TOTAL_POINTS = 100.0
OFFICIAL = "官方"


@dataclass
class _Line:
    ind: Indicator
    metric: Metric
    status: str
    max_points: float
    points: float
    fraction: Optional[float]
    note: str


def _assessed(ind: Indicator, domain: Domain) -> bool:
    return domain not in ind.not_for


def _round_parts(values: list[float], total: float, digits: int = 2,
                 caps: Optional[list[float]] = None) -> list[float]:
    """Round ``values`` to ``digits`` so that they add up to ``total`` rounded (largest-remainder method).

    ``caps`` (the rounded maxima of the same parts) are never exceeded: points never show above their maximum.
    """
    scale = 10 ** digits
    target = round(total * scale)
    floors = [math.floor(v * scale + 1e-9) for v in values]
    remainders = [v * scale - f for v, f in zip(values, floors)]
    extra = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: remainders[i], reverse=True)
    if caps is not None:
        order = [i for i in order if floors[i] + 1 <= round(caps[i] * scale)]
    for i in order[:max(0, extra)]:
        floors[i] += 1
    return [f / scale for f in floors]


def _value_kind(m: Metric) -> str:
    if m.value is None:
        return ""
    if m.estimate:
        return "估算"
    return "填报" if m.source == "typed" else "计算"


def _metric(derived: DerivedResult, ind: Indicator, rubric: IndicatorRubric) -> Metric:
    m = derived.metrics.get(ind.metric)
    if m is None:
        raise RubricError(f"规则文件（{rubric.title}）中的指标“{ind.label}”引用了不存在的数据项“{ind.metric}”")
    return m


def _dimension_lines(dim: Dimension, dim_points: float, app: AnyApplication, derived: DerivedResult,
                     rubric: IndicatorRubric, not_assessed: list[str]) -> list[_Line]:
    domain = app.domain
    t = ApplicantType.parse(app.type)
    w_all = sum(i.weight for i in dim.indicators)
    w_active = sum(i.weight for i in dim.indicators if _assessed(i, domain))
    lines: list[_Line] = []
    for ind in dim.indicators:
        m = _metric(derived, ind, rubric)
        if not _assessed(ind, domain):
            lines.append(_Line(ind, m, "不考查", 0.0, 0.0, None, f"{domain.label}领域{t.short}不考查本指标"))
            continue
        mx = dim_points * ind.weight / w_active if w_active > 0 else 0.0
        if m.value is None:
            reason = m.missing_reason or "缺少数据"
            lines.append(_Line(ind, m, "缺数据", mx, 0.0, None, reason))
            continue
        frac = ind.rule.fraction(m.value)
        # a typed value says what it was compared with; an estimate says that it is one (and how it was made)
        note = m.formula if (m.source == "typed" or m.estimate) and m.formula else ""
        lines.append(_Line(ind, m, "已评分", mx, mx * frac, frac, note))

    # where the points of the excluded indicators went
    excluded = [i for i in dim.indicators if not _assessed(i, domain)]
    if excluded and w_all > 0:
        for ind in excluded:
            nominal = dim_points * ind.weight / w_all
            if w_active > 0:
                gains = "、".join(
                    f"{ln.ind.label} +{fmt(nominal * ln.ind.weight / w_active)}"
                    for ln in lines if ln.status != "不考查")
                dest = f"按权重并入“{dim.label}”其他指标（{gains}）"
            else:
                dest = f"“{dim.label}”无其他可考查指标，该部分分值无法分配"
            not_assessed.append(f"{ind.label}：{domain.label}领域{t.short}不考查，原 {fmt(nominal)} 分{dest}")
    return lines


def score_indicators(app: AnyApplication, derived: DerivedResult, rubric: IndicatorRubric) -> IndicatorScore:
    """Score the form's quantitative indicators against the rubric (0–100)."""
    t = ApplicantType.parse(app.type)
    if rubric.type is not t:
        raise RubricError(f"规则文件类型为“{rubric.type.label}”，与申报类别“{t.label}”不一致")
    w_dims = sum(d.weight for d in rubric.dimensions)
    missing: list[str] = []
    not_assessed: list[str] = []
    per_dim: list[tuple[Dimension, float, list[_Line]]] = []
    for dim in rubric.dimensions:
        dim_points = TOTAL_POINTS * dim.weight / w_dims if w_dims > 0 else 0.0
        lines = _dimension_lines(dim, dim_points, app, derived, rubric, not_assessed)
        per_dim.append((dim, dim_points, lines))
        for ln in lines:
            if ln.status == "缺数据":
                missing.append(f"{dim.label} › {ln.ind.label}（{ln.note}）")

    all_lines = [ln for _, _, ls in per_dim for ln in ls]
    total = sum(ln.points for ln in all_lines)
    scored_max = sum(ln.max_points for ln in all_lines if ln.status == "已评分")
    reference_max = sum(ln.max_points for ln in all_lines if ln.ind.basis != OFFICIAL)

    # display rounding, consistent at every level
    dim_max = _round_parts([sum(ln.max_points for ln in ls) for _, _, ls in per_dim],
                           sum(ln.max_points for ln in all_lines))
    dim_pts = _round_parts([sum(ln.points for ln in ls) for _, _, ls in per_dim], total, caps=dim_max)
    dims_out: list[DimensionScore] = []
    for (dim, _, lines), dp, dm in zip(per_dim, dim_pts, dim_max):
        mxs = _round_parts([ln.max_points for ln in lines], dm)
        pts = _round_parts([ln.points for ln in lines], dp, caps=mxs)
        out_lines = [
            IndicatorLine(
                key=ln.ind.key, label=ln.ind.label, metric=ln.ind.metric, value=ln.metric.value,
                unit=ln.ind.unit or ln.metric.unit, rule=ln.ind.rule.describe(ln.ind.unit or ln.metric.unit),
                fraction=None if ln.fraction is None else round(ln.fraction, 4), points=p, max_points=mx,
                basis=ln.ind.basis, source=ln.ind.source, status=ln.status, note=ln.note,  # type: ignore[arg-type]
                value_kind=_value_kind(ln.metric),
            )
            for ln, p, mx in zip(lines, pts, mxs)
        ]
        dims_out.append(DimensionScore(key=dim.key, label=dim.label, points=dp, max_points=dm, indicators=out_lines))

    return IndicatorScore(
        score=round(sum(dim_pts), 2),  # = total rounded, the same rounding as the dimensions
        max_score=TOTAL_POINTS,
        dimensions=dims_out,
        missing=missing,
        not_assessed=not_assessed,
        data_completeness=round(scored_max / TOTAL_POINTS, 4),
        reference_share=round(reference_max / TOTAL_POINTS, 4),
        rubric_version=rubric.version,
    )


# ---------------------------------------------------------------------------------------------------------------
# metric catalogue (for rubric authors and the UI)


def _empty_derived(app_type: ApplicantType | str) -> DerivedResult:
    app = new_application(app_type, Domain.AI)  # the metric set does not depend on the domain
    return compute_derived(app, defaultdict(dict))


def list_metric_keys(app_type: ApplicantType | str) -> list[str]:
    """Every metric key that :func:`scoring.application.derived.compute_derived` produces for a type (form order)."""
    return list(_empty_derived(app_type).metrics)


def metric_catalog(app_type: ApplicantType | str) -> dict[str, tuple[str, str]]:
    """metric key -> (Chinese label, unit), e.g. for choosing the metric of a rubric indicator."""
    return {k: (m.label, m.unit) for k, m in _empty_derived(app_type).metrics.items()}
