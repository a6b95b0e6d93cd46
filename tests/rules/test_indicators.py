"""Indicator scoring (scoring/indicators.py), driven by rubric files.

Exact point values are checked against a small test rubric (hand-computed below); the shipped rubrics are checked
for their structure (metrics exist, 100 points, the 智能工厂占比 exclusion) and for rubric-driven behaviour
(editing a copy of the YAML changes the score as computed by hand).
"""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from scoring.application.derived import compute_derived
from scoring.rules.indicators import _round_parts, list_metric_keys, score_indicators
from scoring.application.models import parse_application
from scoring.programme.rubric import IndicatorRubric, Rule, RubricError, load_indicator_rubric, indicator_rubric_path

PARK = {
    "type": "park", "domain": "robot",
    "basic": {"land_investment_intensity": 4500, "land_output": 5200},
    "main": {"total_revenue": {"y2023": 400, "y2024": 500, "y2025": 600},
             "total_revenue_growth": {"y2023": 10},
             "employees": {"y2023": 20000, "y2024": 25000, "y2025": 24000}},
    "lead": {"revenue": {"y2023": 200, "y2024": 250, "y2025": 330}, "growth": {"y2023": 8},
             "firms": 150, "above_scale_firms": 80,
             "tech_sme": 30, "high_tech": 40, "srdi_sme": 10, "little_giant": 3, "single_champion": 1},
    "rd": {"park_rd_intensity": {"y2023": 2.0, "y2024": 2.2, "y2025": 2.7},
           "lead_rd_spend": {"y2023": 5, "y2024": 7.5, "y2025": 9.9},
           "tech_contracts": {"y2023": 3, "y2024": 4, "y2025": 8}},
    "platforms": {"national_lab": 0, "key_lab": 2, "mfg_innovation_center": 0, "tech_innovation_center": 1,
                  "emerging_innovation_center": 0, "engineering_center": 1, "science_facility": 0,
                  "pilot_platform": 3},
    "patents": {"invention": 300, "gold": 1, "silver": 2},
    "talent": {"staff": 10000, "high_level": 2500},
    "factories": {"pilot": 0, "excellent": 1, "advanced": 4, "basic": 15},
    # financing left empty on purpose: a 缺数据 indicator
}

ENT = {
    "type": "enterprise", "domain": "storage",
    "main": {"total_revenue": {"y2023": 50, "y2024": 60, "y2025": 66}, "total_revenue_growth": {"y2023": 12},
             "gross_margin": {"y2023": 20, "y2024": 22, "y2025": 24}, "tax": {"y2023": 2, "y2024": 2.5, "y2025": 3},
             "employees": {"y2023": 2000, "y2024": 2400, "y2025": 2200}},
    "domain_ops": {"revenue": {"y2023": 30, "y2024": 42, "y2025": 49.5}, "growth": {"y2023": 15},
                   "gross_margin": {"y2023": 25, "y2024": 27, "y2025": 32},
                   "top5": [{"name": "储能电芯", "sales": 30, "market_share": 12}]},
    "rd": {"rd_intensity": {"y2023": 4, "y2024": 4.5, "y2025": 5},
           "domain_rd_spend": {"y2023": 1.5, "y2024": 2.1, "y2025": 2.97}},
    "awards": {k: 0 for k in ("nsa_special", "nsa_first", "nsa_second", "tia_special", "tia_first", "tia_second",
                              "stp_special", "stp_first", "stp_second", "provincial")},
    "patents": {"invention": 40, "gold": 0, "silver": 1},
    "standards": {"international": 0, "national": 1, "industry": 2},
    "talent": {"staff": 2000, "high_level": 700},
}


def park_app(domain="robot", **top):
    d = copy.deepcopy(PARK)
    d["domain"] = domain
    d.update(top)
    return parse_application(d)


def _ind(key, metric, weight, rule, basis="参考值", not_for=()):
    return {"key": key, "label": key, "metric": metric, "weight": weight, "rule": rule, "basis": basis,
            "source": "测试", "not_for": list(not_for)}


# test rubric: values chosen so every fraction is easy to compute by hand
TEST_RUBRIC = {
    "type": "park", "version": "test-1", "title": "测试规则",
    "weighted_counts": {
        "quality_firms": {"label": "q", "basis": "参考值", "source": "t",
                          "weights": {"tech_sme": 1, "high_tech": 1, "srdi_sme": 2, "little_giant": 6,
                                      "single_champion": 10}},
        "platforms": {"label": "p", "basis": "参考值", "source": "t",
                      "weights": {"national_lab": 6, "key_lab": 3, "mfg_innovation_center": 3,
                                  "tech_innovation_center": 3, "emerging_innovation_center": 3,
                                  "engineering_center": 3, "science_facility": 6, "pilot_platform": 1}},
        "patents": {"label": "pt", "basis": "参考值", "source": "t", "weights": {"gold": 10, "silver": 5}},
        "factories": {"label": "f", "basis": "参考值", "source": "t",
                      "weights": {"pilot": 48, "excellent": 8, "advanced": 2, "basic": 1}},
    },
    "dimensions": [
        {"key": "cluster", "label": "产业集群发展", "weight": 60, "indicators": [
            # lead.revenue.avg = 260 → (260−60)/(460−60) = 0.5
            _ind("a1", "lead.revenue.avg", 2, {"kind": "linear", "floor": 60, "target": 460}),
            # lead.share.avg = 51.67 → band ≥50: 0.6
            _ind("a2", "lead.share.avg", 1, {"kind": "banded", "bands": [{"min": 50, "fraction": 0.6},
                                                                         {"min": 70, "fraction": 1.0}]}),
            # factories.share = 20/80 = 25% → 25/50 = 0.5; not assessed for AI parks
            _ind("a3", "factories.share", 1, {"kind": "linear", "floor": 0, "target": 50}, not_for=["ai"]),
        ]},
        {"key": "innovation", "label": "产业协同创新", "weight": 40, "indicators": [
            # rd.lead_rd_intensity.avg = (2.5+3+3)/3 = 2.8333 → (2.8333−2)/2 = 0.41667
            _ind("b1", "rd.lead_rd_intensity.avg", 1, {"kind": "linear", "floor": 2, "target": 4}, basis="官方"),
            # talent.high_level_share = 25 → (25−10)/30 = 0.5
            _ind("b2", "talent.high_level_share", 1, {"kind": "linear", "floor": 10, "target": 40}),
            # financing.avg missing → 缺数据
            _ind("b3", "financing.avg", 2, {"kind": "linear", "floor": 0, "target": 30}),
        ]},
    ],
}


def rubric(data=None):
    return IndicatorRubric.model_validate(data or TEST_RUBRIC)


def score(app, rub):
    return score_indicators(app, compute_derived(app, rub.weights, rub.tolerance), rub)


def line(res, key):
    return next(i for d in res.dimensions for i in d.indicators if i.key == key)


def dim(res, key):
    return next(d for d in res.dimensions if d.key == key)


def all_lines(res):
    return [i for d in res.dimensions for i in d.indicators]


# ---------------------------------------------------------------------------------------------------------------
# exact values against the test rubric


def test_hand_computed_dimension_and_total():
    res = score(park_app("robot"), rubric())
    c = dim(res, "cluster")
    # 60 points, weights 2:1:1 → 30 / 15 / 15; fractions 0.5 / 0.6 / 0.5
    assert [i.max_points for i in c.indicators] == [30.0, 15.0, 15.0]
    assert [i.points for i in c.indicators] == [15.0, 9.0, 7.5]
    assert c.points == 31.5 and c.max_points == 60.0
    n = dim(res, "innovation")
    # 40 points, weights 1:1:2 → 10 / 10 / 20; b1 = 10 × 0.41667 = 4.1667, b2 = 5, b3 missing = 0
    assert line(res, "b1").points == pytest.approx(4.17)
    assert line(res, "b2").points == 5.0
    assert n.points == pytest.approx(9.17)
    assert res.score == pytest.approx(40.67)           # 31.5 + 9.1667
    assert res.data_completeness == pytest.approx(0.8)  # b3 (20 points) has no data
    assert res.reference_share == pytest.approx(0.9)   # b1 (10 points) is 官方
    assert res.rubric_version == "test-1"


def test_line_contents():
    res = score(park_app("robot"), rubric())
    a1 = line(res, "a1")
    assert a1.value == pytest.approx(260.0)
    assert a1.unit == "亿元"                            # the metric's unit when the rubric gives none
    assert a1.rule == Rule(kind="linear", floor=60, target=460).describe("亿元")
    assert a1.fraction == pytest.approx(0.5)
    assert a1.status == "已评分" and a1.basis == "参考值"


def test_missing_data_listed_not_silently_zero():
    res = score(park_app("robot"), rubric())
    b3 = line(res, "b3")
    assert b3.status == "缺数据"
    assert b3.value is None and b3.fraction is None and b3.points == 0.0
    assert b3.max_points == 20.0                        # still counts in the 100 points
    assert "2023、2024、2025" in b3.note                 # the metric's missing_reason
    assert len(res.missing) == 1 and "b3" in res.missing[0] and "产业协同创新" in res.missing[0]


def test_not_for_domain_redistributes_within_dimension():
    ai = score(park_app("ai"), rubric())
    a3 = line(ai, "a3")
    assert a3.status == "不考查" and a3.max_points == 0.0 and a3.points == 0.0
    # a3's 15 points go to a1, a2 in proportion 2:1 → 40 / 20
    assert [i.max_points for i in dim(ai, "cluster").indicators] == [40.0, 20.0, 0.0]
    assert dim(ai, "cluster").points == pytest.approx(32.0)    # 40×0.5 + 20×0.6
    assert ai.score == pytest.approx(41.17)                     # 32 + 9.1667
    assert sum(i.max_points for i in all_lines(ai)) == pytest.approx(100.0)
    assert len(ai.not_assessed) == 1
    assert "a3" in ai.not_assessed[0] and "15" in ai.not_assessed[0] and "+10" in ai.not_assessed[0]
    assert "a1 +10" in ai.not_assessed[0] and "a2 +5" in ai.not_assessed[0]
    # the same indicator counts for a robot park
    assert line(score(park_app("robot"), rubric()), "a3").status == "已评分"


def test_dimension_weights_are_normalised_to_100():
    data = copy.deepcopy(TEST_RUBRIC)
    data["dimensions"][0]["weight"] = 120
    data["dimensions"][1]["weight"] = 80
    assert score(park_app(), rubric(data)).score == pytest.approx(40.67)
    data["dimensions"][1]["weight"] = 120          # now 50 / 50
    res = score(park_app(), rubric(data))
    # cluster: 50 × (2×0.5 + 0.6 + 0.5)/4 = 26.25; innovation: 50 × (0.41667 + 0.5)/4 = 11.458
    assert dim(res, "cluster").points == pytest.approx(26.25)
    assert res.score == pytest.approx(26.25 + 50 * (5 / 12 + 0.5) / 4, abs=0.005)


def test_rounding_keeps_sums_consistent():
    data = copy.deepcopy(TEST_RUBRIC)
    data["dimensions"][0]["weight"] = 25
    data["dimensions"][1]["weight"] = 75
    for ind in data["dimensions"][0]["indicators"]:
        ind["weight"] = 1
        ind["not_for"] = []
    res = score(park_app(), rubric(data))
    c = dim(res, "cluster")
    # 25/3 = 8.333… each: naive rounding would show 8.33 × 3 = 24.99
    assert sorted(i.max_points for i in c.indicators) == [8.33, 8.33, 8.34]
    assert sum(i.max_points for i in c.indicators) == pytest.approx(25.0)
    assert sum(i.points for i in c.indicators) == pytest.approx(c.points, abs=1e-9)
    assert sum(d.points for d in res.dimensions) == pytest.approx(res.score, abs=1e-9)


def test_round_parts():
    assert _round_parts([1 / 3] * 3, 1.0) == [0.34, 0.33, 0.33]
    assert _round_parts([2.0, 0.5, 1.25], 3.75) == [2.0, 0.5, 1.25]
    assert sum(_round_parts([0.005, 0.005, 0.005], 0.015)) == pytest.approx(0.02)  # round(1.5) → 2 cents


def test_unknown_metric_and_wrong_type_raise():
    data = copy.deepcopy(TEST_RUBRIC)
    data["dimensions"][0]["indicators"][0]["metric"] = "lead.no_such_metric"
    with pytest.raises(RubricError, match="lead.no_such_metric"):
        score(park_app(), rubric(data))
    app = parse_application(ENT)
    with pytest.raises(RubricError):
        score_indicators(app, compute_derived(app, {"awards": {}, "patents": {}, "standards": {}}), rubric())


# ---------------------------------------------------------------------------------------------------------------
# rules at their edges


@pytest.mark.parametrize("value, expected", [
    (1.0, 0.0), (2.0, 0.0), (3.0, 0.5), (3.999, pytest.approx(0.9995)), (4.0, 1.0), (9.0, 1.0)])
def test_linear_rule_edges(value, expected):
    assert Rule(kind="linear", floor=2, target=4).fraction(value) == expected


def test_linear_rule_reversed_when_lower_is_better():
    r = Rule(kind="linear", floor=10, target=0)
    assert (r.fraction(12), r.fraction(10), r.fraction(5), r.fraction(0), r.fraction(-1)) == (0, 0, 0.5, 1, 1)


@pytest.mark.parametrize("value, expected", [
    (1.99, 0.0), (2.0, 0.5), (2.99, 0.5), (3.0, 0.8), (4.79, 0.8), (4.8, 1.0), (20, 1.0)])
def test_banded_rule_edges(value, expected):
    r = Rule(kind="banded", bands=[{"min": 3, "fraction": 0.8}, {"min": 2, "fraction": 0.5},
                                   {"min": 4.8, "fraction": 1.0}])   # order in the file does not matter
    assert r.fraction(value) == expected


# ---------------------------------------------------------------------------------------------------------------
# the shipped rubrics


@pytest.mark.parametrize("t", ["park", "enterprise"])
def test_every_metric_named_in_shipped_rubric_exists(t):
    rub = load_indicator_rubric(t)
    keys = set(list_metric_keys(t))
    named = [i.metric for d in rub.dimensions for i in d.indicators] + [c.metric for c in rub.basic_conditions]
    assert named and [m for m in named if m not in keys] == []


@pytest.mark.parametrize("t", ["park", "enterprise"])
def test_shipped_rubric_weighted_counts_match_form_fields(t):
    from scoring.application.models import EnterpriseApplication, ParkApplication
    rub = load_indicator_rubric(t)
    if t == "park":
        expected = {"quality_firms": ("lead", {"tech_sme", "high_tech", "srdi_sme", "little_giant",
                                               "single_champion"}),
                    "platforms": ("platforms", set(ParkApplication.model_fields["platforms"].annotation
                                                   .model_fields) - {"weighted"}),
                    "patents": ("patents", {"gold", "silver"}),
                    "factories": ("factories", {"pilot", "excellent", "advanced", "basic"})}
    else:
        expected = {"awards": ("awards", set(EnterpriseApplication.model_fields["awards"].annotation
                                             .model_fields) - {"weighted"}),
                    "patents": ("patents", {"gold", "silver"}),
                    "standards": ("standards", {"international", "national", "industry"})}
    assert set(rub.weighted_counts) == set(expected)
    for k, (_, comps) in expected.items():
        assert set(rub.weighted_counts[k].weights) == comps, k
    # every item says what it rests on
    for d in rub.dimensions:
        assert d.source
        for i in d.indicators:
            assert i.basis in ("官方", "参考值") and i.source
    assert "未公开" in rub.note


def test_shipped_park_rubric_smart_factory_exclusion():
    rub = load_indicator_rubric("park")
    for domain in ("ai", "software"):
        res = score(park_app(domain), rub)
        sf = line(res, "smart_factory_share")
        assert sf.status == "不考查" and sf.max_points == 0.0
        assert sum(i.max_points for i in all_lines(res)) == pytest.approx(100.0)
        assert any("智能工厂占比" in s for s in res.not_assessed)
    robot = score(park_app("robot"), rub)
    sf = line(robot, "smart_factory_share")
    assert sf.status == "已评分" and sf.max_points > 0 and sf.value == pytest.approx(25.0)
    assert robot.not_assessed == []
    assert sum(i.max_points for i in all_lines(robot)) == pytest.approx(100.0)
    # the exclusion is the notice's own rule, quoted in the rubric
    ind = next(i for d in rub.dimensions for i in d.indicators if i.key == "smart_factory_share")
    assert "人工智能、软件领域园区不对" in ind.source and set(ind.not_for) == {"ai", "software"}
    cond = next(c for c in rub.basic_conditions if c.metric == "factories.share")
    assert set(cond.not_for) == {"ai", "software"}


@pytest.mark.parametrize("domain", ["ai", "software"])
def test_ai_and_software_parks_are_exempt_from_the_share_only_not_from_the_weighted_count(domain):
    # 通知四（二）: “人工智能、软件领域园区不对‘智能工厂占比’进行考查” — the 加权数量 is not named, so it is scored
    rub = load_indicator_rubric("park")
    ind = next(i for d in rub.dimensions for i in d.indicators if i.key == "smart_factory_weighted")
    assert ind.not_for == []
    res = score(park_app(domain), rub)
    sw = line(res, "smart_factory_weighted")
    assert sw.status == "已评分" and sw.max_points > 0
    assert sw.value == pytest.approx(1 * 8 + 4 * 2 + 15 * 1)  # 31, estimated from the levels (nothing typed)
    assert sw.points == pytest.approx(sw.max_points * 31 / 50, abs=0.01)  # rubric: linear 0 → 50
    assert res.not_assessed and all(s.startswith("智能工厂占比") for s in res.not_assessed)
    # without the factory counts the weighted count is 缺数据 for an AI park too (not silently exempt)
    bare = copy.deepcopy(PARK)
    bare["domain"] = domain
    bare["factories"] = {}
    gone = line(score(parse_application(bare), rub), "smart_factory_weighted")
    assert gone.status == "缺数据" and gone.max_points > 0


# ---------------------------------------------------------------------------------------------------------------
# typed values that count: the de-duplicated 加权数量 and 智能工厂占比


def _ai_sample(**typed):
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).resolve().parents[2] / "data" / "samples" / "park_ai.json")
                      .read_text(encoding="utf-8"))
    for path, v in typed.items():
        group, key = path.split("__")
        data[group][key] = v
    return parse_application(data)


AI_QUALITY_SUM = 540 * 1 + 398 * 1 + 126 * 2 + 18 * 6 + 3 * 10  # park_ai's categories × the shipped weights = 1,328


@pytest.mark.parametrize("typed", [600.0, 60.0])
def test_ai_park_sample_scores_on_its_typed_deduplicated_quality_count(typed):
    rub = load_indicator_rubric("park")
    ind = next(i for d in rub.dimensions for i in d.indicators if i.key == "quality_firms")
    est = line(score(_ai_sample(), rub), "quality_firms")
    assert est.value == pytest.approx(AI_QUALITY_SUM) and est.value_kind == "估算"
    assert est.note.startswith("按分类数量估算（未去重，为上限）")
    res = score(_ai_sample(lead__quality_weighted=typed), rub)
    q = line(res, "quality_firms")
    assert q.value == pytest.approx(typed) and q.value_kind == "填报" and q.status == "已评分"
    assert q.points == pytest.approx(q.max_points * ind.rule.fraction(typed), abs=0.01)
    assert "上限" in q.note and "1,328" in q.note
    if ind.rule.fraction(typed) < ind.rule.fraction(AI_QUALITY_SUM):  # 60: the sum would have scored more
        assert q.points < est.points


def test_typed_quality_count_changes_the_score_where_the_rubric_tells_600_from_the_sum(tmp_path):
    # the shipped rubric gives full marks from 100 on, so 600 and 1,328 score alike; a target of 2,000 tells them apart
    rub = _edit_copy(tmp_path, lambda data: _find(data, "quality_firms")[1]["rule"].update(target=2000))
    typed = line(score(_ai_sample(lead__quality_weighted=600), rub), "quality_firms")
    est = line(score(_ai_sample(), rub), "quality_firms")
    assert typed.points == pytest.approx(typed.max_points * 600 / 2000, abs=0.01)
    assert est.points == pytest.approx(est.max_points * AI_QUALITY_SUM / 2000, abs=0.01)


def test_typed_smart_factory_share_wins_over_the_assumed_formula():
    rub = rubric()
    res = score(park_app("robot", factories={"pilot": 0, "excellent": 1, "advanced": 4, "basic": 15, "share": 10}),
                rub)
    a3 = line(res, "a3")  # the assumed formula gives 20/80 = 25%; the typed 10% counts → 10/50 = 0.2
    assert a3.value == pytest.approx(10.0) and a3.value_kind == "填报" and a3.fraction == pytest.approx(0.2)
    est = line(score(park_app("robot"), rub), "a3")
    assert est.value == pytest.approx(25.0) and est.value_kind == "估算" and "假设" in est.note


def test_shipped_enterprise_rubric_scores_a_full_application():
    rub = load_indicator_rubric("enterprise")
    res = score(parse_application(ENT), rub)
    assert res.missing == [] and res.not_assessed == []
    assert res.data_completeness == pytest.approx(1.0)
    assert sum(i.max_points for i in all_lines(res)) == pytest.approx(100.0)
    assert [d.label for d in res.dimensions] == ["产品开发", "技术创新", "业态创新", "管理效能"]
    assert 0 < res.score < 100


def _edit_copy(tmp_path, edit):
    src = indicator_rubric_path("park")
    dst = tmp_path / "indicators" / "park.yaml"
    dst.parent.mkdir(parents=True)
    shutil.copy(src, dst)
    data = yaml.safe_load(dst.read_text(encoding="utf-8"))
    edit(data)
    dst.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_indicator_rubric("park", dst)


def _find(data, key):
    for d in data["dimensions"]:
        for i in d["indicators"]:
            if i["key"] == key:
                return d, i
    raise KeyError(key)


def test_rubric_copy_threshold_change_changes_score(tmp_path):
    app = park_app("robot")
    base_rub = load_indicator_rubric("park")
    base = score(app, base_rub)
    d0, i0 = _find(base_rub.model_dump(mode="json"), "lead_revenue")
    floor, target = i0["rule"]["floor"], i0["rule"]["target"]
    assert floor < 260 < target                       # the app sits inside the linear range
    new_target = target * 2
    rub = _edit_copy(tmp_path, lambda data: _find(data, "lead_revenue")[1]["rule"].update(target=new_target))
    res = score(app, rub)
    mx = line(base, "lead_revenue").max_points
    expected_delta = mx * ((260 - floor) / (new_target - floor) - (260 - floor) / (target - floor))
    assert line(res, "lead_revenue").points == pytest.approx(line(base, "lead_revenue").points + expected_delta,
                                                             abs=0.01)
    assert res.score == pytest.approx(base.score + expected_delta, abs=0.02)
    assert res.score < base.score


def test_rubric_copy_weight_change_changes_max_points(tmp_path):
    app = park_app("robot")
    base_rub = load_indicator_rubric("park")
    d, i = _find(base_rub.model_dump(mode="json"), "lead_revenue")
    w_sum = sum(x["weight"] for x in d["indicators"])
    dim_pts = 100 * d["weight"] / sum(x.weight for x in base_rub.dimensions)
    new_w = i["weight"] + w_sum                        # the indicator now has (w + S) / 2S of the dimension

    rub = _edit_copy(tmp_path, lambda data: _find(data, "lead_revenue")[1].update(weight=new_w))
    res = score(app, rub)
    assert line(res, "lead_revenue").max_points == pytest.approx(dim_pts * new_w / (w_sum - i["weight"] + new_w),
                                                                 abs=0.01)
    other = next(x for x in d["indicators"] if x["key"] != "lead_revenue")
    assert line(res, other["key"]).max_points == pytest.approx(
        dim_pts * other["weight"] / (w_sum - i["weight"] + new_w), abs=0.01)
    assert sum(x.max_points for x in all_lines(res)) == pytest.approx(100.0)


def test_list_metric_keys():
    park_keys = list_metric_keys("park")
    ent_keys = list_metric_keys("示范企业")
    assert "factories.share" in park_keys and "factories.share" not in ent_keys
    assert "patents.density" in park_keys and "patents.density" in ent_keys
    assert "top5.max_market_share" in ent_keys and "lead.quality_weighted" in park_keys
    assert len(park_keys) == len(set(park_keys))


def test_displayed_points_never_exceed_their_maximum_on_any_sample():
    """Rounding for display must keep every indicator and dimension at or below its maximum."""
    import json
    from pathlib import Path

    from scoring.assessment.engine import score_application
    from scoring.application.models import parse_application

    for f in sorted((Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.json")):
        res = score_application(parse_application(json.loads(f.read_text(encoding="utf-8"))), narrative=False)
        for dim in res.indicator.dimensions:
            assert dim.points <= dim.max_points + 1e-9, (f.name, dim.label)
            for ln in dim.indicators:
                assert ln.points <= ln.max_points + 1e-9, (f.name, ln.label, ln.points, ln.max_points)
