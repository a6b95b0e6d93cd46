"""Features of the coverage decision: what a sentence and its section say about one evaluation point.

For every point the section's text is cut into *segments* — its sentences, each counted once however often it is
repeated, and windows of two consecutive sentences. Each segment gets the features below; the section as a whole
gets a few more. All are numbers between about -1 and 1 that a reviewer can read back:

Segment features (:data:`SEGMENT_FEATURES`)
    ``sim_probe``     highest cosine similarity to the point's probes (concrete sentences that answer it)
    ``sim_source``    cosine similarity to the point's own wording in the annex
    ``cue``           decisive terms of the point found: 0, 0.5, 1 for 0, 1, 2+
    ``right_kind``    markers of the kind of text the section asks for (:mod:`.kinds`), up to 3, / 3
    ``wrong_kind``    markers of the opposite kind (a plan read as a result, a result read as a target), / 3
    ``specific``      1 when the segment has a figure with its unit or a name in 《》/“”
    ``domain_x_sim``  ``sim_probe`` for a domain-specific point, 0 for a general one
    ``sim_margin``    ``sim_probe`` minus the best similarity of the same segment to another point of the section
                      (is the sentence about *this* point rather than its neighbour?)
    ``sim_top2``      mean of the two best probe similarities
    ``overlap``       share of the point's terms (character pairs of its title, wording, cues and probes, weighted
                      by how rare they are among all points) found in the segment

Section features (:data:`SECTION_FEATURES`)
    ``section_overlap``  the same share, over the whole section
    ``section_cues``     cues of the point anywhere in the section: up to 3, / 3
    ``domain_affinity``  best similarity of any segment to any probe of the declared domain's points: low on a
                         plan of another domain
    ``rule_fraction``    how far the section rule about the same thing is met (0–1), for points that have one
    ``has_rule``         1 when the point has such a rule
    ``domain_point``     1 for a domain-specific point
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional, Sequence

import numpy as np

from .encoders import Encoder
from .kinds import Kind, KindReader
from .textsplit import Span, split_sentences

SEGMENT_FEATURES: tuple[str, ...] = ("sim_probe", "sim_source", "cue", "right_kind", "wrong_kind", "specific",
                                     "domain_x_sim", "sim_margin", "sim_top2", "overlap")
SECTION_FEATURES: tuple[str, ...] = ("section_overlap", "section_cues", "domain_affinity", "rule_fraction",
                                     "has_rule", "domain_point")

_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NOT_WORD = re.compile(r"[\W_]+")


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


def normalise_sentence(text: str) -> str:
    """What two copies of a sentence share: letters and digits only (punctuation and spaces dropped)."""
    return _NOT_WORD.sub("", text).lower()


NEAR_DUPLICATE = 0.8  # share of character triples two sentences must have in common to count as one


@lru_cache(maxsize=8192)
def _triples(key: str) -> frozenset[str]:
    return frozenset(key[i:i + 3] for i in range(max(1, len(key) - 2)))


def unique_sentences(text: str, seen: Optional[set[str]] = None) -> list[Span]:
    """The sentences of ``text``, each counted once: a repeated, re-pasted or barely changed sentence adds nothing.

    Two sentences are the same when their letters and digits are (spacing and punctuation aside) or when they share
    at least :data:`NEAR_DUPLICATE` of their character triples (Jaccard), as a sentence pasted again with a word
    changed does. ``seen`` carries what was seen across calls (several texts of one section).
    """
    seen = set() if seen is None else seen
    out = []
    for s in split_sentences(text):
        key = normalise_sentence(s.text)
        if not key or key in seen:
            continue
        if len(key) >= 12:
            tri = _triples(key)
            # Jaccard ≥ t needs the shorter set at least t × the longer: only sentences of similar length can match
            lo, hi = len(key) * NEAR_DUPLICATE, len(key) / NEAR_DUPLICATE
            if any(lo <= len(k) <= hi and _jaccard(tri, _triples(k)) >= NEAR_DUPLICATE for k in seen):
                continue
        seen.add(key)
        out.append(s)
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def dedupe_text(text: str) -> str:
    """``text`` with every repeated sentence removed (line breaks kept), for the counting rules."""
    seen: set[str] = set()
    lines = []
    for line in text.splitlines():
        kept = [s.text for s in unique_sentences(line, seen)]
        if kept or not line.strip():
            lines.append("".join(kept))
    return "\n".join(lines)


def bigrams(text: str) -> set[str]:
    """Pairs of consecutive Han characters: the unit of term overlap (no word segmenter needed)."""
    s = "".join(c if _HAN.match(c) else " " for c in text)
    return {s[i:i + 2] for i in range(len(s) - 1) if " " not in s[i:i + 2]}


@dataclass(frozen=True)
class TermWeights:
    """Rarity of character pairs among a set of points: ``log((N + 1) / (df + 0.5))``."""

    idf: dict[str, float]
    default: float

    def total(self, terms: Iterable[str]) -> float:
        return sum(self.idf.get(t, self.default) for t in terms)


def term_weights(point_texts: Iterable[str]) -> TermWeights:
    docs = [bigrams(t) for t in point_texts]
    n = len(docs)
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d)
    return TermWeights({t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}, math.log((n + 1) / 0.5))


def point_text(title: str, source: str, cues: Sequence[str], probes: Sequence[str]) -> str:
    return " ".join([title, source, *cues, *probes])


@dataclass
class Segment:
    """A sentence or a two-sentence window of one text (``field``) of the section."""

    field: str
    span: Span
    kind: Kind
    terms: set[str]
    sentence: bool  # False for a window


@dataclass
class SectionText:
    """The segments of one section (all its texts), with their vectors."""

    segments: list[Segment]
    vectors: np.ndarray
    terms: set[str]
    text: str  # the section's texts, repeated sentences removed, joined

    @property
    def empty(self) -> bool:
        return not self.segments


def section_text(docs: Sequence[tuple[str, str]], encoder: Encoder, reader: KindReader) -> SectionText:
    """Segments of a section's texts ``[(field, text)]``: unique sentences, then two-sentence windows.

    Only sentences are encoded; a window's vector is the normalised sum of its sentences' vectors.
    """
    seen: set[str] = set()
    per_doc: list[tuple[str, list[Span]]] = [(f, unique_sentences(t, seen)) for f, t in docs if t and t.strip()]
    sentences = [(f, s) for f, ss in per_doc for s in ss]
    if not sentences:
        return SectionText([], np.zeros((0, 1), dtype=np.float32), set(), "")
    sv = encoder.encode([s.text for _, s in sentences]).astype(np.float32)
    segs = [Segment(f, s, reader.read(s.text), bigrams(s.text), True) for f, s in sentences]
    vecs = [sv]
    win_rows = []
    pos = 0
    for f, ss in per_doc:
        for i in range(len(ss) - 1):
            a, b = ss[i], ss[i + 1]
            body = a.text + b.text
            segs.append(Segment(f, Span(body, a.start, b.end), reader.read(body), bigrams(body), False))
            win_rows.append((pos + i, pos + i + 1))
        pos += len(ss)
    if win_rows:
        idx = np.array(win_rows)
        wv = sv[idx[:, 0]] + sv[idx[:, 1]]
        wv /= np.maximum(np.linalg.norm(wv, axis=1, keepdims=True), 1e-12)
        vecs.append(wv)
    all_terms: set[str] = set()
    for s in segs[:len(sentences)]:
        all_terms |= s.terms
    joined = "\n".join("".join(s.text for s in ss) for _, ss in per_doc)
    return SectionText(segs, np.vstack(vecs).astype(np.float32), all_terms, joined)


@dataclass
class PointProbe:
    """What is compared with the text for one point (vectors cached by the encoder)."""

    id: str
    section: str
    is_domain: bool
    cues: tuple[str, ...]
    source_vec: np.ndarray
    terms: set[str]
    terms_weight: float


@dataclass
class PointFeatures:
    """The features of one point on its section: one row per segment, and the section's row."""

    segment_rows: np.ndarray  # (n_segments, len(SEGMENT_FEATURES))
    section_row: np.ndarray  # (len(SECTION_FEATURES),)
    fits: np.ndarray  # bool per segment: of the kind the section asks for
    specific: np.ndarray  # bool per segment: a figure, a name, or a cue of the point
    cue_lists: list[list[str]] = field(default_factory=list)


def point_features(probe: PointProbe, sec: SectionText, sims: np.ndarray, others_best: np.ndarray,
                   tw: TermWeights, domain_affinity: float, rule_fraction: Optional[float]) -> PointFeatures:
    """Features of one point; ``sims`` are the segments' similarities to its probes (n_seg × n_probes),
    ``others_best`` the best similarity of each segment to the other points of the section."""
    n = len(sec.segments)
    if n == 0:
        return PointFeatures(np.zeros((0, len(SEGMENT_FEATURES))), np.zeros(len(SECTION_FEATURES)),
                             np.zeros(0, dtype=bool), np.zeros(0, dtype=bool), [])
    best = sims.max(axis=1) if sims.size else np.zeros(n, dtype=np.float32)
    if sims.shape[1] > 1:
        top2 = np.sort(sims, axis=1)[:, -2:].mean(axis=1)
    else:
        top2 = best
    src = sec.vectors @ probe.source_vec
    d = 1.0 if probe.is_domain else 0.0
    rows = np.zeros((n, len(SEGMENT_FEATURES)), dtype=np.float64)
    fits = np.zeros(n, dtype=bool)
    specific = np.zeros(n, dtype=bool)
    cue_lists = []
    tw_total = probe.terms_weight or 1.0
    in_section = cue_hits(probe.cues, sec.text)  # only these can be in a segment
    for i, seg in enumerate(sec.segments):
        hits = cue_hits(in_section, seg.span.text) if in_section else []
        cue_lists.append(hits)
        right = min(seg.kind.right(probe.section), 3) / 3.0
        wrong = min(seg.kind.wrong(probe.section), 3) / 3.0
        rows[i] = (best[i], src[i], min(len(hits), 2) / 2.0, right, wrong, float(seg.kind.specific), d * best[i],
                   best[i] - others_best[i], top2[i], tw.total(probe.terms & seg.terms) / tw_total)
        fits[i] = seg.kind.fits(probe.section)
        specific[i] = seg.kind.specific or bool(hits)
    section_row = np.array([tw.total(probe.terms & sec.terms) / tw_total,
                            min(len(in_section), 3) / 3.0,
                            domain_affinity,
                            rule_fraction or 0.0,
                            1.0 if rule_fraction is not None else 0.0,
                            d], dtype=np.float64)
    return PointFeatures(rows, section_row, fits, specific, cue_lists)


@lru_cache(maxsize=8)
def _weights_cache(key: tuple[str, ...]) -> TermWeights:
    return term_weights(key)


def cached_term_weights(point_texts: Sequence[str]) -> TermWeights:
    """Term weights of a set of points, computed once per distinct set."""
    return _weights_cache(tuple(point_texts))
