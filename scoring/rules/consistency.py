"""Consistency warnings: figures of one application that cannot all be true at once.

Each check compares fields the applicant typed (a part above its whole, a subset above its set, a date in the
future, ...). A warning does not change the score; it names the Chinese fields involved so they can be corrected.
A typed derivable value (growth rate, share, average, the patents' weighted count) that differs from its components is
a *mismatch* reported by :mod:`scoring.application.derived`, and is not repeated here. The 「加权数量」 that the form
counts without double counting (优质企业, 国家级创新平台, 智能工厂) are different: the typed, de-duplicated value counts
and the weighted sum of the category counts is only its upper bound, so only a typed value *above* that sum is
warned about here (``*.gt_category_sum``); a value below it is what de-duplication gives.

Tolerances: a part compared with its whole in the same unit must not exceed it at all (both are typed at the same
precision); a sum of several typed amounts may exceed its whole by rounding (``SUM_TOL``); a spend compared with
an intensity × revenue is allowed the error of a percentage rounded to one decimal (``PCT_TOL``).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional, Sequence

from ..application.derived import DEDUP_RULES, DerivedResult, fmt
from ..application.errors import field_label
from ..application.ids import YEARS
from ..application.models import AnyApplication, AmountSeries, EnterpriseApplication, ParkApplication
from .results import ConsistencyWarning

EPS = 1e-9
SUM_TOL_REL = 0.01   # a sum of up to ten amounts typed to 0.01 亿元 may exceed its total by rounding
SUM_TOL_ABS = 0.05   # 亿元
PCT_TOL_REL = 0.05   # an intensity typed to one decimal (e.g. 2.3%) is exact to about ±2%; allow 5%
BOUND_TOL_ABS = 0.05  # a weighted count typed to two decimals may exceed the category sum by rounding only


class _Checker:
    def __init__(self, app: AnyApplication, today: dt.date):
        self.app = app
        self.today = today
        self.out: list[ConsistencyWarning] = []

    def label(self, *loc: object) -> str:
        return field_label(tuple(loc), type(self.app))

    def warn(self, key: str, message: str, *locs: tuple[object, ...]) -> None:
        self.out.append(ConsistencyWarning(key=key, message=message, fields=[self.label(*loc) for loc in locs]))

    # -- generic patterns ----------------------------------------------------------------------------------------
    def part_above_whole_by_year(self, key: str, part: tuple[str, ...], whole: tuple[str, ...], part_name: str,
                                 whole_name: str, unit: str, reason: str) -> None:
        """Per year: a part typed above its whole."""
        ps: AmountSeries = self._get(part)
        ws: AmountSeries = self._get(whole)
        for y in YEARS:
            p, w = getattr(ps, f"y{y}"), getattr(ws, f"y{y}")
            if p is not None and w is not None and p > w + EPS:
                self.warn(f"{key}.y{y}",
                          f"{y}年{part_name}（{fmt(p)}{unit}）高于{whole_name}（{fmt(w)}{unit}）：{reason}",
                          (*part, f"y{y}"), (*whole, f"y{y}"))

    def count_above(self, key: str, part_loc: tuple[object, ...], part: Optional[float], whole_loc: tuple[object, ...],
                    whole: Optional[float], part_name: str, whole_name: str, unit: str, reason: str) -> None:
        if part is not None and whole is not None and part > whole + EPS:
            self.warn(key, f"{part_name}（{fmt(part)}{unit}）多于{whole_name}（{fmt(whole)}{unit}）：{reason}",
                      part_loc, whole_loc)

    def _get(self, loc: Sequence[str]) -> AmountSeries:
        obj: object = self.app
        for p in loc:
            obj = getattr(obj, p)
        assert isinstance(obj, AmountSeries)
        return obj


# ---------------------------------------------------------------------------------------------------------------
# checks for both types


def _patents(c: _Checker) -> None:
    p = c.app.patents
    if p.invention is None or (p.gold is None and p.silver is None):
        return
    awarded = (p.gold or 0) + (p.silver or 0)
    # 金奖/银奖 are counted 「其中」, i.e. among the valid invention patents
    if awarded > p.invention:
        c.warn("patents.awards_gt_invention",
               f"获得中国专利奖金奖和银奖的专利共{awarded}件，多于有效发明专利数量（{p.invention}件）："
               "获奖专利是有效发明专利中的一部分（表中为“其中”项）。",
               ("patents", "gold"), ("patents", "silver"), ("patents", "invention"))


def _talent(c: _Checker) -> None:
    t = c.app.talent
    parts = {"postgrad": t.postgrad, "senior_title": t.senior_title, "high_skill": t.high_skill}
    names = {"postgrad": "研究生学历人员数量", "senior_title": "高级职称人员数量", "high_skill": "高技能人才数量"}
    # every talent group is counted among the staff of the lead industry / key domain
    for k, v in parts.items():
        c.count_above(f"talent.{k}_gt_staff", ("talent", k), v, ("talent", "staff"), t.staff, names[k],
                      "从业人员总数量", "人", "该类人才是从业人员的一部分。")
    c.count_above("talent.high_level_gt_staff", ("talent", "high_level"), t.high_level, ("talent", "staff"),
                  t.staff, "高水平人才数量", "从业人员总数量", "人", "高水平人才是从业人员的一部分。")
    if t.high_level is None:
        return
    present = {k: v for k, v in parts.items() if v is not None}
    # the de-duplicated union cannot exceed the sum of the three groups ...
    if len(present) == 3:
        total = sum(present.values())
        if t.high_level > total:
            c.warn("talent.high_level_gt_sum",
                   f"高水平人才数量（{t.high_level}人）多于研究生学历、高级职称、高技能人才三类之和（{total}人）："
                   "高水平人才由这三类人员去重合计，不应超过三类之和。",
                   ("talent", "high_level"), *[("talent", k) for k in parts])
    # ... nor be below its largest group
    if present:
        kmax = max(present, key=lambda k: present[k] or 0)
        vmax = present[kmax]
        if vmax is not None and t.high_level < vmax:
            c.warn("talent.high_level_lt_max",
                   f"高水平人才数量（{t.high_level}人）少于{names[kmax]}（{vmax}人）：高水平人才包含这三类人员"
                   "（同一人员不重复计算），不应少于其中人数最多的一类。",
                   ("talent", "high_level"), ("talent", kmax))


def _staff_vs_employees(c: _Checker, domain_word: str) -> None:
    # the staff of the lead industry / key domain work in the park / enterprise (both at end-2025)
    emp = c.app.main.employees.y2025
    staff = c.app.talent.staff
    whole = "园区" if isinstance(c.app, ParkApplication) else "企业"
    c.count_above("talent.staff_gt_employees", ("talent", "staff"), staff, ("main", "employees", "y2025"), emp,
                  f"{domain_word}从业人员总数量", f"{whole}2025年末从业人员数量", "人",
                  f"{domain_word}从业人员是{whole}从业人员的一部分。")


def _employees_zero(c: _Checker) -> None:
    m = c.app.main
    for y in YEARS:
        e, r = getattr(m.employees, f"y{y}"), getattr(m.total_revenue, f"y{y}")
        # revenue without any employee is implausible (and makes 全员劳动生产率 undefined)
        if e == 0 and r is not None and r > 0:
            c.warn(f"main.employees_zero.y{y}",
                   f"{y}年末从业人员数量为 0，但总营业收入为{fmt(r)}亿元：请核对从业人员数量"
                   "（为 0 时无法计算全员劳动生产率）。",
                   ("main", "employees", f"y{y}"), ("main", "total_revenue", f"y{y}"))


def _future_date(c: _Checker, loc: tuple[str, str], value: Optional[dt.date], name: str) -> None:
    # a date of foundation / approval lies in the past
    if value is not None and value > c.today:
        c.warn(f"{loc[0]}.{loc[1]}_future", f"{name}（{value.isoformat()}）晚于今天（{c.today.isoformat()}）：请核对日期。",
               loc)


def _rd_within_total(c: _Checker, key: str, spend_loc: tuple[str, ...], intensity_loc: tuple[str, ...],
                     spend_name: str, intensity_name: str, reason: str) -> None:
    """Per year: the R&D of a part above the whole's R&D (= whole's intensity × total revenue)."""
    spend: AmountSeries = c._get(spend_loc)
    inten = c.app
    for p in intensity_loc:
        inten = getattr(inten, p)
    rev = c.app.main.total_revenue
    for y in YEARS:
        s, i, r = getattr(spend, f"y{y}"), getattr(inten, f"y{y}"), getattr(rev, f"y{y}")
        if s is None or i is None or r is None:
            continue
        total_rd = r * i / 100.0
        if s > total_rd * (1 + PCT_TOL_REL) + EPS:
            c.warn(f"{key}.y{y}",
                   f"{y}年{spend_name}（{fmt(s)}亿元）高于按{intensity_name}（{fmt(i)}%）× 总营业收入（{fmt(r)}亿元）"
                   f"推算的研发投入（约{fmt(total_rd)}亿元）：{reason}",
                   (*spend_loc, f"y{y}"), (*intensity_loc, f"y{y}"), ("main", "total_revenue", f"y{y}"))


# ---------------------------------------------------------------------------------------------------------------
# park


def _park(c: _Checker, app: ParkApplication) -> None:
    c.part_above_whole_by_year("lead.revenue_gt_total", ("lead", "revenue"), ("main", "total_revenue"),
                               "主导产业规模以上企业营业收入", "园区总营业收入", "亿元",
                               "主导产业收入是园区总营业收入的一部分。")
    lead = app.lead
    # 规上 firms of the lead industry are among its firms, and among the park's 规上 firms (end-2025)
    c.count_above("lead.above_scale_gt_firms", ("lead", "above_scale_firms"), lead.above_scale_firms,
                  ("lead", "firms"), lead.firms, "主导产业规模以上企业数量", "主导产业企业数量", "个",
                  "规模以上企业是主导产业企业的一部分。")
    c.count_above("lead.above_scale_gt_park", ("lead", "above_scale_firms"), lead.above_scale_firms,
                  ("main", "above_scale_firms", "y2025"), app.main.above_scale_firms.y2025,
                  "主导产业规模以上企业数量", "园区2025年规模以上企业数量", "个",
                  "主导产业规上企业是园区规上企业的一部分。")
    # every category of 优质企业 is counted among the lead industry's firms
    for k in ("tech_sme", "high_tech", "srdi_sme", "little_giant", "single_champion"):
        title = type(lead).model_fields[k].title or k
        c.count_above(f"lead.{k}_gt_firms", ("lead", k), getattr(lead, k), ("lead", "firms"), lead.firms,
                      title, "主导产业企业数量", "个", "各类优质企业是主导产业企业的一部分。")
    # 小巨人 are selected from 专精特新中小企业 (单项冠军 are a separate list: not compared)
    c.count_above("lead.little_giant_gt_srdi", ("lead", "little_giant"), lead.little_giant, ("lead", "srdi_sme"),
                  lead.srdi_sme, "专精特新“小巨人”企业数量", "专精特新中小企业数量", "个",
                  "“小巨人”企业从专精特新中小企业中培育认定，通常也计入专精特新中小企业。")
    _top10(c, app)
    _rd_within_total(c, "rd.lead_rd_gt_park_rd", ("rd", "lead_rd_spend"), ("rd", "park_rd_intensity"),
                     "主导产业研发投入", "园区研发投入强度", "主导产业研发投入是园区研发投入的一部分。")
    # the built part of a park lies within its planned area
    b = app.basic
    c.count_above("basic.built_gt_planned", ("basic", "built_area"), b.built_area, ("basic", "planned_area"),
                  b.planned_area, "建成面积", "规划面积", "公顷", "建成区位于规划范围之内。")
    _factories(c, app)
    _staff_vs_employees(c, "主导产业")
    _future_date(c, ("basic", "approval_date"), b.approval_date, "批复设立日期")


def _top10(c: _Checker, app: ParkApplication) -> None:
    rows = [(i, t) for i, t in enumerate(app.lead.top10) if t.revenue is not None]
    lead25 = app.lead.revenue.y2025
    # the table is 「按 2025 年末数据排名」: revenues must not increase down the list
    for (i, a), (j, b) in zip(rows, rows[1:]):
        if b.revenue is not None and a.revenue is not None and b.revenue > a.revenue + EPS:
            c.warn("lead.top10_not_sorted",
                   f"主导产业前十企业未按营业收入从高到低排列：第{j + 1}行“{b.name or '未命名'}”（{fmt(b.revenue)}亿元）"
                   f"高于第{i + 1}行“{a.name or '未命名'}”（{fmt(a.revenue)}亿元）。",
                   ("lead", "top10", i, "revenue"), ("lead", "top10", j, "revenue"))
            break
    if lead25 is None or not rows:
        return
    note = "若填报的是企业全口径营业收入（含非主导产业业务），请改为主导产业（申报领域）营业收入或在说明材料中注明。"
    # one firm of the lead industry cannot exceed the industry's total
    over = [(i, t) for i, t in rows if t.revenue is not None and t.revenue > lead25 + EPS]
    for i, t in over:
        c.warn(f"lead.top10_gt_lead.{i}",
               f"第{i + 1}行“{t.name or '未命名'}”营业收入（{fmt(t.revenue)}亿元）高于2025年主导产业规模以上企业营业收入"
               f"（{fmt(lead25)}亿元）。{note}",
               ("lead", "top10", i, "revenue"), ("lead", "revenue", "y2025"))
    if over:
        return  # the sum exceeds too; one warning per cause
    # the ten largest firms together cannot exceed the industry's total
    total = sum(t.revenue for _, t in rows if t.revenue is not None)
    if total > lead25 * (1 + SUM_TOL_REL) + SUM_TOL_ABS:
        c.warn("lead.top10_sum_gt_lead",
               f"主导产业前十企业营业收入合计{fmt(total)}亿元，高于2025年主导产业规模以上企业营业收入（{fmt(lead25)}亿元）。"
               f"{note}",
               ("lead", "top10"), ("lead", "revenue", "y2025"))


def _factories(c: _Checker, app: ParkApplication) -> None:
    f = app.factories
    counts = [v for v in (f.pilot, f.excellent, f.advanced, f.basic) if v is not None]
    firms = app.lead.above_scale_firms
    if not counts or firms is None or f.share is not None:
        return  # a typed 智能工厂占比 counts as typed: the assumed formula below is then not used
    n = sum(counts)
    # 智能工厂占比 = factories ÷ 规上 firms (the tool's assumption): above 100% the share cannot be computed sensibly
    if n > firms:
        c.warn("factories.gt_above_scale_firms",
               f"各级智能工厂合计{n}个，多于主导产业规模以上企业数量（{firms}个），智能工厂占比将超过 100%："
               "请核对数量；若一家企业拥有多个智能工厂，请在说明材料中注明口径。",
               ("factories", "pilot"), ("factories", "excellent"), ("factories", "advanced"), ("factories", "basic"),
               ("lead", "above_scale_firms"))


# ---------------------------------------------------------------------------------------------------------------
# enterprise


def _enterprise(c: _Checker, app: EnterpriseApplication) -> None:
    c.part_above_whole_by_year("domain_ops.revenue_gt_total", ("domain_ops", "revenue"), ("main", "total_revenue"),
                               "重点领域营业收入", "企业总营业收入", "亿元", "重点领域收入是企业总营业收入的一部分。")
    _rd_within_total(c, "rd.domain_rd_gt_total_rd", ("rd", "domain_rd_spend"), ("rd", "rd_intensity"),
                     "重点领域研发投入", "企业研发投入强度", "重点领域研发投入是企业研发投入的一部分。")
    # the five main products of the key domain are sold within the domain's 2025 revenue
    sales = [p.sales for p in app.domain_ops.top5 if p.sales is not None]
    dom25 = app.domain_ops.revenue.y2025
    if sales and dom25 is not None:
        total = sum(sales)
        if total > dom25 * (1 + SUM_TOL_REL) + SUM_TOL_ABS:
            c.warn("domain_ops.top5_sum_gt_revenue",
                   f"重点领域主导产品2025年销售收入合计{fmt(total)}亿元，高于2025年重点领域营业收入（{fmt(dom25)}亿元）："
                   "主导产品销售收入是重点领域营业收入的一部分。",
                   ("domain_ops", "top5"), ("domain_ops", "revenue", "y2025"))
    # a 小巨人 is first recognised as a 专精特新中小企业
    b = app.basic
    if b.cert_little_giant and not b.cert_srdi:
        c.warn("basic.little_giant_without_srdi",
               "勾选了专精特新“小巨人”企业，但未勾选专精特新中小企业：“小巨人”企业从专精特新中小企业中培育认定，请核对企业认定情况。",
               ("basic", "cert_little_giant"), ("basic", "cert_srdi"))
    _staff_vs_employees(c, "重点领域")
    _future_date(c, ("basic", "founded"), b.founded, "成立日期")


# ---------------------------------------------------------------------------------------------------------------
# weighted counts without double counting


def _above_category_sum(c: _Checker, derived: DerivedResult) -> None:
    """A typed 「加权数量」 above the weighted sum of its category counts (its upper bound)."""
    for key, rule in DEDUP_RULES.items():
        m = derived.metrics.get(key)
        if m is None or m.source != "typed" or m.value is None or m.computed is None or not m.upper_bound:
            continue
        if m.value > m.computed + BOUND_TOL_ABS:
            c.warn(f"{key}.gt_category_sum",
                   f"{m.label}填报值（{fmt(m.value)}{m.unit}）高于按各分类数量加权合计的{fmt(m.computed)}{m.unit}：{rule}，"
                   "去重后的加权数量不应高于分类合计，请核对填报值和各分类数量（分类权重为本工具参考值，"
                   "若按其他权重计算，请在说明材料中注明）。",
                   tuple(key.split(".")), *[tuple(p.split(".")) for p in m.parts])


# ---------------------------------------------------------------------------------------------------------------


def check_consistency(app: AnyApplication, derived: DerivedResult,
                      today: Optional[dt.date] = None) -> list[ConsistencyWarning]:
    """Warnings about figures that contradict each other (mismatches of derived values are in ``derived``)."""
    c = _Checker(app, today or dt.date.today())
    if isinstance(app, ParkApplication):
        _park(c, app)
    elif isinstance(app, EnterpriseApplication):
        _enterprise(c, app)
    _patents(c)
    _talent(c)
    _employees_zero(c)
    _above_category_sum(c, derived)
    return c.out
