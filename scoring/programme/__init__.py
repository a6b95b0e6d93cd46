"""The programme's content as loaded from a rule pack (``rubrics/<pack>/``): the packs themselves and the active one
(``packs``), the call's filing rules and the days left (``filing``), indicator rubrics and shared YAML loading, the
evaluation points of the work plan, and the cities' recommendation quotas."""

from .packs import (PackInfo, PackNotFound, activate, active_pack, chosen_pack, default_pack, get_pack, list_packs,
                    pack_key, today_date, use_pack)
from .filing import FilingRules, filing_rules
from .rubric import (Basis, Indicator, IndicatorRubric, RubricError, indicator_rubric_path, load_indicator_rubric,
                     load_rubric_model, read_yaml, rubric_dir)
from .points import EvalPoint, load_points_file, points_for
from .quotas import QuotaRubric, RankingRubric, load_quotas, load_ranking_rubric, quota_state

__all__ = ["activate", "active_pack", "Basis", "chosen_pack", "default_pack", "EvalPoint", "filing_rules",
           "FilingRules", "get_pack", "Indicator",
           "indicator_rubric_path", "IndicatorRubric", "list_packs", "load_indicator_rubric", "load_points_file",
           "load_quotas", "load_ranking_rubric", "load_rubric_model", "pack_key", "PackInfo", "PackNotFound",
           "points_for", "quota_state", "QuotaRubric", "RankingRubric", "read_yaml", "rubric_dir", "RubricError",
           "today_date", "use_pack"]
