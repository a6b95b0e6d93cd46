"""Saved selection batches: scored candidates, the city and the official's decisions survive a new process,
stay in their workspace, and preferences (the role) are kept per workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.application.models import parse_application
from scoring.selection.batch import BatchProblem, FileReport
from scoring.selection.conflicts import Entry
from scoring.selection.ranking import score_candidates
from scoring.store.batches import BatchData, BatchStore, RowDecision
from scoring.store.drafts import NotFoundError, Store, StoreError

DEMO = Path(__file__).resolve().parents[2] / "data" / "samples" / "batch_fuzhou"


@pytest.fixture(scope="module")
def data():
    entries = [Entry(cid=f"C00{k}", app=parse_application(json.loads((DEMO / n).read_text(encoding="utf-8"))),
                     source=n) for k, n in enumerate(("park_ai.json", "enterprise_ai.json"), 1)]
    return BatchData(scores=score_candidates(entries, narrative=False),
                     problems=[BatchProblem("坏.json", "不是 JSON", level="错误")],
                     files=[FileReport("park_ai.json", "json", 1, 0, 0), FileReport("坏.json", "json", 0, 1, 0)])


def _stores(tmp_path):
    store = Store(tmp_path / "sfjd.sqlite3")
    for ws in ("a", "b"):
        store.ensure_workspace(ws, "local" if ws == "a" else "oidc", ws)
    return store, BatchStore(store)


def test_batch_and_decisions_round_trip_through_a_new_store_object(tmp_path, data):
    store, bs = _stores(tmp_path)
    rec = bs.create("a", "泉州 第一批", data, city="quanzhou", origin="上传的 2 个文件")
    bs.set_decisions("a", rec.id, {"C001": RowDecision(False, "材料不全"), "C002": RowDecision(True, "")})
    bs.set_city("a", rec.id, "fuzhou")
    again = BatchStore(Store(tmp_path / "sfjd.sqlite3")).open("a", rec.id)  # as after a restart
    assert again.record.city == "fuzhou" and again.record.name == "泉州 第一批" and again.record.n_candidates == 2
    assert again.decisions == {"C001": RowDecision(False, "材料不全"), "C002": RowDecision(True, "")}
    assert [s.model_dump() for s in again.data.scores] == [s.model_dump() for s in data.scores]
    assert again.data.problems == data.problems and again.data.files == data.files
    assert bs.last("a").id == rec.id


def test_batches_are_scoped_to_their_workspace(tmp_path, data):
    _, bs = _stores(tmp_path)
    rec = bs.create("a", "甲", data)
    assert bs.list("b") == [] and bs.last("b") is None
    for call in (lambda: bs.open("b", rec.id), lambda: bs.set_decisions("b", rec.id, {}),
                 lambda: bs.delete("b", rec.id), lambda: bs.rename("b", rec.id, "x")):
        with pytest.raises(NotFoundError):
            call()
    bs.delete("a", rec.id)
    assert bs.list("a") == [] and bs.last("a") is None


def test_preferences_per_workspace_and_unreadable_data_is_a_chinese_error(tmp_path, data):
    _, bs = _stores(tmp_path)
    bs.set_pref("a", "role", "设区市工信局")
    bs.set_pref("a", "role", "申报单位")
    assert bs.get_pref("a", "role") == "申报单位" and bs.get_pref("b", "role") is None
    rec = bs.create("a", "甲", data)
    with bs._connect() as con:
        con.execute("UPDATE batches SET data = '{' WHERE id = ?", (rec.id,))
    with pytest.raises(StoreError, match="无法读取"):
        bs.open("a", rec.id)
