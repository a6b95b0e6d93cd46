"""Narrative score of the 创建工作方案: evaluation-point coverage + section rules + suggestions.

All weights, patterns and thresholds come from ``rubrics/<pack>/narrative.yaml`` and ``rubrics/<pack>/coverage.yaml``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .coverage import Doc, PointCoverage, cover_points, cue_hits, load_coverage_config, model_for
from .decision import CoverageModel, Figures, Status
from .features import dedupe_text, normalise_sentence
from .encoders import Encoder
from ..application.ids import ApplicantType, Domain, Section
from ..application.models import AnyApplication, PointClaim, narrative_items
from ..programme.points import kind_specific_points, load_points_file, points_for, software_targets
from ..programme.rubric import load_rubric_model, rubric_dir
from .textsplit import split_sentences

# ---------------------------------------------------------------------------------------------------------------
# rubric


class SectionCfg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    weight: float = Field(ge=0)
    rules_share: float = Field(ge=0, le=1)
    source: str = ""


class RuleCfg(BaseModel):
    model_config = ConfigDict(extra="allow")
    section: Section
    title: str
    basis: str
    source: str
    suggestion: str
    applies_to: list[ApplicantType] = Field(default_factory=lambda: list(ApplicantType))
    point: Optional[str] = Field(default=None, description="the general point about the same thing, without the "
                                                           "type (e.g. tasks.radiation): the two must agree")


class TotalCfg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicator: float = Field(ge=0)
    narrative: float = Field(ge=0)
    basis: str
    source: str


class NarrativeRubric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    note: str = ""
    credit: dict[str, float]
    general_vs_domain: dict[Literal["general", "domain"], float]
    basis_also_searches_form_items: bool = True
    sections: dict[Section, SectionCfg]
    thin_chars: int = 100
    max_chars: int = 2000
    rules: dict[str, RuleCfg]
    total: TotalCfg


def load_narrative_rubric(path: Optional[Path] = None) -> NarrativeRubric:
    return load_rubric_model(path or (rubric_dir() / "narrative.yaml"), NarrativeRubric, "工作方案评分规则文件")


# ---------------------------------------------------------------------------------------------------------------
# results


class RuleResult(BaseModel):
    key: str
    section: str
    title: str
    passed: bool
    fraction: float = Field(ge=0, le=1)
    reason: str
    basis: str
    source: str
    suggestion: str
    max_points: float = 0.0


Decider = Literal["系统判定", "本人确认", "本人否定", "不适用"]


class ScoredPoint(PointCoverage):
    """A point as scored. ``status`` is what counts; a point marked 不适用 keeps the machine's status there but has
    ``decided_by == "不适用"`` and no weight: count points by ``decided_by`` first."""

    credit: float = 0.0
    max_points: float = Field(default=0.0, description="分值（工作方案 100 分制）")
    machine_status: Status = Field(default="未覆盖", description="系统判定的状态（本人意见之前）")
    decided_by: Decider = Field(default="系统判定", description="计分所用的判定来自谁")
    claim_note: str = Field(default="", description="本人意见的说明，或本人确认为何不再有效")
    rule_note: str = Field(default="", description="同一内容的章节规则的结论")


class CheckerInfo(BaseModel):
    """How the coverage verdicts were reached, and how far they can be trusted (real-text figures only)."""

    covered: float = Field(description="已覆盖的概率阈值（通用要点）")
    covered_domain: float = Field(description="已覆盖的概率阈值（领域要点）")
    partial: float = Field(description="部分覆盖的概率阈值")
    calibrated: str = ""
    figures: dict[str, Figures] = Field(default_factory=dict,
                                        description="真实文本上留一领域交叉验证的已覆盖精确率、召回率：all/domain/general")

    def trust_text(self) -> str:
        """How far the verdicts can be trusted, in one Chinese sentence: the real-text figures and nothing else."""
        f = self.figures.get("all")
        if f is None:
            return "判定的可信度：覆盖度判定模型尚未在真实文本上标定，判定仅供参考；“部分覆盖”请人工核对。"
        return (f"判定的可信度（在 {f.n} 个真实公开文本判断上交叉验证）：判为“已覆盖”的要点约 {f.precision:.0%} 确实覆盖，"
                f"真正覆盖的要点约 {f.recall:.0%} 被判为“已覆盖”；“部分覆盖”请人工核对。")


class SectionResult(BaseModel):
    section: str
    label: str
    chars: int
    max_chars: int
    over_limit: bool
    thin: bool
    weight: float
    score: float = Field(description="本章得分率 0–1")
    points: list[ScoredPoint]
    rules: list[RuleResult]


class LengthIssue(BaseModel):
    field: str
    label: str
    chars: int
    max_chars: int
    level: Literal["错误", "提示"]
    message: str


class Suggestion(BaseModel):
    kind: Literal["要点", "规则", "字数"]
    target: str
    section: str
    text: str
    status: str
    gain_narrative: float = Field(description="补齐后工作方案可增加的分数（100 分制）")
    gain_total: float = Field(description="补齐后申报总分可增加的分数")


class TargetHit(BaseModel):
    key: str
    source: str
    found: bool
    cues_found: list[str] = Field(default_factory=list)


class NarrativeResult(BaseModel):
    encoder: str
    checker: CheckerInfo
    warnings: list[str] = Field(default_factory=list)
    score: float
    sections: list[SectionResult]
    length_issues: list[LengthIssue]
    suggestions: list[Suggestion]
    software_targets: Optional[list[TargetHit]] = None
    rubric_version: str = ""
    ai_kind: Optional[str] = Field(default=None, description="企业类型（人工智能领域）：innovative / application")
    kind_notice: str = Field(default="", description="企业类型对评价要点的影响；未选择时为待确认提示")
    kind_pending: bool = Field(default=False, description="人工智能领域企业尚未选择企业类型（两类要点都评分）")


class TotalPart(BaseModel):
    key: str
    label: str
    score: float
    weight: float
    contribution: float


class TotalScore(BaseModel):
    score: float
    parts: list[TotalPart]
    basis: str
    source: str


# ---------------------------------------------------------------------------------------------------------------
# helpers


def char_count(text: str) -> int:
    """字数 as WPS/Word count it without spaces: every non-whitespace character."""
    return sum(1 for ch in text if not ch.isspace())


_YEAR = re.compile(r"(20\d\d)\s*年")


def _target_items(text: str, cfg: RuleCfg) -> list[str]:
    """Quantified targets: number+unit mentions that belong to a target statement.

    A mention counts when it follows a target year (e.g. “到2027年”) in the same paragraph — so a list of targets
    under one “到2027年，力争实现：” line counts item by item — or when its sentence uses a target verb
    (力争、达到、突破 …) in a text that names a target year somewhere.
    """
    extra: dict[str, Any] = cfg.model_extra or {}
    years = {int(y) for y in extra.get("target_years", [])}
    units = sorted(extra.get("units", []), key=len, reverse=True)
    verbs = list(extra.get("target_verbs", []))
    unit_re = "|".join(re.escape(u) for u in units)
    num_unit = re.compile(rf"(\d+(?:[.,]\d+)?)\s*(?:{unit_re})")
    has_year_anywhere = any(int(y) in years for y in _YEAR.findall(text))
    out: list[str] = []
    item_line = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[）)]|[\u2460-\u2473]|[-•·●])")
    carry = False  # inside a list of items introduced by a line with a target year
    for line in text.splitlines():
        year_pos = [m.end() for m in _YEAR.finditer(line) if int(m.group(1)) in years]
        if year_pos:
            first: Optional[int] = min(year_pos)
            carry = True
        elif carry and item_line.match(line):
            first = 0
        else:
            first, carry = None, False
        for s in split_sentences(line):
            in_scope = first is not None and s.end > first
            if not in_scope and not (has_year_anywhere and any(v in s.text for v in verbs)):
                continue
            cleaned = _YEAR.sub("", s.text)  # a year is not a target value
            out.extend(m.group(0) for m in num_unit.finditer(cleaned))
    return out


_NODE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2}\s*月(?:底|末|前|中旬|上旬|下旬)?|底|末|年底|年末|上半年|下半年|年中|"
                   r"第[一二三四1-4]季度|[一二三四1-4]季度|前)?")


def _time_nodes(text: str, years: set[int]) -> list[tuple[int, str]]:
    nodes = []
    for m in _NODE.finditer(text):
        y = int(m.group(1))
        if y in years:
            nodes.append((y, re.sub(r"\s+", "", m.group(0))))
    return nodes


def _facets(text: str, facets: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: hits for name, cues in facets.items() if (hits := cue_hits(cues, text))}


def evaluate_rule(key: str, cfg: RuleCfg, text: str) -> tuple[bool, float, str]:
    """(passed, fraction 0–1, Chinese reason). A repeated sentence counts once."""
    extra: dict[str, Any] = cfg.model_extra or {}
    text = dedupe_text(text)
    if not text.strip():
        return False, 0.0, f"{cfg.section.label}尚未填写"
    if key == "quantified_targets":
        items = _target_items(text, cfg)
        n, need = len(items), int(extra.get("min_targets", 3))
        shown = "、".join(items[:6]) + ("…" if len(items) > 6 else "")
        reason = (f"识别到 {n} 个带目标年份的量化目标" + (f"：{shown}" if n else "") +
                  f"（要求至少 {need} 个）")
        return n >= need, min(1.0, n / need), reason
    if key in ("radiation", "factors"):
        found = _facets(text, extra.get("facets", {}))
        need = int(extra.get("min_facets", 3))
        names = list(extra.get("facets", {}))
        missing = [x for x in names if x not in found]
        head = cue_hits(extra.get("headline", []), text) if key == "radiation" else []
        reason = f"涉及 {len(found)}/{len(names)} 类：" + ("、".join(found) or "无")
        if missing:
            reason += f"；未见：{'、'.join(missing)}"
        if key == "radiation":
            reason += "；" + (f"提到“{head[0]}”" if head else "未明确提出总结推广和辐射带动")
        frac = min(1.0, len(found) / need)
        if key == "radiation" and not head:
            frac *= 0.8
        return len(found) >= need, frac, reason
    if key == "timeline":
        years = {int(y) for y in extra.get("creation_years", [])}
        nodes = _time_nodes(text, years)
        distinct = sorted({n for _, n in nodes})
        ys = sorted({y for y, _ in nodes})
        need_n, need_y = int(extra.get("min_nodes", 3)), int(extra.get("min_years", 2))
        frac = 0.5 * min(1.0, len(distinct) / need_n) + 0.5 * min(1.0, len(ys) / need_y)
        reason = (f"识别到 {len(distinct)} 个时间节点（" + ("、".join(distinct[:6]) or "无") +
                  f"），覆盖 {len(ys)} 个年度（创建期 {min(years)}—{max(years)} 年，要求至少 {need_n} 个节点、{need_y} 个年度）")
        return len(distinct) >= need_n and len(ys) >= need_y, frac, reason
    # cue-count rules: responsibility, organisation
    hits = cue_hits(extra.get("cues", []), text)
    need = int(extra.get("min_hits", 1))
    reason = (f"找到：{'、'.join(hits)}" if hits else "未找到相关表述") + f"（要求至少 {need} 处）"
    return len(hits) >= need, min(1.0, len(hits) / need), reason


# ---------------------------------------------------------------------------------------------------------------


def section_docs(app: AnyApplication, rubric: NarrativeRubric) -> dict[str, list[Doc]]:
    """The texts searched for each section's points."""
    wp = app.work_plan
    docs: dict[str, list[Doc]] = {}
    for sec in Section:
        docs[sec.value] = [Doc(f"work_plan.{sec.value}", sec.label, getattr(wp, sec.value))]
    if rubric.basis_also_searches_form_items:
        for key, (title, text) in narrative_items(app).items():
            if text.strip():
                docs[Section.BASIS.value].append(Doc(f"narratives.{key}", title, text))
    return docs


def length_issues(app: AnyApplication, rubric: NarrativeRubric) -> list[LengthIssue]:
    out = []
    items: list[tuple[str, str, str]] = [(f"work_plan.{s.value}", s.label, getattr(app.work_plan, s.value))
                                         for s in Section]
    items += [(f"narratives.{k}", t, v) for k, (t, v) in narrative_items(app).items()]
    for field, label, text in items:
        n = char_count(text)
        if n > rubric.max_chars:
            out.append(LengthIssue(field=field, label=label, chars=n, max_chars=rubric.max_chars, level="错误",
                                   message=f"{label}共 {n} 字，超过 {rubric.max_chars} 字的上限（多 {n - rubric.max_chars} 字）；"
                                           f"文字已保留，请精简"))
        elif field.startswith("work_plan.") and 0 < n < rubric.thin_chars:
            out.append(LengthIssue(field=field, label=label, chars=n, max_chars=rubric.max_chars, level="提示",
                                   message=f"{label}仅 {n} 字，内容过少，难以判断是否覆盖评价要点"))
        elif field.startswith("work_plan.") and n == 0:
            out.append(LengthIssue(field=field, label=label, chars=0, max_chars=rubric.max_chars, level="提示",
                                   message=f"{label}尚未填写"))
    return out


def linked_rule_fractions(app_type: ApplicantType | str, texts: dict[str, str],
                          rubric: Optional[NarrativeRubric] = None) -> dict[str, float]:
    """For each general point that a section rule is about (the rule's ``point``), how far that rule is met."""
    rubric = rubric or load_narrative_rubric()
    t = ApplicantType.parse(app_type)
    out: dict[str, float] = {}
    for key, r in rubric.rules.items():
        if r.point and t in r.applies_to and r.section.value in texts:
            out[f"{t.value}.general.{r.point}"] = evaluate_rule(key, r, texts[r.section.value])[1]
    return out


def _claim_applies(claim: PointClaim, docs: list[Doc]) -> bool:
    """A confirmation holds while its sentence is still in the section's text (spacing and punctuation aside)."""
    key = normalise_sentence(claim.sentence)
    return bool(key) and any(key in normalise_sentence(d.text) for d in docs)


def apply_claim(c: PointCoverage, claim: Optional[PointClaim], docs: list[Doc]) -> tuple[str, Decider, str]:
    """(status used for the score, who decided it, note) for a point and the applicant's word on it."""
    if claim is None:
        return c.status, "系统判定", ""
    if claim.action == "not_applicable":
        return c.status, "不适用", f"本人标记不适用：{claim.reason}"
    if claim.action == "rejected":
        return "未覆盖", "本人否定", "本人认为文中未覆盖该要点"
    if _claim_applies(claim, docs):
        return "已覆盖", "本人确认", f"本人确认已覆盖，证据句：{claim.sentence}"
    return c.status, "系统判定", "本人确认的证据句已不在文中（可能已修改），恢复系统判定；如仍覆盖请重新确认"


def kind_notice(app: AnyApplication) -> tuple[str, bool]:
    """(what the kind of AI enterprise does to the points, in Chinese; whether the kind is still to be chosen).
    Empty where the annex has no kinds (parks, other domains). Not chosen: both kinds' points are scored."""
    specific = kind_specific_points(app.type, app.domain)
    if not specific:
        return "", False
    kind = getattr(app, "ai_kind", None)
    if kind is None:
        return ("待确认：尚未选择企业类型（创新型企业 / 应用型企业）。附件5 对人工智能领域的两类企业分别提出部分评价要点，"
                f"现按两类企业的全部要点评分（其中 {len(specific)} 个只适用于其中一类，已标明类型），得分可能偏低。"
                "请在“填报”页“申请书首页”选择企业类型，之后只按本类要点和两类共同的要点评分。"), True
    other = [p for p in specific if kind not in p.kinds]
    return (f"企业类型：{kind.label}。按附件5，只评价{kind.label}的要点和两类共同的要点；另一类企业的 {len(other)} 个要点"
            f"（{'、'.join(p.title for p in other)}）不评价、不计分。"), False


def score_narrative(app: AnyApplication, encoder: Encoder, rubric: Optional[NarrativeRubric] = None,
                    model: Optional[CoverageModel] = None, total_weight: Optional[float] = None) -> NarrativeResult:
    rubric = rubric or load_narrative_rubric()
    warnings: list[str] = []
    if model is None:
        model, warn = model_for(encoder.name, load_coverage_config())
        if warn:
            warnings.append(warn)
    t = ApplicantType.parse(app.type)
    pts = points_for(t, app.domain, ai_kind=getattr(app, "ai_kind", None))
    notice, pending = kind_notice(app)
    docs_for = section_docs(app, rubric)
    texts = {sec.value: getattr(app.work_plan, sec.value) for sec in Section}
    rule_eval = {k: evaluate_rule(k, r, texts[r.section.value]) for k, r in rubric.rules.items() if t in r.applies_to}
    fractions = {f"{t.value}.general.{r.point}": rule_eval[k][1] for k, r in rubric.rules.items()
                 if r.point and k in rule_eval}
    rule_by_point = {f"{t.value}.general.{r.point}": (r, rule_eval[k]) for k, r in rubric.rules.items()
                     if r.point and k in rule_eval}
    cov = {c.id: c for c in cover_points(pts, docs_for, encoder, model, term_points=load_points_file(t).points,
                                         rule_fractions=fractions)}
    claims = app.coverage_claims
    unknown = sorted(set(claims) - {p.id for p in pts})
    if unknown:
        warnings.append(f"本人意见中有 {len(unknown)} 个评价要点不属于当前类别、领域和企业类型（可能更换过申报领域或企业类型），未计入："
                        + "、".join(unknown[:5]) + ("…" if len(unknown) > 5 else ""))
    w_total = sum(c.weight for c in rubric.sections.values()) or 1.0
    narrative_total_weight = rubric.total.narrative if total_weight is None else total_weight
    sections: list[SectionResult] = []
    suggestions: list[Suggestion] = []
    score = 0.0
    for sec, scfg in rubric.sections.items():
        sec_pts = [p for p in pts if p.section is sec]
        rules = [(k, r) for k, r in rubric.rules.items() if r.section is sec and t in r.applies_to]
        text = getattr(app.work_plan, sec.value)
        decided = {p.id: apply_claim(cov[p.id], claims.get(p.id), docs_for.get(sec.value, [])) for p in sec_pts}
        counted = [p for p in sec_pts if decided[p.id][1] != "不适用"]
        rho = scfg.rules_share if rules else 0.0
        if not counted:
            rho = 1.0 if rules else 0.0
        sec_max = scfg.weight / w_total * 100.0
        groups = {"general": [p for p in counted if p.is_general], "domain": [p for p in counted if not p.is_general]}
        present = {g: ps for g, ps in groups.items() if ps}
        share_sum = sum(rubric.general_vs_domain[g] for g in present) or 1.0
        scored: list[ScoredPoint] = []
        points_score = 0.0
        fracs: dict[str, float] = {}
        for g, ps in present.items():
            gshare = rubric.general_vs_domain[g] / share_sum
            wsum = sum(p.weight for p in ps) or 1.0
            for p in ps:
                fracs[p.id] = gshare * p.weight / wsum
        for p in sec_pts:
            c = cov[p.id]
            status, who, note = decided[p.id]
            credit = 0.0 if who == "不适用" else rubric.credit.get(status, 0.0)
            frac = fracs.get(p.id, 0.0)
            points_score += frac * credit
            mp = sec_max * (1 - rho) * frac
            rule_note = ""
            if p.id in rule_by_point:
                r, (passed, rf, reason) = rule_by_point[p.id]
                rule_note = f"章节规则“{r.title}”：{reason}"
            data = c.model_dump()
            data["status"] = status
            scored.append(ScoredPoint(**data, credit=credit, max_points=round(mp, 3), machine_status=c.status,
                                      decided_by=who, claim_note=note, rule_note=rule_note))
            if who != "不适用" and credit < 1.0:
                gain = (1.0 - credit) * mp
                suggestions.append(Suggestion(
                    kind="要点", target=p.id, section=sec.value, status=status,
                    text=p.suggestion or f"补充“{p.title}”相关内容（{p.source}）",
                    gain_narrative=round(gain, 2), gain_total=round(gain * narrative_total_weight, 2)))
        rule_results: list[RuleResult] = []
        rules_score = 0.0
        for k, r in rules:
            passed, frac, reason = rule_eval[k]
            mp = sec_max * rho / len(rules)
            rules_score += frac / len(rules)
            rule_results.append(RuleResult(key=k, section=sec.value, title=r.title, passed=passed,
                                           fraction=round(frac, 3), reason=reason, basis=r.basis, source=r.source,
                                           suggestion=r.suggestion, max_points=round(mp, 3)))
            if frac < 1.0:
                gain = (1.0 - frac) * mp
                suggestions.append(Suggestion(kind="规则", target=k, section=sec.value,
                                              status="未满足" if not passed else "部分满足", text=r.suggestion,
                                              gain_narrative=round(gain, 2),
                                              gain_total=round(gain * narrative_total_weight, 2)))
        sec_score = (1 - rho) * points_score + rho * rules_score
        score += sec_max * sec_score
        n = char_count(text)
        sections.append(SectionResult(section=sec.value, label=scfg.label, chars=n, max_chars=rubric.max_chars,
                                      over_limit=n > rubric.max_chars, thin=0 < n < rubric.thin_chars,
                                      weight=scfg.weight, score=round(sec_score, 4), points=scored,
                                      rules=rule_results))
    lengths = length_issues(app, rubric)
    for li in lengths:
        if li.level == "错误":
            suggestions.append(Suggestion(kind="字数", target=li.field, section=li.field.split(".")[-1],
                                          status="超出字数", text=f"精简“{li.label}”至 {li.max_chars} 字以内（现 {li.chars} 字）",
                                          gain_narrative=0.0, gain_total=0.0))
    suggestions.sort(key=lambda s: (s.kind != "字数", -s.gain_narrative))
    targets = None
    if app.domain is Domain.SOFTWARE:
        approach = dedupe_text(app.work_plan.approach)
        targets = [TargetHit(key=tg.key, source=tg.source, found=bool(h := cue_hits(tg.cues, approach)),
                             cues_found=h) for tg in software_targets(t)]
    checker = CheckerInfo(covered=model.covered, covered_domain=model.covered_for(True), partial=model.partial, calibrated=model.calibrated,
                          figures=model.figures)
    return NarrativeResult(encoder=encoder.name, checker=checker, warnings=warnings, score=round(score, 2),
                           sections=sections, length_issues=lengths, suggestions=suggestions,
                           software_targets=targets, rubric_version=rubric.version,
                           ai_kind=getattr(getattr(app, "ai_kind", None), "value", None), kind_notice=notice,
                           kind_pending=pending)


def total_score(indicator: float, narrative: float, rubric: Optional[NarrativeRubric] = None) -> TotalScore:
    rubric = rubric or load_narrative_rubric()
    wi, wn = rubric.total.indicator, rubric.total.narrative
    s = wi + wn or 1.0
    parts = [TotalPart(key="indicator", label="指标得分", score=indicator, weight=wi / s,
                       contribution=round(indicator * wi / s, 2)),
             TotalPart(key="narrative", label="工作方案得分", score=narrative, weight=wn / s,
                       contribution=round(narrative * wn / s, 2))]
    return TotalScore(score=round(sum(p.contribution for p in parts), 2), parts=parts, basis=rubric.total.basis,
                      source=rubric.total.source)
