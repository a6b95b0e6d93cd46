"""Evaluation points of the work plan (Annex 4 parks, Annex 5 enterprises) loaded from ``rubrics/<pack>/points/``.

Each point has an id ``{type}.{domain|general}.{section}.{key}``, its section, its verbatim wording from the seed
(``source``), our probes (concrete evidence sentences) and lexical cues. A point the annex addresses to one kind of AI
enterprise only (“针对创新型企业，……”, “开源开放(创新型企业)”) lists that kind in ``kinds``; :func:`points_for` then
gives an enterprise of a known kind the common points and its own kind's, and one whose kind is not chosen (None)
every point of both kinds (each marked with its kind), so that not choosing never leaves a point out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..application.ids import AiKind, ApplicantType, Domain, Section
from .rubric import RubricError, read_yaml, rubric_dir


class EvalPoint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    domain: str = Field(description="general or a domain id")
    section: Section
    title: str
    source: str = Field(description="verbatim wording of the annex")
    note: str = Field(default="", description="the annex's own note on the point, verbatim (e.g. the classification "
                                              "catalogue it refers to)")
    ref: str = ""
    weight: float = Field(default=1.0, ge=0)
    probes: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    suggestion: str = ""
    kinds: tuple[AiKind, ...] = Field(default=(), description="the kinds of AI enterprise the annex addresses the "
                                                              "point to (创新型/应用型); empty: every enterprise")

    @field_validator("kinds", mode="before")
    @classmethod
    def _parse_kinds(cls, v: object) -> object:
        return tuple(AiKind.parse(x) for x in v) if isinstance(v, (list, tuple)) else v

    @property
    def is_general(self) -> bool:
        return self.domain == "general"

    @property
    def kind_label(self) -> str:
        """``创新型企业`` for a point of one kind of AI enterprise, else empty."""
        return "、".join(k.label for k in self.kinds)

    @property
    def domain_label(self) -> str:
        if self.is_general:
            return "通用要点"
        label = Domain.parse(self.domain).label
        return f"{label}（{self.kind_label}）" if self.kinds else label

    def applies_to(self, ai_kind: Optional[AiKind]) -> bool:
        """Whether an enterprise of this kind is judged on the point (kind not chosen: every point is)."""
        return ai_kind is None or not self.kinds or ai_kind in self.kinds

    @model_validator(mode="after")
    def _check_id(self) -> "EvalPoint":
        parts = self.id.split(".")
        if len(parts) != 4 or parts[1] != self.domain or parts[2] != self.section.value:
            raise ValueError(f"要点编号 {self.id} 与其领域/章节不符")
        if self.domain != "general":
            Domain.parse(self.domain)
        if self.kinds and self.domain != Domain.AI.value:
            raise ValueError(f"要点 {self.id}：只有人工智能领域的要点可以区分企业类型（kinds）")
        return self


class SoftwareTarget(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    source: str
    cues: tuple[str, ...] = ()


class PointsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: ApplicantType
    annex: str
    points: list[EvalPoint]

    @model_validator(mode="after")
    def _unique(self) -> "PointsFile":
        ids = [p.id for p in self.points]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"要点编号重复：{sorted(dup)}")
        for p in self.points:
            if not p.id.startswith(self.type.value + "."):
                raise ValueError(f"要点编号 {p.id} 与类别 {self.type.value} 不符")
            if p.kinds and self.type is not ApplicantType.ENTERPRISE:
                raise ValueError(f"要点 {p.id}：只有示范企业的要点可以区分企业类型（kinds）")
        return self


def _dir(directory: Optional[Path]) -> Path:
    return (directory or rubric_dir()) / "points"


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> PointsFile:
    try:
        return PointsFile.model_validate(read_yaml(Path(path)))
    except ValidationError as e:
        raise RubricError(f"评价要点文件内容有误：{path}\n{e}") from e


def load_points_file(app_type: ApplicantType | str, directory: Optional[Path] = None) -> PointsFile:
    t = ApplicantType.parse(app_type)
    p = _dir(directory) / f"{t.value}.yaml"
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到评价要点文件：{p}") from e
    return _load(str(p), mtime)


def points_for(app_type: ApplicantType | str, domain: Domain | str, section: Section | str | None = None,
               directory: Optional[Path] = None, ai_kind: AiKind | str | None = None) -> list[EvalPoint]:
    """General points plus the chosen domain's points, optionally for one section, in annex order.

    ``ai_kind`` (AI enterprises): the common points and that kind's only; None (not chosen) keeps both kinds'."""
    d = Domain.parse(domain)
    sec = Section.parse(section) if section is not None else None
    kind = AiKind.parse(ai_kind) if ai_kind else None
    return [p for p in load_points_file(app_type, directory).points
            if p.domain in ("general", d.value) and (sec is None or p.section is sec) and p.applies_to(kind)]


def kind_specific_points(app_type: ApplicantType | str, domain: Domain | str,
                         directory: Optional[Path] = None) -> list[EvalPoint]:
    """The domain's points addressed to one kind of enterprise only (empty when the domain has no kinds)."""
    return [p for p in points_for(app_type, domain, directory=directory) if p.kinds]


@lru_cache(maxsize=4)
def _load_targets(path: str, mtime: float) -> dict[str, list[SoftwareTarget]]:
    data = read_yaml(Path(path)) or {}
    try:
        return {k: [SoftwareTarget.model_validate(x) for x in v] for k, v in data.items()}
    except ValidationError as e:
        raise RubricError(f"软件领域目标指标文件内容有误：{path}\n{e}") from e


def software_targets(app_type: ApplicantType | str, directory: Optional[Path] = None) -> list[SoftwareTarget]:
    """The software domain's suggested target indicators (Annex 4/5, 二、总体思路, 软件：…包括但不限于…)."""
    t = ApplicantType.parse(app_type)
    p = _dir(directory) / "software_targets.yaml"
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到软件领域目标指标文件：{p}") from e
    return _load_targets(str(p), mtime).get(t.value, [])
