"""三、附件清单 and 四、推荐单位意见 in the Word 申请书: each item of the pack in the form's words with its status and
note, an enterprise's awards and standards with its place among the participants, the 推荐单位's opinion and date
beside the form's [章]; all read back (with or without the embedded data), a hand edit wins and a place after the last
participant is reported in Chinese.
"""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

from docx import Document

from scoring.application.models import parse_application
from scoring.formats.json_io import import_json
from scoring.formats.word import export_application_docx, import_application_docx
from scoring.programme.materials import materials_for

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "application"))
from test_attachments import ENTERPRISE  # noqa: E402


def _tables(data: bytes) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(io.BytesIO(data)).tables]


def _table_with(data: bytes, head: str) -> list[list[str]]:
    return next(t for t in _tables(data) if t[0][0] == head or (len(t[0]) > 1 and t[0][1] == head))


def test_enterprise_form_lists_every_item_with_status_and_the_places():
    app = parse_application(copy.deepcopy(ENTERPRISE))
    data = export_application_docx(app)
    rows = _table_with(data, "附件")
    assert rows[0] == ["附件", "状态", "说明（文件名或理由）"]
    items = materials_for("enterprise")
    assert [r[0] for r in rows[1:]] == [f"{m.number}.{m.text}" + ("。" if m.number == 8 else "；") for m in items]
    assert rows[1][1:] == ["已附", "附件1_空间布局平面图.pdf"]
    assert rows[2][1:] == ["尚未附", ""]  # not set: 尚未附
    assert rows[8][1:] == ["不适用", "无其他材料"]
    awards = _table_with(data, "奖励项目名称")
    assert awards[1] == ["1", "工业软件关键技术及应用", "国家科技进步奖二等奖", "第 2 / 共 5 家"]
    standards = _table_with(data, "标准名称及编号")
    assert standards[1][3] == "第 3 / 共 ？ 家"
    opinion = next(t for t in _tables(data) if t[0][0].startswith("推荐意见"))[0][0]
    assert "经审核，申报材料真实完整，同意推荐。" in opinion
    assert opinion.index("[章]") < opinion.index("2026 年 3 月 30 日")


def test_park_form_lists_annex_2_items_and_a_blank_opinion():
    app = import_json((ROOT / "data" / "samples" / "park_ai.json").read_bytes())
    data = export_application_docx(app)
    rows = _table_with(data, "附件")
    assert rows[3][0] == "3.主导产业规上企业名单；" and all(r[1] == "尚未附" for r in rows[1:])
    assert not any(t[0][1:2] == ["奖励项目名称"] for t in _tables(data))  # parks list no awards
    opinion = next(t for t in _tables(data) if t[0][0].startswith("推荐意见"))[0][0]
    assert "[章]" in opinion and "年　　月　　日" in opinion


def test_word_round_trip_keeps_checklist_places_and_opinion_with_or_without_embedded_data():
    app = parse_application(copy.deepcopy(ENTERPRISE))
    back, problems = import_application_docx(export_application_docx(app))
    assert problems == [] and back == app
    visible, problems = import_application_docx(export_application_docx(app, embed_data=False))
    assert problems == []
    assert visible.materials == {k: v for k, v in app.materials.items() if k != "old_pack_item"}  # the form's items
    assert visible.award_entries == app.award_entries and visible.standard_entries == app.standard_entries
    assert visible.recommender_opinion == app.recommender_opinion


def test_hand_edits_of_the_checklist_win_and_a_bad_place_is_reported():
    app = parse_application(copy.deepcopy(ENTERPRISE))
    doc = Document(io.BytesIO(export_application_docx(app)))
    for t in doc.tables:
        for row in t.rows:
            cells = row.cells
            if cells[0].text.startswith("2.重点领域营业收入"):
                cells[1].paragraphs[0].runs[0].text = "已附"
                cells[2].paragraphs[0].add_run("附件2_营业收入说明.pdf")
            if len(cells) == 4 and cells[1].text == "工业软件关键技术及应用":
                cells[3].paragraphs[0].runs[0].text = "第 7 / 共 5 家"
            if len(cells) == 4 and cells[1].text == "智能制造平台":
                cells[3].paragraphs[0].runs[0].text = "第二名"
    buf = io.BytesIO()
    doc.save(buf)
    back, problems = import_application_docx(buf.getvalue())
    assert back.materials["ent_domain_revenue"].status == "attached"
    assert back.materials["ent_domain_revenue"].note == "附件2_营业收入说明.pdf"
    assert "科技奖励清单 › 第1行：本企业排序（第 7 位）不能大于参与单位总数（共 5 家）" in problems
    assert any("科技奖励清单第3行本企业排序：“第二名”无法识别" in p for p in problems)
    assert [e.name for e in back.award_entries] == ["智能制造平台"]  # the refused row is left out
    assert back.award_entries[0].rank is None  # unreadable place: left empty, never guessed


def test_self_assessment_report_lists_the_checklist_and_names_what_is_missing():
    from scoring.assessment.engine import score_application
    from scoring.formats.report import report_docx

    app = parse_application(copy.deepcopy(ENTERPRISE))
    data = report_docx(app, score_application(app, narrative=False))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "六、附件清单（提交前待办）" in text  # after 五、创建工作方案 (not evaluated here)
    assert "已附 2 项，尚未附 5 项，不适用 1 项" in text and "不影响申报资格" in text
    assert "尚未附：2.重点领域营业收入的说明或证明材料；4.有效发明专利清单及获奖的证明材料；" in text
    assert "待办：已填科技奖励 3 个，科技奖励清单只列出 2 项。" in text
    table = next(t for t in _tables(data) if t[0] == ["附件", "状态", "说明（文件名或理由）"])
    assert table[1] == ["1.示范基地空间布局平面图", "√ 已附", "附件1_空间布局平面图.pdf"]
    assert table[2][1] == "× 尚未附" and table[8][1] == "— 不适用"
    places = next(t for t in _tables(data) if t[0] == ["序号", "名称", "类别", "本企业排序"])
    assert places[1] == ["1", "工业软件关键技术及应用", "国家科技进步奖二等奖", "第 2 / 共 5 家"]
