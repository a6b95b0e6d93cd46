"""Consistency warnings (scoring/consistency.py): each check fires on a crafted application and stays quiet on a
consistent one. Expected values are computed by hand in the comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scoring.rules.consistency import check_consistency
from scoring.application.derived import compute_derived
from scoring.application.models import EnterpriseApplication, ParkApplication
from scoring.rules.results import ConsistencyWarning

TODAY = dt.date(2026, 3, 20)

WEIGHTS: dict[str, dict[str, float]] = {
    "quality_firms": {"tech_sme": 1, "high_tech": 1, "srdi_sme": 2, "little_giant": 3, "single_champion": 5},
    "platforms": {k: 1 for k in ("national_lab", "key_lab", "mfg_innovation_center", "tech_innovation_center",
                                  "emerging_innovation_center", "engineering_center", "science_facility",
                                  "pilot_platform")},
    "patents": {"gold": 10, "silver": 5},
    "factories": {"pilot": 8, "excellent": 4, "advanced": 2, "basic": 1},
    "awards": {"nsa_first": 10, "provincial": 1},
    "standards": {"international": 5, "national": 3, "industry": 1},
}


def series(a: float, b: float, c: float) -> dict[str, float]:
    return {"y2023": a, "y2024": b, "y2025": c}


def park() -> ParkApplication:
    """A park whose figures agree with each other."""
    return ParkApplication.model_validate({
        "domain": "robot",
        "basic": {"planned_area": 1000, "built_area": 800, "approval_date": "2000-01-01"},
        "main": {"total_revenue": series(500, 550, 600), "employees": series(20000, 21000, 22000),
                 "above_scale_firms": series(150, 160, 170)},
        "lead": {"revenue": series(300, 330, 360), "firms": 200, "above_scale_firms": 80, "tech_sme": 50,
                 "high_tech": 60, "srdi_sme": 30, "little_giant": 8, "single_champion": 2,
                 # 60+50+40+30+20+15+12+10+8+6 = 251 ≤ 360, descending
                 "top10": [{"name": f"企业{i}", "revenue": r}
                           for i, r in enumerate([60, 50, 40, 30, 20, 15, 12, 10, 8, 6], 1)]},
        # park R&D = 3% × revenue = 15 / 16.5 / 18 亿元 ≥ lead R&D 9 / 10 / 11
        "rd": {"park_rd_intensity": series(3, 3, 3), "lead_rd_spend": series(9, 10, 11)},
        "patents": {"invention": 500, "gold": 1, "silver": 2},
        # high level 2500: ≥ largest group 1500, ≤ sum 3300, ≤ staff 15000; staff ≤ employees 22000
        "talent": {"postgrad": 1000, "senior_title": 800, "high_skill": 1500, "staff": 15000, "high_level": 2500},
        "factories": {"pilot": 0, "excellent": 1, "advanced": 5, "basic": 20},  # 26 ≤ 80 规上
    })


def enterprise() -> EnterpriseApplication:
    """An enterprise whose figures agree with each other."""
    return EnterpriseApplication.model_validate({
        "domain": "storage",
        "basic": {"name": "测试企业", "founded": "2010-05-01", "cert_srdi": True, "cert_little_giant": True},
        "main": {"total_revenue": series(50, 60, 70), "employees": series(2000, 2100, 2200)},
        # total R&D = 5% × revenue = 2.5 / 3 / 3.5 亿元 ≥ domain R&D 1.5 / 1.8 / 2.1
        "rd": {"rd_intensity": series(5, 5, 5), "domain_rd_spend": series(1.5, 1.8, 2.1)},
        # top-5 sales 10+8+6+4+2 = 30 ≤ domain revenue 2025 = 42
        "domain_ops": {"revenue": series(30, 36, 42),
                       "top5": [{"name": f"产品{i}", "sales": s} for i, s in enumerate([10, 8, 6, 4, 2], 1)]},
        "patents": {"invention": 100, "gold": 0, "silver": 1},
        "talent": {"postgrad": 200, "senior_title": 150, "high_skill": 300, "staff": 1500, "high_level": 500},
    })


def warnings(app: Any) -> list[ConsistencyWarning]:
    return check_consistency(app, compute_derived(app, WEIGHTS), today=TODAY)


def keys(app: Any) -> set[str]:
    return {w.key for w in warnings(app)}


# ---------------------------------------------------------------------------------------------------------------
# quiet cases


def test_consistent_park_is_quiet() -> None:
    assert warnings(park()) == []


def test_consistent_enterprise_is_quiet() -> None:
    assert warnings(enterprise()) == []


def test_empty_drafts_are_quiet() -> None:
    assert warnings(ParkApplication(domain="ai")) == []
    assert warnings(EnterpriseApplication(domain="ai")) == []


# ---------------------------------------------------------------------------------------------------------------
# park: each check fires alone


def _set(obj: Any, path: str, value: Any) -> None:
    *head, last = path.split(".")
    for p in head:
        obj = obj[int(p)] if p.isdigit() else getattr(obj, p)
    setattr(obj, last, value)


PARK_CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("lead revenue above total (2024: 560 > 550)", {"lead.revenue.y2024": 560}, {"lead.revenue_gt_total.y2024"}),
    ("lead 规上 firms above lead firms (80 > 70)", {"lead.firms": 70}, {"lead.above_scale_gt_firms"}),
    ("lead 规上 firms above park 规上 firms 2025 (80 > 75)", {"main.above_scale_firms.y2025": 75},
     {"lead.above_scale_gt_park"}),
    ("high-tech firms above lead firms (250 > 200)", {"lead.high_tech": 250}, {"lead.high_tech_gt_firms"}),
    ("小巨人 above 专精特新 (31 > 30)", {"lead.little_giant": 31}, {"lead.little_giant_gt_srdi"}),
    ("gold + silver above invention (300+250 > 500)", {"patents.gold": 300, "patents.silver": 250},
     {"patents.awards_gt_invention"}),
    ("high level above sum of groups (3400 > 3300)", {"talent.high_level": 3400}, {"talent.high_level_gt_sum"}),
    ("high level below largest group (1400 < 1500)", {"talent.high_level": 1400}, {"talent.high_level_lt_max"}),
    ("high level above staff (16000 > 15000; also > sum 3300)", {"talent.high_level": 16000},
     {"talent.high_level_gt_staff", "talent.high_level_gt_sum"}),
    ("postgrad above staff (16000 > 15000; high level 2500 < 16000)", {"talent.postgrad": 16000},
     {"talent.postgrad_gt_staff", "talent.high_level_lt_max"}),
    ("talent staff above park employees 2025 (23000 > 22000)", {"talent.staff": 23000},
     {"talent.staff_gt_employees"}),
    ("lead R&D above park R&D 2025 (20 > 3% × 600 = 18, +5% = 18.9)", {"rd.lead_rd_spend.y2025": 20},
     {"rd.lead_rd_gt_park_rd.y2025"}),
    ("top-10 not sorted (2nd 61 > 1st 60)", {"lead.top10.1.revenue": 61}, {"lead.top10_not_sorted"}),
    ("top-10 firm above lead revenue (400 > 360)", {"lead.top10.0.revenue": 400}, {"lead.top10_gt_lead.0"}),
    ("built area above planned (1200 > 1000)", {"basic.built_area": 1200}, {"basic.built_gt_planned"}),
    ("smart factories above 规上 firms (0+1+5+80 = 86 > 80)", {"factories.basic": 80},
     {"factories.gt_above_scale_firms"}),
    ("employees 0 with revenue 500 (2023)", {"main.employees.y2023": 0}, {"main.employees_zero.y2023"}),
    ("approval date after today", {"basic.approval_date": dt.date(2026, 5, 1)}, {"basic.approval_date_future"}),
]


@pytest.mark.parametrize("changes,expected", [(c, e) for _, c, e in PARK_CASES], ids=[n for n, _, _ in PARK_CASES])
def test_park_check_fires(changes: dict[str, Any], expected: set[str]) -> None:
    app = park()
    for path, value in changes.items():
        _set(app, path, value)
    assert keys(app) == expected


def test_top10_sum_above_lead_revenue() -> None:
    app = park()
    for t in app.lead.top10:
        t.revenue = 40  # 10 × 40 = 400 > 360 × 1.01 + 0.05 = 363.65; no single firm above 360
    w = warnings(app)
    assert [x.key for x in w] == ["lead.top10_sum_gt_lead"]
    assert "400" in w[0].message and "360" in w[0].message


def test_top10_sum_within_rounding_is_quiet() -> None:
    app = park()
    for t in app.lead.top10:
        t.revenue = 36.3  # 363 ≤ 363.65 (rounding tolerance)
    assert keys(app) == set()


def test_rd_within_intensity_rounding_is_quiet() -> None:
    app = park()
    app.rd.lead_rd_spend.y2025 = 18.5  # above 18 but within 5% (18.9): an intensity of "3%" may be 3.04%
    assert keys(app) == set()


def test_park_warning_names_fields_in_chinese() -> None:
    app = park()
    app.lead.revenue.y2024 = 560
    (w,) = warnings(app)
    assert w.fields == ["主导产业近三年发展情况 › 主导产业规模以上企业营业收入 › 2024年",
                        "近三年主要发展指标 › 总营业收入 › 2024年"]
    assert "2024年" in w.message and "560亿元" in w.message and "550亿元" in w.message


def test_several_years_fire_separately() -> None:
    app = park()
    app.lead.revenue.y2023, app.lead.revenue.y2025 = 501, 601
    assert keys(app) == {"lead.revenue_gt_total.y2023", "lead.revenue_gt_total.y2025"}


def test_missing_component_does_not_fire() -> None:
    app = park()
    app.main.total_revenue.y2024 = None
    app.lead.revenue.y2024 = 9999  # no total to compare with in 2024 (growth / share in derived are other checks)
    app.rd.park_rd_intensity.y2024 = None
    assert "lead.revenue_gt_total.y2024" not in keys(app)


# ---------------------------------------------------------------------------------------------------------------
# enterprise: each check fires alone


ENT_CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("domain revenue above total (2023: 55 > 50)", {"domain_ops.revenue.y2023": 55},
     {"domain_ops.revenue_gt_total.y2023"}),
    ("domain R&D above total R&D 2024 (3.5 > 5% × 60 = 3, +5% = 3.15)", {"rd.domain_rd_spend.y2024": 3.5},
     {"rd.domain_rd_gt_total_rd.y2024"}),
    ("top-5 sales above domain revenue 2025 (24+8+6+4+2 = 44 > 42 × 1.01 + 0.05 = 42.47)",
     {"domain_ops.top5.0.sales": 24},
     {"domain_ops.top5_sum_gt_revenue"}),
    ("小巨人 without 专精特新", {"basic.cert_srdi": False}, {"basic.little_giant_without_srdi"}),
    ("gold + silver above invention (60+50 > 100)", {"patents.gold": 60, "patents.silver": 50},
     {"patents.awards_gt_invention"}),
    ("high level below largest group (250 < 300)", {"talent.high_level": 250}, {"talent.high_level_lt_max"}),
    ("high level above sum (700 > 650)", {"talent.high_level": 700}, {"talent.high_level_gt_sum"}),
    ("domain staff above employees 2025 (2300 > 2200)", {"talent.staff": 2300}, {"talent.staff_gt_employees"}),
    ("employees 0 with revenue 60 (2024)", {"main.employees.y2024": 0}, {"main.employees_zero.y2024"}),
    ("founded after today", {"basic.founded": dt.date(2027, 1, 1)}, {"basic.founded_future"}),
]


@pytest.mark.parametrize("changes,expected", [(c, e) for _, c, e in ENT_CASES], ids=[n for n, _, _ in ENT_CASES])
def test_enterprise_check_fires(changes: dict[str, Any], expected: set[str]) -> None:
    app = enterprise()
    for path, value in changes.items():
        _set(app, path, value)
    assert keys(app) == expected


def test_no_certificates_is_quiet() -> None:
    app = enterprise()
    app.basic.cert_srdi = False
    app.basic.cert_little_giant = False
    assert keys(app) == set()


def test_date_today_is_not_future() -> None:
    app = enterprise()
    app.basic.founded = TODAY
    assert keys(app) == set()


def test_enterprise_top5_message() -> None:
    app = enterprise()
    app.domain_ops.top5[0].sales = 24  # 24+8+6+4+2 = 44
    (w,) = warnings(app)
    assert "44亿元" in w.message and "42亿元" in w.message
    assert w.fields == ["重点领域近三年经营情况 › 重点领域主导产品（2025年销售收入前五位）",
                        "重点领域近三年经营情况 › 重点领域营业收入 › 2025年"]


def test_growth_mismatch_is_not_duplicated() -> None:
    # a typed growth rate that disagrees with the levels is a derived mismatch, not a consistency warning
    app = enterprise()
    app.main.total_revenue_growth.y2025 = 50.0  # levels give 70/60 − 1 = 16.7%
    derived = compute_derived(app, WEIGHTS)
    assert any(m.key == "main.total_revenue_growth.y2025" for m in derived.mismatches)
    assert check_consistency(app, derived, today=TODAY) == []


def test_every_warning_has_message_and_fields() -> None:
    app = park()
    for _, changes, _ in PARK_CASES:
        for path, value in changes.items():
            _set(app, path, value)
    ws = warnings(app)
    assert len(ws) >= 10
    for w in ws:
        assert w.message and w.fields and all(isinstance(f, str) and f for f in w.fields)


# ---------------------------------------------------------------------------------------------------------------
# the de-duplicated 加权数量: the category sum is an upper bound


# park(): 优质企业 50×1 + 60×1 + 30×2 + 8×3 + 2×5 = 204; 智能工厂 0×8 + 1×4 + 5×2 + 20×1 = 34
@pytest.mark.parametrize("path,typed", [("lead.quality_weighted", 120.0), ("lead.quality_weighted", 204.0),
                                        ("lead.quality_weighted", 204.05), ("factories.weighted", 30.0)])
def test_typed_weighted_count_at_or_below_the_category_sum_is_quiet(path: str, typed: float) -> None:
    app = park()
    _set(app, path, typed)
    derived = compute_derived(app, WEIGHTS)
    assert derived.mismatches == []  # de-duplication lowers the count: never 不一致
    assert check_consistency(app, derived, today=TODAY) == []


def test_typed_weighted_count_above_the_category_sum_is_flagged() -> None:
    app = park()
    app.lead.quality_weighted = 250.0
    (w,) = warnings(app)
    assert w.key == "lead.quality_weighted.gt_category_sum"
    assert "250个" in w.message and "204个" in w.message and "同一企业不重复计算" in w.message
    assert "不一致" not in w.message
    assert w.fields[0] == "主导产业近三年发展情况 › 优质企业加权数量（填报值）"
    assert "主导产业近三年发展情况 › 制造业单项冠军企业数量" in w.fields


def test_platforms_and_factories_above_their_sums_are_flagged() -> None:
    app = park()
    for k in type(app.platforms).model_fields:
        if k != "weighted":
            setattr(app.platforms, k, 0)
    app.platforms.key_lab = 2
    app.platforms.pilot_platform = 1   # 3 platforms × weight 1 = 3
    app.platforms.weighted = 5.0
    app.factories.weighted = 40.0      # > 34
    assert keys(app) == {"platforms.weighted.gt_category_sum", "factories.weighted.gt_category_sum"}


def test_nothing_typed_uses_the_sum_as_an_estimate_and_is_quiet() -> None:
    app = park()
    derived = compute_derived(app, WEIGHTS)
    m = derived.metrics["lead.quality_weighted"]
    assert m.value == 204 and m.estimate and m.upper_bound
    assert check_consistency(app, derived, today=TODAY) == []


def test_typed_smart_factory_share_silences_the_assumed_share_warning() -> None:
    app = park()
    app.factories.basic = 80  # 86 factories > 80 规上 firms: the assumed share would exceed 100%
    assert keys(app) == {"factories.gt_above_scale_firms"}
    app.factories.share = 35.0  # the typed share counts; the assumed formula is not used
    assert keys(app) == set()
