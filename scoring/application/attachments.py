"""Parts of the Annex 2/3 forms after the work plan: 三、附件清单 and 四、推荐单位意见.

- :class:`MaterialEntry`: the applicant's word on one item of 三、附件清单 — 已附 / 尚未附 / 不适用, with a note (the
  attachment's file name, or why it does not apply). Which items there are is the rule pack's
  (``rubrics/<pack>/materials.yaml``, :mod:`scoring.programme.materials`); the application keeps them by id, so an
  id of another pack is kept as it is.
- :class:`AwardEntry`, :class:`StandardEntry`: Annex 3 asks for the lists of awards and standards behind the counts of
  重点领域重大技术突破情况 / 标准供给情况, "需要明确企业在所有参与单位中的排序": each entry holds the enterprise's place
  (第 rank 位) among all participants (共 participants 家); a place after the last is refused in Chinese.
- :class:`RecommenderOpinion`: 四、推荐单位意见, written by the 推荐单位 (on 遴选排序), never by the applicant.

Used by :mod:`scoring.application.models`; the same cleaning of text as every part of the models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .clean import check_value

MaterialStatus = Literal["attached", "pending", "not_applicable"]
MATERIAL_STATUS_LABELS: dict[str, str] = {"attached": "已附", "pending": "尚未附", "not_applicable": "不适用"}
"""The statuses of a checklist item, in the order the form offers them; an item not set is 尚未附."""
MAX_MATERIALS = 60
"""At most this many checklist entries in one application (the pack lists eight per form)."""
MAX_RANKED = 50
"""At most this many awards / standards listed."""
RANK_CAP = 10_000

AWARD_KINDS: dict[str, str] = {
    "nsa_special": "国家自然科学奖特等奖", "nsa_first": "国家自然科学奖一等奖", "nsa_second": "国家自然科学奖二等奖",
    "tia_special": "国家技术发明奖特等奖", "tia_first": "国家技术发明奖一等奖", "tia_second": "国家技术发明奖二等奖",
    "stp_special": "国家科技进步奖特等奖", "stp_first": "国家科技进步奖一等奖", "stp_second": "国家科技进步奖二等奖",
    "provincial": "省部级奖励",
}
"""Award kinds: the count fields of ``Awards`` (重点领域重大技术突破情况) and their names."""
STANDARD_KINDS: dict[str, str] = {"international": "国际标准", "national": "国家标准", "industry": "行业标准"}
"""Standard kinds: the count fields of ``Standards`` (重点领域标准供给情况) and their names."""
AwardKind = Literal["nsa_special", "nsa_first", "nsa_second", "tia_special", "tia_first", "tia_second",
                    "stp_special", "stp_first", "stp_second", "provincial"]
StandardKind = Literal["international", "national", "industry"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=False,
                              allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, v: Any, info: ValidationInfo) -> Any:
        return check_value(v, info.field_name or "")


def _from_label(labels: dict[str, str], v: Any, what: str, *, empty: Any = None) -> Any:
    """The id of a choice given by id or by its Chinese name; an unknown text is refused with the choices."""
    if not isinstance(v, str):
        return v
    t = v.strip()
    if not t:
        return empty
    if t in labels:
        return t
    for key, label in labels.items():
        if t == label:
            return key
    raise ValueError(f"{what}“{t}”无效，应为：" + "、".join(labels.values()))


class MaterialEntry(_Part):
    """One item of 三、附件清单."""

    status: MaterialStatus = Field(default="pending", title="状态", description="已附 / 尚未附 / 不适用")
    note: str = Field(default="", max_length=500, title="说明", description="附件的文件名，或不适用的理由")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> Any:
        return _from_label(MATERIAL_STATUS_LABELS, v, "状态", empty="pending")

    @property
    def status_label(self) -> str:
        return MATERIAL_STATUS_LABELS[self.status]


def _check_rank(rank: Optional[int], participants: Optional[int]) -> None:
    if rank is not None and participants is not None and rank > participants:
        raise ValueError(f"本企业排序（第 {rank} 位）不能大于参与单位总数（共 {participants} 家）")


def rank_text(rank: Optional[int], participants: Optional[int]) -> str:
    """``第 2 / 共 5 家``; what is missing is shown as ？ (``第 ？ / 共 5 家``); nothing typed is ``未填``."""
    if rank is None and participants is None:
        return "未填"
    return f"第 {rank if rank is not None else '？'} / 共 {participants if participants is not None else '？'} 家"


class _Ranked(_Part):
    """An award or standard with the enterprise's place among all participants (附件3: 需要明确企业在所有参与单位中的排序)."""

    rank: Optional[int] = Field(default=None, ge=1, le=RANK_CAP, title="本企业排序",
                                description="本企业在所有参与单位中排第几")
    participants: Optional[int] = Field(default=None, ge=1, le=RANK_CAP, title="参与单位总数")

    @model_validator(mode="after")
    def _rank_within(self) -> "_Ranked":
        _check_rank(self.rank, self.participants)
        return self

    @property
    def rank_text(self) -> str:
        return rank_text(self.rank, self.participants)

    @property
    def rank_complete(self) -> bool:
        return self.rank is not None and self.participants is not None


class AwardEntry(_Ranked):
    """One national or provincial science and technology award (附件清单第3项)."""

    name: str = Field(default="", max_length=200, title="奖励项目名称")
    kind: Optional[AwardKind] = Field(default=None, title="奖励类别及等级")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Any:
        return _from_label(AWARD_KINDS, v, "奖励类别")

    @property
    def kind_label(self) -> str:
        return AWARD_KINDS.get(self.kind or "", "")


class StandardEntry(_Ranked):
    """One international, national or industry standard drafted or revised (附件清单第5项)."""

    name: str = Field(default="", max_length=200, title="标准名称及编号")
    kind: Optional[StandardKind] = Field(default=None, title="标准类别")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Any:
        return _from_label(STANDARD_KINDS, v, "标准类别")

    @property
    def kind_label(self) -> str:
        return STANDARD_KINDS.get(self.kind or "", "")


class RecommenderOpinion(_Part):
    """四、推荐单位意见."""

    text: str = Field(default="", max_length=2000, title="推荐意见")
    date: Optional[dt.date] = Field(default=None, title="日期")

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and self.date is None

    @property
    def date_text(self) -> str:
        """``2026 年 3 月 30 日`` (blank spaces when not dated, as the form prints it)."""
        d = self.date
        return f"{d.year} 年 {d.month} 月 {d.day} 日" if d else "　　　　年　　月　　日"


__all__ = ["AWARD_KINDS", "MATERIAL_STATUS_LABELS", "MAX_MATERIALS", "MAX_RANKED", "STANDARD_KINDS", "AwardEntry",
           "MaterialEntry", "RecommenderOpinion", "StandardEntry", "rank_text"]
