"""遴选排序 as the city's official uses it (AppTest): the batch, each decision with its reason, the city and the role
are saved in the workspace and come back in a new session (F5, restart); another city's candidates are 非本市."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from scoring.application.models import parse_application  # noqa: E402
from scoring.selection.conflicts import Entry  # noqa: E402
from scoring.selection.ranking import score_candidates  # noqa: E402
from scoring.store.batches import BatchData, BatchStore  # noqa: E402
from scoring.store.drafts import LOCAL_WORKSPACE_ID, Store, db_path  # noqa: E402

APP = str(ROOT / "app.py")
DEMO = ROOT / "data" / "samples" / "batch_fuzhou"
AWAY = "C004"  # park_storage.json, relabelled 厦门


@pytest.fixture(scope="module")
def mixed_data():
    """The demo's parks and two enterprises; the fourth park says 厦门 (scored without the work plan: fast)."""
    names = ["park_ai.json", "park_robot.json", "park_safety.json", "park_storage.json", "enterprise_software.json",
             "enterprise_icv.json"]
    entries = []
    for k, n in enumerate(names, 1):
        d = json.loads((DEMO / n).read_text(encoding="utf-8"))
        if n == "park_storage.json":
            d["city"] = "xiamen"
        entries.append(Entry(cid=f"C{k:03d}", app=parse_application(d), source=n))
    return BatchData(scores=score_candidates(entries, narrative=False))


def _saved_batch(data: BatchData, city: str = "fuzhou") -> str:
    store = Store(db_path())
    store.ensure_workspace(LOCAL_WORKSPACE_ID, "local", "本地")
    return BatchStore(store).create(LOCAL_WORKSPACE_ID, "混合批次", data, city=city, origin="测试").id


def _open(page: str = "pages/ranking.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _editor_row(at: AppTest, cid: str) -> dict:
    df = at.data_editor[0].value
    return df[df["编号"] == cid].iloc[0].to_dict()


def test_other_city_is_marked_and_decisions_survive_navigation_and_a_new_session(mixed_data):
    _saved_batch(mixed_data)
    at = _open()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["非本市"] == "1 个" and metrics["候选对象"] == "6 个"
    assert any("非本市" in w.value and "厦门" in w.value for w in at.warning)
    row = _editor_row(at, AWAY)
    assert row["所在设区市"] == "厦门（非本市）" and not row["列入推荐名单"] and not row["本工具建议"]
    # exclude the first proposed park with a reason
    editor = at.data_editor[0]
    df = editor.value
    first = df[df["本工具建议"]].iloc[0]["编号"]
    i = int(df.index[df["编号"] == first][0])
    at.session_state[editor.key] = {"edited_rows": {i: {"列入推荐名单": False, "调整理由": "现场核查未通过"}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    # another page and back: the editor starts again from the saved decisions
    at.switch_page("pages/result.py").run()
    at.switch_page("pages/ranking.py").run()
    row = _editor_row(at, first)
    assert row["列入推荐名单"] is False or not row["列入推荐名单"]
    assert row["调整理由"] == "现场核查未通过"
    # a new session (F5 or a restart): the same batch, decision, reason and city
    again = _open()
    row = _editor_row(again, first)
    assert not row["列入推荐名单"] and row["调整理由"] == "现场核查未通过"
    assert next(s for s in again.selectbox if s.label.startswith("本批次所属设区市")).value == "fuzhou"
    n_before = int(metrics["列入推荐名单"].split()[0])
    assert {m.label: m.value for m in again.metric}["列入推荐名单"] == f"{n_before - 1} 个"
    assert not any(first in str(df.value.values) for df in again.dataframe if "决定" in df.value.columns)


def test_role_is_remembered_and_the_official_lands_on_ranking(mixed_data):
    _saved_batch(mixed_data)
    at = _open(page="")
    at.radio(key="home_role").set_value("设区市工信局").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(t.value == "遴选排序" for t in at.title)
    again = _open(page="")  # a new session on the home URL
    assert any(t.value == "遴选排序" for t in again.title)
    text = " ".join(m.value for m in again.sidebar.markdown)
    assert "当前批次" in text and "混合批次" in text and "当前申报" not in text
    again.switch_page("pages/home.py").run()  # the official's own home page: its saved batches
    assert any("已保存的批次" in m.value for m in again.markdown)
    assert again.radio(key="home_role").value == "设区市工信局"


def test_only_the_chosen_view_is_drawn_and_the_choice_is_remembered(mixed_data):
    _saved_batch(mixed_data)
    at = _open()
    switch = at.radio(key="rk_view")
    assert switch.options == ["推荐名单", "本市排序", "分领域排序", "非本市（1）", "不合格（1）", "冲突（0）", "排序稳健性",
                              "推荐意见", "下载"]
    assert at.data_editor and not at.get("plotly_chart") and not any(
        b.label.startswith("下载评分工作簿") for b in at.get("download_button"))
    switch.set_value("away").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.data_editor
    assert [df.value["编号"].tolist() for df in at.dataframe if "申请书填写的所在设区市" in df.value.columns] == [[AWAY]]
    assert {m.label: m.value for m in at.metric}["非本市"] == "1 个"  # the head is drawn whatever the view
    # another page and back: the same view
    at.switch_page("pages/result.py").run()
    at.switch_page("pages/ranking.py").run()
    assert at.radio(key="rk_view").value == "away" and not at.data_editor
