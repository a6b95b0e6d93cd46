"""Fitting and measuring the coverage decision on labelled text.

Two labelled sets, kept apart:

* **real** (``data/coverage_real/passages_*.jsonl``): real public Chinese text, copied verbatim with its source,
  every candidate point labelled ``covered`` / ``partial`` / ``not`` by the written rules of its README;
* **synthetic** (``data/coverage_dev.jsonl``): passages we wrote ourselves; a point not in ``labels`` is absent.

The model (:mod:`.decision`) is fitted on both (the synthetic set weighs less), with the evidence segment chosen
anew in each round (a sentence is evidence when the current weights rank it first). It is measured by grouped
cross-validation on the real set only — leave one domain out, and leave one source out — never on text it was
fitted on. The 已覆盖 threshold is the lowest that keeps precision at the target on the held-out predictions
(chosen, for the reported figures, on the other folds only); 部分覆盖 starts where 80 % of the truly covered points
are reached. ``python -m scoring calibrate --write`` stores the coefficients, thresholds and figures in
``coverage.yaml`` of the rule pack in use (``rubrics/<pack>/``); the same run again gives the same numbers.
"""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

import numpy as np
import yaml

from ..application.ids import AiKind, ApplicantType, Domain, Section
from ..programme.points import EvalPoint, load_points_file, points_for
from .coverage import Doc, analyse_points, coverage_config_path
from .decision import CoverageModel, Figures, choose_segment, decide, fit_vectors
from .encoders import Encoder
from .features import SECTION_FEATURES, SEGMENT_FEATURES, PointFeatures
from .kinds import kind_reader
from .workplan import linked_rule_fractions, load_narrative_rubric

ROOT = Path(__file__).resolve().parents[2]
DEV_PATH = ROOT / "data" / "coverage_dev.jsonl"
REAL_DIR = ROOT / "data" / "coverage_real"
REAL_LABELS = ("covered", "partial", "not")
PRECISION_TARGET = 0.63
PARTIAL_RECALL = 0.8
SYNTHETIC_WEIGHT = 1.0
ENCODER_FEATURES = ("sim_probe", "sim_source", "domain_x_sim", "sim_margin", "sim_top2", "domain_affinity")


@dataclass
class Passage:
    id: str
    type: ApplicantType
    domain: Domain
    section: Section
    kind: str
    text: str
    labels: dict[str, str]
    source: str
    real: bool
    ai_kind: Optional[AiKind] = None
    """An AI enterprise's kind where the passage is read as one kind's (its candidates are then that kind's points and
    the common ones, as in the app); None: every point of both kinds, as for an applicant that has not chosen."""


def _kind(d: dict) -> Optional[AiKind]:
    return AiKind.parse(d["ai_kind"]) if d.get("ai_kind") else None


def load_real_corpus(directory: Path = REAL_DIR) -> list[Passage]:
    out = []
    for f in sorted(glob.glob(str(directory / "passages_*.jsonl"))):
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                d = json.loads(line)
                bad = [v for v in d["labels"].values() if v not in REAL_LABELS]
                if bad:
                    raise ValueError(f"{f}:{n}: 标签应为 covered/partial/not，实际 {bad}")
                out.append(Passage(d["id"], ApplicantType.parse(d["type"]), Domain.parse(d["domain"]),
                                   Section.parse(d["section"]), d.get("kind", "on_topic"), d["text"], d["labels"],
                                   d.get("source_url") or d["id"], True, _kind(d)))
    return out


def load_synthetic_set(path: Path = DEV_PATH) -> list[Passage]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            labels = dict(d.get("labels") or {})
            bad = [v for v in labels.values() if v not in ("covered", "partial")]
            if bad:
                raise ValueError(f"{path}:{n}: 标签应为 covered/partial，实际 {bad}")
            ps = Passage(d["id"], ApplicantType.parse(d["type"]), Domain.parse(d["domain"]), Section.parse(d["section"]),
                         d.get("kind", "on_topic"), d["text"], labels, f"synthetic:{d['id']}", False, _kind(d))
            for p in points_for(ps.type, ps.domain, ps.section, ai_kind=ps.ai_kind):
                ps.labels.setdefault(p.id, "not")
            out.append(ps)
    return out


@dataclass
class Item:
    """One judgement: a passage read as its section, against one candidate point."""

    passage: Passage
    point: EvalPoint
    gold: str
    features: PointFeatures
    needs_specifics: bool
    rule_fraction: Optional[float]

    @property
    def y(self) -> int:
        return int(self.gold == "covered")

    @property
    def general(self) -> bool:
        return self.point.is_general


def build_items(passages: Iterable[Passage], encoder: Encoder) -> list[Item]:
    """Features of every labelled (passage, point) pair, computed by the same code the app uses."""
    rubric = load_narrative_rubric()
    reader = kind_reader()
    items: list[Item] = []
    for ps in passages:
        pts = points_for(ps.type, ps.domain, ps.section, ai_kind=ps.ai_kind)
        unknown = set(ps.labels) - {p.id for p in pts}
        if unknown:
            raise ValueError(f"{ps.id}：标签中的要点不属于该类别/领域/企业类型/章节：{sorted(unknown)}")
        pts = [p for p in pts if p.id in ps.labels]
        fractions = linked_rule_fractions(ps.type, {ps.section.value: ps.text}, rubric)
        analysed = analyse_points(pts, [Doc("text", "文本", ps.text)], encoder,
                                  term_points=load_points_file(ps.type).points,
                                  affinity_points=points_for(ps.type, ps.domain, ai_kind=ps.ai_kind),
                                  rule_fractions=fractions,
                                  reader=reader)
        for an in analysed:
            items.append(Item(ps, an.point, ps.labels[an.point.id], an.features,
                              reader.cfg.point_needs_specifics(an.point.id, ps.section.value),
                              fractions.get(an.point.id)))
    return items


def _mask(w_cols: Sequence[str]) -> np.ndarray:
    names = (*SEGMENT_FEATURES, *SECTION_FEATURES)
    return np.array([0.0 if n in w_cols else 1.0 for n in names])


def fit(items: Sequence[Item], *, drop: Sequence[str] = (), rounds: int = 4, c: float = 1.0,
        synthetic_weight: float = SYNTHETIC_WEIGHT) -> tuple[np.ndarray, float]:
    """Logistic regression on the evidence segment's and the section's features, the evidence re-chosen each round.

    ``drop`` names features left out (their weight is 0), e.g. the encoder's for the encoder-independent model.
    """
    from sklearn.linear_model import LogisticRegression

    keep = _mask(drop)
    ns = len(SEGMENT_FEATURES)
    y = np.array([it.y for it in items])
    sw = np.array([1.0 if it.passage.real else synthetic_weight for it in items])
    w_seg: Optional[np.ndarray] = None
    w = np.zeros(len(keep))
    b = 0.0
    for _ in range(rounds):
        rows = np.array([fit_vectors(it.features, choose_segment(it.features, w_seg)) * keep for it in items])
        m = LogisticRegression(C=c, max_iter=5000)
        m.fit(rows, y, sample_weight=sw)
        w, b = m.coef_[0] * keep, float(m.intercept_[0])
        w_seg = w[:ns]
    return w, b


def scores(items: Sequence[Item], model: CoverageModel) -> tuple[np.ndarray, np.ndarray]:
    """(probability shown, status is 已覆盖) of each item under ``model``, with the app's caps."""
    p, cov = [], []
    for it in items:
        v = decide(it.features, model, needs_specifics=it.needs_specifics,
                   rule_found_nothing=it.rule_fraction is not None and it.rule_fraction <= 0.0)
        p.append(v.probability)
        cov.append(v.status == "已覆盖")
    return np.array(p), np.array(cov)


def _provisional(w: np.ndarray, b: float, covered: float = 0.5, partial: float = 0.3) -> CoverageModel:
    return CoverageModel.from_vector(w, b, covered, partial)


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    pred, gold = pred.astype(bool), gold.astype(bool)
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "n": int(len(gold)),
            "positives": int(gold.sum()), "predicted": tp + fp}


def auc(p: np.ndarray, gold: np.ndarray) -> float:
    """Probability that a covered point scores above an uncovered one (ties count half)."""
    gold = gold.astype(bool)
    pos, neg = p[gold], p[~gold]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    allv = np.concatenate([pos, neg])[order]
    # average ranks for ties
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return round(float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))), 3)


def covered_threshold(p: np.ndarray, gold: np.ndarray, target: float = PRECISION_TARGET) -> float:
    """The threshold with the highest recall among those whose precision reaches ``target`` (at least 10 calls)."""
    best_t, best_r = float(np.max(p)) + 1e-6 if len(p) else 0.5, -1.0
    for t in np.unique(np.round(p, 4)):
        pred = p >= t
        if pred.sum() < 10:
            continue
        m = prf(pred, gold)
        if m["precision"] >= target and m["recall"] > best_r:
            best_t, best_r = float(t), m["recall"]
    return min(max(best_t, 0.05), 0.95)


def partial_threshold(p: np.ndarray, gold: np.ndarray, covered: float) -> float:
    pos = np.sort(p[gold.astype(bool)])
    if not len(pos):
        return covered / 2
    t = float(pos[int(np.floor((1 - PARTIAL_RECALL) * len(pos)))])
    return min(max(t, 0.02), covered)


def out_of_fold(items: Sequence[Item], group: Callable[[Item], str], *, drop: Sequence[str] = (),
                exclude_synthetic_of_group: bool = False) -> np.ndarray:
    """Probabilities of the real items, each from a model fitted without its group."""
    real_idx = [i for i, it in enumerate(items) if it.passage.real]
    out = np.full(len(items), np.nan)
    for g in sorted({group(items[i]) for i in real_idx}):
        train = [it for it in items if (it.passage.real and group(it) != g) or
                 (not it.passage.real and not (exclude_synthetic_of_group and group(it) == g))]
        test = [i for i in real_idx if group(items[i]) == g]
        w, b = fit(train, drop=drop)
        model = _provisional(w, b, covered=0.999, partial=0.001)  # no status cut: the raw probability with caps
        pr, _ = scores([items[i] for i in test], model)
        out[test] = pr
    return out


def by_domain(it: Item) -> str:
    return it.passage.domain.value


def by_source(it: Item) -> str:
    return it.passage.source


def figures_at(items: Sequence[Item], p: np.ndarray, thresholds: np.ndarray) -> dict[str, dict[str, float]]:
    """P/R/F1 of 已覆盖 (probability ≥ its item's threshold, no cap) per subset, and AUC."""
    gold = np.array([it.y for it in items])
    capped_ok = np.array([_not_capped(it) for it in items])
    pred = (p >= thresholds) & capped_ok
    res: dict[str, dict[str, float]] = {}
    subsets: list[tuple[str, np.ndarray]] = [("全部", np.ones(len(items), dtype=bool)),
                                             ("领域要点", np.array([not it.general for it in items])),
                                             ("通用要点", np.array([it.general for it in items]))]
    for sec in Section:
        subsets.append((f"章节·{sec.label}", np.array([it.point.section is sec for it in items])))
    for name, m in subsets:
        if m.any():
            res[name] = {**prf(pred[m], gold[m]), "auc": auc(p[m], gold[m])}
    off = np.array([it.passage.kind == "off_domain" and not it.general for it in items])
    res["他领域文本上的领域要点"] = {"predicted": int(pred[off].sum()), "n": int(off.sum())}
    return res


def _not_capped(it: Item) -> bool:
    """Whether the item's evidence may be 已覆盖 at all (kind, specifics, linked rule) — the app's caps."""
    m = _provisional(np.zeros(len(SEGMENT_FEATURES) + len(SECTION_FEATURES)), 0.0, covered=0.0001, partial=0.0001)
    v = decide(it.features, m, needs_specifics=it.needs_specifics,
               rule_found_nothing=it.rule_fraction is not None and it.rule_fraction <= 0.0)
    return v.status == "已覆盖"


def nested_thresholds(items: Sequence[Item], p: np.ndarray, group: Callable[[Item], str]) -> np.ndarray:
    """For each real item, its 已覆盖 threshold chosen on the other groups' held-out predictions only."""
    groups = np.array([group(it) for it in items])
    gold = np.array([it.y for it in items])
    th = np.zeros(len(items))
    for g in np.unique(groups):
        m = groups != g
        th[groups == g] = covered_threshold(p[m], gold[m])
    return th


@dataclass
class Calibration:
    model: CoverageModel
    default: CoverageModel
    report: dict


def calibrate(encoder: Encoder, real: Optional[list[Passage]] = None,
              synthetic: Optional[list[Passage]] = None, *, full: bool = True) -> Calibration:
    """Fit and measure both models. ``full=False`` skips what is only reported (leave one source out, the
    synthetic set, the default model's figures): enough to check that the stored model is reproduced."""
    real = load_real_corpus() if real is None else real
    synthetic = load_synthetic_set() if synthetic is None else synthetic
    items = build_items([*real, *synthetic], encoder)
    ri = [it for it in items if it.passage.real]
    si = [it for it in items if not it.passage.real]
    report: dict = {"encoder": encoder.name, "real_passages": len(real), "synthetic_passages": len(synthetic),
                    "real_judgements": len(ri), "synthetic_judgements": len(si), "figures": {}}
    models = {}
    for name, drop in (("encoder", ()), ("default", ENCODER_FEATURES)):
        if not full and name == "default":
            models[name] = CoverageModel.from_vector(*fit(items, drop=drop), 0.5, 0.25)
            continue
        oof_d = out_of_fold(items, by_domain, drop=drop, exclude_synthetic_of_group=True)
        rp_d = np.array([oof_d[i] for i, it in enumerate(items) if it.passage.real])
        gold = np.array([it.y for it in ri])
        ok = np.array([_not_capped(it) for it in ri])
        t_cov = covered_threshold(np.where(ok, rp_d, 0.0), gold)
        t_part = partial_threshold(rp_d, gold, t_cov)
        nested = nested_thresholds(ri, np.where(ok, rp_d, 0.0), by_domain)
        per_item = np.full(len(ri), t_cov)
        w, b = fit(items, drop=drop)
        fig_d = figures_at(ri, rp_d, nested)
        report["figures"][name] = {"covered_threshold": round(t_cov, 4), "partial_threshold": round(t_part, 4),
                                   "leave_one_domain_out": fig_d}
        note = (f"真实文本 {len(real)} 段、{len(ri)} 个判断（另有自编文本 {len(synthetic)} 段参与拟合）；"
                f"留一领域交叉验证：已覆盖精确率 {fig_d['全部']['precision']:.2f}、召回率 {fig_d['全部']['recall']:.2f}，"
                f"领域要点 AUC {fig_d['领域要点']['auc']:.2f}")
        figs = {k: Figures(precision=v["precision"], recall=v["recall"], f1=v["f1"], auc=v["auc"], n=v["n"])
                for k, v in (("all", fig_d["全部"]), ("domain", fig_d["领域要点"]), ("general", fig_d["通用要点"]))}
        models[name] = CoverageModel.from_vector(w, b, t_cov, t_part, calibrated=note, figures=figs)
        if not full:
            continue
        oof_s = out_of_fold(items, by_source, drop=drop)
        rp_s = np.array([oof_s[i] for i, it in enumerate(items) if it.passage.real])
        report["figures"][name]["leave_one_source_out"] = figures_at(ri, rp_s, per_item)
        # the synthetic set, cross-validated by domain too (fitted on real text + the other synthetic domains)
        syn_p = np.full(len(si), np.nan)
        for d in sorted({by_domain(it) for it in si}):
            train = [it for it in items if by_domain(it) != d or it.passage.real]
            train = [it for it in train if not (it.passage.real and by_domain(it) == d)]
            w_d, b_d = fit(train, drop=drop)
            idx = [i for i, it in enumerate(si) if by_domain(it) == d]
            pr, _ = scores([si[i] for i in idx], _provisional(w_d, b_d, 0.999, 0.001))
            syn_p[idx] = pr
        report["figures"][name]["synthetic"] = figures_at(si, syn_p, np.full(len(si), t_cov))
    return Calibration(models["encoder"], models["default"], report)


HEADER = """\
# 覆盖度判定模型（由 python -m scoring calibrate --write 写入，勿手改数字；可改 min_chars）
# 每个评价要点的“已覆盖/部分覆盖/未覆盖”由一个小型逻辑回归模型给出：p = σ(截距 + 最佳证据句的特征 · segment 权重 + 全章特征 · section 权重)。
# 特征的含义见 scoring/narrative/features.py；模型在 data/coverage_real/（真实公开文本）与 data/coverage_dev.jsonl（自编文本）上拟合，
# 只用真实文本做分组交叉验证（留一领域、留一来源），figures 为留一领域交叉验证的数字（从未在拟合用的文本上测量）。
# covered：已覆盖的概率阈值，按交叉验证精确率不低于 0.63 选取（宁可少判已覆盖）；partial：部分覆盖（请人工核对）的阈值。
"""


def write_models(cal: Calibration, encoder_name: str, path: Optional[Path] = None, min_chars: int = 80) -> Path:
    p = path or coverage_config_path()
    data: dict = {}
    if p.exists():
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    encoders = {k: v for k, v in (data.get("encoders") or {}).items() if isinstance(v, dict) and "intercept" in v}
    encoders[encoder_name] = cal.model.model_dump()
    out = {"note": "由 python -m scoring calibrate --write 标定", "min_chars": data.get("min_chars", min_chars),
           "encoders": encoders, "default": cal.default.model_dump()}
    p.write_text(HEADER + yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def run_calibration(encoder: Encoder, write: bool = False, cfg_path: Optional[Path] = None,
                    real_dir: Optional[Path] = None, dev_path: Optional[Path] = None) -> dict:
    cal = calibrate(encoder, load_real_corpus(real_dir) if real_dir else None,
                    load_synthetic_set(dev_path) if dev_path else None)
    report = {**cal.report, "model": cal.model.model_dump(), "default_model": cal.default.model_dump()}
    if write:
        report["written"] = str(write_models(cal, encoder.name, cfg_path))
    return report
