"""附件清单 and 推荐单位意见 on the applicant's pages (AppTest): 填报 lists the pack's items in the form's words and
saves each status and note; an enterprise types its awards with its place (a place after the last participant is
refused in Chinese, the rest saved); 四、推荐单位意见 is read-only; 自评结果 counts the checklist and names what is
still missing as a 待办, not as a failed rule of eligibility."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import formtabs  # noqa: E402
import pages.shared.state as state  # noqa: E402
from pages.shared.materials_form import COL_RANK, COL_TOTAL, TAB_TITLE  # noqa: E402
from scoring.application.models import parse_application  # noqa: E402
from scoring.assessment.engine import score_application  # noqa: E402
from scoring.programme.materials import materials_for  # noqa: E402

APP = str(ROOT / "app.py")
ENTERPRISE = {
    "type": "enterprise", "domain": "software", "applicant_name": "测试软件股份有限公司",
    "basic": {"name": "测试软件股份有限公司", "credit_code": "91350100MA34567890"},
    "awards": {"stp_second": 1},
    "materials": {"ent_layout_plan": {"status": "attached", "note": "平面图.pdf"},
                  "ent_other": {"status": "not_applicable", "note": "无"}},
}


def _start(data: dict, page: str) -> AppTest:
    return formtabs.start(data, page, timeout=60)


def _saved(at: AppTest) -> dict:
    return at.session_state[state.K_JSON]


def test_result_page_counts_the_checklist_and_names_what_is_missing():
    at = _start(ENTERPRISE, "pages/result.py")
    assert "附件清单（提交前待办）" in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["已附"], metrics["尚未附"], metrics["不适用"]) == ("1 项", "6 项", "1 项")
    warning = next(w.value for w in at.warning if "尚未附 6 项" in w.value)
    for m in materials_for("enterprise"):
        named = m.label.replace(".", "\\.", 1)  # the page escapes Markdown
        assert (named in warning) == (m.id not in ENTERPRISE["materials"]), m.id
    assert "不影响申报资格" in warning
    # the award typed is not listed with its place yet: a 待办 too
    assert any("已填科技奖励 1 个，科技奖励清单中尚未逐项列出" in i.value for i in at.info)
    # eligibility is judged exactly as without the checklist
    expected = score_application(parse_application(copy.deepcopy(ENTERPRISE)), narrative=False)
    assert not any("附件" in c.title for c in expected.eligibility)


def test_form_tab_saves_each_status_and_note_in_the_forms_words():
    at = _start(ENTERPRISE, "pages/form.py")
    assert TAB_TITLE in [t.label for t in at.tabs]
    formtabs.open_tab(at, TAB_TITLE)
    labels = [m.value for m in at.markdown]
    for m in materials_for("enterprise"):
        assert m.label.replace(".", "\\.", 1) in labels, m.id  # each item in the form's words, in its order
    status = at.radio(key="f1.materials.ent_domain_revenue.status")
    assert status.value == "pending" and status.options == ["已附", "尚未附", "不适用"]
    status.set_value("attached").run()
    at.text_input(key="f1.materials.ent_domain_revenue.note").set_value("营业收入专项审计报告.pdf").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _saved(at)["materials"]["ent_domain_revenue"] == {"status": "attached", "note": "营业收入专项审计报告.pdf"}
    # back to 尚未附 without a note: the item is simply not set
    at.text_input(key="f1.materials.ent_domain_revenue.note").set_value("").run()
    at.radio(key="f1.materials.ent_domain_revenue.status").set_value("pending").run()
    assert "ent_domain_revenue" not in _saved(at)["materials"]
    assert _saved(at)["materials"]["ent_layout_plan"]["note"] == "平面图.pdf"  # the others untouched
    # 四、推荐单位意见: filled by the 推荐单位, not here
    assert any("由推荐单位填写并盖章，申报单位不填" in i.value for i in at.info)


def test_award_place_after_the_last_participant_is_refused_and_the_rest_saved():
    at = _start(ENTERPRISE, "pages/form.py")
    formtabs.open_tab(at, TAB_TITLE)
    key = next(e.key for e in at.data_editor if e.key and ".award_entries." in e.key)
    at.session_state[key] = {"edited_rows": {0: {"奖励项目名称": "工业软件关键技术及应用", "奖励类别及等级": "国家科技进步奖二等奖",
                                                 COL_RANK: "6", COL_TOTAL: "5"}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    saved = _saved(at)["award_entries"]
    assert saved == [{"name": "工业软件关键技术及应用", "kind": "stp_second", "rank": 6, "participants": None}]
    assert any("本企业排序（第 6 位）不能大于参与单位总数（共 5 家）" in e.value for e in at.error)
    key = next(e.key for e in at.data_editor if e.key and ".award_entries." in e.key)
    at.session_state[key] = {"edited_rows": {0: {COL_RANK: "2", COL_TOTAL: "5"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert _saved(at)["award_entries"][0]["rank"] == 2 and _saved(at)["award_entries"][0]["participants"] == 5
    assert not any("不能大于参与单位总数" in e.value for e in at.error)


def test_an_imported_opinion_is_shown_read_only():
    data = {**copy.deepcopy(ENTERPRISE), "recommender_opinion": {"text": "同意推荐。", "date": "2026-03-30"}}
    at = _start(data, "pages/form.py")
    formtabs.open_tab(at, TAB_TITLE)
    area = next(t for t in at.text_area if t.label == "推荐意见")
    assert area.value == "同意推荐。" and area.disabled
    assert any("2026 年 3 月 30 日" in c.value for c in at.caption)
