"""The learned coverage decision: a small logistic model over the features of :mod:`.features`, kept as data.

``p = σ(b + max_s (w_seg · x_s) + w_sec · x_sec)``: the best segment of the section's kind (``s``) plus what the
section as a whole says. The segment that gives the maximum is the evidence shown. The coefficients and the two
probability thresholds are plain numbers in ``rubrics/<pack>/coverage.yaml``, one set per encoder, written by
``python -m scoring calibrate``; nothing is pickled.

已覆盖 leans to precision: its threshold is chosen, in cross-validation on real text, as the lowest that keeps
precision at the target (a false 已覆盖 makes an applicant drop a point the reviewers look for; a false 未覆盖 only
costs a re-read). Between the two thresholds a point is 部分覆盖 — 请人工核对. A segment of the wrong kind for the
section, evidence without the specifics a point needs, or a section rule on the same thing that finds nothing, keep a
point at 部分覆盖 at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .features import SECTION_FEATURES, SEGMENT_FEATURES, PointFeatures

Status = Literal["已覆盖", "部分覆盖", "未覆盖"]
STATUSES: tuple[Status, Status, Status] = ("已覆盖", "部分覆盖", "未覆盖")


class Figures(BaseModel):
    """Precision, recall and F1 of 已覆盖 on real text, cross-validated (never on the texts it was fitted on)."""

    model_config = ConfigDict(extra="forbid")
    precision: float
    recall: float
    f1: float
    auc: float
    n: int = Field(description="judgements (passage × point)")


class CoverageModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intercept: float
    segment: dict[str, float] = Field(description="weights of the segment features")
    section: dict[str, float] = Field(description="weights of the section features")
    covered: float = Field(gt=0, lt=1, description="probability from which a general point is 已覆盖")
    covered_domain: Optional[float] = Field(default=None, gt=0, lt=1,
                                            description="the same for a domain-specific point (default: covered)")
    partial: float = Field(gt=0, lt=1, description="probability from which a point is 部分覆盖")
    calibrated: str = Field(default="", description="how and on what the values were set")
    figures: dict[str, Figures] = Field(default_factory=dict,
                                        description="cross-validated figures on real text: domain / general / all")

    @model_validator(mode="after")
    def _check(self) -> "CoverageModel":
        missing = [f for f in SEGMENT_FEATURES if f not in self.segment] + \
                  [f for f in SECTION_FEATURES if f not in self.section]
        if missing:
            raise ValueError(f"缺少特征权重：{'、'.join(missing)}")
        if self.partial > min(self.covered, self.covered_domain or self.covered):
            raise ValueError("partial 阈值不应高于 covered 阈值")
        return self

    def covered_for(self, domain_point: bool) -> float:
        return self.covered_domain if domain_point and self.covered_domain is not None else self.covered

    def segment_weights(self) -> np.ndarray:
        return np.array([self.segment[f] for f in SEGMENT_FEATURES], dtype=np.float64)

    def section_weights(self) -> np.ndarray:
        return np.array([self.section[f] for f in SECTION_FEATURES], dtype=np.float64)

    @classmethod
    def from_vector(cls, w: np.ndarray, b: float, covered: float, partial: float,
                    covered_domain: Optional[float] = None, **kw: object) -> "CoverageModel":
        ns = len(SEGMENT_FEATURES)
        return cls(intercept=round(float(b), 4),
                   segment={f: round(float(x), 4) for f, x in zip(SEGMENT_FEATURES, w[:ns])},
                   section={f: round(float(x), 4) for f, x in zip(SECTION_FEATURES, w[ns:])},
                   covered=round(float(covered), 4), partial=round(float(partial), 4),
                   covered_domain=None if covered_domain is None else round(float(covered_domain), 4),
                   **kw)  # type: ignore[arg-type]


def _sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0))))


@dataclass(frozen=True)
class Verdict:
    status: Status
    probability: float = 0.0  # the score shown: a higher score means more likely covered
    evidence: Optional[int] = None  # index of the segment that earned the verdict
    ranked: tuple[int, ...] = ()  # segments by score, best first
    cap: str = ""  # why the point is held at 部分覆盖 although its probability reaches 已覆盖


def decide(f: PointFeatures, model: CoverageModel, needs_specifics: bool = False,
           rule_found_nothing: bool = False) -> Verdict:
    """The verdict on one point from its features (see the module docstring)."""
    if len(f.segment_rows) == 0:
        return Verdict("未覆盖")
    w_seg = model.segment_weights()
    seg = f.segment_rows @ w_seg
    order = tuple(int(i) for i in np.argsort(-seg, kind="stable"))
    k = choose_segment(f, w_seg)
    p = _sigmoid(model.intercept + float(f.section_row @ model.section_weights()) + float(seg[k]))
    cap = ""
    if not f.fits[k]:
        cap = "证据句不是本章需要的类型"
    elif needs_specifics and not f.specific[k]:
        cap = "证据句缺少具体数字或名称"
    elif rule_found_nothing:
        cap = "同一内容的章节规则未找到相应表述"
    covered = model.covered_for(bool(f.section_row[-1]))
    if p >= covered and not cap:
        status: Status = "已覆盖"
    elif p >= model.partial:
        status = "部分覆盖"
        p = min(p, covered - 1e-4)
    else:
        status = "未覆盖"
    return Verdict(status, round(p, 4), k, order, cap if p >= model.partial else "")


def fit_vectors(f: PointFeatures, k: int) -> np.ndarray:
    """The row a model is fitted on: the chosen segment's features, then the section's."""
    return np.concatenate([f.segment_rows[k], f.section_row])


def choose_segment(f: PointFeatures, w_seg: Optional[np.ndarray]) -> int:
    """The evidence segment under the weights ``w_seg`` (or, before any fit, under probe similarity + cues)."""
    rows = f.segment_rows
    score = rows[:, 0] + 0.3 * rows[:, 2] if w_seg is None else rows @ w_seg
    cand = np.where(f.fits)[0]
    if len(cand) == 0:
        cand = np.arange(len(rows))
    return int(cand[np.argmax(score[cand])])
