"""The result of scoring one whole application (CLI ``score --json`` prints it): a summary of the applicant and
every part — eligibility, consistency, indicator score, narrative score and total."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from ..narrative.workplan import NarrativeResult, TotalScore
from ..rules.results import ConsistencyWarning, EligibilityCheck, IndicatorScore, MismatchOut


class Summary(BaseModel):
    type: str
    type_label: str
    domain: str
    domain_label: str
    name: str
    applicant_name: str
    city: Optional[str] = None
    city_label: Optional[str] = None
    is_sample: bool = False


class ScoreResult(BaseModel):
    summary: Summary
    eligible: Optional[bool] = Field(description="硬性规则：True 全部满足；False 有不满足；None 有待确认且无不满足（参考值条件不影响此项）")
    eligibility: list[EligibilityCheck]
    consistency: list[ConsistencyWarning]
    mismatches: list[MismatchOut]
    indicator: IndicatorScore
    narrative: Optional["NarrativeResult"] = None
    total: Optional["TotalScore"] = None
