"""City quotas (通知三（二）) and the ranking settings, loaded from ``quotas.yaml`` and ``ranking.yaml`` of the rule
pack in use (``rubrics/<pack>/``).

Nothing here hard-codes a number: the quota of every city and type, the pre-selection when the notice sets no number,
the tie-break order (documentation), the proposal's conflict kinds and the robustness parameters are data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..application.ids import ApplicantType, City
from .rubric import Basis, RubricError, read_yaml, rubric_dir


class _Q(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TypeQuota(_Q):
    min: Optional[int] = Field(default=None, ge=0)
    max: Optional[int] = Field(default=None, ge=0)
    basis: Basis
    source: str
    no_cap_note: str = ""

    @model_validator(mode="after")
    def _check(self) -> "TypeQuota":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"名额下限 {self.min} 大于上限 {self.max}")
        return self

    @property
    def has_cap(self) -> bool:
        return self.max is not None

    def text(self, unit: str) -> str:
        """``1~2个``, ``至多3家``, ``不限数量``."""
        if self.max is None:
            return "未规定数量（择优推荐）"
        if self.min is None or self.min == 0:
            return f"至多{self.max}{unit}"
        if self.min == self.max:
            return f"{self.max}{unit}"
        return f"{self.min}~{self.max}{unit}"


class QuotaGroup(_Q):
    key: str
    label: str
    cities: list[City]
    park: TypeQuota
    enterprise: TypeQuota


class NoCapProposal(_Q):
    count: int = Field(ge=0)
    basis: Basis
    source: str


class QuotaRubric(_Q):
    version: str
    title: str
    source_document: str
    basis: str
    ref: str
    groups: list[QuotaGroup]
    proposal_when_no_cap: NoCapProposal
    recommenders: dict[City, str]

    @model_validator(mode="after")
    def _every_city_once(self) -> "QuotaRubric":
        seen: dict[City, str] = {}
        for g in self.groups:
            for c in g.cities:
                if c in seen:
                    raise ValueError(f"{c.label} 同时出现在名额组 {seen[c]} 和 {g.key}")
                seen[c] = g.key
        missing = [c.label for c in City if c not in seen]
        if missing:
            raise ValueError("以下设区市没有名额规定：" + "、".join(missing))
        return self

    def group_of(self, city: City) -> QuotaGroup:
        for g in self.groups:
            if city in g.cities:
                return g
        raise RubricError(f"名额规则中没有 {city.label}")  # unreachable after validation

    def quota(self, city: City | str, app_type: ApplicantType | str) -> TypeQuota:
        c = City.parse(city)
        t = ApplicantType.parse(app_type)
        g = self.group_of(c)  # type: ignore[arg-type]
        return g.park if t is ApplicantType.PARK else g.enterprise

    def recommender(self, city: City | str) -> str:
        c = City.parse(city)
        return self.recommenders.get(c, f"{c.label}工业和信息化局")  # type: ignore[call-overload]

    def proposal_size(self, city: City | str, app_type: ApplicantType | str) -> int:
        """How many candidates the proposal pre-selects: the quota's maximum, or the no-cap default."""
        q = self.quota(city, app_type)
        return q.max if q.max is not None else self.proposal_when_no_cap.count


class TieBreak(_Q):
    order: list[str]
    basis: Basis
    source: str


class ProposalRule(_Q):
    pool: str
    basis: Basis
    source: str
    skip_conflicts: list[str]
    skip_conflicts_source: str


class RobustnessCfg(_Q):
    spread: float = Field(gt=0, lt=1)
    draws: int = Field(ge=10, le=100_000)
    seed: int
    weights: list[str]
    basis: Basis
    source: str
    decided_share: float = Field(gt=0.5, le=1)
    decided_source: str


class RankingRubric(_Q):
    version: str
    tie_break: TieBreak
    proposal: ProposalRule
    robustness: RobustnessCfg


@lru_cache(maxsize=4)
def _load_quotas(path: str, mtime: float) -> QuotaRubric:
    try:
        return QuotaRubric.model_validate(read_yaml(Path(path)))
    except ValidationError as e:
        raise RubricError(f"名额规则文件内容有误：{path}\n{e}") from e


@lru_cache(maxsize=4)
def _load_ranking(path: str, mtime: float) -> RankingRubric:
    try:
        return RankingRubric.model_validate(read_yaml(Path(path)))
    except ValidationError as e:
        raise RubricError(f"排序规则文件内容有误：{path}\n{e}") from e


def _mtime(p: Path, what: str) -> float:
    try:
        return p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到{what}：{p}") from e


def load_quotas(path: Optional[Path] = None) -> QuotaRubric:
    p = path or (rubric_dir() / "quotas.yaml")
    return _load_quotas(str(p), _mtime(p, "名额规则文件"))


def load_ranking_rubric(path: Optional[Path] = None) -> RankingRubric:
    p = path or (rubric_dir() / "ranking.yaml")
    return _load_ranking(str(p), _mtime(p, "排序规则文件"))


QuotaState = Literal["符合", "低于下限", "超过上限", "未规定数量"]


def quota_state(count: int, q: TypeQuota) -> QuotaState:
    if q.max is None:
        return "未规定数量" if (q.min is None or count >= q.min) else "低于下限"
    if q.min is not None and count < q.min:
        return "低于下限"
    if count > q.max:
        return "超过上限"
    return "符合"
