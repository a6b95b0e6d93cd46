"""Rank robustness: how much do the places depend on the (provisional) rubric weights?

Every weight of the score is multiplied by an independent uniform factor in ``[1 − spread, 1 + spread]`` (default
±20 %, 300 draws, fixed seed; ``rubrics/<pack>/ranking.yaml``): the indicator rubric's dimension weights and indicator
weights (per type), the narrative rubric's section weights and the total's indicator/narrative weights. Nothing is
re-embedded or re-scored: each candidate's per-indicator fractions (得分率, 0 for 缺数据, excluded when 不考查) and
per-section narrative scores (which already contain the per-point credits and section rules) are taken once from its
:class:`~scoring.assessment.result.ScoreResult`; every draw only re-weights them with numpy, exactly as
:mod:`scoring.rules.indicators` and :mod:`scoring.narrative.workplan` combine them (with all factors equal to 1 the engine's scores
come back, see ``max_deviation``).

In each draw the candidates are re-ranked within city × type with the same tie-break as the ranking, and the
proposal rule is re-run (eligible candidates in rank order up to the quota, skipping blocking conflicts). For each
candidate: its rank range (min–max and the 5–95 % range) and the share of draws in which it is proposed
(“lands within the quota”). Deterministic for a seed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Literal, Optional, Sequence

import numpy as np
from pydantic import BaseModel, Field

from ..application.ids import ApplicantType, Section
from ..narrative.workplan import NarrativeRubric, load_narrative_rubric
from ..programme.quotas import QuotaRubric, RankingRubric, load_quotas, load_ranking_rubric
from .ranking import NO_CITY, CandidateScore, Ranking
from ..programme.rubric import IndicatorRubric, RubricError, load_indicator_rubric

Verdict = Literal["稳定入围", "稳定未入围", "位次不稳定", "不参与自动建议"]


class RobustRow(BaseModel):
    cid: str
    name: str
    type_label: str
    domain_label: str
    eligibility: str
    base_rank: int
    rank_min: int
    rank_max: int
    rank_p5: int
    rank_p95: int
    total_min: float
    total_max: float
    in_quota_share: Optional[float] = Field(description="被建议推荐的抽样比例；待确认者不自动建议，为 None")
    verdict: Verdict
    note: str = Field(default="", description="说明，如因须处理的冲突而不自动建议")


class RobustGroup(BaseModel):
    key: str
    title: str
    city: str
    type: str
    size: int = Field(description="建议名额（名额上限或本工具的预选数量）")
    rows: list[RobustRow]


class RobustnessResult(BaseModel):
    spread: float
    draws: int
    seed: int
    groups: list[RobustGroup]
    max_deviation: float = Field(description="不扰动时重算的总分与评分引擎结果的最大差值（应接近 0）")
    seconds: float
    weights: list[str]
    basis: str
    source: str


# ---------------------------------------------------------------------------------------------------------------
# per-candidate parts, taken once


class _TypeData:
    """Indicator fractions of the candidates of one type, aligned with the rubric's indicators."""

    def __init__(self, rubric: IndicatorRubric, scores: Sequence[CandidateScore]):
        self.dim_w = np.array([d.weight for d in rubric.dimensions], dtype=float)
        inds = [(di, ind) for di, d in enumerate(rubric.dimensions) for ind in d.indicators]
        self.ind_w = np.array([ind.weight for _, ind in inds], dtype=float)
        self.member = np.zeros((len(inds), len(rubric.dimensions)))
        for k, (di, _) in enumerate(inds):
            self.member[k, di] = 1.0
        n, m = len(scores), len(inds)
        self.frac = np.zeros((n, m))
        self.assessed = np.zeros((n, m))
        for c, s in enumerate(scores):
            lines = {(d.key, ln.key): ln for d in s.result.indicator.dimensions for ln in d.indicators}
            for k, (di, ind) in enumerate(inds):
                ln = lines.get((rubric.dimensions[di].key, ind.key))
                if ln is None:
                    raise RubricError(f"“{s.name}”的评分结果中没有指标“{ind.label}”：评分后规则文件已改变，请重新评分")
                if ln.status == "不考查":
                    continue
                self.assessed[c, k] = 1.0
                self.frac[c, k] = ln.fraction or 0.0  # 缺数据 = 0

    def scores(self, u_dim: np.ndarray, u_ind: np.ndarray) -> np.ndarray:
        """(draws, candidates) indicator scores for multipliers u_dim (draws, D) and u_ind (draws, I)."""
        wd = self.dim_w[None, :] * u_dim
        dim_pts = 100.0 * wd / wd.sum(axis=1, keepdims=True)               # (R, D)
        wi = self.ind_w[None, :] * u_ind                                     # (R, I)
        num = np.einsum("ri,ci,id->rcd", wi, self.assessed * self.frac, self.member)
        den = np.einsum("ri,ci,id->rcd", wi, self.assessed, self.member)
        share = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
        return np.einsum("rd,rcd->rc", dim_pts, share)


def _section_matrix(scores: Sequence[CandidateScore], sections: list[Section]) -> tuple[np.ndarray, np.ndarray]:
    """(candidates, sections) section score rates and a mask of candidates that have a narrative score."""
    m = np.zeros((len(scores), len(sections)))
    has = np.zeros(len(scores), dtype=bool)
    for c, s in enumerate(scores):
        nar = s.result.narrative
        if nar is None:
            continue
        has[c] = True
        by = {x.section: x.score for x in nar.sections}
        for k, sec in enumerate(sections):
            m[c, k] = by.get(sec.value, 0.0)
    return m, has


# ---------------------------------------------------------------------------------------------------------------


def _rank_order(idx: list[int], total: np.ndarray, ind: np.ndarray, nar: np.ndarray, pending: np.ndarray,
                name_rank: np.ndarray) -> list[int]:
    """Candidates ``idx`` in rank order for one draw (the tie-break of scoring.selection.ranking.sort_key)."""
    ii = np.array(idx)
    keys = (name_rank[ii], pending[ii], -np.round(nar[ii], 2), -np.round(ind[ii], 2), -np.round(total[ii], 2))
    return [idx[k] for k in np.lexsort(keys)]


def analyse(rk: Ranking, spread: Optional[float] = None, draws: Optional[int] = None, seed: Optional[int] = None,
            quotas: Optional[QuotaRubric] = None, rules: Optional[RankingRubric] = None,
            narrative_rubric: Optional[NarrativeRubric] = None) -> RobustnessResult:
    """Perturb the weights ``draws`` times and summarise each ranked candidate's places."""
    t0 = time.perf_counter()
    rules = rules or load_ranking_rubric()
    quotas = quotas or load_quotas()
    cfg = rules.robustness
    spread = cfg.spread if spread is None else spread
    draws = cfg.draws if draws is None else draws
    seed = cfg.seed if seed is None else seed
    if not 0 < spread < 1 or draws < 1:
        raise ValueError("扰动幅度应在 0 与 1 之间，抽样次数至少 1 次")
    nr = narrative_rubric or load_narrative_rubric()
    sections = list(nr.sections)
    sec_w = np.array([nr.sections[s].weight for s in sections], dtype=float)
    tot_w = np.array([nr.total.indicator, nr.total.narrative], dtype=float)

    scores = list(rk.scores)
    n = len(scores)
    rng = np.random.default_rng(seed)
    lo, hi = 1.0 - spread, 1.0 + spread
    ind_scores = np.zeros((draws + 1, n))  # row 0: the unperturbed weights (a check)
    types = [t for t in ApplicantType if any(s.type == t.value for s in scores)]
    for t in types:
        cols = [c for c, s in enumerate(scores) if s.type == t.value]
        td = _TypeData(load_indicator_rubric(t), [scores[c] for c in cols])
        u_dim = np.vstack([np.ones(len(td.dim_w)), rng.uniform(lo, hi, (draws, len(td.dim_w)))])
        u_ind = np.vstack([np.ones(len(td.ind_w)), rng.uniform(lo, hi, (draws, len(td.ind_w)))])
        ind_scores[:, cols] = td.scores(u_dim, u_ind)
    u_sec = np.vstack([np.ones(len(sec_w)), rng.uniform(lo, hi, (draws, len(sec_w)))])
    u_tot = np.vstack([np.ones(2), rng.uniform(lo, hi, (draws, 2))])
    rates, has_nar = _section_matrix(scores, sections)
    ws = sec_w[None, :] * u_sec
    nar_scores = (100.0 * ws / ws.sum(axis=1, keepdims=True)) @ rates.T           # (R+1, n)
    wt = tot_w[None, :] * u_tot
    wt = wt / wt.sum(axis=1, keepdims=True)
    totals = np.where(has_nar[None, :], wt[:, :1] * ind_scores + wt[:, 1:] * nar_scores, ind_scores)

    # check: without perturbation the engine's (rounded) scores come back
    base = np.array([s.rank_score for s in scores])
    max_dev = float(np.max(np.abs(totals[0] - base))) if n else 0.0

    pending = np.array([len(s.pending) for s in scores], dtype=float)
    name_rank = np.empty(n)
    name_rank[sorted(range(n), key=lambda c: (scores[c].name, scores[c].cid))] = np.arange(n)
    kinds = set(rules.proposal.skip_conflicts)
    index = {s.cid: c for c, s in enumerate(scores)}
    partners: dict[int, set[int]] = defaultdict(set)
    for cf in rk.conflicts:
        if cf.kind in kinds:
            ids = [index[x] for x in cf.cids if x in index]
            for a in ids:
                partners[a].update(b for b in ids if b != a)

    groups_idx: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c, s in enumerate(scores):
        if s.eligible is not False and not s.out_of_city:
            groups_idx[(s.city or NO_CITY, s.type)].append(c)
    ranks = np.zeros((draws, n), dtype=int)
    proposed = np.zeros((draws, n), dtype=bool)
    sizes: dict[tuple[str, str], int] = {}
    for city, tv in groups_idx:
        sizes[(city, tv)] = 0 if city == NO_CITY else quotas.proposal_size(city, tv)
    cities = sorted({k[0] for k in groups_idx})
    type_order = [at.value for at in ApplicantType]
    for r in range(draws):
        tot, ind, nar = totals[r + 1], ind_scores[r + 1], nar_scores[r + 1]
        for city in cities:
            taken: list[int] = []
            for tv in type_order:
                members = groups_idx.get((city, tv))
                if not members:
                    continue
                order = _rank_order(members, tot, ind, nar, pending, name_rank)
                for pos, c in enumerate(order, 1):
                    ranks[r, c] = pos
                chosen = 0
                size = sizes[(city, tv)]
                for c in order:
                    if chosen >= size:
                        break
                    if scores[c].eligible is not True or partners[c] & set(taken):
                        continue
                    proposed[r, c] = True
                    taken.append(c)
                    chosen += 1

    base_rank = {row.cid: row.rank for tb in rk.by_city for row in tb.rows}
    groups: list[RobustGroup] = []
    decided = cfg.decided_share
    for tb in rk.by_city:
        rows: list[RobustRow] = []
        for row in tb.rows:
            c = index[row.cid]
            s = scores[c]
            rr = ranks[:, c]
            share = float(proposed[:, c].mean()) if s.eligible is True else None
            if share is None:
                verdict: Verdict = "不参与自动建议"
            elif share >= decided:
                verdict = "稳定入围"
            elif share <= 1 - decided:
                verdict = "稳定未入围"
            else:
                verdict = "位次不稳定"
            blocking = sorted(scores[x].name for x in partners[c])
            note = ("有待确认的硬性规则，须核实后人工纳入" if s.eligible is None else
                    f"与“{'”“'.join(blocking)}”存在须处理的冲突，二者中排名在后者不自动建议" if blocking else "")
            rows.append(RobustRow(
                note=note,
                cid=row.cid, name=row.name, type_label=row.type_label, domain_label=row.domain_label,
                eligibility=row.eligibility, base_rank=base_rank[row.cid], rank_min=int(rr.min()),
                rank_max=int(rr.max()), rank_p5=int(np.quantile(rr, 0.05, method="inverted_cdf")),
                rank_p95=int(np.quantile(rr, 0.95, method="inverted_cdf")),
                total_min=round(float(totals[1:, c].min()), 2), total_max=round(float(totals[1:, c].max()), 2),
                in_quota_share=None if share is None else round(share, 4), verdict=verdict))
        groups.append(RobustGroup(key=tb.key, title=tb.title, city=tb.city, type=tb.type,
                                  size=sizes.get((tb.city, tb.type), 0), rows=rows))
    return RobustnessResult(spread=spread, draws=draws, seed=seed, groups=groups, max_deviation=round(max_dev, 4),
                            seconds=round(time.perf_counter() - t0, 3), weights=list(cfg.weights), basis=cfg.basis,
                            source=cfg.source.strip())



# ---------------------------------------------------------------------------------------------------------------
# chart (plotly; imported only when a chart is drawn)

VERDICT_COLORS: dict[str, str] = {"稳定入围": "#1f7a3a", "位次不稳定": "#d98c00", "稳定未入围": "#8a94a6",
                                  "不参与自动建议": "#b0b7c3"}


def _label(text: str) -> str:
    """Plotly reads <…> in labels as markup: applicants' names are shown with full-width brackets instead."""
    return text.replace("<", "＜").replace(">", "＞").replace("&", "＆")


def robustness_figure(group: RobustGroup, draws: int, spread: float, big: bool = False):  # type: ignore[no-untyped-def]
    """Rank ranges of one city × type: thin bar min–max, thick bar 5–95 %, dot = rank with the rubric's weights."""
    import plotly.graph_objects as go

    rows = group.rows
    names = [_label(f"{r.cid} {r.name}") for r in rows]
    fig = go.Figure()
    for r, name in zip(rows, names):
        color = VERDICT_COLORS[r.verdict]
        share = "—" if r.in_quota_share is None else f"{r.in_quota_share:.0%}"
        hover = (f"{name}<br>名次 {r.base_rank}；范围 {r.rank_min}–{r.rank_max}；5%–95%：{r.rank_p5}–{r.rank_p95}"
                 f"<br>入围频率 {share}（{r.verdict}）<extra></extra>")
        fig.add_trace(go.Scatter(x=[r.rank_min - 0.3, r.rank_max + 0.3], y=[name, name], mode="lines",
                                 line=dict(color=color, width=3), opacity=0.45, showlegend=False,
                                 hovertemplate=hover))
        fig.add_trace(go.Scatter(x=[r.rank_p5 - 0.3, r.rank_p95 + 0.3], y=[name, name], mode="lines",
                                 line=dict(color=color, width=12), showlegend=False, hovertemplate=hover))
    for verdict, color in VERDICT_COLORS.items():
        sel = [(r, n) for r, n in zip(rows, names) if r.verdict == verdict]
        if not sel:
            continue
        fig.add_trace(go.Scatter(x=[r.base_rank for r, _ in sel], y=[n for _, n in sel], mode="markers",
                                 marker=dict(color="white", size=11, line=dict(color=color, width=3)),
                                 name=verdict, hoverinfo="skip"))
    if group.size:
        fig.add_vline(x=group.size + 0.5, line_dash="dash", line_color="#c0392b",
                      annotation_text=f"建议名额 {group.size}", annotation_position="top right")
    n = max(1, len(rows))
    font = 18 if big else 13
    fig.update_layout(
        title=dict(text=f"{_label(group.title)}：权重 ±{spread:.0%} 扰动 {draws} 次的名次范围", font=dict(size=font + 2),
                   y=0.98, yanchor="top"),
        height=170 + (44 if big else 34) * n, margin=dict(l=10, r=20, t=100, b=50), font=dict(size=font),
        xaxis=dict(title="名次（1 为第一名）", dtick=1, range=[0.4, n + 0.6]),
        yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left"))
    return fig
