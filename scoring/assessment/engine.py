"""One entry point: score a whole application (eligibility, consistency, indicators; narrative in a later step)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..rules.consistency import check_consistency
from ..application.derived import DerivedResult, compute_derived
from ..rules.eligibility import check_eligibility
from ..narrative.encoders import Encoder, get_encoder
from ..application.ids import ApplicantType
from ..rules.indicators import score_indicators
from ..application.models import AnyApplication
from ..narrative.workplan import score_narrative, total_score
from ..rules.results import MetricOut, MismatchOut
from .result import ScoreResult, Summary
from ..programme.rubric import IndicatorRubric, load_indicator_rubric


def summary(app: AnyApplication) -> Summary:
    t = ApplicantType.parse(app.type)
    return Summary(
        type=t.value, type_label=t.label, domain=app.domain.value, domain_label=app.domain.label,
        name=app.display_name, applicant_name=app.applicant_name,
        city=app.city.value if app.city else None, city_label=app.city.label if app.city else None,
        is_sample=app.meta.is_sample,
    )


def derive(app: AnyApplication, rubric: Optional[IndicatorRubric] = None) -> DerivedResult:
    rubric = rubric or load_indicator_rubric(app.type)
    return compute_derived(app, rubric.weights, rubric.tolerance)


def metrics_out(derived: DerivedResult) -> list[MetricOut]:
    return [MetricOut(**vars(m)) for m in derived.metrics.values()]


def score_application(app: AnyApplication, rubric_path: Optional[Path] = None, encoder: Optional[Encoder] = None,
                      narrative: bool = True) -> ScoreResult:
    """Full result. The narrative part needs an encoder (default: ``get_encoder()``); ``narrative=False`` skips it."""
    rubric = load_indicator_rubric(app.type, rubric_path)
    derived = compute_derived(app, rubric.weights, rubric.tolerance)
    elig = check_eligibility(app, derived, rubric)
    # 参考值 thresholds (创建基本条件, official values not public) inform but never decide eligibility
    statuses = {c.status for c in elig if c.kind == "硬性规则"}
    eligible = False if "不满足" in statuses else (None if "待确认" in statuses else True)
    ind = score_indicators(app, derived, rubric)
    nar = tot = None
    if narrative:
        nar = score_narrative(app, encoder or get_encoder())
        tot = total_score(ind.score, nar.score)
    return ScoreResult(
        summary=summary(app),
        eligible=eligible,
        eligibility=elig,
        consistency=check_consistency(app, derived),
        mismatches=[MismatchOut(key=m.key, label=m.label, typed=m.typed, computed=m.computed, unit=m.unit,
                                message=m.message) for m in derived.mismatches],
        indicator=ind,
        narrative=nar,
        total=tot,
    )
