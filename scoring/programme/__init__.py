"""The programme's content as loaded from rubrics/: indicator rubrics and shared YAML loading, the evaluation
points of the work plan, and the cities' recommendation quotas."""

from .rubric import (Basis, Indicator, IndicatorRubric, RubricError, indicator_rubric_path, load_indicator_rubric,
                     load_rubric_model, read_yaml, rubric_dir)
from .points import EvalPoint, load_points_file, points_for
from .quotas import QuotaRubric, RankingRubric, load_quotas, load_ranking_rubric, quota_state

__all__ = ["Basis", "EvalPoint", "Indicator", "indicator_rubric_path", "IndicatorRubric", "load_indicator_rubric",
           "load_points_file", "load_quotas", "load_ranking_rubric", "load_rubric_model", "points_for",
           "quota_state", "QuotaRubric", "RankingRubric", "read_yaml", "rubric_dir", "RubricError"]
