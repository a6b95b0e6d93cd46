"""Evaluation points of the work plan (Annex 4 parks, Annex 5 enterprises) loaded from ``rubrics/<pack>/points/``.

Each point has an id ``{type}.{domain|general}.{section}.{key}``, its section, its verbatim wording from the seed
(``source``), our probes (concrete evidence sentences) and lexical cues.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..application.ids import ApplicantType, Domain, Section
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

    @property
    def is_general(self) -> bool:
        return self.domain == "general"

    @property
    def domain_label(self) -> str:
        return "通用要点" if self.is_general else Domain.parse(self.domain).label

    @model_validator(mode="after")
    def _check_id(self) -> "EvalPoint":
        parts = self.id.split(".")
        if len(parts) != 4 or parts[1] != self.domain or parts[2] != self.section.value:
            raise ValueError(f"要点编号 {self.id} 与其领域/章节不符")
        if self.domain != "general":
            Domain.parse(self.domain)
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
               directory: Optional[Path] = None) -> list[EvalPoint]:
    """General points plus the chosen domain's points, optionally for one section, in annex order."""
    d = Domain.parse(domain)
    sec = Section.parse(section) if section is not None else None
    return [p for p in load_points_file(app_type, directory).points
            if p.domain in ("general", d.value) and (sec is None or p.section is sec)]


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
