"""Loading the programme's content from the rule pack in use (YAML under ``rubrics/<pack>/``), validated by pydantic.

Each rubric item carries a ``basis``: 官方 (quoted from the notice, ``source`` cites Annex and text) or 参考值
(our provisional value, ``source`` names the analogous scheme of ``shared/reference/programme-notes.md``).
Changing a weight or threshold means editing the YAML file only. Which folder is read is decided by
:func:`scoring.programme.packs.rubric_dir` (the chosen pack, ``SFJD_RUBRIC_DIR``, or the default pack).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..application.ids import ApplicantType, Domain
from .packs import rubric_dir
from .yamlio import RubricError, read_yaml  # noqa: F401 (re-exported: every loader imports them from here)

_M = TypeVar("_M", bound=BaseModel)
Basis = Literal["官方", "参考值", "假设"]


class _R(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Band(_R):
    min: float = Field(description="value >= min earns the fraction")
    fraction: float = Field(ge=0, le=1)


class Rule(_R):
    """How a metric value becomes a fraction of the indicator's points.

    linear: 0 at or below ``floor``, 1 at or above ``target`` (reversed when ``target < floor``), linear between.
    banded: the fraction of the highest band whose ``min`` the value reaches (0 below every band).
    """

    kind: Literal["linear", "banded"]
    floor: Optional[float] = None
    target: Optional[float] = None
    bands: list[Band] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> "Rule":
        if self.kind == "linear" and (self.floor is None or self.target is None or self.floor == self.target):
            raise ValueError("linear 规则需要不同的 floor 和 target")
        if self.kind == "banded" and not self.bands:
            raise ValueError("banded 规则需要 bands")
        return self

    def fraction(self, value: float) -> float:
        if self.kind == "linear":
            assert self.floor is not None and self.target is not None
            f = (value - self.floor) / (self.target - self.floor)
            return max(0.0, min(1.0, f))
        best = 0.0
        for b in sorted(self.bands, key=lambda b: b.min):
            if value >= b.min:
                best = b.fraction
        return best

    def describe(self, unit: str = "") -> str:
        if self.kind == "linear":
            return f"线性：{_n(self.floor)}{unit} 得 0 分，{_n(self.target)}{unit} 及以上得满分"
        parts = [f"≥{_n(b.min)}{unit} 得 {round(b.fraction * 100)}%" for b in sorted(self.bands, key=lambda b: b.min)]
        return "分档：" + "；".join(parts)


def _n(v: Optional[float]) -> str:
    if v is None:
        return "—"
    return f"{int(v)}" if float(v).is_integer() else f"{v:g}"


class Indicator(_R):
    key: str
    label: str
    metric: str = Field(description="key of a metric of scoring.application.derived (e.g. lead.revenue.avg)")
    unit: str = ""
    weight: float = Field(ge=0, description="relative weight within its dimension")
    rule: Rule
    basis: Basis
    source: str = Field(description="quote of the notice (官方) or the analogous scheme (参考值)")
    not_for: list[Domain] = Field(default_factory=list,
                                  description="domains where the indicator is not assessed; its weight is redistributed")


class Dimension(_R):
    key: str
    label: str
    weight: float = Field(ge=0, description="share of the 100-point indicator score")
    source: str = ""
    indicators: list[Indicator]


class WeightedCount(_R):
    label: str
    basis: Basis
    source: str
    weights: dict[str, float]


class BasicCondition(_R):
    """A 创建基本条件 threshold. Official values are not public, so these are 参考值 checks."""

    key: str
    label: str
    metric: str
    op: Literal[">=", "<=", ">", "<"]
    value: float
    unit: str = ""
    basis: Basis
    source: str
    not_for: list[Domain] = Field(default_factory=list)


class IndicatorRubric(_R):
    type: ApplicantType
    version: str
    title: str
    note: str = ""
    tolerance: dict[str, float] = Field(default_factory=lambda: {"abs": 0.05, "rel": 0.01})
    weighted_counts: dict[str, WeightedCount]
    dimensions: list[Dimension]
    basic_conditions: list[BasicCondition] = Field(default_factory=list)

    @property
    def weights(self) -> dict[str, dict[str, float]]:
        return {k: dict(v.weights) for k, v in self.weighted_counts.items()}


@lru_cache(maxsize=32)
def _load_indicator_rubric(path: str, mtime: float) -> IndicatorRubric:
    data = read_yaml(Path(path))
    try:
        return IndicatorRubric.model_validate(data)
    except ValidationError as e:
        raise RubricError(f"规则文件内容有误：{path}\n{e}") from e


def indicator_rubric_path(app_type: ApplicantType | str, directory: Path | None = None) -> Path:
    t = ApplicantType.parse(app_type)
    return (directory or rubric_dir()) / "indicators" / f"{t.value}.yaml"


def load_indicator_rubric(app_type: ApplicantType | str, path: Path | str | None = None) -> IndicatorRubric:
    """The indicator rubric of a type (cached; re-read when the file changes)."""
    p = Path(path) if path else indicator_rubric_path(app_type)
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到规则文件：{p}") from e
    return _load_indicator_rubric(str(p), mtime)


@lru_cache(maxsize=64)
def _cached_model(path: str, mtime: float, cls: type[BaseModel], what: str) -> BaseModel:
    try:
        return cls.model_validate(read_yaml(Path(path)))
    except ValidationError as e:
        raise RubricError(f"{what}内容有误：{path}\n{e}") from e


def load_rubric_model(path: Path, cls: type[_M], what: str) -> _M:
    """Validate a YAML rubric file into ``cls``, cached by path and modification time (an edit is re-read)."""
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到{what}：{path}") from e
    return _cached_model(str(path), mtime, cls, what)  # type: ignore[return-value]
