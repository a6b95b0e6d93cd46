"""Eligibility: the hard rules of the notice (通知三、四) and the 创建基本条件 (参考值), as Chinese checks.

The rules' wording and the notice's sentences live in ``rubrics/<pack>/eligibility.yaml`` (:class:`EligibilityRubric`);
the numeric 创建基本条件 come from the indicator rubric (``IndicatorRubric.basic_conditions``). Each check is
满足 / 不满足 / 待确认 (待确认 = the answer rests on an attestation not yet made or on missing data). A 满足 that
rests only on the applicant's own statement says so in its message.
"""

from __future__ import annotations

import operator
from functools import lru_cache
from pathlib import Path
from typing import Callable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..application.derived import DerivedResult, estimate_note, fmt
from ..application.errors import field_label
from ..application.ids import ApplicantType, Domain
from ..application.required import credit_code_problem, missing_required
from ..application.models import (AnyApplication, Attestations, EnterpriseApplication, ParkApplication, WorkPlan,
                     narrative_items, work_plan_sections)
from .results import CheckStatus, EligibilityCheck
from ..programme.packs import active_pack
from ..programme.rubric import BasicCondition, IndicatorRubric, RubricError, read_yaml, rubric_dir

AppliesTo = Literal["park", "enterprise", "both"]
Counting = Literal["non_whitespace", "all"]


# ---------------------------------------------------------------------------------------------------------------
# the rubric file


class _E(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _format(owner: str, messages: dict[str, str], name: str, **kw: object) -> str:
    """Fill a wording template; a missing template or placeholder is a rubric error (in Chinese)."""
    try:
        return messages[name].format(**kw)
    except (KeyError, IndexError) as e:
        raise RubricError(f"规则文件 eligibility.yaml 的 {owner} 缺少措辞模板或占位符：{e}") from e


class EligibilityRule(_E):
    key: str
    title: str = Field(description="规则名称（中文）")
    basis: str = Field(description="通知原文（逐字引用）")
    ref: str = Field(description="出处，如“通知四（一）”")
    applies_to: AppliesTo
    messages: dict[str, str] = Field(default_factory=dict, description="中文措辞模板，{占位符}由程序填写")
    note: str = ""
    domains: list[Domain] = Field(default_factory=list, description="仅适用于这些领域（空=全部）")
    manager_labels: dict[str, str] = Field(default_factory=dict)

    def msg(self, name: str, **kw: object) -> str:
        return _format(self.key, self.messages, name, **kw)


class CharLimit(_E):
    max_chars: int = Field(gt=0)
    counting: Counting = "non_whitespace"
    counting_note: str = Field(description="计数口径的完整说明（界面展示）")
    counting_short: str = Field(description="计数口径的简短说明（用于提示语）")
    title: str
    basis_items: str = Field(description="附件2/3 叙述性条目的原文")
    basis_work_plan: str = Field(description="附件2/3 创建工作方案的原文")
    ref_park: str
    ref_enterprise: str
    work_plan_prefix: str = ""
    messages: dict[str, str]

    def msg(self, name: str, **kw: object) -> str:
        return _format("char_limit", self.messages, name, **kw)


class BasicConditionsText(_E):
    title_prefix: str
    basis: str
    ref: str
    messages: dict[str, str]

    def msg(self, name: str, **kw: object) -> str:
        return _format("basic_conditions", self.messages, name, **kw)


class OtherRequirement(_E):
    key: str
    title: str
    basis: str
    ref: str
    applies_to: AppliesTo
    reason: str = Field(description="为何本工具不检查")


class EligibilityRubric(_E):
    version: str
    title: str
    source_document: str
    rules: list[EligibilityRule]
    char_limit: CharLimit
    basic_conditions: BasicConditionsText
    other_requirements: list[OtherRequirement] = Field(default_factory=list)

    def rule(self, key: str) -> EligibilityRule:
        for r in self.rules:
            if r.key == key:
                return r
        raise RubricError(f"规则文件 eligibility.yaml 缺少规则：{key}")


def eligibility_rubric_path(directory: Path | None = None) -> Path:
    return (directory or rubric_dir()) / "eligibility.yaml"


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> EligibilityRubric:
    data = read_yaml(Path(path))
    try:
        return EligibilityRubric.model_validate(data)
    except ValidationError as e:
        raise RubricError(f"规则文件内容有误：{path}\n{e}") from e


def load_eligibility_rubric(path: Path | str | None = None) -> EligibilityRubric:
    """The eligibility rules (cached; re-read when the file changes)."""
    p = Path(path) if path else eligibility_rubric_path()
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到规则文件：{p}") from e
    return _load(str(p), mtime)


# ---------------------------------------------------------------------------------------------------------------
# helpers


def count_chars(text: str, counting: Counting = "non_whitespace") -> int:
    """Characters of a text: without whitespace (WPS/Word 字符数（不计空格）) or all of them."""
    if counting == "all":
        return len(text)
    return sum(1 for c in text if not c.isspace())


def _label(app: AnyApplication, *loc: str) -> str:
    return field_label(loc, type(app))


def _attestation_title(key: str) -> str:
    return Attestations.model_fields[key].title or key


def _check(rule: EligibilityRule, status: CheckStatus, message: str, fields: list[str],
           key: str | None = None, title: str | None = None) -> EligibilityCheck:
    return EligibilityCheck(key=key or rule.key, title=title or rule.title, status=status, message=message,
                            basis=rule.basis, ref=rule.ref, kind="硬性规则", fields=fields)


def _applies(rule: EligibilityRule, app: AnyApplication) -> bool:
    t = ApplicantType.parse(app.type).value
    if rule.applies_to not in ("both", t):
        return False
    return not rule.domains or app.domain in rule.domains


def _short(text: str, n: int = 40) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n] + "…"


# ---------------------------------------------------------------------------------------------------------------
# rules for both types


def _single_domain(app: AnyApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    # the main domain repeated in "other domains" is not a second domain
    others = list(dict.fromkeys(d for d in app.other_domains if d is not app.domain))
    fields = [_label(app, "domain"), _label(app, "other_domains")]
    if others:  # "原则上": the notice allows exceptions, so the city confirms rather than the tool refusing
        return [_check(r, "待确认", r.msg("pending", domain=app.domain.label,
                                           others="、".join(d.label for d in others)), fields)]
    return [_check(r, "满足", r.msg("ok", domain=app.domain.label), fields)]


def _recommender(app: AnyApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    fields = [_label(app, "recommender")]
    rec = app.recommender.strip()
    expected = active_pack().recommender.name  # the call's 推荐单位 (pack.yaml, e.g. 福建省工业和信息化厅)
    if not rec:
        return [_check(r, "待确认", r.msg("pending", expected=expected), fields)]
    if rec != expected:
        return [_check(r, "不满足", r.msg("fail", recommender=rec, expected=expected), fields)]
    return [_check(r, "满足", r.msg("ok", expected=expected), fields)]


def _safety(app: AnyApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    keys = ("no_major_accident", "no_env_incident", "no_adverse_event")
    a = app.attestations
    fields = [_label(app, "attestations", k) for k in keys]
    no = [_attestation_title(k) for k in keys if getattr(a, k) is False]
    unknown = [_attestation_title(k) for k in keys if getattr(a, k) is None]
    if no:
        msg = r.msg("fail", items="；".join(no))
        if unknown:
            msg += r.msg("pending", items="；".join(unknown))
        return [_check(r, "不满足", msg, fields)]
    if unknown:
        return [_check(r, "待确认", r.msg("pending", items="；".join(unknown)), fields)]
    return [_check(r, "满足", r.msg("ok"), fields)]


def _truthful(app: AnyApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    v = app.attestations.materials_truthful
    fields = [_label(app, "attestations", "materials_truthful")]
    if v is None:
        return [_check(r, "待确认", r.msg("pending"), fields)]
    return [_check(r, "满足" if v else "不满足", r.msg("ok" if v else "fail"), fields)]


# ---------------------------------------------------------------------------------------------------------------
# park rules


def _park_catalog(app: ParkApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    s = app.status
    fields = [_label(app, "status", "in_catalog"), _label(app, "status", "catalog_name")]
    if s.in_catalog is None:
        return [_check(r, "待确认", r.msg("pending"), fields)]
    if s.in_catalog is False:
        return [_check(r, "不满足", r.msg("fail"), fields)]
    name = s.catalog_name.strip()
    catalog = f"（目录中的名称：{name}）" if name else "（未填写目录中的开发区名称）"
    return [_check(r, "满足", r.msg("ok", catalog=catalog), fields)]


def _park_sub_park(app: ParkApplication, rules: EligibilityRubric) -> list[EligibilityCheck]:
    s = app.status
    r = rules.rule("park_sub_park")
    if s.is_sub_park is None:
        return [_check(r, "待确认", r.msg("pending"), [_label(app, "status", "is_sub_park")])]
    if s.is_sub_park is False:
        return [_check(r, "满足", r.msg("ok"), [_label(app, "status", "is_sub_park")])]
    out: list[EligibilityCheck] = []
    rb = rules.rule("park_sub_park_boundary")
    fb = [_label(app, "status", "is_sub_park"), _label(app, "status", "boundary")]
    if s.boundary.strip():
        out.append(_check(rb, "满足", rb.msg("ok", boundary=_short(s.boundary)), fb))
    else:
        out.append(_check(rb, "不满足", rb.msg("fail"), fb))
    rm = rules.rule("park_sub_park_manager")
    fm = [_label(app, "status", "is_sub_park"), _label(app, "status", "sub_park_manager")]
    if s.sub_park_manager is None:
        out.append(_check(rm, "待确认", rm.msg("pending"), fm))
    elif s.sub_park_manager == "other":
        out.append(_check(rm, "不满足", rm.msg("fail"), fm))
    else:
        manager = rm.manager_labels.get(s.sub_park_manager, s.sub_park_manager)
        out.append(_check(rm, "满足", rm.msg("ok", manager=manager), fm))
    return out


def _park_management(app: ParkApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    body = app.basic.management_body.strip()
    fields = [_label(app, "basic", "management_body")]
    if not body:
        return [_check(r, "待确认", r.msg("pending"), fields)]
    return [_check(r, "满足", r.msg("ok", body=body), fields)]


def _smart_factory(app: AnyApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    # informational: only reached for the domains of the rule (AI and software parks)
    return [_check(r, "满足", r.msg("ok", domain=app.domain.label),
                   [_label(app, "factories", "share")])]


# ---------------------------------------------------------------------------------------------------------------
# enterprise rules


def _legal_person(app: EnterpriseApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    v = app.status.independent_legal_person
    fields = [_label(app, "status", "independent_legal_person")]
    if v is None:
        return [_check(r, "待确认", r.msg("pending"), fields)]
    return [_check(r, "满足" if v else "不满足", r.msg("ok" if v else "fail"), fields)]


def _group(app: EnterpriseApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    s = app.status
    own = app.basic.credit_code.strip().upper()
    parent = s.parent_name.strip()
    pcode = s.parent_credit_code.strip().upper()
    fields = [_label(app, "status", "group_also_applies"), _label(app, "status", "parent_name"),
              _label(app, "status", "parent_credit_code"), _label(app, "basic", "credit_code")]
    fails: list[str] = []
    pendings: list[str] = []
    if s.group_also_applies is True:
        fails.append(r.msg("fail_also_applies"))
    if pcode and own and pcode == own:
        fails.append(r.msg("fail_same_code", code=own))
    parent_problem = credit_code_problem(pcode)
    if parent_problem:
        pendings.append(f"所属集团公司的{parent_problem}。")
    if parent and not pcode:
        pendings.append(r.msg("pending_parent_code", parent=parent))
    if s.group_also_applies is None:
        pendings.append(r.msg("pending_unknown"))
    if fails:
        return [_check(r, "不满足", "".join(fails + pendings), fields)]
    if pendings:
        return [_check(r, "待确认", "".join(pendings), fields)]
    detail = r.msg("ok_parent", parent=parent) if parent else r.msg("ok_no_parent")
    return [_check(r, "满足", r.msg("ok", detail=detail), fields)]


def _credit_code(app: EnterpriseApplication, r: EligibilityRule) -> list[EligibilityCheck]:
    code = app.basic.credit_code.strip()
    fields = [_label(app, "basic", "credit_code")]
    if not code:
        return [_check(r, "待确认", r.msg("pending"), fields)]
    problem = credit_code_problem(code)
    if problem:  # a code that does not exist as typed proves nothing about the registration
        return [_check(r, "待确认", f"{problem}。无法据此核查境内注册登记。", fields)]
    return [_check(r, "满足", r.msg("ok", code=code), fields)]


REQUIRED_TITLE = "申请书必填项"
REQUIRED_BASIS = "附件2/3 申请书首页及基本信息表：申报单位、所在设区市、名称、地址、联系人和联系电话等为必填内容。"


def check_required(app: AnyApplication) -> list[EligibilityCheck]:
    """One check: the required fields of the form are all filled (待确认 listing the empty ones otherwise)."""
    missing = missing_required(app)
    ref = "附件2" if isinstance(app, ParkApplication) else "附件3"
    if missing:
        msg = f"以下必填项尚未填写：{'、'.join(missing)}。请在“填报”页补齐后再导出或提交。"
        status: CheckStatus = "待确认"
    else:
        msg, status = "必填项均已填写。", "满足"
    return [EligibilityCheck(key="required_fields", title=REQUIRED_TITLE, status=status, message=msg,
                             basis=REQUIRED_BASIS, ref=ref, kind="硬性规则", fields=missing)]


# ---------------------------------------------------------------------------------------------------------------
# 2,000-character limit


def check_char_limit(app: AnyApplication, rules: EligibilityRubric) -> list[EligibilityCheck]:
    """One 不满足 check per over-long item, else one 满足 check; empty items are not a failure here."""
    cl = rules.char_limit
    ref = cl.ref_park if isinstance(app, ParkApplication) else cl.ref_enterprise
    items: list[tuple[str, str, str, str, list[str]]] = []  # key, title, text, basis, fields
    for k, (title, text) in narrative_items(app).items():
        items.append((f"narratives.{k}", title, text, cl.basis_items, [_label(app, "narratives", k)]))
    for k, text in work_plan_sections(app).items():
        title = cl.work_plan_prefix + (WorkPlan.model_fields[k].title or k)
        items.append((f"work_plan.{k}", title, text, cl.basis_work_plan, [_label(app, "work_plan", k)]))

    def check(key: str, status: CheckStatus, message: str, basis: str, fields: list[str],
              title: str) -> EligibilityCheck:
        return EligibilityCheck(key=key, title=title, status=status, message=message, basis=basis, ref=ref,
                                kind="硬性规则", fields=fields)

    out: list[EligibilityCheck] = []
    counted = [(key, title, count_chars(text, cl.counting), basis, fields)
               for key, title, text, basis, fields in items]
    for key, title, n, basis, fields in counted:
        if n > cl.max_chars:
            msg = cl.msg("fail", item=title, n=n, limit=cl.max_chars, over=n - cl.max_chars,
                         counting=cl.counting_short)
            out.append(check(f"char_limit.{key}", "不满足", msg, basis, fields, f"{cl.title}：{title}"))
    if out:
        return out
    longest = max(counted, key=lambda c: c[2])
    if longest[2] == 0:
        msg = cl.msg("ok_empty", n=len(counted))
    else:
        msg = cl.msg("ok", n=len(counted), limit=cl.max_chars, longest=longest[1], longest_n=longest[2],
                     counting=cl.counting_short)
    return [check("char_limit", "满足", msg, f"{cl.basis_items}；{cl.basis_work_plan}",
                  [f for c in counted for f in c[4]], cl.title)]


# ---------------------------------------------------------------------------------------------------------------
# 创建基本条件 (thresholds from the indicator rubric)

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_OP_TEXT = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def check_basic_conditions(app: AnyApplication, derived: DerivedResult, conditions: list[BasicCondition],
                           rules: EligibilityRubric) -> list[EligibilityCheck]:
    bt = rules.basic_conditions
    out: list[EligibilityCheck] = []
    for bc in conditions:
        if app.domain in bc.not_for:
            continue  # the notice does not assess this indicator for the domain (e.g. 智能工厂占比, AI/software)
        metric = derived.metrics.get(bc.metric)
        value = metric.value if metric else None
        kw = dict(label=bc.label, unit=bc.unit, op=_OP_TEXT[bc.op], threshold=fmt(bc.value), source=bc.source)
        if value is None:
            if metric is None:  # a metric key the tool does not compute: a rubric problem, not the applicant's
                reason = f"本工具未计算指标 {bc.metric}，请检查规则文件"
            else:
                reason = metric.missing_reason or "缺少数据"
            status: CheckStatus = "待确认"
            msg = bt.msg("pending", reason=reason, **kw)
        elif _OPS[bc.op](value, bc.value):
            status, msg = "满足", bt.msg("ok", value=fmt(value), **kw)
        else:
            status, msg = "不满足", bt.msg("fail", value=fmt(value), **kw)
        if metric is not None and metric.estimate:
            msg += estimate_note(metric)  # e.g. a 加权数量 not typed: the category sum, an upper bound
        official = bc.basis == "官方"
        msg += bt.msg("official_note" if official else "reference_note", source=bc.source)
        fields = [metric.label] if metric else [bc.label]
        out.append(EligibilityCheck(
            key=f"basic.{bc.key}", title=(bt.title_prefix if not official else "创建基本条件：") + bc.label,
            status=status, message=msg, basis=bt.basis, ref=bt.ref,
            kind="硬性规则" if official else "参考值", fields=fields))
    return out


# ---------------------------------------------------------------------------------------------------------------
# entry point


def check_eligibility(app: AnyApplication, derived: DerivedResult, rubric: Optional[IndicatorRubric],
                      rules: Optional[EligibilityRubric] = None) -> list[EligibilityCheck]:
    """All eligibility checks of an application, in the order of the notice."""
    rules = rules or load_eligibility_rubric()
    out: list[EligibilityCheck] = []

    def run(key: str, fn: Callable[..., list[EligibilityCheck]]) -> None:
        r = rules.rule(key)
        if _applies(r, app):
            out.extend(fn(app, r))

    run("single_domain", _single_domain)
    run("recommender", _recommender)
    if isinstance(app, ParkApplication):
        run("park_in_catalog", _park_catalog)
        out.extend(_park_sub_park(app, rules))
        run("park_management_body", _park_management)
    else:
        run("enterprise_legal_person", _legal_person)
        run("enterprise_group", _group)
        run("enterprise_credit_code", _credit_code)
    run("safety_record", _safety)
    run("materials_truthful", _truthful)
    out.extend(check_char_limit(app, rules))
    run("smart_factory_not_assessed", _smart_factory)
    if rubric is not None:
        out.extend(check_basic_conditions(app, derived, rubric.basic_conditions, rules))
    return out
