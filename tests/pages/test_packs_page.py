"""政策/申报批次 in the app (AppTest): one pack is shown as text with its deadline; with two packs the sidebar offers a
chooser, the choice is the session's own, and scoring (eligibility, the ranking's quotas) follows it."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
import yaml  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import formtabs  # noqa: E402
from scoring.application.models import dump_application, parse_application  # noqa: E402
from scoring.selection.conflicts import Entry  # noqa: E402
from scoring.selection.ranking import score_candidates  # noqa: E402
from scoring.store.batches import BatchData, BatchStore  # noqa: E402
from scoring.store.drafts import LOCAL_WORKSPACE_ID, Store, db_path  # noqa: E402

APP = str(ROOT / "app.py")
BATCH = ROOT / "data" / "samples" / "batch_fuzhou"
FUJIAN, OTHER = "fujian-2026-1", "shili-2027-1"
LABEL = "政策/申报批次"


@pytest.fixture(autouse=True)
def _no_pack_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SFJD_PACKS_DIR", "SFJD_PACK", "SFJD_RUBRIC_DIR"):
        monkeypatch.delenv(name, raising=False)


def _other_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recommender: str = "") -> None:
    """A copy of the Fujian pack as another, newer call: one park and one enterprise per city (and, if given,
    another 推荐单位)."""
    dst, info = formtabs.copy_pack(tmp_path, monkeypatch, FUJIAN, OTHER)
    if recommender:
        info["recommender"]["name"] = recommender
        formtabs.write_yaml(dst / "pack.yaml", info)
    quotas = yaml.safe_load((dst / "quotas.yaml").read_text(encoding="utf-8"))
    for group in quotas["groups"]:
        group["park"].update(min=1, max=1)
        group["enterprise"].update(min=1, max=1)
    formtabs.write_yaml(dst / "quotas.yaml", quotas)


@pytest.fixture
def two_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _other_pack(tmp_path, monkeypatch)


def _start(page: str | None = None, app_data: dict | None = None) -> AppTest:
    return formtabs.start(app_data, page)


def _chooser(at: AppTest):
    found = [s for s in at.sidebar.selectbox if s.label == LABEL]
    return found[0] if found else None


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_one_pack_is_plain_text_with_its_deadline() -> None:
    at = _start()
    assert _chooser(at) is None
    caps = _captions(at)
    assert f"{LABEL}：福建省2026年国家新兴产业发展示范基地（第一批）" in caps
    assert any(c.startswith("报送截止：2026年4月4日（") for c in caps)
    # 首页: the call, its deadline (passed after 2026-04-04) and the notice's submission sentence
    assert any(m.value == "**福建省2026年国家新兴产业发展示范基地（第一批） · 自评工具**" for m in at.markdown)
    passed = date.today() > date(2026, 4, 4)
    boxes = at.warning if passed else at.info
    assert any(b.value.startswith("报送截止：2026年4月4日（" + ("已截止" if passed else "")) for b in boxes)
    text = " ".join(m.value for m in at.markdown)
    assert "2026年4月4日前，将推荐汇总表（附件1）、创建申请书（见附件2、3），纸质版及电子版各2份，正式行文报送我厅。" in text
    assert "颜小莉，0591-87822107" in text


def _recommender_check(at: AppTest) -> str:
    return " ".join(e.value for e in (*at.error, *at.success, *at.markdown) if "推荐单位" in e.value)


def test_two_packs_offer_a_chooser_and_the_result_follows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _other_pack(tmp_path, monkeypatch, recommender="示例省工业和信息化厅")
    sample = json.loads((ROOT / "data" / "samples" / "park_ai.json").read_text(encoding="utf-8"))
    at = _start("pages/result.py", sample)
    box = _chooser(at)
    assert box is not None and box.options == [
        "示例省2027年国家新兴产业发展示范基地（第一批）", "福建省2026年国家新兴产业发展示范基地（第一批）"]
    assert box.value == OTHER  # the newest call is the default
    assert "报送截止：2027年6月30日（还剩" in " ".join(_captions(at))
    # the sample's 推荐单位 is 福建省工业和信息化厅: not the 推荐单位 of the other call
    assert "示例省工业和信息化厅" in _recommender_check(at)
    _chooser(at).set_value(FUJIAN).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["pack_id"] == FUJIAN
    assert "示例省工业和信息化厅" not in _recommender_check(at)
    assert any(c.startswith("报送截止：2026年4月4日（") for c in _captions(at))
    # the choice is kept across pages, and another session starts with the default
    at.switch_page("pages/home.py").run()
    assert _chooser(at).value == FUJIAN
    assert _chooser(_start()).value == OTHER


def test_ranking_quota_follows_the_chosen_pack(two_packs: None) -> None:
    entries = [Entry(cid=f"C{i:03d}", app=parse_application(json.loads(p.read_text(encoding="utf-8"))), source=p.name)
               for i, p in enumerate(sorted(BATCH.glob("*.json")), 1)]
    data = BatchData(scores=score_candidates(entries, narrative=False), pack=OTHER,
                     apps={e.cid: dump_application(e.app) for e in entries})
    store = Store(db_path())
    store.ensure_workspace(LOCAL_WORKSPACE_ID, "local", "本地")
    BatchStore(store).create(LOCAL_WORKSPACE_ID, "演示", data, city="fuzhou", origin="测试")
    at = _start("pages/ranking.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["列入推荐名单"] == "2 个"  # one park, one enterprise
    assert not any("本批次是按" in w.value for w in at.warning)
    _chooser(at).set_value(FUJIAN).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["列入推荐名单"] == "7 个"  # 福州：1~2个园区、3~5家企业
    assert any("本批次是按“示例省2027年国家新兴产业发展示范基地（第一批）”评分的" in w.value for w in at.warning)
    assert any(b.label == "按当前批次重新评分" for b in at.button)
