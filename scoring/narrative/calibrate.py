"""Calibrating and measuring the coverage checker on the labelled development set (``data/coverage_dev.jsonl``).

Each line: ``{"id", "type", "domain", "section", "kind", "text", "labels": {point_id: "covered"|"partial"}}``.
Every point of that type × domain × section (general and domain-specific) is judged on the passage; a point not in
``labels`` is absent. ``kind`` is on_topic / near_miss / off_topic.

Binary view used for precision/recall/F1: a point is *positive* when labelled covered or partial, *predicted*
when its status is not 未覆盖. ``calibrate`` picks ``cue_bonus`` and the two thresholds on a coarse grid, choosing
the middle of the best plateau rather than its edge so the values are not tuned to the last passage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
import yaml

from .coverage import Doc, Thresholds, coverage_config_path, cue_hits, embed_segments
from .encoders import Encoder
from ..application.ids import ApplicantType, Domain, Section
from ..programme.points import EvalPoint, points_for

DEV_PATH = Path(__file__).resolve().parents[2] / "data" / "coverage_dev.jsonl"
LABELS = ("covered", "partial")


@dataclass
class Passage:
    id: str
    type: ApplicantType
    domain: Domain
    section: Section
    kind: str
    text: str
    labels: dict[str, str]


def load_dev_set(path: Path = DEV_PATH) -> list[Passage]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            labels = d.get("labels") or {}
            bad = [v for v in labels.values() if v not in LABELS]
            if bad:
                raise ValueError(f"{path}:{n}: 标签应为 covered/partial，实际 {bad}")
            out.append(Passage(d["id"], ApplicantType.parse(d["type"]), Domain.parse(d["domain"]),
                               Section.parse(d["section"]), d.get("kind", "on_topic"), d["text"], labels))
    return out


@dataclass
class Pair:
    """One (passage, point) judgement with per-segment similarities and cue counts."""

    passage: str
    domain: str
    point: EvalPoint
    gold: str  # covered / partial / absent
    sims: np.ndarray
    hits: np.ndarray


def build_pairs(dev: list[Passage], encoder: Encoder) -> list[Pair]:
    pairs: list[Pair] = []
    for ps in dev:
        pts = points_for(ps.type, ps.domain, ps.section)
        unknown = set(ps.labels) - {p.id for p in pts}
        if unknown:
            raise ValueError(f"开发集 {ps.id}：标签中的要点不属于该类别/领域/章节：{sorted(unknown)}")
        segs, sv = embed_segments(ps.text, encoder)
        for p in pts:
            pv = encoder.encode(list(p.probes) or [p.source])
            sims = (sv @ pv.T).max(axis=1) if len(segs) else np.zeros(0, dtype=np.float32)
            hits = np.array([len(cue_hits(p.cues, s.text)) for s in segs], dtype=np.float32)
            pairs.append(Pair(ps.id, ps.domain.value, p, ps.labels.get(p.id, "absent"), sims, hits))
    return pairs


def best_scores(pairs: Iterable[Pair], cue_bonus: float, cue_cap: int) -> np.ndarray:
    out = []
    for pr in pairs:
        if pr.sims.size == 0:
            out.append(0.0)
        else:
            out.append(float((pr.sims + cue_bonus * np.minimum(pr.hits, cue_cap) / cue_cap).max()))
    return np.array(out)


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn,
            "n": int(len(gold)), "positives": int(gold.sum())}


def evaluate(pairs: list[Pair], th: Thresholds) -> dict[str, dict[str, float]]:
    """P/R/F1 per section, for domain-specific and general points, and overall."""
    scores = best_scores(pairs, th.cue_bonus, th.cue_cap)
    pred = scores >= th.partial
    gold = np.array([p.gold != "absent" for p in pairs])
    pred_cov = scores >= th.covered
    gold_cov = np.array([p.gold == "covered" for p in pairs])
    res: dict[str, dict[str, float]] = {"全部": prf(pred, gold)}
    for sec in Section:
        m = np.array([p.point.section is sec for p in pairs])
        if m.any():
            res[f"章节·{sec.label}"] = prf(pred[m], gold[m])
    dm = np.array([not p.point.is_general for p in pairs])
    res["领域要点"] = prf(pred[dm], gold[dm])
    res["通用要点"] = prf(pred[~dm], gold[~dm])
    res["已覆盖（严格）"] = prf(pred_cov, gold_cov)
    return res


def _plateau_mid(values: np.ndarray, scores: np.ndarray, tol: float = 0.01) -> float:
    best = scores.max()
    good = values[scores >= best - tol]
    return float(np.median(good))


def calibrate(pairs: list[Pair], cue_cap: int = 2) -> tuple[Thresholds, dict[str, float]]:
    gold = np.array([p.gold != "absent" for p in pairs])
    gold_cov = np.array([p.gold == "covered" for p in pairs])
    grid_t = np.round(np.arange(0.10, 0.90, 0.01), 3)
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for bonus in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
        s = best_scores(pairs, bonus, cue_cap)
        f1s = np.array([prf(s >= t, gold)["f1"] for t in grid_t])
        if f1s.max() > best[0] + 1e-9:
            best = (float(f1s.max()), bonus, _plateau_mid(grid_t, f1s))
    f1, bonus, t_partial = best
    s = best_scores(pairs, bonus, cue_cap)
    grid_c = grid_t[grid_t >= t_partial]
    f1c = np.array([prf(s >= t, gold_cov)["f1"] for t in grid_c])
    t_cov = max(_plateau_mid(grid_c, f1c), t_partial + 0.02)
    th = Thresholds(covered=round(t_cov, 3), partial=round(t_partial, 3), cue_bonus=bonus, cue_cap=cue_cap,
                    calibrated="")
    return th, {"f1_partial_or_better": f1, "f1_covered": float(f1c.max()) if f1c.size else 0.0}


def cross_validate(pairs: list[Pair], cue_cap: int = 2) -> dict[str, float]:
    """Leave-one-domain-out: calibrate on nine domains, measure on the tenth (an honest unseen-text estimate)."""
    preds, golds = [], []
    for d in Domain:
        test = [p for p in pairs if p.domain == d.value]
        train = [p for p in pairs if p.domain != d.value]
        if not test or not train:
            continue
        th, _ = calibrate(train, cue_cap)
        s = best_scores(test, th.cue_bonus, th.cue_cap)
        preds.append(s >= th.partial)
        golds.append(np.array([p.gold != "absent" for p in test]))
    return prf(np.concatenate(preds), np.concatenate(golds))


def run_calibration(encoder: Encoder, dev_path: Path = DEV_PATH, write: bool = False,
                    cfg_path: Optional[Path] = None) -> dict:
    dev = load_dev_set(dev_path)
    pairs = build_pairs(dev, encoder)
    th, fit = calibrate(pairs)
    cv = cross_validate(pairs)
    th.calibrated = (f"按人工标注的开发集标定：{len(dev)} 段、{len(pairs)} 个判断；留一领域交叉验证 F1 值 {cv['f1']:.2f}"
                     f"（精确率 {cv['precision']:.2f}、召回率 {cv['recall']:.2f}）")
    report = {"encoder": encoder.name, "thresholds": th.model_dump(), "fit": fit, "cross_validation": cv,
              "metrics": evaluate(pairs, th)}
    if write:
        p = cfg_path or coverage_config_path()
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        data.setdefault("encoders", {})[encoder.name] = th.model_dump()
        data["note"] = "由 python -m scoring calibrate --write 标定"
        p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return report


def doc_for_text(text: str) -> list[Doc]:
    return [Doc("text", "文本", text)]
