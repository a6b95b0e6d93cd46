"""Coverage of evaluation points by an applicant's text.

Each point is judged on the text of its own section (发展基础 may also use the form's narrative items). The text is
cut into segments (unique sentences and two-sentence windows, :mod:`.features`); a learned model
(:mod:`.decision`, coefficients in ``rubrics/<pack>/coverage.yaml``) gives each point a probability of being covered and
names the segment that earned it. 已覆盖 needs evidence of the kind the section asks for (:mod:`.kinds`), with a
figure or a name where the point needs specifics; 部分覆盖 means 请人工核对.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..programme.points import EvalPoint
from ..programme.rubric import load_rubric_model, rubric_dir
from .decision import STATUSES, CoverageModel, Figures, Status, Verdict, decide
from .encoders import Encoder
from .features import (PointFeatures, PointProbe, SectionText, TermWeights, bigrams, cached_term_weights, cue_hits,
                       point_features, point_text, section_text)
from .kinds import KindReader, kind_reader

__all__ = ["CoverageConfig", "CoverageModel", "Doc", "Evidence", "Figures", "PointCoverage", "STATUSES", "Status",
           "analyse_points", "cover_points", "cue_hits", "custom_points", "highlight_pieces", "load_coverage_config",
           "model_for"]


class CoverageConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = ""
    min_chars: int = Field(default=80, description="below this a section is too thin to judge")
    encoders: dict[str, CoverageModel]
    default: CoverageModel = Field(description="for an encoder never calibrated: the features that do not depend "
                                               "on the encoder only (with a warning)")


def coverage_config_path(directory: Optional[Path] = None) -> Path:
    return (directory or rubric_dir()) / "coverage.yaml"


def load_coverage_config(path: Optional[Path] = None) -> CoverageConfig:
    return load_rubric_model(path or coverage_config_path(), CoverageConfig, "覆盖度判定模型文件")


def model_for(encoder_name: str, cfg: Optional[CoverageConfig] = None) -> tuple[CoverageModel, Optional[str]]:
    """The encoder's calibrated model, or the encoder-independent default with a Chinese warning."""
    cfg = cfg or load_coverage_config()
    if encoder_name in cfg.encoders:
        return cfg.encoders[encoder_name], None
    return cfg.default, (f"嵌入模型 {encoder_name} 尚未标定覆盖度判定模型，暂只用与模型无关的特征（关键词、用词重合、"
                         f"语句类型）判定；请运行 python -m scoring calibrate --encoder {encoder_name} --write")


# ---------------------------------------------------------------------------------------------------------------


class Evidence(BaseModel):
    field: str = Field(description="which text the evidence is in (e.g. work_plan.tasks)")
    text: str
    start: int
    end: int


class PointCoverage(BaseModel):
    id: str
    title: str
    section: str
    section_label: str
    domain: str
    domain_label: str
    source: str
    note: str = Field(default="", description="the annex's own note on the point")
    status: Status
    score: float = Field(description="probability that the point is covered (the model's, after any cap)")
    similarity: float = Field(description="probe similarity of the evidence segment")
    cues_found: list[str] = Field(default_factory=list)
    evidence: Optional[Evidence] = Field(default=None, description="the segment that earned the verdict "
                                                                   "(for a miss, the closest one)")
    candidates: list[Evidence] = Field(default_factory=list, description="the best two sentences, for the "
                                                                         "applicant to confirm")
    cap: str = Field(default="", description="why the point is held at 部分覆盖")
    suggestion: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Doc:
    """A text to search: ``field`` names it (e.g. ``work_plan.basis``), ``label`` is its Chinese name."""

    field: str
    label: str
    text: str


@dataclass
class PointAnalysis:
    """One point on its section: the features, and the section they were computed on."""

    point: EvalPoint
    section: SectionText
    features: PointFeatures


def _probe_texts(p: EvalPoint) -> list[str]:
    return list(p.probes) if p.probes else [p.source]


def _section_of(p: EvalPoint) -> str:
    return p.section.value


def analyse_points(points: Sequence[EvalPoint], docs_for: Mapping[str, Sequence[Doc]] | Sequence[Doc],
                   encoder: Encoder, *, term_points: Optional[Sequence[EvalPoint]] = None,
                   affinity_points: Optional[Sequence[EvalPoint]] = None,
                   rule_fractions: Optional[Mapping[str, float]] = None,
                   reader: Optional[KindReader] = None) -> list[PointAnalysis]:
    """Features of every point on the text of its section.

    ``docs_for`` maps a section id to its docs; a plain list is searched for every point (the CLI's one text file).
    ``term_points`` sets the rarity of terms (default: the points given); ``affinity_points`` are the domain's points
    whose probes measure how on-domain the text is (default: the domain points among ``points``);
    ``rule_fractions`` gives, for a point id, how far the section rule about the same thing is met.
    """
    reader = reader or kind_reader()
    rule_fractions = rule_fractions or {}
    tw: TermWeights = cached_term_weights(tuple(point_text(p.title, p.source, p.cues, p.probes)
                                                for p in (term_points or points)))
    # 1. one SectionText per distinct list of docs
    sections: dict[str, SectionText] = {}
    keys: dict[str, str] = {}
    for p in points:
        sec = _section_of(p)
        docs = docs_for.get(sec, []) if isinstance(docs_for, Mapping) else docs_for
        key = "\x00".join(f"{d.field}\x01{d.text}" for d in docs)
        keys[p.id] = key
        if key not in sections:
            sections[key] = section_text([(d.field, d.text) for d in docs], encoder, reader)
    # 2. probe vectors (cached by the encoder across calls)
    texts: list[str] = []
    slices: dict[str, tuple[int, int]] = {}
    for p in points:
        pr = _probe_texts(p)
        slices[p.id] = (len(texts), len(texts) + len(pr))
        texts.extend(pr)
    src_at = len(texts)
    texts.extend(f"{p.title}：{p.source}" for p in points)
    aff = [p for p in (affinity_points if affinity_points is not None else points) if not p.is_general]
    aff_at = len(texts)
    for p in aff:
        texts.extend(_probe_texts(p))
    vecs = encoder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    aff_vecs = vecs[aff_at:]
    # 3. per section: similarities of every segment to every probe of every point (one product per section)
    out: list[PointAnalysis] = []
    affinity: dict[str, float] = {}
    sims_all: dict[str, np.ndarray] = {}
    for key, st in sections.items():
        affinity[key] = float((st.vectors @ aff_vecs.T).max()) if len(aff_vecs) and not st.empty else 0.0
        if not st.empty:
            sims_all[key] = st.vectors @ vecs[:src_at].T
    best_of: dict[str, np.ndarray] = {}
    for p in points:
        key = keys[p.id]
        if key in sims_all:
            a, b = slices[p.id]
            best_of[p.id] = sims_all[key][:, a:b].max(axis=1)
    for n, p in enumerate(points):
        key = keys[p.id]
        st = sections[key]
        a, b = slices[p.id]
        sims = sims_all[key][:, a:b] if key in sims_all else np.zeros((0, b - a), dtype=np.float32)
        others = [best_of[q.id] for q in points if q.id != p.id and keys[q.id] == key and q.section is p.section
                  and q.is_general == p.is_general and q.id in best_of]
        others_best = np.max(np.vstack(others), axis=0) if others else np.zeros(len(st.segments), dtype=np.float32)
        probe = PointProbe(id=p.id, section=_section_of(p), is_domain=not p.is_general, cues=tuple(p.cues),
                           source_vec=vecs[src_at + n],
                           terms=bigrams(point_text(p.title, p.source, p.cues, p.probes)), terms_weight=0.0)
        probe.terms_weight = tw.total(probe.terms)
        f = point_features(probe, st, sims, others_best, tw, affinity[key], rule_fractions.get(p.id))
        out.append(PointAnalysis(p, st, f))
    return out


def _evidence(st: SectionText, i: int) -> Evidence:
    seg = st.segments[i]
    return Evidence(field=seg.field, text=seg.span.text, start=seg.span.start, end=seg.span.end)


def verdict_to_coverage(an: PointAnalysis, v: Verdict) -> PointCoverage:
    p, st, f = an.point, an.section, an.features
    base = dict(id=p.id, title=p.title, section=p.section.value, section_label=p.section.label, domain=p.domain,
                domain_label=p.domain_label, source=p.source, note=p.note, suggestion=p.suggestion, weight=p.weight)
    if v.evidence is None:
        return PointCoverage(status="未覆盖", score=0.0, similarity=0.0, **base)
    k = v.evidence
    cands: list[Evidence] = []
    seen: set[str] = set()
    for i in v.ranked:
        seg = st.segments[i]
        if seg.sentence and seg.span.text not in seen:
            seen.add(seg.span.text)
            cands.append(_evidence(st, i))
        if len(cands) == 2:
            break
    return PointCoverage(status=v.status, score=v.probability, similarity=round(float(f.segment_rows[k, 0]), 4),
                         cues_found=f.cue_lists[k], evidence=_evidence(st, k), candidates=cands, cap=v.cap, **base)


def cover_points(points: Sequence[EvalPoint], docs_for: Mapping[str, Sequence[Doc]] | Sequence[Doc],
                 encoder: Encoder, model: CoverageModel, *, term_points: Optional[Sequence[EvalPoint]] = None,
                 affinity_points: Optional[Sequence[EvalPoint]] = None,
                 rule_fractions: Optional[Mapping[str, float]] = None) -> list[PointCoverage]:
    """The verdict on every point (see :func:`analyse_points` for the arguments).

    Remembered for the last few inputs (the points, the texts, the encoder, the model, the markers): scoring an
    application again after a change outside its texts (a figure on 填报) does not analyse the texts again."""
    reader = kind_reader()
    key = _cover_key(points, docs_for, encoder, model, term_points, affinity_points, rule_fractions, reader)
    with _COVER_LOCK:
        hit = _COVER_CACHE.get(key)
        if hit is not None:
            _COVER_CACHE.move_to_end(key)
    if hit is not None:
        return [c.model_copy(deep=True) for c in hit]
    out = _cover_points(points, docs_for, encoder, model, term_points, affinity_points, rule_fractions, reader)
    with _COVER_LOCK:
        _COVER_CACHE[key] = [c.model_copy(deep=True) for c in out]
        while len(_COVER_CACHE) > _COVER_CACHE_SIZE:
            _COVER_CACHE.popitem(last=False)
    return out


_COVER_CACHE: "OrderedDict[str, list[PointCoverage]]" = OrderedDict()
_COVER_CACHE_SIZE = 32
_COVER_LOCK = threading.Lock()


def _cover_key(points: Sequence[EvalPoint], docs_for: Mapping[str, Sequence[Doc]] | Sequence[Doc], encoder: Encoder,
               model: CoverageModel, term_points: Optional[Sequence[EvalPoint]],
               affinity_points: Optional[Sequence[EvalPoint]], rule_fractions: Optional[Mapping[str, float]],
               reader: KindReader) -> str:
    def pts(ps: Optional[Sequence[EvalPoint]]) -> Optional[list[str]]:
        return None if ps is None else [x.model_dump_json() for x in ps]

    docs = ({k: [(d.field, d.label, d.text) for d in v] for k, v in docs_for.items()} if isinstance(docs_for, Mapping)
            else [(d.field, d.label, d.text) for d in docs_for])
    blob = json.dumps([pts(points), docs, getattr(encoder, "name", repr(type(encoder))), id(encoder),
                       model.model_dump_json(), pts(term_points), pts(affinity_points),
                       sorted((rule_fractions or {}).items()), id(reader)], ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _cover_points(points: Sequence[EvalPoint], docs_for: Mapping[str, Sequence[Doc]] | Sequence[Doc],
                  encoder: Encoder, model: CoverageModel, term_points: Optional[Sequence[EvalPoint]],
                  affinity_points: Optional[Sequence[EvalPoint]], rule_fractions: Optional[Mapping[str, float]],
                  reader: KindReader) -> list[PointCoverage]:
    out = []
    for an in analyse_points(points, docs_for, encoder, term_points=term_points, affinity_points=affinity_points,
                             rule_fractions=rule_fractions, reader=reader):
        needs = reader.cfg.point_needs_specifics(an.point.id, an.point.section.value)
        rf = (rule_fractions or {}).get(an.point.id)
        v = decide(an.features, model, needs_specifics=needs, rule_found_nothing=rf is not None and rf <= 0.0)
        out.append(verdict_to_coverage(an, v))
    return out


def custom_points(items: list[dict], section: Optional[str] = None) -> list[EvalPoint]:
    """Points given as ``[{id, text}]`` (CLI ``--points-file``): the text is the only probe, no cues."""
    from ..application.ids import Section

    sec = Section.parse(section) if section else Section.BASIS
    pts = []
    for n, it in enumerate(items, 1):
        if not isinstance(it, dict) or not str(it.get("text", "")).strip():
            raise ValueError(f"第 {n} 个要点缺少 text")
        pid = str(it.get("id") or f"custom{n}")
        pts.append(EvalPoint.model_construct(
            id=pid, domain="general", section=sec, title=pid, source=str(it["text"]), ref="用户提供",
            weight=1.0, probes=(str(it["text"]),), cues=tuple(it.get("cues", ()) or ()), suggestion=""))
    return pts


def highlight_pieces(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[str, Optional[str]]]:
    """Cut ``text`` into pieces for display: ``(piece, tag)`` where tag names the evidence (or None).

    ``spans`` are (start, end, tag) into ``text``; overlapping spans are merged into the earlier one's tag so every
    character appears exactly once and in order (the page escapes each piece before marking it).
    """
    cuts: list[tuple[int, int, str]] = []
    for s, e, tag in sorted(spans):
        s, e = max(0, s), min(len(text), e)
        if e <= s:
            continue
        if cuts and s < cuts[-1][1]:
            ps, pe, ptag = cuts[-1]
            cuts[-1] = (ps, max(pe, e), ptag if tag == ptag else f"{ptag}；{tag}")
        else:
            cuts.append((s, e, tag))
    out: list[tuple[str, Optional[str]]] = []
    pos = 0
    for s, e, tag in cuts:
        if s > pos:
            out.append((text[pos:s], None))
        out.append((text[s:e], tag))
        pos = e
    if pos < len(text):
        out.append((text[pos:], None))
    return out
