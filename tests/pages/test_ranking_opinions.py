"""推荐意见 on 遴选排序 (AppTest): the official writes the 推荐单位意见 of a candidate; it is saved with the batch at
once, comes back in a new session, and the candidate's Word 申请书 carries it in section 四; the candidate's 附件清单
is summed up beside it."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from docx import Document  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from scoring.application.models import dump_application, parse_application  # noqa: E402
from scoring.selection.conflicts import Entry  # noqa: E402
from scoring.selection.opinions import candidate_docx, opinion_of  # noqa: E402
from scoring.selection.ranking import score_candidates  # noqa: E402
from scoring.store.batches import BatchData, BatchStore  # noqa: E402
from scoring.store.drafts import LOCAL_WORKSPACE_ID, Store, db_path  # noqa: E402

APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "samples" / "batch_fuzhou"
TEXT = "经审核，该企业申报材料真实完整，同意推荐。"


@pytest.fixture(scope="module")
def data():
    entries = []
    for k, n in enumerate(["park_ai.json", "enterprise_software.json"], 1):
        d = json.loads((DEMO / n).read_text(encoding="utf-8"))
        if n.startswith("enterprise"):
            d["materials"] = {"ent_layout_plan": {"status": "已附", "note": "平面图.pdf"}}
        entries.append(Entry(cid=f"C{k:03d}", app=parse_application(d), source=n))
    return BatchData(scores=score_candidates(entries, narrative=False),
                     apps={e.cid: dump_application(e.app) for e in entries})


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/ranking.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_opinion_is_written_saved_with_the_batch_and_in_the_candidates_word_form(data):
    store = Store(db_path())
    store.ensure_workspace(LOCAL_WORKSPACE_ID, "local", "本地")
    bid = BatchStore(store).create(LOCAL_WORKSPACE_ID, "意见批次", data, city="fuzhou", origin="测试").id
    at = _open()
    at.radio(key="rk_view").set_value("opinion").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("由推荐单位填写并盖章" in c.value for c in at.caption)
    # the candidate's checklist beside the opinion: 1 attached, 7 still to attach
    assert any(c.value.startswith("附件清单：已附 1 项，尚未附 7 项") for c in at.caption)
    area = next(t for t in at.text_area if t.key and t.key.endswith("_C002_text"))
    assert area.value == ""
    area.set_value(TEXT).run()
    date = next(d for d in at.date_input if d.key and d.key.endswith("_C002_date"))
    date.set_value(dt.date(2026, 3, 30)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(b.label.startswith("下载申请书（含推荐单位意见") for b in at.get("download_button"))
    # saved with the batch: a new session shows it, the store holds it
    again = _open()
    again.radio(key="rk_view").set_value("opinion").run()
    assert next(t for t in again.text_area if t.key and t.key.endswith("_C002_text")).value == TEXT
    saved = BatchStore(Store(db_path())).open(LOCAL_WORKSPACE_ID, bid)
    assert saved.opinions["C002"].text == TEXT and saved.opinions["C002"].date == dt.date(2026, 3, 30)
    # the candidate's Word 申请书 (what the download gives) carries it in section 四
    doc = Document(io.BytesIO(candidate_docx(saved.data.apps["C002"],
                                             opinion_of("C002", saved.opinions, saved.data.apps["C002"]))))
    cell = next(t.rows[0].cells[0].text for t in doc.tables if t.rows[0].cells[0].text.startswith("推荐意见"))
    assert TEXT in cell and "2026 年 3 月 30 日" in cell
