"""Derived indicators (scoring/derived.py): every value hand-computed from the components below.

The weights are test weights chosen unequal per component (so a swapped or dropped component changes the total);
they are not the shipped rubric's 参考值.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest

from scoring.application.derived import compute_derived, estimate_note
from scoring.application.models import parse_application

PARK_W = {
    "quality_firms": {"tech_sme": 1, "high_tech": 2, "srdi_sme": 3, "little_giant": 5, "single_champion": 7},
    "platforms": {"national_lab": 11, "key_lab": 7, "mfg_innovation_center": 5, "tech_innovation_center": 4,
                  "emerging_innovation_center": 13, "engineering_center": 3, "science_facility": 17,
                  "pilot_platform": 1},
    "patents": {"gold": 10, "silver": 5},
    "factories": {"pilot": 48, "excellent": 8, "advanced": 2, "basic": 1},
}
ENT_W = {
    "awards": {"nsa_special": 20, "nsa_first": 10, "nsa_second": 5, "tia_special": 19, "tia_first": 9,
               "tia_second": 4, "stp_special": 18, "stp_first": 8, "stp_second": 3, "provincial": 1},
    "patents": {"gold": 10, "silver": 5},
    "standards": {"international": 6, "national": 3, "industry": 1},
}
TOL = {"abs": 0.05, "rel": 0.01}
SAMPLE_AI_PARK = Path(__file__).resolve().parents[2] / "data" / "samples" / "park_ai.json"

PARK = {
    "type": "park", "domain": "robot",
    "basic": {"land_investment_intensity": 4500, "land_output": 5200},
    "main": {
        "total_revenue": {"y2023": 400, "y2024": 500, "y2025": 600},
        "total_revenue_growth": {"y2023": 10},
        "employees": {"y2023": 20000, "y2024": 25000, "y2025": 24000},
    },
    "lead": {
        "revenue": {"y2023": 200, "y2024": 250, "y2025": 330},
        "growth": {"y2023": 8},
        "firms": 150, "above_scale_firms": 80,
        "tech_sme": 30, "high_tech": 40, "srdi_sme": 10, "little_giant": 3, "single_champion": 1,
        "top10": [{"name": "甲公司", "revenue": 40}, {"name": "乙公司", "revenue": 30}, {"name": "  "}],
    },
    "rd": {"park_rd_intensity": {"y2023": 2.0, "y2024": 2.2, "y2025": 2.7},
           "lead_rd_spend": {"y2023": 5, "y2024": 7.5, "y2025": 9.9},
           "tech_contracts": {"y2023": 3, "y2024": 4, "y2025": 8}},
    "platforms": {"national_lab": 1, "key_lab": 2, "mfg_innovation_center": 0, "tech_innovation_center": 1,
                  "emerging_innovation_center": 0, "engineering_center": 1, "science_facility": 0,
                  "pilot_platform": 3},
    "patents": {"invention": 300, "gold": 1, "silver": 2},
    "financing": {"y2023": 10, "y2024": 20, "y2025": 45},
    "talent": {"postgrad": 1500, "senior_title": 800, "high_skill": 600, "staff": 10000, "high_level": 2500},
    "factories": {"pilot": 0, "excellent": 1, "advanced": 4, "basic": 15},
}

ENT = {
    "type": "enterprise", "domain": "storage",
    "main": {
        "total_revenue": {"y2023": 50, "y2024": 60, "y2025": 66},
        "total_revenue_growth": {"y2023": 12},
        "gross_margin": {"y2023": 20, "y2024": 22, "y2025": 24},
        "tax": {"y2023": 2, "y2024": 2.5, "y2025": 3},
        "employees": {"y2023": 2000, "y2024": 2400, "y2025": 2200},
    },
    "domain_ops": {
        "revenue": {"y2023": 30, "y2024": 42, "y2025": 49.5},
        "growth": {"y2023": 15},
        "gross_margin": {"y2023": 25, "y2024": 27, "y2025": 32},
        "top5": [{"name": "储能电芯", "sales": 30, "market_share": 12},
                 {"name": "储能系统", "sales": 15, "market_share": 25.5},
                 {"name": "BMS", "sales": 3}],
    },
    "rd": {"rd_intensity": {"y2023": 4, "y2024": 4.5, "y2025": 5},
           "domain_rd_spend": {"y2023": 1.5, "y2024": 2.1, "y2025": 2.97}},
    "awards": {"nsa_special": 0, "nsa_first": 1, "nsa_second": 1, "tia_special": 0, "tia_first": 1,
               "tia_second": 2, "stp_special": 1, "stp_first": 0, "stp_second": 2, "provincial": 4},
    "patents": {"invention": 40, "gold": 0, "silver": 1},
    "standards": {"international": 1, "national": 2, "industry": 5},
    "talent": {"staff": 2000, "high_level": 700},
}


def park(**changes):
    d = copy.deepcopy(PARK)
    for path, v in changes.items():
        node = d
        *parents, last = path.split("__")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = v
    return parse_application(d)


def ent(**changes):
    d = copy.deepcopy(ENT)
    for path, v in changes.items():
        node = d
        *parents, last = path.split("__")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = v
    return parse_application(d)


def P(app=None):
    return compute_derived(app or park(), PARK_W, TOL)


def E(app=None):
    return compute_derived(app or ent(), ENT_W, TOL)


# ---------------------------------------------------------------------------------------------------------------
# park


def test_park_averages():
    r = P()
    assert r["main.total_revenue.avg"] == pytest.approx(500.0)          # (400+500+600)/3
    assert r["main.employees.avg"] == pytest.approx(23000.0)             # (20000+25000+24000)/3
    assert r["lead.revenue.avg"] == pytest.approx(260.0)                 # (200+250+330)/3
    assert r["rd.park_rd_intensity.avg"] == pytest.approx(6.9 / 3)
    assert r["financing.avg"] == pytest.approx(25.0)
    assert r["rd.tech_contracts.avg"] == pytest.approx(5.0)
    assert P().metrics["lead.revenue.avg"].source == "derived"


def test_park_growth_rates_with_typed_2023_and_cagr():
    r = P()
    assert r["main.total_revenue_growth.y2023"] == pytest.approx(10.0)   # typed (no 2022 level in the form)
    assert r.metrics["main.total_revenue_growth.y2023"].source == "typed"
    assert r["main.total_revenue_growth.y2024"] == pytest.approx(25.0)   # 500/400 − 1
    assert r["main.total_revenue_growth.y2025"] == pytest.approx(20.0)   # 600/500 − 1
    assert r["main.total_revenue_growth.avg"] == pytest.approx((10 + 25 + 20) / 3)
    assert r["main.total_revenue.cagr"] == pytest.approx((math.sqrt(600 / 400) - 1) * 100)  # 22.474…
    assert r["lead.growth.y2024"] == pytest.approx(25.0)                 # 250/200 − 1
    assert r["lead.growth.y2025"] == pytest.approx(32.0)                 # 330/250 − 1
    assert r["lead.growth.avg"] == pytest.approx((8 + 25 + 32) / 3)
    assert r["lead.revenue.cagr"] == pytest.approx((math.sqrt(1.65) - 1) * 100)  # 28.452…


def test_growth_average_missing_without_typed_2023():
    r = P(park(lead__growth={}))
    assert r["lead.growth.y2023"] is None
    assert r["lead.growth.y2024"] == pytest.approx(25.0)
    assert r["lead.growth.avg"] is None
    assert "2023" in r.metrics["lead.growth.avg"].missing_reason


def test_park_shares_intensity_productivity():
    r = P()
    assert r["lead.share.y2023"] == pytest.approx(50.0)                  # 200/400
    assert r["lead.share.y2025"] == pytest.approx(55.0)                  # 330/600
    assert r["lead.share.avg"] == pytest.approx((50 + 50 + 55) / 3)
    assert r["rd.lead_rd_intensity.y2023"] == pytest.approx(2.5)         # 5/200
    assert r["rd.lead_rd_intensity.y2025"] == pytest.approx(3.0)         # 9.9/330
    assert r["rd.lead_rd_intensity.avg"] == pytest.approx((2.5 + 3 + 3) / 3)
    assert r["main.labor_productivity.y2023"] == pytest.approx(200.0)    # 400亿 ×1e4 / 20000人
    assert r["main.labor_productivity.y2025"] == pytest.approx(250.0)    # 600亿 ×1e4 / 24000人
    assert r["main.labor_productivity.avg"] == pytest.approx((200 + 200 + 250) / 3)


def test_park_talent_and_smart_factories():
    r = P()
    assert r["talent.high_level_share"] == pytest.approx(25.0)           # 2500/10000
    assert r["factories.share"] == pytest.approx(25.0)                   # (0+1+4+15)/80
    assert r["factories.weighted"] == pytest.approx(1 * 8 + 4 * 2 + 15 * 1)  # 31


def test_park_weighted_counts():
    r = P()
    assert r["lead.quality_weighted"] == pytest.approx(30 * 1 + 40 * 2 + 10 * 3 + 3 * 5 + 1 * 7)   # 162
    assert r["platforms.weighted"] == pytest.approx(1 * 11 + 2 * 7 + 1 * 4 + 1 * 3 + 3 * 1)        # 35
    # award-winning patents count their weight instead of 1: 300 − 3 + 10 + 2×5
    assert r["patents.weighted"] == pytest.approx(317.0)
    assert r["patents.density"] == pytest.approx(317 / 330)              # per 亿元 of 2025 lead revenue
    assert r["top10.count"] == 2                                          # blank name not counted


def test_weighted_count_follows_the_weights_passed_in():
    w = copy.deepcopy(PARK_W)
    w["quality_firms"]["little_giant"] = 50
    assert compute_derived(park(), w, TOL)["lead.quality_weighted"] == pytest.approx(162 + 3 * 45)


def test_missing_stays_none_not_zero():
    r = P(park(lead__revenue={"y2023": 200, "y2025": 330}, lead__single_champion=None, patents__gold=None,
               talent__staff=None, factories__basic=None))
    assert r["lead.revenue.y2024"] is None
    assert r["lead.revenue.avg"] is None
    assert r.metrics["lead.revenue.avg"].source == "missing"
    assert "2024" in r.metrics["lead.revenue.avg"].missing_reason
    assert r["lead.share.y2024"] is None and r["lead.share.avg"] is None
    assert r["lead.growth.y2024"] is None and r["lead.growth.y2025"] is None
    assert r["lead.revenue.cagr"] == pytest.approx((math.sqrt(1.65) - 1) * 100)  # needs 2023 and 2025 only
    assert r["lead.quality_weighted"] is None
    assert "制造业单项冠军企业数量" in r.metrics["lead.quality_weighted"].missing_reason
    assert r["patents.weighted"] is None and r["patents.density"] is None
    assert r["talent.high_level_share"] is None
    assert r["factories.share"] is None and r["factories.weighted"] is None


def test_typed_value_used_only_when_components_missing():
    r = P(park(lead__revenue={}, lead__share={"avg": 52.0}))
    assert r["lead.share.avg"] == pytest.approx(52.0)
    assert r.metrics["lead.share.avg"].source == "typed"
    assert r.mismatches == []


def test_mismatch_beyond_tolerance_flagged_and_rounding_tolerated():
    app = park(
        lead__share={"avg": 51.67, "y2025": 55.04},          # computed 51.666…, 55.0: rounding only
        patents__weighted=300,                               # computed 317: off by 17 > max(0.05, 3.17)
        main__labor_productivity={"y2023": 200.04, "y2025": 254},   # 250: off by 4 > max(0.05, 2.5)
        lead__growth={"y2023": 8, "y2024": 30},              # computed 25: off by 5
    )
    r = P(app)
    keys = {m.key for m in r.mismatches}
    assert keys == {"patents.weighted", "main.labor_productivity.y2025", "lead.growth.y2024"}
    # the computed value wins
    assert r["patents.weighted"] == pytest.approx(317.0)
    assert r["main.labor_productivity.y2025"] == pytest.approx(250.0)
    mm = next(m for m in r.mismatches if m.key == "patents.weighted")
    assert (mm.typed, mm.computed) == (300, pytest.approx(317.0))
    assert "不一致" in mm.message


def test_mismatch_relative_tolerance_boundary():
    # computed 317 → tolerance max(0.05, 3.17): 320.1 is within, 320.2 is not
    assert P(park(patents__weighted=320.1)).mismatches == []
    assert [m.key for m in P(park(patents__weighted=320.2)).mismatches] == ["patents.weighted"]


# ---------------------------------------------------------------------------------------------------------------
# values whose typed figure counts: the de-duplicated 加权数量 and 智能工厂占比


@pytest.mark.parametrize("path,field,computed", [
    ("lead.quality_weighted", "lead__quality_weighted", 162.0),
    ("platforms.weighted", "platforms__weighted", 35.0),
    ("factories.weighted", "factories__weighted", 31.0),
])
def test_typed_deduplicated_weighted_count_counts_and_the_sum_is_its_upper_bound(path, field, computed):
    low = computed / 2  # de-duplication lowers the count: far below the sum, and never a mismatch
    r = P(park(**{field: low}))
    m = r.metrics[path]
    assert r[path] == pytest.approx(low) and m.source == "typed" and not m.estimate
    assert m.computed == pytest.approx(computed) and m.upper_bound
    assert r.mismatches == []
    assert "填报值（去重后）" in m.formula and "上限" in m.formula


@pytest.mark.parametrize("path,computed", [
    ("lead.quality_weighted", 162.0), ("platforms.weighted", 35.0), ("factories.weighted", 31.0)])
def test_without_a_typed_weighted_count_the_category_sum_is_used_as_an_estimate(path, computed):
    m = P().metrics[path]
    assert m.value == pytest.approx(computed) and m.estimate and m.upper_bound
    assert m.formula.startswith("按分类数量估算（未去重，为上限）：")
    assert "估算" in estimate_note(m) and "去重" in estimate_note(m)


def test_typed_weighted_count_above_the_sum_is_still_the_value_and_not_a_mismatch():
    # above the upper bound is a consistency warning (scoring.rules.consistency), not a mismatch here
    r = P(park(lead__quality_weighted=200))
    assert r["lead.quality_weighted"] == pytest.approx(200.0) and r.mismatches == []
    assert r.metrics["lead.quality_weighted"].computed == pytest.approx(162.0)


def test_typed_weighted_count_used_when_categories_missing():
    r = P(park(lead__single_champion=None, lead__quality_weighted=90))
    m = r.metrics["lead.quality_weighted"]
    assert m.value == pytest.approx(90.0) and m.source == "typed" and m.computed is None and not m.estimate


def test_typed_smart_factory_share_wins_and_the_assumed_formula_is_only_an_estimate():
    r = P(park(factories__share=12.5))       # assumed formula: (0+1+4+15)/80 = 25%
    m = r.metrics["factories.share"]
    assert m.value == pytest.approx(12.5) and m.source == "typed" and not m.estimate
    assert m.computed == pytest.approx(25.0) and not m.upper_bound
    assert r.mismatches == []                # the formula is an assumption: a different typed value is no mismatch
    e = P().metrics["factories.share"]
    assert e.value == pytest.approx(25.0) and e.estimate and "假设" in e.formula


def test_patents_weighted_still_follows_its_components():
    # 「同一专利不重复计算」 is already how the components are counted (award-winning ones are 其中): computed wins
    m = P(park(patents__weighted=250)).metrics["patents.weighted"]
    assert m.value == pytest.approx(317.0) and m.source == "derived" and not m.estimate


def test_ai_park_sample_typed_deduplicated_quality_count():
    from scoring.assessment.engine import derive  # the shipped rubric's weights

    data = json.loads(SAMPLE_AI_PARK.read_text(encoding="utf-8"))
    app = parse_application(data)
    assert derive(app)["lead.quality_weighted"] == pytest.approx(540 + 398 + 126 * 2 + 18 * 6 + 3 * 10)  # 1,328
    data["lead"]["quality_weighted"] = 600
    r = derive(parse_application(data))
    assert r["lead.quality_weighted"] == pytest.approx(600.0) and r.mismatches == []


# ---------------------------------------------------------------------------------------------------------------
# enterprise


def test_enterprise_averages_growth_cagr():
    r = E()
    assert r["main.total_revenue.avg"] == pytest.approx(176 / 3)
    assert r["main.total_revenue_growth.y2023"] == pytest.approx(12.0)
    assert r["main.total_revenue_growth.y2024"] == pytest.approx(20.0)   # 60/50
    assert r["main.total_revenue_growth.y2025"] == pytest.approx(10.0)   # 66/60
    assert r["main.total_revenue_growth.avg"] == pytest.approx(14.0)
    assert r["main.total_revenue.cagr"] == pytest.approx((math.sqrt(66 / 50) - 1) * 100)
    assert r["main.gross_margin.avg"] == pytest.approx(22.0)
    assert r["main.tax.avg"] == pytest.approx(2.5)
    assert r["domain_ops.revenue.avg"] == pytest.approx(40.5)
    assert r["domain_ops.growth.y2024"] == pytest.approx(40.0)           # 42/30
    assert r["domain_ops.growth.y2025"] == pytest.approx((49.5 / 42 - 1) * 100)
    assert r["domain_ops.growth.avg"] == pytest.approx((15 + 40 + (49.5 / 42 - 1) * 100) / 3)
    assert r["domain_ops.revenue.cagr"] == pytest.approx((math.sqrt(1.65) - 1) * 100)
    assert r["domain_ops.gross_margin.avg"] == pytest.approx(28.0)
    assert r["rd.rd_intensity.avg"] == pytest.approx(4.5)


def test_enterprise_shares_productivity_talent_products():
    r = E()
    assert r["domain_ops.share.y2023"] == pytest.approx(60.0)            # 30/50
    assert r["domain_ops.share.y2024"] == pytest.approx(70.0)            # 42/60
    assert r["domain_ops.share.y2025"] == pytest.approx(75.0)            # 49.5/66
    assert r["domain_ops.share.avg"] == pytest.approx(205 / 3)
    assert r["rd.domain_rd_intensity.avg"] == pytest.approx((5 + 5 + 6) / 3)  # 1.5/30, 2.1/42, 2.97/49.5
    assert r["main.labor_productivity.y2023"] == pytest.approx(250.0)    # 50亿 ×1e4 / 2000
    assert r["main.labor_productivity.y2025"] == pytest.approx(300.0)    # 66亿 ×1e4 / 2200
    assert r["main.labor_productivity.avg"] == pytest.approx((250 + 250 + 300) / 3)
    assert r["talent.high_level_share"] == pytest.approx(35.0)
    assert r["top5.max_market_share"] == pytest.approx(25.5)
    assert r["top5.count"] == 3


def test_enterprise_weighted_counts():
    r = E()
    # 1×10 + 1×5 + 1×9 + 2×4 + 1×18 + 2×3 + 4×1
    assert r["awards.weighted"] == pytest.approx(60.0)
    assert r["patents.weighted"] == pytest.approx(40 - 1 + 5)
    assert r["patents.density"] == pytest.approx(44 / 49.5)
    assert r["standards.weighted"] == pytest.approx(1 * 6 + 2 * 3 + 5 * 1)


def test_enterprise_missing_and_mismatch():
    r = E(ent(awards__provincial=None, domain_ops__top5=[{"name": "A"}],
              standards__weighted=20, main__employees={"y2023": 2000, "y2024": 2400}))
    assert r["awards.weighted"] is None
    assert "省部级奖励数量" in r.metrics["awards.weighted"].missing_reason
    assert r["top5.max_market_share"] is None
    assert r["main.labor_productivity.y2025"] is None
    assert r["main.labor_productivity.avg"] is None
    assert [m.key for m in r.mismatches] == ["standards.weighted"]        # typed 20 vs computed 17
