"""四、推荐单位意见 written on 遴选排序: one opinion (text and date) per candidate, saved with the batch
(:mod:`scoring.store.batches`), and the candidate's Word 申请书 with it printed in section 四.

The opinion written in the batch wins over one the candidate's file already carried (a 申请书 exported earlier with
an opinion); an opinion emptied in the batch prints the blank section again.
"""

from __future__ import annotations

import copy
from typing import Any, Mapping, Optional

from ..application.attachments import RecommenderOpinion
from ..application.models import AnyApplication, parse_application

MAX_OPINION_CHARS = 2000


def opinion_of(cid: str, opinions: Mapping[str, RecommenderOpinion],
               app_json: Optional[Mapping[str, Any]] = None) -> RecommenderOpinion:
    """The opinion on a candidate: the batch's, else the one its file carried, else blank."""
    if cid in opinions:
        return opinions[cid]
    raw = (app_json or {}).get("recommender_opinion")
    if isinstance(raw, dict):
        try:
            return RecommenderOpinion.model_validate(raw)
        except ValueError:
            pass
    return RecommenderOpinion()


def candidate_application(app_json: Mapping[str, Any], opinion: Optional[RecommenderOpinion]) -> AnyApplication:
    """The candidate's application (its JSON as saved with the batch) with ``opinion`` as its 推荐单位意见."""
    data = copy.deepcopy(dict(app_json))
    if opinion is not None:
        data["recommender_opinion"] = opinion.model_dump(mode="json")
    return parse_application(data)


def candidate_docx(app_json: Mapping[str, Any], opinion: Optional[RecommenderOpinion]) -> bytes:
    """The candidate's Word 申请书 with the 推荐单位意见 in section 四."""
    from ..formats.word import export_application_docx

    return export_application_docx(candidate_application(app_json, opinion))


__all__ = ["MAX_OPINION_CHARS", "candidate_application", "candidate_docx", "opinion_of"]
