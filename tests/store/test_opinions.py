"""四、推荐单位意见 written on 遴选排序: saved with the batch (a new process reads it back, another workspace cannot),
printed in the candidate's Word 申请书 beside [章] and shown in the score workbook; a store made before opinions
were saved gains the column and keeps its batches.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from scoring.application.attachments import RecommenderOpinion
from scoring.application.models import dump_application, parse_application
from scoring.formats.word import import_application_docx
from scoring.selection.conflicts import Entry
from scoring.selection.exports import score_workbook_bytes
from scoring.selection.opinions import candidate_application, candidate_docx, opinion_of
from scoring.selection.ranking import build_ranking, score_candidates
from scoring.store.batches import BatchData, BatchStore
from scoring.store.drafts import NotFoundError, Store

DEMO = Path(__file__).resolve().parents[2] / "data" / "samples" / "batch_fuzhou"
OPINION = RecommenderOpinion(text="经审核，该企业申报材料真实完整，符合创建基本条件，同意推荐。\n（福州市工业和信息化局）",
                             date=dt.date(2026, 3, 30))


@pytest.fixture(scope="module")
def data():
    names = ("park_ai.json", "enterprise_ai.json")
    entries = [Entry(cid=f"C00{k}", app=parse_application(json.loads((DEMO / n).read_text(encoding="utf-8"))),
                     source=n) for k, n in enumerate(names, 1)]
    return BatchData(scores=score_candidates(entries, narrative=False),
                     apps={e.cid: dump_application(e.app) for e in entries})


def _stores(tmp_path):
    store = Store(tmp_path / "sfjd.sqlite3")
    for ws in ("a", "b"):
        store.ensure_workspace(ws, "local", ws)
    return store, BatchStore(store)


def _doc_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_opinion_is_saved_with_the_batch_and_printed_in_the_candidates_word_form(tmp_path, data):
    store, bs = _stores(tmp_path)
    rec = bs.create("a", "福州 第一批", data, city="fuzhou")
    assert bs.open("a", rec.id).opinions == {}
    bs.set_opinions("a", rec.id, {"C002": OPINION})
    again = BatchStore(Store(tmp_path / "sfjd.sqlite3")).open("a", rec.id)  # a new process
    assert again.opinions == {"C002": OPINION}
    with pytest.raises(NotFoundError):
        bs.set_opinions("b", rec.id, {"C002": OPINION})  # another workspace's batch does not exist for it
    assert bs.open("a", rec.id).opinions == {"C002": OPINION}

    op = opinion_of("C002", again.opinions, again.data.apps["C002"])
    docx = candidate_docx(again.data.apps["C002"], op)
    text = _doc_text(docx)
    section = text[text.index("推荐意见："):]
    assert "经审核，该企业申报材料真实完整，符合创建基本条件，同意推荐。" in section
    assert "（福州市工业和信息化局）" in section
    assert section.index("[章]") < section.index("2026 年 3 月 30 日")
    back, problems = import_application_docx(docx)
    assert problems == [] and back.recommender_opinion == OPINION
    # everything else of the candidate is as it was imported
    assert back.model_dump(exclude={"recommender_opinion"}) == \
        parse_application(again.data.apps["C002"]).model_dump(exclude={"recommender_opinion"})
    # the other candidate has none: its form keeps the blank section
    blank = _doc_text(candidate_docx(again.data.apps["C001"], opinion_of("C001", again.opinions, again.data.apps["C001"])))
    assert "年　　月　　日" in blank[blank.index("推荐意见："):]


def test_an_emptied_opinion_wins_over_the_one_the_file_carried(data):
    app = dict(data.apps["C001"], recommender_opinion={"text": "文件中已有的意见", "date": "2026-03-01"})
    assert opinion_of("C001", {}, app).text == "文件中已有的意见"
    cleared = {"C001": RecommenderOpinion()}
    assert opinion_of("C001", cleared, app).is_empty
    assert candidate_application(app, cleared["C001"]).recommender_opinion.is_empty


def test_score_workbook_shows_the_opinions(data):
    rk = build_ranking(data.scores, [], "fuzhou")
    wb = load_workbook(io.BytesIO(score_workbook_bytes(rk, None, {"C002": OPINION})))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "推荐单位意见" in values
    assert any(v.startswith("经审核，该企业申报材料真实完整") and v.endswith("（2026 年 3 月 30 日）") for v in values)


def test_a_store_made_before_opinions_gains_the_column_and_keeps_its_batches(tmp_path, data):
    store, bs = _stores(tmp_path)
    rec = bs.create("a", "旧批次", data, city="fuzhou")
    with sqlite3.connect(tmp_path / "sfjd.sqlite3") as con:  # the table as it was before the opinions column
        con.execute("ALTER TABLE batches DROP COLUMN opinions")
        assert "opinions" not in {r[1] for r in con.execute("PRAGMA table_info(batches)")}
    bs2 = BatchStore(Store(tmp_path / "sfjd.sqlite3"))
    old = bs2.open("a", rec.id)
    assert old.opinions == {} and len(old.data.scores) == 2
    bs2.set_opinions("a", rec.id, {"C001": OPINION})
    assert BatchStore(Store(tmp_path / "sfjd.sqlite3")).open("a", rec.id).opinions == {"C001": OPINION}


def test_unreadable_saved_opinions_are_left_out_not_fatal(tmp_path, data):
    store, bs = _stores(tmp_path)
    rec = bs.create("a", "批次", data)
    with sqlite3.connect(tmp_path / "sfjd.sqlite3") as con:
        con.execute("UPDATE batches SET opinions = ? WHERE id = ?",
                    (json.dumps({"C001": {"text": "好的", "date": "2026-13-45"}, "C002": {"text": "同意推荐"}}), rec.id))
    assert bs.open("a", rec.id).opinions == {"C002": RecommenderOpinion(text="同意推荐")}


def test_version_changes_name_a_checklist_item_by_its_words_and_status_in_chinese():
    from scoring.store.changes import diff_data, display_value

    old = {"type": "enterprise", "materials": {}, "award_entries": []}
    new = {"type": "enterprise", "materials": {"ent_awards": {"status": "attached", "note": "奖励.pdf"}},
           "award_entries": [{"name": "某奖", "kind": "stp_second", "rank": 2, "participants": 5}]}
    changes = {c.label: display_value(c.new, c.path[-1]) for c in diff_data(old, new)}
    item = "附件清单 › 3.国家级和省部级科技奖励清单及证明材料，获国家级和省部级科技奖励情况需要明确企业在所有参与单位中的排序"
    assert changes[f"{item} › 状态"] == "已附" and changes[f"{item} › 说明"] == "奖励.pdf"
    assert changes["科技奖励清单 › 第1行 › 奖励类别及等级"] == "国家科技进步奖二等奖"
    assert changes["科技奖励清单 › 第1行 › 本企业排序"] == "2"
