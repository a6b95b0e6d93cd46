"""Narrative scoring: coverage with the real bundled encoder, section rules both ways, score and suggestions."""

from __future__ import annotations

import pytest
import yaml

from scoring.narrative.coverage import Doc, cover_points, cue_hits, load_coverage_config, model_for
from scoring.application.models import new_application
from scoring.narrative.workplan import (char_count, evaluate_rule, length_issues, load_narrative_rubric, score_narrative,
                               total_score)
from scoring.programme.points import load_points_file, points_for, software_targets
from scoring.programme.rubric import rubric_dir



# ------------------------------------------------------------------------------------------------ points as data

def test_points_cover_every_domain_and_section_with_annex_text():
    from scoring.application.ids import Domain, Section
    for t in ("park", "enterprise"):
        pf = load_points_file(t)
        ids = [p.id for p in pf.points]
        assert len(ids) == len(set(ids))
        for d in Domain:
            doms = {p.section for p in pf.points if p.domain == d.value}
            assert Section.BASIS in doms, (t, d)  # every domain has 发展基础 text in both annexes
        for p in pf.points:
            assert p.id.startswith(f"{t}.{p.domain}.{p.section.value}.")
            assert len(p.probes) >= 3 and p.suggestion


def test_software_target_lists_have_the_annex_counts():
    assert len(software_targets("park")) == 12
    assert len(software_targets("enterprise")) == 11


# ------------------------------------------------------------------------------------------------ coverage

def test_cues_match_latin_terms_as_words_and_chinese_as_substrings():
    assert cue_hits(["SBOM", "车路协同"], "引入sbom管理，推进车路协同") == ["SBOM", "车路协同"]
    assert cue_hits(["CE"], "通过CERT评估") == []
    assert cue_hits(["CE"], "获得CE认证") == ["CE"]


def test_text_written_for_a_point_is_covered_and_off_topic_is_not(enc, model):
    pts = [p for p in points_for("park", "icv", "basis") if p.id.startswith("park.icv.")]
    v2x = next(p for p in pts if "车路协同" in p.source and "充换电" not in p.title)
    on = ("截至2025年底，园区已建成智能网联汽车开放测试道路186公里，部署路侧感知单元和RSU共740套，"
          "实现主城区重点路口车路协同全覆盖，接入云控平台车辆1.2万辆。")
    off = "公司食堂每周更新菜谱，员工可在线预约午餐，节假日安排文体活动和团建旅游。"
    r_on = cover_points(pts, [Doc("text", "文本", on)], enc, model)
    r_on = next(r for r in r_on if r.id == v2x.id)
    r_off = cover_points(pts, [Doc("text", "文本", off)], enc, model)
    r_off = next(r for r in r_off if r.id == v2x.id)
    assert r_on.status == "已覆盖"
    assert r_off.status == "未覆盖"
    assert r_on.score > r_off.score + 0.2
    assert r_on.evidence is not None and on[r_on.evidence.start:r_on.evidence.end] == r_on.evidence.text


def test_evidence_is_the_sentence_that_shows_the_point(enc, model):
    pts = [p for p in points_for("enterprise", "software", "approach") if p.domain == "software"]
    text = ("一、发展定位：成为国内领先的基础软件企业。\n"
            "二、创建目标：到2027年，全面引入软件物料清单（SBOM）管理，在开放原子开源基金会孵化开源项目3个。\n"
            "三、公司每年组织员工体检。")
    res = cover_points(pts, [Doc("text", "文本", text)], enc, model)
    best = max(res, key=lambda r: r.score)
    assert best.status == "已覆盖"
    assert "SBOM" in best.evidence.text or "开放原子" in best.evidence.text


def test_thresholds_come_from_the_rubric_file(tmp_path, monkeypatch, enc):
    src = rubric_dir()  # the default pack's folder
    dst = tmp_path / "rubrics"
    import shutil
    shutil.copytree(src, dst)
    cfg = yaml.safe_load((dst / "coverage.yaml").read_text(encoding="utf-8"))
    p = points_for("park", "software", "basis")[0]
    doc = [Doc("text", "文本", "园区集聚软件企业1200家，其中规上企业320家。")]
    t0, _ = model_for("usem3", load_coverage_config())
    before = cover_points([p], doc, enc, t0)[0]
    cfg["encoders"]["usem3"]["covered"] = 0.99
    cfg["encoders"]["usem3"]["partial"] = 0.98
    cfg["encoders"]["usem3"]["segment"]["overlap"] = 0.0  # a weight changed in the file changes the probability
    (dst / "coverage.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SFJD_RUBRIC_DIR", str(dst))
    t, _ = model_for("usem3", load_coverage_config())
    assert (t.covered, t.partial) == (0.99, 0.98)
    r = cover_points([p], doc, enc, t)[0]
    assert r.status == "未覆盖"  # nothing reaches 0.98
    assert r.score < before.score
    # an encoder never calibrated gets the encoder-independent default model and a warning
    t2, warn = model_for("st:some-model", load_coverage_config())
    assert warn and "尚未标定" in warn and t2 == load_coverage_config().default
    assert all(t2.segment[f] == 0.0 for f in ("sim_probe", "sim_source", "sim_margin", "sim_top2"))


# ------------------------------------------------------------------------------------------------ section rules

def _rule(key):
    return load_narrative_rubric().rules[key]


def test_quantified_targets_counted_both_ways():
    good = ("创建目标：到2027年，力争实现：\n1. 主导产业营业收入突破1500亿元；\n2. 培育专精特新“小巨人”企业15家；\n"
            "3. 研发投入强度达到4.5%。")
    ok, frac, reason = evaluate_rule("quantified_targets", _rule("quantified_targets"), good)
    assert ok and frac == 1.0 and "3 个" in reason and "1500亿元" in reason
    vague = "总体思路：坚持创新驱动，推动产业高质量发展，努力建设国内一流园区。园区现有企业326家。"
    ok, frac, reason = evaluate_rule("quantified_targets", _rule("quantified_targets"), vague)
    assert not ok and frac == 0.0 and "0 个" in reason


def test_radiation_rule_needs_the_four_facets():
    good = ("（五）总结推广和辐射带动。开放共享检测设备，为周边企业提供技术指导，每季度举办供需对接会，"
            "联合高校开展教育培训。")
    ok, frac, _ = evaluate_rule("radiation", _rule("radiation"), good)
    assert ok and frac == 1.0
    ok, frac, reason = evaluate_rule("radiation", _rule("radiation"), "加快项目建设，扩大产业规模。")
    assert not ok and frac == 0.0 and "未见" in reason


def test_timeline_and_responsibility_rules():
    good = ("2026年6月前完成规划编制（牵头单位：经发局）；2026年12月底前建成公共服务平台（责任单位：科技局）；"
            "2027年第二季度完成中期评估；2028年3月完成总结验收。")
    ok, frac, reason = evaluate_rule("timeline", _rule("timeline"), good)
    assert ok and frac == 1.0 and "3 个年度" in reason
    ok, _, _ = evaluate_rule("responsibility", _rule("responsibility"), good)
    assert ok
    vague = "分阶段推进各项工作，确保按期完成。"
    ok, frac, _ = evaluate_rule("timeline", _rule("timeline"), vague)
    assert not ok and frac == 0.0
    ok, _, _ = evaluate_rule("responsibility", _rule("responsibility"), vague)
    assert not ok
    # one year only: half the credit for years, nodes counted
    ok, frac, _ = evaluate_rule("timeline", _rule("timeline"), "2026年3月启动；2026年6月建成；2026年12月验收。")
    assert not ok and frac == pytest.approx(0.75)


def test_safeguard_rules():
    good = "成立由管委会主任任组长的创建工作领导小组，设立工作专班。保障用地指标300亩，设立10亿元产业基金，落实人才公寓和算力券。"
    assert evaluate_rule("organisation", _rule("organisation"), good)[0]
    assert evaluate_rule("factors", _rule("factors"), good)[0]
    thin = "加强组织领导，形成工作合力。"
    assert not evaluate_rule("organisation", _rule("organisation"), thin)[0]
    assert not evaluate_rule("factors", _rule("factors"), thin)[0]


def test_length_limit_error_keeps_text_and_thin_warning():
    app = new_application("park", "ai")
    long = "字" * 2001
    app.work_plan.tasks = long
    app.work_plan.basis = "园区很好。"
    issues = {li.field: li for li in length_issues(app, load_narrative_rubric())}
    assert issues["work_plan.tasks"].level == "错误" and issues["work_plan.tasks"].chars == 2001
    assert app.work_plan.tasks == long  # kept, not cut
    assert issues["work_plan.basis"].level == "提示" and "过少" in issues["work_plan.basis"].message
    app.work_plan.tasks = "字" * 2000 + " \n"  # whitespace is not counted
    assert char_count(app.work_plan.tasks) == 2000
    assert "work_plan.tasks" not in {li.field for li in length_issues(app, load_narrative_rubric())
                                     if li.level == "错误"}


# ------------------------------------------------------------------------------------------------ score

def test_narrative_score_rewards_coverage_and_suggestions_rank_by_gain(enc):
    empty = new_application("park", "icv")
    r0 = score_narrative(empty, enc)
    assert r0.score == 0.0
    gains = [s.gain_narrative for s in r0.suggestions if s.kind != "字数"]
    assert gains == sorted(gains, reverse=True)
    # the gains of an empty application add up to the whole narrative score
    assert sum(gains) == pytest.approx(100.0, abs=0.5)
    assert all(s.text.startswith(("补充", "明确", "增加", "在", "按", "为", "写明", "撰写", "精简")) for s in r0.suggestions)

    app = new_application("park", "icv")
    app.work_plan.basis = ("园区集聚智能网联汽车整车及零部件企业126家，其中整车企业3家、核心零部件企业48家。"
                           "建成智能网联汽车测试道路210公里，发放测试牌照85张。建成充电桩1.2万个、换电站46座，"
                           "部署路侧单元RSU 620套，实现车路协同全覆盖。")
    r1 = score_narrative(app, enc)
    assert r1.score > 5.0
    basis = next(s for s in r1.sections if s.section == "basis")
    covered = {p.id for p in basis.points if p.status == "已覆盖"}
    assert any("icv" in i for i in covered)
    # covered points no longer produce a suggestion
    assert not covered & {s.target for s in r1.suggestions}


def test_total_combines_parts_by_rubric_weights():
    t = total_score(80.0, 50.0)
    rub = load_narrative_rubric()
    wi = rub.total.indicator / (rub.total.indicator + rub.total.narrative)
    assert t.score == pytest.approx(80 * wi + 50 * (1 - wi), abs=0.01)
    assert [p.key for p in t.parts] == ["indicator", "narrative"]


def test_software_targets_named_in_approach(enc):
    app = new_application("enterprise", "software")
    app.work_plan.approach = "到2027年，引入软件物料清单（SBOM）管理，认定为国家级首版次软件产品3个。"
    r = score_narrative(app, enc)
    found = {t.key for t in r.software_targets if t.found}
    assert found and len(found) < len(r.software_targets)
    app2 = new_application("park", "ai")
    assert score_narrative(app2, enc).software_targets is None
