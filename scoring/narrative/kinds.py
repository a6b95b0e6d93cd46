"""What kind of statement a sentence is: a present result, a goal, a planned action, a milestone or a guarantee.

Each section of the work plan asks for its own kind of text (附件4/5): 发展基础 asks what exists now, 总体思路 what
the applicant aims at, 重点任务 what it will do, 进度安排 when and who, 保障措施 what guarantees it. A sentence on the
right topic but of the wrong kind ("到2027年建成…" read as 发展基础) does not answer the point. The markers are Chinese
words of tense, aspect and modality (已、累计、建成 against 将、力争、到2027年), dates and numbers with units.
The marker lists live in ``rubrics/<pack>/evidence.yaml`` so that a call with other habits of wording can change them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from ..programme.rubric import load_rubric_model, rubric_dir


class KindMarkers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    past: list[str] = Field(description="present state or past result: 已、累计、建成 …")
    goal: list[str] = Field(description="goal or target: 力争、目标、到…年 …")
    action: list[str] = Field(description="planned action: 推动、建设、实施 …")
    milestone: list[str] = Field(description="phases and deadlines: 第一阶段、年底前 …")
    owner: list[str] = Field(description="named responsibility: 牵头、责任单位 …")
    guarantee: list[str] = Field(description="organisational or factor guarantee: 领导小组、资金、用地 …")
    units: list[str] = Field(description="units that make a number a figure: 亿元、家、% …")
    present_year: int = Field(description="years up to this one are the past; later years are targets")


class Specifics(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sections: list[str] = Field(default_factory=list, description="sections whose points need a figure or a name")
    points: list[str] = Field(default_factory=list,
                              description="further points (id without the type, e.g. general.approach.quantified_targets)")


class EvidenceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = ""
    markers: KindMarkers
    needs_specifics: Specifics = Field(default_factory=Specifics)

    def point_needs_specifics(self, point_id: str, section: str) -> bool:
        """Whether 已覆盖 needs evidence with a figure or a name (otherwise it is at most 部分覆盖)."""
        return section in self.needs_specifics.sections or point_id.split(".", 1)[-1] in self.needs_specifics.points


def evidence_config_path(directory: Optional[Path] = None) -> Path:
    return (directory or rubric_dir()) / "evidence.yaml"


def load_evidence_config(path: Optional[Path] = None) -> EvidenceConfig:
    return load_rubric_model(path or evidence_config_path(), EvidenceConfig, "证据类型标记文件")


@dataclass(frozen=True)
class Kind:
    """Marker counts of one sentence (or window), and what they add up to."""

    past: int
    goal: int
    action: int
    milestone: int
    owner: int
    guarantee: int
    past_year: bool
    future_year: bool
    figure: bool  # a number with a unit
    named: bool  # a name in 《》 or “”

    @property
    def future(self) -> bool:
        return self.goal > 0 or self.future_year

    @property
    def specific(self) -> bool:
        return self.figure or self.named

    def fits(self, section: str) -> bool:
        """Whether the sentence is of the kind the section asks for (the gate for 已覆盖)."""
        if section == "basis":
            return not self.future and (self.action == 0 or self.past > 0 or self.past_year)
        if section == "approach":
            return self.future or self.goal > 0
        if section == "tasks":
            return (self.action > 0 or self.future) and not (self.past > 0 and not self.future and self.action == 0)
        if section == "schedule":
            return self.milestone > 0 or self.owner > 0 or self.future_year
        if section == "safeguards":
            return self.guarantee > 0
        return True

    def right(self, section: str) -> int:
        """Count of markers of the section's own kind."""
        return {"basis": self.past + int(self.past_year), "approach": self.goal + int(self.future_year),
                "tasks": self.action, "schedule": self.milestone + self.owner + int(self.future_year),
                "safeguards": self.guarantee}.get(section, 0)

    def wrong(self, section: str) -> int:
        """Count of markers of the opposite kind (a plan where a result is asked, and vice versa)."""
        if section == "basis":
            return self.goal + int(self.future_year)
        return self.past + int(self.past_year and not self.future_year)


class KindReader:
    """Reads the kind of a sentence with the configured markers (compiled once)."""

    def __init__(self, cfg: Optional[EvidenceConfig] = None) -> None:
        cfg = cfg or load_evidence_config()
        self.cfg = cfg
        m = cfg.markers
        self.present_year = m.present_year
        self._re = {name: re.compile("|".join(re.escape(w) for w in sorted(getattr(m, name), key=len, reverse=True)))
                    for name in ("past", "goal", "action", "milestone", "owner", "guarantee")}
        units = "|".join(re.escape(u) for u in sorted(m.units, key=len, reverse=True))
        self._figure = re.compile(rf"\d+(?:[.,]\d+)?\s*(?:{units})")
        self._year = re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*年")
        self._named = re.compile(r"《[^》]{2,40}》|“[^”]{2,30}”")

    def read(self, text: str) -> Kind:
        counts = {name: min(3, len(rx.findall(text))) for name, rx in self._re.items()}
        years = [int(y) for y in self._year.findall(text)]
        future_year = any(y > self.present_year for y in years) and bool(
            re.search(r"(到|至|在|于|力争|争取|预计)\s*(20\d\d)\s*年|(20\d\d)\s*年\s*(前|底前|以前|年底|末)", text)
            or counts["goal"] > 0)
        past_year = any(y <= self.present_year for y in years)
        cleaned = self._year.sub("", text)
        return Kind(past=counts["past"], goal=counts["goal"], action=counts["action"],
                    milestone=counts["milestone"], owner=counts["owner"], guarantee=counts["guarantee"],
                    past_year=past_year, future_year=future_year, figure=bool(self._figure.search(cleaned)),
                    named=bool(self._named.search(text)))


@lru_cache(maxsize=8)
def _reader(path: str, mtime: float) -> KindReader:
    return KindReader(load_evidence_config(Path(path)))


def kind_reader(path: Optional[str] = None) -> KindReader:
    """The reader of a markers file (default: the rule pack in use), compiled once per file and modification time,
    so that switching packs never reads with another pack's markers."""
    p = Path(path) if path else evidence_config_path()
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError:
        return KindReader(load_evidence_config(p))  # raises the loader's Chinese error
    return _reader(str(p), mtime)
