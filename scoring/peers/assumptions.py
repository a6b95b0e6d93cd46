"""The assumptions of the simulated reference set: every distribution the generator draws from, with its
source (the 模拟参照组 README is written from this table), and the smaller scale of the younger domains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..application.ids import ApplicantType, Domain


SMALL_DOMAINS: frozenset[Domain] = frozenset({Domain.ROBOT, Domain.HYDROGEN, Domain.LOWALT, Domain.SPACE})
SMALL_SCALE = 0.5
def scale(domain: Domain) -> float:
    return SMALL_SCALE if domain in SMALL_DOMAINS else 1.0


# ---------------------------------------------------------------------------------------------------------------
# assumptions: the parameters the generator uses, with their sources (README.md is written from this table)


@dataclass(frozen=True)
class Assumption:
    key: str
    type: ApplicantType
    label: str
    kind: str  # "lognormal" (center = median, spread = σ of ln) | "normal" (center = mean, spread = sd)
    center: float
    spread: float
    unit: str
    source: str
    by_domain: dict[Domain, float] = field(default_factory=dict)  # center overrides
    scaled: bool = False  # center multiplied by the domain scale
    lo: Optional[float] = None
    hi: Optional[float] = None
    metric: Optional[str] = None  # derived metric whose median should follow this assumption (checked by tests)

    def center_for(self, domain: Domain) -> float:
        c = self.by_domain.get(domain, self.center)
        return c * scale(domain) if self.scaled else c

    def describe(self) -> str:
        what = "对数正态分布，中位数" if self.kind == "lognormal" else "正态分布，均值"
        s = f"{what} {_g(self.center)}{self.unit}"
        if self.scaled:
            s += f"（机器人、氢能、低空装备、商业航天 ×{_g(SMALL_SCALE)}）"
        if self.by_domain:
            s += "（" + "，".join(f"{d.label} {_g(v)}{self.unit}" for d, v in self.by_domain.items()) + "）"
        s += f"，σ = {_g(self.spread)}" if self.kind == "lognormal" else f"，标准差 {_g(self.spread)}"
        if self.lo is not None and self.hi is not None:
            s += f"，截断于 {_g(self.lo)}—{_g(self.hi)}"
        elif self.hi is not None:
            s += f"，不超过 {_g(self.hi)}"
        elif self.lo is not None:
            s += f"，不低于 {_g(self.lo)}"
        return s


def _g(v: Optional[float]) -> str:
    if v is None:
        return "—"
    return f"{v:g}"


E, P = ApplicantType.ENTERPRISE, ApplicantType.PARK
_ASSUMPTIONS: list[Assumption] = [
    # --- enterprises
    Assumption("ent.rd_intensity", E, "企业研发投入强度", "lognormal", 7.0, 0.45, "%",
               "2025年专精特新“小巨人”企业平均研发投入强度7%（国新办发布会2026-01-21）；软件领域取10%：中国软件名城"
               "（综合型）研发投入占业务收入≥10%", by_domain={Domain.SOFTWARE: 10.0}, lo=0.5, hi=40,
               metric="rd.rd_intensity.avg"),
    Assumption("ent.domain_rd_factor", E, "重点领域研发投入强度 ÷ 企业研发投入强度", "lognormal", 1.0, 0.15, "",
               "本工具假设：重点领域与全企业研发强度相近"),
    Assumption("ent.domain_revenue", E, "重点领域营业收入（2024年）", "lognormal", 20.0, 1.0, "亿元",
               "本工具假设：示范企业为细分领域龙头，远高于“小巨人”1亿元营收门槛；规模较小的领域减半（见“领域规模”）",
               scaled=True, metric="domain_ops.revenue.avg"),
    Assumption("ent.domain_share", E, "重点领域营业收入占比", "normal", 80.0, 12.0, "%",
               "通知要求“以新兴产业重点领域为主营业务”（官方）；均值与离散度为本工具假设", lo=35, hi=100,
               metric="domain_ops.share.avg"),
    Assumption("ent.growth", E, "重点领域营业收入年增速", "normal", 10.0, 10.0, "%",
               "2024年全国软件业务收入增长10.0%（工信部运行监测协调局）；智能网联新能源汽车取20%：新能源汽车销量"
               "2025年1,649万辆、2024年1,286.6万辆（中汽协），增长约28%", by_domain={Domain.ICV: 20.0}, lo=-40, hi=80,
               metric="domain_ops.growth.avg"),
    Assumption("ent.patents", E, "有效发明专利数量", "lognormal", 26.6, 0.9, "件",
               "2025年专精特新“小巨人”企业平均拥有发明专利26.6件（国新办发布会2026-01-21）；获中国专利奖金奖、银奖的"
               "概率2%、5%为本工具假设", metric="patents.invention"),
    Assumption("ent.gross_margin", E, "重点领域毛利润率", "normal", 25.0, 8.0, "%",
               "本工具假设（programme-notes 无企业毛利率统计）；企业整体毛利率 = 重点领域 ± 3", lo=-5, hi=70,
               metric="domain_ops.gross_margin.avg"),
    Assumption("ent.productivity", E, "全员劳动生产率", "lognormal", 150.0, 0.5, "万元/人",
               "本工具假设（无公开统计），位于评分规则 100—300 万元/人之间", metric="main.labor_productivity.avg"),
    Assumption("ent.tax_rate", E, "税金总额占营业收入比重", "normal", 4.0, 1.5, "%", "本工具假设", lo=0.5, hi=10),
    Assumption("ent.talent_share", E, "高水平人才占比", "normal", 25.0, 10.0, "%",
               "高新技术企业认定“科技人员占职工总数不低于10%”为下限参照；均值为本工具假设", lo=3, hi=80,
               metric="talent.high_level_share"),
    Assumption("ent.market_share", E, "主导产品最高国内市场占有率", "lognormal", 8.0, 0.8, "%", "本工具假设",
               hi=60, metric="top5.max_market_share"),
    # --- parks
    Assumption("park.lead_revenue", P, "主导产业规上企业营业收入（2024年）", "lognormal", 300.0, 0.7, "亿元",
               "国家新型工业化产业示范基地2017年指标体系“产业集群销售收入≥300亿元”；规模较小的领域减半（见“领域规模”）",
               scaled=True, metric="lead.revenue.avg"),
    Assumption("park.lead_share", P, "主导产业占园区总营业收入比重", "normal", 50.0, 15.0, "%",
               "2017年指标体系“主导产业占比≥50%”；园区总营业收入由此推出，中位数约600亿元，介于国家级经开区"
               "（GDP约609亿元/区，2022）与国家高新区（GDP约1,084亿元/区，2024）之间", lo=15, hi=95,
               metric="lead.share.avg"),
    Assumption("park.growth", P, "主导产业营业收入年增速", "normal", 12.0, 8.0, "%",
               "中小企业特色产业集群（工信部企业〔2022〕119号）“主导产业产值增速>10%”；智能网联新能源汽车取20%"
               "（新能源汽车销量2025年增长约28%，中汽协）", by_domain={Domain.ICV: 20.0}, lo=-30, hi=60,
               metric="lead.growth.avg"),
    Assumption("park.lead_rd", P, "主导产业研发投入强度", "lognormal", 4.0, 0.35, "%",
               "介于规上高技术制造业3.10%（第五次经济普查）与五星级示范基地平均4.8%（2021）之间", lo=0.3, hi=30,
               metric="rd.lead_rd_intensity.avg"),
    Assumption("park.park_rd", P, "园区研发投入强度", "lognormal", 2.5, 0.3, "%",
               "介于规上制造业约1.7%与规上高技术制造业3.10%之间，接近全国研发投入强度2.69%（2024）", lo=0.3, hi=20,
               metric="rd.park_rd_intensity.avg"),
    Assumption("park.patent_density", P, "每亿元主导产业营业收入有效发明专利", "lognormal", 1.0, 0.5, "件/亿元",
               "2017年指标体系“每亿元主营业务收入有效发明专利数≥0.7件”；中位数1.0为本工具假设",
               metric="patents.density"),
    Assumption("park.firm_size", P, "主导产业规上企业户均营业收入", "lognormal", 3.0, 0.4, "亿元",
               "本工具假设（与评分规则“户均约3亿元”一致）"),
    Assumption("park.productivity", P, "园区全员劳动生产率", "lognormal", 200.0, 0.4, "万元/人", "本工具假设",
               metric="main.labor_productivity.avg"),
    Assumption("park.talent_share", P, "主导产业高水平人才占比", "normal", 20.0, 8.0, "%", "本工具假设", lo=3, hi=60,
               metric="talent.high_level_share"),
    Assumption("park.factory_share", P, "智能工厂占比", "normal", 12.0, 6.0, "%",
               "全国各级智能工厂约4.4万家、规上工业企业约50万家（本工具估计）即约9%；人工智能、软件领域取4%",
               by_domain={Domain.AI: 4.0, Domain.SOFTWARE: 4.0}, lo=0, hi=60),
    Assumption("park.land_investment", P, "单位土地投资强度", "lognormal", 4500.0, 0.3, "万元/公顷",
               "国家新型工业化产业示范基地2009年条件“≥3,000万元/公顷”；中位数为本工具假设",
               metric="basic.land_investment_intensity"),
    Assumption("park.land_output", P, "单位土地产出", "lognormal", 5000.0, 0.3, "万元/公顷",
               "2009年条件“≥3,000万元/公顷”；中位数为本工具假设", metric="basic.land_output"),
    Assumption("park.tech_contracts", P, "技术合同成交额", "lognormal", 5.0, 0.8, "亿元", "本工具假设",
               scaled=True, metric="rd.tech_contracts.avg"),
    Assumption("park.financing_rate", P, "主导产业融资额占营业收入比重", "lognormal", 5.0, 0.6, "%", "本工具假设"),
]
ASSUMPTIONS: dict[str, Assumption] = {a.key: a for a in _ASSUMPTIONS}
del E, P
