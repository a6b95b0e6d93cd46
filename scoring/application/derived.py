"""Derived indicators: computed from what the applicant typed, never typed twice.

Everything the scoring needs is exposed as a flat table of *metrics* keyed by the field path of the model
(``"lead.share.y2025"``, ``"main.total_revenue.avg"``, ``"patents.weighted"``). For a value that the form asks
for but that can also be derived (an average, a growth rate, a share, the patents' weighted count), the computed
value is the metric and a typed value that differs beyond rounding is reported as a :class:`Mismatch`.

Two kinds of value follow the applicant instead (:data:`TYPED_FIRST`): the typed value is the metric, and the
computed one is only an *estimate* used when nothing was typed (``Metric.estimate``):

* the 「加权数量」 that the form counts without double counting (优质企业: 同一企业不重复计算; 国家级创新平台: 同一单位的
  不同平台或多家单位的同一平台不重复计算; 智能工厂: a factory at one level only). Summing the category counts counts an
  enterprise with several titles several times, so the sum is an *upper bound* (``Metric.upper_bound``): a typed
  value below it is the de-duplicated figure, one above it is flagged by :mod:`scoring.rules.consistency`;
* 智能工厂占比, whose formula (factories ÷ 规上 firms) is this tool's assumption: no upper bound, no mismatch.

The weights of the 「加权数量」 come from the rubric (official weights are not public: 参考值).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Optional

from pydantic import BaseModel

from .ids import YEARS
from .models import AnyApplication, EnterpriseApplication, ParkApplication

YEAR_KEYS: tuple[str, str, str] = tuple(f"y{y}" for y in YEARS)  # type: ignore[assignment]

Source = Literal["typed", "derived", "missing"]

ESTIMATE_SUM = "按分类数量估算（未去重，为上限）"
"""How a 「加权数量」 is marked when nothing was typed: the weighted sum of the category counts."""
ESTIMATE_ASSUMED = "按本工具假设的口径估算"
"""How 智能工厂占比 is marked when nothing was typed (its formula is an assumption of this tool)."""

DEDUP_RULES: dict[str, str] = {
    "lead.quality_weighted": "表中注明“同一企业不重复计算”",
    "platforms.weighted": "表中注明“依托同一单位建设的不同平台或多家单位参与建设的同一平台不重复计算”",
    "factories.weighted": "同一工厂按其所获最高层级只计一次（表中未注明，为本工具的理解）",
}
"""Typed-first 「加权数量」 -> the form's rule against double counting (why the category sum is an upper bound)."""

TYPED_FIRST: frozenset[str] = frozenset(DEDUP_RULES) | {"factories.share"}
"""Metrics for which the applicant's typed value counts; the computed value is an estimate used when none is typed."""


@dataclass
class Metric:
    key: str
    label: str
    unit: str
    value: Optional[float]
    source: Source
    formula: str = ""
    missing_reason: str = ""
    estimate: bool = False  # nothing typed for a TYPED_FIRST metric: the value is the computed estimate
    computed: Optional[float] = None  # TYPED_FIRST: the computed value (shown beside the typed one)
    upper_bound: bool = False  # the computed value is an upper bound of the typed one
    parts: tuple[str, ...] = ()  # field paths of the components of the computed value
    computed_formula: str = ""  # TYPED_FIRST: how the computed value is made (its estimate basis and formula)


@dataclass
class Mismatch:
    key: str
    label: str
    typed: float
    computed: float
    unit: str
    formula: str

    @property
    def message(self) -> str:
        return (f"{self.label}：填报值 {fmt(self.typed)}{self.unit} 与按分项计算的 {fmt(self.computed)}{self.unit} "
                f"不一致（{self.formula}）")


@dataclass
class DerivedResult:
    metrics: dict[str, Metric] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)

    def value(self, key: str) -> Optional[float]:
        m = self.metrics.get(key)
        return None if m is None else m.value

    def __getitem__(self, key: str) -> Optional[float]:
        return self.value(key)


def fmt(v: Optional[float], digits: int = 2) -> str:
    if v is None:
        return "—"
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}"
    return f"{v:,.{digits}f}".rstrip("0").rstrip(".")


def estimate_note(m: Metric) -> str:
    """A Chinese sentence saying that a metric's value is an estimate ("" when it is not)."""
    if not m.estimate:
        return ""
    if m.upper_bound:
        return (f"“{m.label}”未填报，{fmt(m.value)}{m.unit}为{ESTIMATE_SUM}的数值，去重后可能更低；"
                "请在申请书中填写去重后的数值。")
    return f"“{m.label}”未填报，{fmt(m.value)}{m.unit}为{ESTIMATE_ASSUMED}的数值；请在申请书中填写该数值。"


def _div(a: Optional[float], b: Optional[float], scale: float = 1.0) -> Optional[float]:
    if a is None or b is None or b == 0:
        return None
    return a / b * scale


def _growth(prev: Optional[float], cur: Optional[float]) -> Optional[float]:
    if prev is None or cur is None or prev == 0:
        return None
    return (cur / prev - 1.0) * 100.0


def _avg(vals: list[Optional[float]]) -> Optional[float]:
    """近三年平均值: defined only when all three years are present (a draft with a gap is reported missing)."""
    if any(v is None for v in vals) or not vals:
        return None
    return sum(v for v in vals if v is not None) / len(vals)


class _Builder:
    def __init__(self, app: AnyApplication, tolerance: Mapping[str, float]):
        self.app = app
        self.res = DerivedResult()
        self.abs_tol = float(tolerance.get("abs", 0.05))
        self.rel_tol = float(tolerance.get("rel", 0.01))

    # -- helpers ------------------------------------------------------------------------------------------------
    def _field_meta(self, path: str) -> tuple[str, str]:
        obj: Any = self.app
        model_cls: Any = type(self.app)
        label, unit = path, ""
        for part in path.split("."):
            if isinstance(obj, BaseModel) and part in type(obj).model_fields:
                f = type(obj).model_fields[part]
                label = f.title or part
                extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
                unit = str(extra.get("unit", unit))
                obj = getattr(obj, part)
                model_cls = type(obj)
        del model_cls
        return label, unit

    def _get(self, path: str) -> Any:
        obj: Any = self.app
        for part in path.split("."):
            obj = getattr(obj, part)
        return obj

    def put(self, key: str, value: Optional[float], source: Source, label: str, unit: str, formula: str = "",
            missing_reason: str = "") -> None:
        if value is None and source != "missing":
            source = "missing"
        self.res.metrics[key] = Metric(key, label, unit, value, source, formula,
                                       missing_reason or ("" if value is not None else "缺少数据"))

    def check(self, key: str, typed: Optional[float], computed: Optional[float], label: str, unit: str,
              formula: str) -> None:
        if typed is None or computed is None:
            return
        if abs(typed - computed) > max(self.abs_tol, self.rel_tol * abs(computed)):
            self.res.mismatches.append(Mismatch(key, label, typed, computed, unit, formula))

    def resolve(self, key: str, typed: Optional[float], computed: Optional[float], label: str, unit: str,
                formula: str) -> None:
        """Computed wins; typed is used only when the components are missing; a difference is a mismatch."""
        self.check(key, typed, computed, label, unit, formula)
        if computed is not None:
            self.put(key, computed, "derived", label, unit, formula)
        elif typed is not None:
            self.put(key, typed, "typed", label, unit, f"填报值（分项不全，无法核算：{formula}）")
        else:
            self.put(key, None, "missing", label, unit, formula, missing_reason=f"缺少分项数据（{formula}）")

    def typed_first(self, key: str, typed: Optional[float], computed: Optional[float], label: str, unit: str,
                    formula: str, estimate_basis: str, upper_bound: bool, parts: tuple[str, ...] = ()) -> None:
        """The typed value wins; the computed one is an estimate when nothing is typed (never a mismatch)."""
        if typed is not None:
            if computed is None:
                note = f"填报值（分项不全，无法估算：{formula}）"
            elif upper_bound:
                note = f"填报值（去重后）；按分类数量加权合计为 {fmt(computed)}{unit}，为上限（{formula}）"
            else:
                note = f"填报值；{estimate_basis}为 {fmt(computed)}{unit}，仅供参考（{formula}）"
            self.put(key, typed, "typed", label, unit, note)
        elif computed is not None:
            self.put(key, computed, "derived", label, unit, f"{estimate_basis}：{formula}")
        else:
            self.put(key, None, "missing", label, unit, formula,
                     missing_reason=f"未填报，且缺少分项数据无法估算（{formula}）")
        m = self.res.metrics[key]
        m.estimate = typed is None and computed is not None
        m.computed, m.upper_bound, m.parts = computed, upper_bound, parts
        m.computed_formula = f"{estimate_basis}：{formula}"

    # -- series --------------------------------------------------------------------------------------------------
    def series(self, path: str, computed: Optional[dict[str, Optional[float]]] = None, formula: str = "") -> None:
        """Register a 3-year row: year values (typed, or computed where derivable) and its average."""
        label, unit = self._field_meta(path)
        s = self._get(path)
        vals: list[Optional[float]] = []
        for yk, year in zip(YEAR_KEYS, YEARS):
            typed = getattr(s, yk)
            comp = (computed or {}).get(yk)
            ylabel = f"{label}（{year}年）"
            if computed is not None and yk in computed:
                self.resolve(f"{path}.{yk}", typed, comp, ylabel, unit, formula)
            else:
                self.put(f"{path}.{yk}", typed, "typed", ylabel, unit)
            vals.append(self.res.metrics[f"{path}.{yk}"].value)
        avg = _avg(vals)
        alabel = f"{label}（近三年平均值）"
        self.check(f"{path}.avg", s.avg, avg, alabel, unit, "三年数值的算术平均")
        if avg is not None:
            self.put(f"{path}.avg", avg, "derived", alabel, unit, "三年数值的算术平均")
        elif s.avg is not None:
            self.put(f"{path}.avg", s.avg, "typed", alabel, unit, "填报值（年度数据不全，无法核算）")
        else:
            missing = [str(y) for y, v in zip(YEARS, vals) if v is None]
            self.put(f"{path}.avg", None, "missing", alabel, unit, "三年数值的算术平均",
                     missing_reason=f"缺少{'、'.join(missing)}年数据")

    def growth_series(self, path: str, level_path: str, level_label: str) -> None:
        lv = self._get(level_path)
        comp: dict[str, Optional[float]] = {
            "y2024": _growth(lv.y2023, lv.y2024),
            "y2025": _growth(lv.y2024, lv.y2025),
        }
        self.series(path, comp, f"由{level_label}计算：（本年 ÷ 上年 − 1）× 100%")
        label, unit = self._field_meta(level_path)
        cagr = None
        if lv.y2023 and lv.y2025 is not None and lv.y2023 > 0 and lv.y2025 >= 0:
            cagr = ((lv.y2025 / lv.y2023) ** 0.5 - 1.0) * 100.0
        self.put(f"{level_path}.cagr", cagr, "derived", f"{label}年均复合增长率（2023—2025）", "%",
                 "（2025年 ÷ 2023年）^(1/2) − 1")

    def ratio_series(self, path: str, num_path: str, den_path: str, scale: float, formula: str) -> None:
        num, den = self._get(num_path), self._get(den_path)
        comp = {yk: _div(getattr(num, yk), getattr(den, yk), scale) for yk in YEAR_KEYS}
        self.series(path, comp, formula)

    def scalar(self, path: str) -> None:
        label, unit = self._field_meta(path)
        v = self._get(path)
        self.put(path, None if v is None else float(v), "typed", label, unit)

    def weighted(self, path: str, parent: str, weights: Mapping[str, float], name: str,
                 base: Optional[str] = None) -> None:
        """A 「加权数量」 = Σ weight × component count (all components needed)."""
        label, unit = self._field_meta(path)
        label = label.replace("（填报值）", "")
        obj = self._get(parent)
        parts: list[str] = []
        total = 0.0
        missing: list[str] = []
        for comp, w in weights.items():
            v = getattr(obj, comp)
            ctitle = type(obj).model_fields[comp].title or comp
            parts.append(f"{ctitle}×{fmt(w)}")
            if v is None:
                missing.append(ctitle)
            else:
                total += w * v
        formula = f"{name} = " + " + ".join(parts)
        if base is not None:
            # e.g. patents: every valid invention patent counts 1; award-winning ones count their weight instead
            bv = getattr(obj, base)
            btitle = type(obj).model_fields[base].title or base
            if bv is None:
                missing.append(btitle)
            else:
                total += bv - sum((getattr(obj, c) or 0) for c in weights)
            named = [p.removeprefix("其中，").removeprefix("其中") for p in parts]
            formula = f"{name} = {btitle} + " + " + ".join(named) + "（获奖专利按权重计，不再按 1 件计）"
        computed = None if missing else total
        typed = getattr(obj, path.rsplit(".", 1)[1])
        if path in DEDUP_RULES:
            parts_paths = tuple(f"{parent}.{c}" for c in weights)
            self.typed_first(path, typed, computed, label, unit, formula, ESTIMATE_SUM, True, parts_paths)
            if computed is None and typed is None:
                self.res.metrics[path].missing_reason = "未填报，且缺少分项无法估算：" + "、".join(missing)
            return
        self.resolve(path, typed, computed, label, unit, formula)
        if computed is None:
            self.res.metrics[path].missing_reason = "缺少分项：" + "、".join(missing)


def compute_derived(app: AnyApplication, weights: Mapping[str, Mapping[str, float]],
                    tolerance: Mapping[str, float] | None = None) -> DerivedResult:
    """Compute every derived indicator and mismatch. ``weights`` maps a weighted-count key to component weights."""
    b = _Builder(app, tolerance or {})
    if isinstance(app, ParkApplication):
        _park(b, app, weights)
    elif isinstance(app, EnterpriseApplication):
        _enterprise(b, app, weights)
    return b.res


def _talent(b: _Builder) -> None:
    for k in ("postgrad", "senior_title", "high_skill", "staff", "high_level"):
        b.scalar(f"talent.{k}")
    t = b.app.talent
    b.resolve("talent.high_level_share", t.high_level_share, _div(t.high_level, t.staff, 100.0),
              "高水平人才占比", "%", "高水平人才数量（去重）÷ 从业人员总数量 × 100%")


def _patents(b: _Builder, weights: Mapping[str, Mapping[str, float]], revenue_path: str, revenue_label: str) -> None:
    for k in ("invention", "gold", "silver"):
        b.scalar(f"patents.{k}")
    b.weighted("patents.weighted", "patents", weights["patents"], "有效发明专利加权数量", base="invention")
    # density per 亿元 of revenue (2017 新型工业化产业示范基地: ≥ 0.7 invention patents per 亿元), 2025 revenue
    density = _div(b.res.value("patents.weighted"), b.res.value(f"{revenue_path}.y2025"))
    b.put("patents.density", density, "derived", f"每亿元{revenue_label}有效发明专利加权数量", "件/亿元",
          f"有效发明专利加权数量 ÷ 2025年{revenue_label}",
          missing_reason="" if density is not None else f"缺少有效发明专利加权数量或2025年{revenue_label}（或其为 0）")


def _park(b: _Builder, app: ParkApplication, weights: Mapping[str, Mapping[str, float]]) -> None:
    for k in ("planned_area", "built_area", "land_investment_intensity", "land_output"):
        b.scalar(f"basic.{k}")
    b.series("main.total_revenue")
    b.growth_series("main.total_revenue_growth", "main.total_revenue", "总营业收入")
    b.series("main.above_scale_firms")
    b.series("main.employees")
    b.ratio_series("main.labor_productivity", "main.total_revenue", "main.employees", 10000.0,
                   "总营业收入（亿元）× 10000 ÷ 年末从业人员数量")
    b.series("lead.revenue")
    b.ratio_series("lead.share", "lead.revenue", "main.total_revenue", 100.0,
                   "主导产业规上企业营业收入 ÷ 园区总营业收入 × 100%")
    b.growth_series("lead.growth", "lead.revenue", "主导产业规上企业营业收入")
    for k in ("firms", "above_scale_firms", "tech_sme", "high_tech", "srdi_sme", "little_giant", "single_champion"):
        b.scalar(f"lead.{k}")
    b.weighted("lead.quality_weighted", "lead", weights["quality_firms"], "优质企业加权数量")
    b.series("rd.park_rd_intensity")
    b.series("rd.lead_rd_spend")
    b.ratio_series("rd.lead_rd_intensity", "rd.lead_rd_spend", "lead.revenue", 100.0,
                   "主导产业研发投入 ÷ 主导产业规上企业营业收入 × 100%")
    b.series("rd.tech_contracts")
    for k in type(app.platforms).model_fields:
        if k != "weighted":
            b.scalar(f"platforms.{k}")
    b.weighted("platforms.weighted", "platforms", weights["platforms"], "国家级创新平台加权数量")
    _patents(b, weights, "lead.revenue", "主导产业规上企业营业收入")
    b.series("financing")
    _talent(b)
    f = app.factories
    for k in ("pilot", "excellent", "advanced", "basic"):
        b.scalar(f"factories.{k}")
    b.weighted("factories.weighted", "factories", weights["factories"], "智能工厂加权数量")
    counts = [f.pilot, f.excellent, f.advanced, f.basic]
    n_fact = None if any(c is None for c in counts) else float(sum(c for c in counts if c is not None))
    # the form gives no formula for 智能工厂占比: the typed value counts, this assumed one is only an estimate
    share_parts = tuple(f"factories.{k}" for k in ("pilot", "excellent", "advanced", "basic"))
    b.typed_first("factories.share", f.share, _div(n_fact, app.lead.above_scale_firms, 100.0), "智能工厂占比", "%",
                  "各级智能工厂数量之和 ÷ 主导产业规模以上企业数量 × 100%（口径为本工具假设）", ESTIMATE_ASSUMED, False,
                  share_parts + ("lead.above_scale_firms",))
    b.put("top10.count", float(len([t for t in app.lead.top10 if t.name.strip()])), "derived",
          "主导产业前十企业填报数", "家")


def _enterprise(b: _Builder, app: EnterpriseApplication, weights: Mapping[str, Mapping[str, float]]) -> None:
    b.series("main.total_revenue")
    b.growth_series("main.total_revenue_growth", "main.total_revenue", "总营业收入")
    b.series("main.gross_margin")
    b.series("main.tax")
    b.series("main.employees")
    lp = {yk: _div(getattr(app.main.total_revenue, yk), getattr(app.main.employees, yk), 10000.0)
          for yk in YEAR_KEYS}
    for yk, year in zip(YEAR_KEYS, YEARS):
        b.put(f"main.labor_productivity.{yk}", lp[yk], "derived", f"全员劳动生产率（{year}年）", "万元/人",
              "总营业收入（亿元）× 10000 ÷ 年末从业人员数量")
    avg = _avg(list(lp.values()))
    b.put("main.labor_productivity.avg", avg, "derived", "全员劳动生产率（近三年平均值）", "万元/人",
          "三年数值的算术平均")
    b.series("domain_ops.revenue")
    b.growth_series("domain_ops.growth", "domain_ops.revenue", "重点领域营业收入")
    b.ratio_series("domain_ops.share", "domain_ops.revenue", "main.total_revenue", 100.0,
                   "重点领域营业收入 ÷ 总营业收入 × 100%")
    b.series("domain_ops.gross_margin")
    b.series("rd.rd_intensity")
    b.series("rd.domain_rd_spend")
    b.ratio_series("rd.domain_rd_intensity", "rd.domain_rd_spend", "domain_ops.revenue", 100.0,
                   "重点领域研发投入 ÷ 重点领域营业收入 × 100%")
    for k in type(app.awards).model_fields:
        if k != "weighted":
            b.scalar(f"awards.{k}")
    b.weighted("awards.weighted", "awards", weights["awards"], "科技奖励加权数量")
    _patents(b, weights, "domain_ops.revenue", "重点领域营业收入")
    for k in ("international", "national", "industry"):
        b.scalar(f"standards.{k}")
    b.weighted("standards.weighted", "standards", weights["standards"], "标准加权数量")
    _talent(b)
    shares = [p.market_share for p in app.domain_ops.top5 if p.market_share is not None]
    b.put("top5.max_market_share", max(shares) if shares else None, "derived", "主导产品最高国内市场占有率", "%",
          "前五位产品国内市场占有率的最大值")
    b.put("top5.count", float(len([p for p in app.domain_ops.top5 if p.name.strip()])), "derived",
          "主导产品填报数", "个")
