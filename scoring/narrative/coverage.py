"""Coverage of evaluation points by an applicant's text.

For each point we look for the best evidence among the text's sentences and two-sentence windows
(:func:`scoring.narrative.textsplit.segments`). A segment's score combines

* semantic similarity: the highest cosine similarity between the segment and the point's probes (concrete
  evidence sentences written by us, ``rubrics/points/``), and
* lexical evidence: a bonus for the point's cues found in the segment (decisive terms such as 车路协同, SBOM).

``score = sim + cue_bonus * min(hits, cue_cap) / cue_cap``. The status follows two thresholds per encoder
(``rubrics/coverage.yaml``, set by ``python -m scoring calibrate``): ``score >= covered`` → 已覆盖,
``score >= partial`` → 部分覆盖, else 未覆盖.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal, Optional, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .encoders import Encoder
from ..programme.points import EvalPoint
from ..programme.rubric import load_rubric_model, rubric_dir
from .textsplit import Span, make_windows, split_sentences

Status = Literal["已覆盖", "部分覆盖", "未覆盖"]
STATUSES: tuple[Status, Status, Status] = ("已覆盖", "部分覆盖", "未覆盖")


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    covered: float
    partial: float
    cue_bonus: float = Field(ge=0)
    cue_cap: int = Field(default=2, ge=1)
    calibrated: str = Field(default="", description="how and on what the values were set")


class CoverageConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = ""
    min_chars: int = Field(default=80, description="below this a section is too thin to judge")
    encoders: dict[str, Thresholds]
    default: Thresholds = Field(description="used (with a warning) for an encoder that was never calibrated")


def coverage_config_path(directory: Optional[Path] = None) -> Path:
    return (directory or rubric_dir()) / "coverage.yaml"


def load_coverage_config(path: Optional[Path] = None) -> CoverageConfig:
    return load_rubric_model(path or coverage_config_path(), CoverageConfig, "覆盖度阈值文件")


def thresholds_for(encoder_name: str, cfg: Optional[CoverageConfig] = None) -> tuple[Thresholds, Optional[str]]:
    """The encoder's calibrated thresholds, or the default ones with a Chinese warning."""
    cfg = cfg or load_coverage_config()
    if encoder_name in cfg.encoders:
        return cfg.encoders[encoder_name], None
    return cfg.default, (f"嵌入模型 {encoder_name} 尚未标定覆盖度阈值，暂用默认阈值；"
                         f"请运行 python -m scoring calibrate --encoder {encoder_name} --write")


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
    status: Status
    score: float = Field(description="combined score of the best segment")
    similarity: float = Field(description="semantic part of the best segment")
    cues_found: list[str] = Field(default_factory=list)
    evidence: Optional[Evidence] = Field(default=None, description="best-matching sentence (closest one for a miss)")
    suggestion: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Doc:
    """A text to search: ``field`` names it (e.g. ``work_plan.basis``), ``label`` is its Chinese name."""

    field: str
    label: str
    text: str


_LATIN = re.compile(r"[A-Za-z]")


def cue_hits(cues: Iterable[str], text: str) -> list[str]:
    """Cues found in a text: Chinese by substring, Latin terms case-insensitively and not inside a longer word."""
    found = []
    low = text.lower()
    for c in cues:
        c = c.strip()
        if not c:
            continue
        if _LATIN.search(c):
            if re.search(rf"(?<![A-Za-z]){re.escape(c.lower())}(?![A-Za-z])", low):
                found.append(c)
        elif c in text:
            found.append(c)
    return found


def embed_segments(text: str, encoder: Encoder) -> tuple[list[Span], np.ndarray]:
    """Sentences and two-sentence windows of a text with their vectors.

    Only the sentences are encoded; a window's vector is the normalised sum of its two sentences' vectors (about
    half the encoding work of embedding the windows too, with nearly the same similarities).
    """
    sentences = split_sentences(text) if text else []
    if not sentences:
        return [], np.zeros((0, 1), dtype=np.float32)
    sv = encoder.encode([x.text for x in sentences])
    windows = make_windows(sentences, 2, source=text)
    if not windows:
        return list(sentences), sv
    wv = sv[:-1] + sv[1:]
    wv /= np.maximum(np.linalg.norm(wv, axis=1, keepdims=True), 1e-12)
    return [*sentences, *windows], np.vstack([sv, wv]).astype(np.float32)


def status_for(score: float, th: Thresholds) -> Status:
    if score >= th.covered:
        return "已覆盖"
    if score >= th.partial:
        return "部分覆盖"
    return "未覆盖"


def _probes(p: EvalPoint) -> list[str]:
    return list(p.probes) if p.probes else [p.source]


def cover_points(points: Sequence[EvalPoint], docs_for: dict[str, list[Doc]] | list[Doc], encoder: Encoder,
                 th: Thresholds) -> list[PointCoverage]:
    """Check every point against its docs.

    ``docs_for`` maps a section id to the docs searched for that section's points; a plain list is searched for
    every point (the CLI's single text file).
    """
    # 1. segment every distinct doc once
    all_docs: list[Doc] = []
    seen: set[tuple[str, str]] = set()
    doc_lists = docs_for.values() if isinstance(docs_for, dict) else [docs_for]
    for dl in doc_lists:
        for d in dl:
            if (d.field, d.text) not in seen:
                seen.add((d.field, d.text))
                all_docs.append(d)
    seg_index: dict[str, tuple[int, int]] = {}
    seg_texts: list[str] = []
    seg_field: list[str] = []
    seg_spans: list[Span] = []
    vec_parts: list[np.ndarray] = []
    for d in all_docs:
        spans, vecs = embed_segments(d.text, encoder)
        start = len(seg_texts)
        for sp in spans:
            seg_texts.append(sp.text)
            seg_field.append(d.field)
            seg_spans.append(sp)
        if spans:
            vec_parts.append(vecs)
        seg_index[d.field] = (start, len(seg_texts))
    # 2. embed the probes (cached by the encoder across calls)
    probe_texts: list[str] = []
    probe_slices: list[tuple[int, int]] = []
    for p in points:
        pr = _probes(p)
        probe_slices.append((len(probe_texts), len(probe_texts) + len(pr)))
        probe_texts.extend(pr)
    probe_vecs = encoder.encode(probe_texts) if probe_texts else np.zeros((0, 1), dtype=np.float32)
    sims_all = np.vstack(vec_parts) @ probe_vecs.T if vec_parts and probe_texts else None
    # lexical hits per (segment, point) computed lazily per point
    out: list[PointCoverage] = []
    for p, (a, b) in zip(points, probe_slices):
        docs = docs_for.get(p.section.value, []) if isinstance(docs_for, dict) else docs_for
        idx: list[int] = []
        for d in docs:
            s0, s1 = seg_index[d.field]
            idx.extend(range(s0, s1))
        base = dict(id=p.id, title=p.title, section=p.section.value, section_label=p.section.label,
                    domain=p.domain, domain_label=p.domain_label, source=p.source, suggestion=p.suggestion,
                    weight=p.weight)
        if not idx or sims_all is None:
            out.append(PointCoverage(status="未覆盖", score=0.0, similarity=0.0, **base))
            continue
        sims = sims_all[idx, a:b].max(axis=1)
        hits = [cue_hits(p.cues, seg_texts[i]) for i in idx]
        bonus = np.array([th.cue_bonus * min(len(h), th.cue_cap) / th.cue_cap for h in hits], dtype=np.float32)
        combined = sims + bonus
        k = int(np.argmax(combined))
        i = idx[k]
        span = seg_spans[i]
        out.append(PointCoverage(
            status=status_for(float(combined[k]), th), score=round(float(combined[k]), 4),
            similarity=round(float(sims[k]), 4), cues_found=hits[k],
            evidence=Evidence(field=seg_field[i], text=span.text, start=span.start, end=span.end), **base))
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
