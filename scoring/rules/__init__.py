"""The rule-driven checks of one application: eligibility (hard rules of the notice), consistency warnings and
the indicator score, with the result models they produce."""

from .eligibility import check_eligibility, load_eligibility_rubric
from .consistency import check_consistency
from .indicators import metric_catalog, score_indicators
from .results import (CheckStatus, ConsistencyWarning, DimensionScore, EligibilityCheck, IndicatorLine, IndicatorScore,
                      MetricOut, MismatchOut)

__all__ = ["check_consistency", "check_eligibility", "CheckStatus", "ConsistencyWarning", "DimensionScore",
           "EligibilityCheck", "IndicatorLine", "IndicatorScore", "load_eligibility_rubric", "metric_catalog",
           "MetricOut", "MismatchOut", "score_indicators"]
