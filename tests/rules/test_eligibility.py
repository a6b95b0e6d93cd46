"""Eligibility checks (scoring/eligibility.py, rubrics/eligibility.yaml): each rule 满足 / 不满足 / 待确认."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from scoring.application.derived import compute_derived
from scoring.rules.eligibility import (EligibilityRubric, check_eligibility, count_chars, eligibility_rubric_path,
                                 load_eligibility_rubric)
from scoring.application.ids import Domain
from scoring.application.models import EnterpriseApplication, ParkApplication
from scoring.rules.results import EligibilityCheck
from scoring.programme.rubric import BasicCondition, IndicatorRubric, RubricError, WeightedCount

SEED = Path("/work/shared/seed/000_cef241b962ea264f.txt")

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

REV_COND = BasicCondition(key="lead_revenue_min", label="主导产业规上企业营业收入（近三年平均）",
                          metric="lead.revenue.avg", op=">=", value=100, unit="亿元", basis="参考值",
                          source="参照中小企业特色产业集群（测试用）")
FACTORY_COND = BasicCondition(key="smart_factory_share_min", label="智能工厂占比", metric="factories.share",
                              op=">=", value=10, unit="%", basis="参考值", source="测试用参考值",
                              not_for=[Domain.AI, Domain.SOFTWARE])


def rubric(app_type: str = "park", conditions: list[BasicCondition] | None = None) -> IndicatorRubric:
    return IndicatorRubric(
        type=app_type, version="test", title="测试规则",
        weighted_counts={k: WeightedCount(label=k, basis="参考值", source="测试", weights=v) for k, v in WEIGHTS.items()},
        dimensions=[], basic_conditions=conditions or [])


def run(app: Any, conditions: list[BasicCondition] | None = None) -> dict[str, EligibilityCheck]:
    t = "park" if isinstance(app, ParkApplication) else "enterprise"
    checks = check_eligibility(app, compute_derived(app, WEIGHTS), rubric(t, conditions))
    keys = [c.key for c in checks]
    assert len(keys) == len(set(keys)), keys
    return {c.key: c for c in checks}


def good_park(domain: str = "robot") -> ParkApplication:
    return ParkApplication.model_validate({
        "domain": domain,
        "attestations": {"no_major_accident": True, "no_env_incident": True, "no_adverse_event": True,
                         "materials_truthful": True},
        "status": {"in_catalog": True, "catalog_name": "福州高新技术产业开发区", "is_sub_park": False},
        "applicant_name": "福州高新区管委会", "city": "fuzhou",
        "basic": {"park_name": "测试园", "management_body": "福州高新区管委会", "address": "福州市闽侯县",
                  "contact": "张三 主任", "phone": "0591-12345678"},
    })


def good_enterprise(domain: str = "robot") -> EnterpriseApplication:
    return EnterpriseApplication.model_validate({
        "domain": domain,
        "attestations": {"no_major_accident": True, "no_env_incident": True, "no_adverse_event": True,
                         "materials_truthful": True},
        "status": {"independent_legal_person": True, "group_also_applies": False},
        "applicant_name": "测试企业", "city": "fuzhou",
        "basic": {"name": "测试企业", "credit_code": "91350100MA1234567C", "address": "福州市鼓楼区",
                  "legal_rep": "李四", "contact": "王五 经理", "phone": "0591-87654321"},
    })


# ---------------------------------------------------------------------------------------------------------------
# the rubric file


def test_rubric_file_loads_and_quotes_the_notice_verbatim() -> None:
    r = load_eligibility_rubric()
    assert r.char_limit.max_chars == 2000
    assert r.char_limit.counting == "non_whitespace"
    if not SEED.exists():
        pytest.skip("seed notice not available")
    # the seed has page breaks inside sentences ("所在地人民\n\n政府负责"): compare without whitespace
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    quotes = [x.basis for x in r.rules] + [x.basis for x in r.other_requirements] + [
        r.char_limit.basis_items, r.char_limit.basis_work_plan, r.basic_conditions.basis]
    for q in quotes:
        assert re.sub(r"\s+", "", q) in seed, q


def test_every_rule_has_ref_and_applies_to() -> None:
    r = load_eligibility_rubric()
    keys = {x.key for x in r.rules}
    assert {"single_domain", "park_in_catalog", "park_sub_park_boundary", "park_sub_park_manager",
            "enterprise_legal_person", "enterprise_group", "safety_record", "materials_truthful",
            "smart_factory_not_assessed"} <= keys
    assert r.rule("park_in_catalog").applies_to == "park"
    assert r.rule("enterprise_group").applies_to == "enterprise"
    assert r.rule("safety_record").ref == "通知四（三）"
    assert r.rule("materials_truthful").ref == "通知三（一）"


def test_missing_rule_in_file_is_a_rubric_error(tmp_path: Path) -> None:
    data = yaml.safe_load(eligibility_rubric_path().read_text(encoding="utf-8"))
    data["rules"] = [x for x in data["rules"] if x["key"] != "safety_record"]
    p = tmp_path / "eligibility.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rules = load_eligibility_rubric(p)
    app = good_park()
    with pytest.raises(RubricError, match="safety_record"):
        check_eligibility(app, compute_derived(app, WEIGHTS), rubric(), rules)


def test_rubric_dir_env_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = yaml.safe_load(eligibility_rubric_path().read_text(encoding="utf-8"))
    data["char_limit"]["max_chars"] = 10
    (tmp_path / "eligibility.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SFJD_RUBRIC_DIR", str(tmp_path))
    assert load_eligibility_rubric().char_limit.max_chars == 10


# ---------------------------------------------------------------------------------------------------------------
# a complete, eligible application


def test_complete_park_is_all_satisfied() -> None:
    checks = run(good_park())
    assert {k: c.status for k, c in checks.items() if c.status != "满足"} == {}
    assert set(checks) == {"single_domain", "recommender", "park_in_catalog", "park_sub_park",
                           "park_management_body", "safety_record", "materials_truthful", "char_limit"}
    assert checks["park_in_catalog"].basis.startswith("申报示范园区的，须是列入最新版《中国开发区审核公告目录》")
    assert checks["park_in_catalog"].ref == "通知四（一）"


def test_complete_enterprise_is_all_satisfied() -> None:
    checks = run(good_enterprise())
    assert {k: c.status for k, c in checks.items() if c.status != "满足"} == {}
    assert set(checks) == {"single_domain", "recommender", "enterprise_legal_person", "enterprise_group",
                           "enterprise_credit_code", "safety_record", "materials_truthful", "char_limit"}


# ---------------------------------------------------------------------------------------------------------------
# one domain, recommender


def test_single_domain() -> None:
    app = good_park()
    assert run(app)["single_domain"].status == "满足"
    app.other_domains = [Domain.ICV]
    c = run(app)["single_domain"]
    assert c.status == "待确认"  # the notice says 原则上: an exception is for the city to confirm, not a fail
    assert "智能网联新能源汽车" in c.message and "原则上" in c.message
    assert c.basis == "每个申报对象原则上限申报1个创建领域。"
    # the declared domain repeated in the list is not a second domain
    app.other_domains = [Domain.ROBOT]
    assert run(app)["single_domain"].status == "满足"


def test_recommender() -> None:
    app = good_enterprise()
    app.recommender = "福州市工业和信息化局"
    c = run(app)["recommender"]
    assert c.status == "不满足" and "福州市工业和信息化局" in c.message
    app.recommender = ""
    assert run(app)["recommender"].status == "待确认"


# ---------------------------------------------------------------------------------------------------------------
# park rules


def test_park_catalog_three_ways() -> None:
    app = good_park()
    c = run(app)["park_in_catalog"]
    assert c.status == "满足"
    assert "需对照目录核实" in c.message and "福州高新技术产业开发区" in c.message
    app.status.in_catalog = False
    assert run(app)["park_in_catalog"].status == "不满足"
    app.status.in_catalog = None
    assert run(app)["park_in_catalog"].status == "待确认"


def test_sub_park_unknown_is_pending() -> None:
    app = good_park()
    app.status.is_sub_park = None
    checks = run(app)
    assert checks["park_sub_park"].status == "待确认"
    assert "park_sub_park_boundary" not in checks


def test_sub_park_with_boundary_and_parent_manager() -> None:
    app = good_park()
    app.status.is_sub_park = True
    app.status.boundary = "东至乌龙江大道，西至学园路，南至高新大道，北至科技东路"
    app.status.sub_park_manager = "parent_park"
    checks = run(app)
    assert "park_sub_park" not in checks
    assert checks["park_sub_park_boundary"].status == "满足"
    assert checks["park_sub_park_manager"].status == "满足"
    assert "所在园区管理机构" in checks["park_sub_park_manager"].message
    app.status.sub_park_manager = "local_government"
    assert "所在地人民政府" in run(app)["park_sub_park_manager"].message


def test_sub_park_without_boundary_fails() -> None:
    app = good_park()
    app.status.is_sub_park = True
    app.status.boundary = "   "
    app.status.sub_park_manager = "local_government"
    checks = run(app)
    assert checks["park_sub_park_boundary"].status == "不满足"
    assert checks["park_sub_park_manager"].status == "满足"


def test_sub_park_manager_other_fails_and_missing_is_pending() -> None:
    app = good_park()
    app.status.is_sub_park = True
    app.status.boundary = "东至A路"
    app.status.sub_park_manager = "other"
    assert run(app)["park_sub_park_manager"].status == "不满足"
    app.status.sub_park_manager = None
    assert run(app)["park_sub_park_manager"].status == "待确认"


def test_management_body() -> None:
    app = good_park()
    assert "福州高新区管委会" in run(app)["park_management_body"].message
    app.basic.management_body = ""
    assert run(app)["park_management_body"].status == "待确认"


# ---------------------------------------------------------------------------------------------------------------
# enterprise rules


def test_legal_person_three_ways() -> None:
    app = good_enterprise()
    assert run(app)["enterprise_legal_person"].status == "满足"
    app.status.independent_legal_person = False
    assert run(app)["enterprise_legal_person"].status == "不满足"
    app.status.independent_legal_person = None
    assert run(app)["enterprise_legal_person"].status == "待确认"


def test_group_with_parent_satisfied() -> None:
    app = good_enterprise()
    app.status.parent_name = "测试集团有限公司"
    app.status.parent_credit_code = "91350200MA87654320"
    c = run(app)["enterprise_group"]
    assert c.status == "满足" and "测试集团有限公司" in c.message


def test_group_also_applies_fails() -> None:
    app = good_enterprise()
    app.status.group_also_applies = True
    c = run(app)["enterprise_group"]
    assert c.status == "不满足" and "不得重复申报" in c.message


def test_group_parent_code_equal_to_own_code_fails() -> None:
    app = good_enterprise()
    app.status.parent_name = "测试集团有限公司"
    app.status.parent_credit_code = "91350100MA1234567C"
    c = run(app)["enterprise_group"]
    assert c.status == "不满足"
    assert "与本企业相同" in c.message and "91350100MA1234567C" in c.message


def test_group_parent_without_code_is_pending() -> None:
    app = good_enterprise()
    app.status.parent_name = "测试集团有限公司"
    c = run(app)["enterprise_group"]
    assert c.status == "待确认"
    assert "请填写母公司统一社会信用代码以便核查" in c.message


def test_group_unknown_is_pending() -> None:
    app = good_enterprise()
    app.status.group_also_applies = None
    c = run(app)["enterprise_group"]
    assert c.status == "待确认" and "尚未说明" in c.message


def test_credit_code_missing_is_pending() -> None:
    app = good_enterprise()
    assert run(app)["enterprise_credit_code"].status == "满足"
    app.basic.credit_code = ""
    assert run(app)["enterprise_credit_code"].status == "待确认"


# ---------------------------------------------------------------------------------------------------------------
# attestations


def test_safety_record_three_ways() -> None:
    app = good_enterprise()
    assert run(app)["safety_record"].status == "满足"
    app.attestations.no_env_incident = False
    c = run(app)["safety_record"]
    assert c.status == "不满足"
    assert "近三年未发生Ⅱ级及以上环境污染事件" in c.message
    assert "近三年未发生较大及以上生产安全事故" not in c.message  # only the item answered “否” is named
    app.attestations.no_env_incident = True
    app.attestations.no_adverse_event = None
    c = run(app)["safety_record"]
    assert c.status == "待确认" and "其他社会影响严重的不良事件" in c.message


def test_safety_record_false_wins_over_pending_and_names_both() -> None:
    app = good_park()
    app.attestations.no_major_accident = False
    app.attestations.no_adverse_event = None
    c = run(app)["safety_record"]
    assert c.status == "不满足"
    assert "较大及以上生产安全事故" in c.message and "尚未确认" in c.message


def test_materials_truthful_three_ways() -> None:
    app = good_park()
    assert run(app)["materials_truthful"].status == "满足"
    app.attestations.materials_truthful = False
    c = run(app)["materials_truthful"]
    assert c.status == "不满足" and c.ref == "通知三（一）"
    app.attestations.materials_truthful = None
    assert run(app)["materials_truthful"].status == "待确认"


# ---------------------------------------------------------------------------------------------------------------
# the 2,000-character limit


def test_count_chars_ignores_whitespace() -> None:
    assert count_chars("发展 基础\n（一）\u3000ab 12") == 11  # 发展基础 4 + （一） 3 + ab 2 + 12 2
    assert count_chars("发展 基础", "all") == 5


def test_char_limit_2000_is_within_and_2001_is_over() -> None:
    app = good_enterprise()
    app.work_plan.tasks = "字" * 2000
    c = run(app)["char_limit"]
    assert c.status == "满足"
    assert "创建工作方案·重点任务" in c.message and "2000字" in c.message
    app.work_plan.tasks = "字" * 2001
    checks = run(app)
    assert "char_limit" not in checks
    c = checks["char_limit.work_plan.tasks"]
    assert c.status == "不满足"
    assert "共2001字" in c.message and "超过2000字上限1字" in c.message
    assert c.basis == "二、创建工作方案（每部分不超过 2000 字）"
    assert c.ref == "附件3"


def test_char_limit_does_not_count_whitespace() -> None:
    app = good_park()
    app.narratives.public_service = ("字" * 1000 + "\n\n") * 2 + "   \u3000"  # 2000 characters + whitespace
    assert run(app)["char_limit"].status == "满足"
    rules = load_eligibility_rubric().model_copy(deep=True)
    rules.char_limit.counting = "all"
    checks = check_eligibility(app, compute_derived(app, WEIGHTS), rubric(), rules)
    over = [c for c in checks if c.key.startswith("char_limit")]
    assert [c.key for c in over] == ["char_limit.narratives.public_service"]
    assert over[0].status == "不满足"


def test_char_limit_one_check_per_overlong_item() -> None:
    app = good_park()
    app.narratives.industry_policy = "政" * 2100
    app.work_plan.basis = "基" * 2001
    app.work_plan.approach = "思" * 1999
    checks = run(app)
    over = {k: c for k, c in checks.items() if k.startswith("char_limit")}
    assert set(over) == {"char_limit.narratives.industry_policy", "char_limit.work_plan.basis"}
    assert "主导产业产业政策情况" in over["char_limit.narratives.industry_policy"].message
    assert "超过2000字上限100字" in over["char_limit.narratives.industry_policy"].message
    assert over["char_limit.narratives.industry_policy"].basis == "详细描述有关情况（不超过 2000 字）。"
    assert over["char_limit.narratives.industry_policy"].ref == "附件2"


def test_char_limit_empty_is_not_a_failure() -> None:
    c = run(good_park())["char_limit"]
    assert c.status == "满足" and "均未填写" in c.message


# ---------------------------------------------------------------------------------------------------------------
# 智能工厂占比 not assessed for AI and software parks


@pytest.mark.parametrize("domain", ["ai", "software"])
def test_ai_and_software_parks_are_not_assessed_on_smart_factories(domain: str) -> None:
    app = good_park(domain)
    checks = run(app, [FACTORY_COND])
    c = checks["smart_factory_not_assessed"]
    assert c.status == "满足"
    assert "不考查" in c.message and "重新分配" in c.message
    assert c.basis == "人工智能、软件领域园区不对“智能工厂占比”进行考查。"
    assert "basic.smart_factory_share_min" not in checks  # not_for honoured


def test_robot_park_is_assessed_on_smart_factories() -> None:
    app = good_park("robot")
    checks = run(app, [FACTORY_COND])
    assert "smart_factory_not_assessed" not in checks
    assert checks["basic.smart_factory_share_min"].status == "待确认"  # counts missing
    app.lead.above_scale_firms = 50
    app.factories.pilot, app.factories.excellent, app.factories.advanced, app.factories.basic = 0, 1, 2, 3
    c = run(app, [FACTORY_COND])["basic.smart_factory_share_min"]
    assert c.status == "满足" and "12%" in c.message  # 6 ÷ 50 = 12%


def test_ai_and_software_note_keeps_the_weighted_count() -> None:
    # the notice exempts 智能工厂占比 only: the shipped note says the 加权数量 is still scored
    c = check_eligibility(good_park("ai"), compute_derived(good_park("ai"), WEIGHTS), rubric("park"))
    note = next(x for x in c if x.key == "smart_factory_not_assessed")
    assert "智能工厂加权数量" in note.message and "计分" in note.message


def test_estimated_value_is_said_in_a_basic_condition() -> None:
    cond = BasicCondition(key="platforms_min", label="国家级创新平台加权数量", metric="platforms.weighted", op=">=",
                          value=3, unit="个", basis="参考值", source="测试用参考值")
    app = good_park("robot")
    for k in type(app.platforms).model_fields:
        if k != "weighted":
            setattr(app.platforms, k, 0)
    app.platforms.key_lab = 2
    app.platforms.engineering_center = 2  # 4 × weight 1 = 4, not de-duplicated
    c = run(app, [cond])["basic.platforms_min"]
    assert c.status == "满足" and "按分类数量估算（未去重，为上限）" in c.message and "去重后可能更低" in c.message
    app.platforms.weighted = 2.0  # typed, de-duplicated: counts, and is below the threshold
    c = run(app, [cond])["basic.platforms_min"]
    assert c.status == "不满足" and "估算" not in c.message and "2个" in c.message


def test_ai_enterprise_gets_no_smart_factory_note() -> None:
    assert "smart_factory_not_assessed" not in run(good_enterprise("ai"))


# ---------------------------------------------------------------------------------------------------------------
# 创建基本条件 (参考值)


def test_basic_condition_above_threshold() -> None:
    app = good_park()
    app.main.total_revenue.y2023, app.main.total_revenue.y2024, app.main.total_revenue.y2025 = 300, 300, 300
    app.lead.revenue.y2023, app.lead.revenue.y2024, app.lead.revenue.y2025 = 90, 120, 150  # avg 120
    c = run(app, [REV_COND])["basic.lead_revenue_min"]
    assert c.status == "满足"
    assert c.kind == "参考值"
    assert "120亿元" in c.message and "≥100亿元" in c.message
    assert "未公开" in c.message and "参考值" in c.message and "参照中小企业特色产业集群（测试用）" in c.message
    assert c.ref == "通知四（二）"
    assert "创建基本条件" in c.basis


def test_basic_condition_below_threshold() -> None:
    app = good_park()
    app.lead.revenue.y2023, app.lead.revenue.y2024, app.lead.revenue.y2025 = 50, 60, 70  # avg 60
    c = run(app, [REV_COND])["basic.lead_revenue_min"]
    assert c.status == "不满足"
    assert "60亿元" in c.message and "未达到" in c.message and "未公开" in c.message


def test_basic_condition_exactly_at_threshold_meets_ge() -> None:
    app = good_park()
    app.lead.revenue.y2023, app.lead.revenue.y2024, app.lead.revenue.y2025 = 100, 100, 100
    assert run(app, [REV_COND])["basic.lead_revenue_min"].status == "满足"
    strict = REV_COND.model_copy(update={"op": ">"})
    assert run(app, [strict])["basic.lead_revenue_min"].status == "不满足"


def test_basic_condition_missing_metric_is_pending() -> None:
    app = good_park()
    app.lead.revenue.y2024, app.lead.revenue.y2025 = 120, 150  # 2023 missing: no three-year average
    c = run(app, [REV_COND])["basic.lead_revenue_min"]
    assert c.status == "待确认"
    assert "2023" in c.message and "未公开" in c.message


def test_basic_condition_upper_bound() -> None:
    cond = BasicCondition(key="max_test", label="测试上限", metric="basic.built_area", op="<=", value=500,
                          unit="公顷", basis="参考值", source="测试")
    app = good_park()
    app.basic.built_area = 400
    assert run(app, [cond])["basic.max_test"].status == "满足"
    app.basic.built_area = 600
    assert run(app, [cond])["basic.max_test"].status == "不满足"


def test_official_basic_condition_is_a_hard_rule_without_reference_note() -> None:
    cond = REV_COND.model_copy(update={"basis": "官方", "source": "工作方案考评指标（假想的官方值）"})
    app = good_park()
    app.lead.revenue.y2023, app.lead.revenue.y2024, app.lead.revenue.y2025 = 50, 60, 70
    c = run(app, [cond])["basic.lead_revenue_min"]
    assert c.kind == "硬性规则" and c.status == "不满足"
    assert "未公开" not in c.message and "假想的官方值" in c.message


def test_unknown_metric_is_pending_and_says_so() -> None:
    cond = REV_COND.model_copy(update={"metric": "no.such.metric"})
    c = run(good_park(), [cond])["basic.lead_revenue_min"]
    assert c.status == "待确认" and "no.such.metric" in c.message


def test_enterprise_basic_condition_on_enterprise_metric() -> None:
    cond = BasicCondition(key="rd", label="研发投入强度（近三年平均）", metric="rd.rd_intensity.avg", op=">=",
                          value=3, unit="%", basis="参考值", source="专精特新“小巨人”")
    app = good_enterprise()
    app.rd.rd_intensity.y2023, app.rd.rd_intensity.y2024, app.rd.rd_intensity.y2025 = 2.0, 2.5, 3.0  # avg 2.5
    c = run(app, [cond])["basic.rd"]
    assert c.status == "不满足" and "2.5%" in c.message


def test_checks_work_without_indicator_rubric() -> None:
    app = good_park()
    checks = check_eligibility(app, compute_derived(app, WEIGHTS), None)
    assert not any(c.key.startswith("basic.") for c in checks)
    assert any(c.key == "park_in_catalog" for c in checks)


def test_rubric_model_rejects_unknown_keys() -> None:
    data = yaml.safe_load(eligibility_rubric_path().read_text(encoding="utf-8"))
    data["rules"][0]["surprise"] = 1
    with pytest.raises(ValidationError):
        EligibilityRubric.model_validate(data)


# ---------------------------------------------------------------------------------------------------------------
# required fields and the credit code's check digit


def test_a_cleared_applicant_name_is_listed_and_not_all_satisfied() -> None:
    app = good_park()
    app.applicant_name = ""
    app.basic.phone = "  "
    from scoring.rules.eligibility import check_required

    checks = run(app)
    assert "required_fields" not in checks  # not a rule of the notice: the pages list it apart
    c = check_required(app)[0]
    assert c.status == "待确认"
    assert "申报单位名称" in c.message and "联系电话" in c.message
    assert c.fields == ["申报单位名称", "联系电话"]


def test_a_credit_code_with_a_wrong_check_digit_is_not_satisfied() -> None:
    app = good_enterprise()
    app.basic.credit_code = "91350500MA34XK7Q2D"
    c = run(app)["enterprise_credit_code"]
    assert c.status != "满足"
    assert "校验位" in c.message and "91350500MA34XK7Q2D" in c.message


def test_credit_code_problem_messages() -> None:
    from scoring.application.required import credit_code_problem

    assert credit_code_problem("") is None
    assert credit_code_problem("91350100MA1234567C") is None
    assert "18 位" in (credit_code_problem("9135") or "")
    assert "校验位" in (credit_code_problem("91350100MA1234567D") or "")
    assert "格式" in (credit_code_problem("91350100MA1234567O") or "")


def test_a_wrong_parent_code_is_pending() -> None:
    app = good_enterprise()
    app.status.parent_name = "某集团"
    app.status.parent_credit_code = "91350200MA87654321"
    c = run(app)["enterprise_group"]
    assert c.status == "待确认" and "校验位" in c.message
