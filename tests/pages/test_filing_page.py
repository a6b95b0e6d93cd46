"""申报程序与报送要求 where people act on them (AppTest): 我的申报 (the applicant) and 遴选排序 (the 设区市工信局) show the
deadline — plainly passed for the Fujian call on 2026-12-01, with the days left for a call whose deadline is ahead —
and the notice's submission sentence; the applicant sees 申报前提 (通知三（一）), the official what to submit, how many
copies and how. Today is fixed with ``$SFJD_TODAY``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import formtabs  # noqa: E402

APP = str(ROOT / "app.py")
FUJIAN, OTHER = "fujian-2026-1", "shili-2027-1"
TODAY = date(2026, 12, 1)
SENTENCE = "2026年4月4日前，将推荐汇总表（附件1）、创建申请书（见附件2、3），纸质版及电子版各2份，正式行文报送我厅。"
PRECONDITION = "经所在地工信部门确认满足创建基本条件后"
PAGES = ("pages/drafts.py", "pages/ranking.py")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SFJD_PACKS_DIR", "SFJD_PACK", "SFJD_RUBRIC_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SFJD_TODAY", TODAY.isoformat())


@pytest.fixture
def future_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the Fujian pack as a newer call whose deadline (2027-06-30) is ahead: the default pack."""
    dst, info = formtabs.copy_pack(tmp_path, monkeypatch, FUJIAN, OTHER)
    info["submission"]["text"] = info["submission"]["text"].replace("2026年4月4日", "2027年6月30日")
    formtabs.write_yaml(dst / "pack.yaml", info)
    return info["submission"]["text"]


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _main_text(at: AppTest) -> str:
    """Every text of the page's main area (the expander's Markdown included, open or not)."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "error")
             for e in getattr(at.main, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_the_passed_deadline_is_said_plainly_with_the_submission_sentence(page: str) -> None:
    at = _open(page)
    warnings = [w.value for w in at.main.warning]
    days = (TODAY - date(2026, 4, 4)).days
    assert any(w.startswith(f"报送截止：2026年4月4日（已截止，已过 {days} 天）") and "本批次报送已截止" in w
               for w in warnings), warnings
    assert not any("还剩" in i.value for i in at.main.info)
    text = _main_text(at)
    assert SENTENCE in text
    assert "颜小莉，0591-87822107" in text


def test_the_applicant_sees_what_comes_first_and_the_recommender_line() -> None:
    text = _main_text(_open("pages/drafts.py"))
    assert f"申报前提（通知三（一））：申报对象自愿申报，{PRECONDITION}，填写创建申请书" in text
    assert "申请书首页推荐单位统一填写“福建省工业和信息化厅”" in text
    assert "请以所在地工信部门的安排为准" in text  # the deadline is the city's, not the applicant's


def test_the_official_sees_what_to_submit_how_many_copies_and_how() -> None:
    text = _main_text(_open("pages/ranking.py"))
    assert "**报送材料**：推荐汇总表（附件1）；创建申请书（见附件2、3）" in text
    assert "**份数**：纸质版及电子版各2份" in text
    assert "**方式**：正式行文报送福建省工业和信息化厅" in text
    assert "**截止**：2026年4月4日前（已截止" in text
    assert PRECONDITION in text


@pytest.mark.parametrize("page", PAGES)
def test_a_deadline_ahead_shows_the_days_left(future_pack: str, page: str) -> None:
    at = _open(page)
    days = (date(2027, 6, 30) - TODAY).days
    assert days == 211
    infos = [i.value for i in at.main.info]
    assert any(i.startswith(f"报送截止：2027年6月30日（还剩 {days} 天）") for i in infos), infos
    assert not any("已截止" in w.value for w in at.main.warning)
    assert future_pack in _main_text(at)
    if page == "pages/ranking.py":  # the official's box carries the sentence itself while the call is open
        assert any(future_pack in i for i in infos)


def test_the_days_left_follow_today(future_pack: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFJD_TODAY", "2027-06-30")
    at = _open("pages/drafts.py")
    assert any(i.value.startswith("报送截止：2027年6月30日（今天截止）") for i in at.main.info)
