"""An AI enterprise is judged on its own kind's points (Annex 5: 针对创新型企业…… 针对应用型企业……) and the common
ones; one that has not chosen its kind is judged on both, marked, and asked to choose."""

from __future__ import annotations

import pytest

from scoring.application.ids import AiKind
from scoring.application.models import parse_application
from scoring.narrative.workplan import score_narrative
from scoring.programme.points import kind_specific_points

# a work plan written for an 应用型 enterprise: AI used in its own production, solutions reused in its industry
APPLICATION_PLAN = {
    "basis": "公司是国内印染行业龙头企业，2025年营业收入48.6亿元。公司已在研发、生产、营销等8个环节部署AI应用场景36个，"
             "AI质检系统覆盖12条产线，漏检率降至0.05%；应用大模型优化排产，订单交付周期缩短25%；"
             "“染整智脑”项目入选工业和信息化部人工智能赋能新型工业化典型应用案例。",
    "approach": "到2027年，AI应用覆盖公司研发、生产、供应链等全部核心业务环节，创建期内打造AI应用场景100个，"
                "降本增效超过5亿元；力争形成可复制的印染行业解决方案10套，向上下游推广企业200家；"
                "到2027年，生产效率提升30%，产品不良率下降50%。",
    "tasks": "一是梳理场景。围绕印染配色、定型机能耗优化、布面瑕疵检测等18个高价值场景，逐一明确数据基础和预期效益，"
             "按投资回报率排序实施。二是打造方案。将内部AI质检系统产品化，形成面向纺织行业的标准解决方案，"
             "力争3项解决方案入选国家级人工智能典型案例。三是推广复用。推动解决方案在行业内200家企业复制推广，"
             "建设行业AI模型共享平台，向中小企业开放调用，联合行业协会组织AI应用现场会。",
}
# a work plan written for a 创新型 enterprise: its own models, open source, leading the field
INNOVATIVE_PLAN = {
    "basis": "公司自研千亿参数大模型在C-Eval、CMMLU评测中位列国内前五，已完成生成式人工智能服务备案；"
             "自研AI芯片算力达到256TOPS，能效比达到国际先进水平；近三年在CVPR、NeurIPS等顶级会议发表论文60余篇。",
    "approach": "到2028年，开源大模型累计下载量突破5000万次；创建期内开源模型和工具链项目20个，社区开发者达到100万；"
                "力争2个开源项目捐赠至开放原子开源基金会。",
    "tasks": "研发新一代多模态大模型，2027年综合能力达到国际第一梯队；构建“芯片—框架—模型—应用”全栈自主技术体系，"
             "将模型推理成本降低80%；牵头制定大模型评测国家标准2项，发布行业首个具身智能基础模型，"
             "牵头承担国家人工智能重大专项。",
}


def _app(plan: dict, kind: str | None):
    return parse_application({"type": "enterprise", "domain": "ai", "ai_kind": kind, "applicant_name": "测试科技",
                              "work_plan": plan})


def _ids(kind: AiKind) -> set[str]:
    return {p.id for p in kind_specific_points("enterprise", "ai") if kind in p.kinds}


@pytest.fixture(scope="module")
def results(enc):
    return {(name, kind): score_narrative(_app(plan, kind), enc)
            for name, plan in (("application", APPLICATION_PLAN), ("innovative", INNOVATIVE_PLAN))
            for kind in (name, None)}


@pytest.mark.parametrize("own,other", [("application", "innovative"), ("innovative", "application")])
def test_an_enterprise_of_one_kind_is_not_judged_on_the_other_kinds_points(results, own, other):
    res = results[(own, own)]
    scored = {p.id: p for s in res.sections for p in s.points}
    assert not set(scored) & _ids(AiKind(other))  # the other kind's points are not listed at all
    assert _ids(AiKind(own)) <= set(scored)
    # no missing-point flag (suggestion) for the other kind, though the text says nothing about its points
    assert not {s.target for s in res.suggestions} & _ids(AiKind(other))
    # the text is recognised for its own kind: most of its kind's points are covered
    own_status = [scored[i].status for i in _ids(AiKind(own))]
    assert own_status.count("已覆盖") >= len(own_status) // 2, own_status
    assert res.ai_kind == own and not res.kind_pending
    assert f"只评价{AiKind(own).label}的要点" in res.kind_notice and "不评价" in res.kind_notice


@pytest.mark.parametrize("own,other", [("application", "innovative"), ("innovative", "application")])
def test_without_a_kind_both_kinds_are_scored_marked_and_the_choice_is_asked_for(results, own, other):
    res = results[(own, None)]
    scored = {p.id: p for s in res.sections for p in s.points}
    assert _ids(AiKind.INNOVATIVE) | _ids(AiKind.APPLICATION) <= set(scored)
    assert scored[next(iter(_ids(AiKind(other))))].domain_label == f"人工智能（{AiKind(other).label}）"
    # the other kind's points, absent from the text, now count against it: flagged, and the score is lower
    assert {s.target for s in res.suggestions} & _ids(AiKind(other))
    assert res.score < results[(own, own)].score
    assert res.kind_pending and res.ai_kind is None
    assert res.kind_notice.startswith("待确认") and "请在“填报”页" in res.kind_notice


def test_parks_and_other_domains_have_no_kind_notice(enc):
    park = parse_application({"type": "park", "domain": "ai", "work_plan": APPLICATION_PLAN})
    robot = parse_application({"type": "enterprise", "domain": "robot", "work_plan": APPLICATION_PLAN})
    for app in (park, robot):
        res = score_narrative(app, enc)
        assert res.kind_notice == "" and not res.kind_pending


def test_a_confirmation_of_the_other_kinds_point_is_not_counted_and_said_so(enc):
    pid = "enterprise.ai.tasks.advancedness"  # 创新型
    app = _app(APPLICATION_PLAN, "application").model_copy(deep=True)
    app.coverage_claims = {pid: {"action": "confirmed", "sentence": "一是梳理场景。"}}
    res = score_narrative(app, enc)
    assert pid not in {p.id for s in res.sections for p in s.points}
    assert any(pid in w and "企业类型" in w for w in res.warnings)


def test_the_self_assessment_report_says_which_kind_was_judged(enc, monkeypatch):
    import io

    from docx import Document

    import scoring.formats.report as report
    from scoring.assessment.engine import score_application
    from scoring.formats.report import report_docx

    monkeypatch.setattr(report, "CHART_RENDERER", lambda fig: None)  # the text is checked here; charts in test_io

    for kind, expected in ((None, "待确认：尚未选择企业类型"), ("application", "企业类型：应用型企业")):
        app = _app(APPLICATION_PLAN, kind)
        doc = Document(io.BytesIO(report_docx(app, score_application(app, encoder=enc))))
        assert any(p.text.startswith(expected) for p in doc.paragraphs), kind
