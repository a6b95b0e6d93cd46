"""The call's filing rules (通知三) from pack.yaml: every part in the notice's words, and the days left against an
injectable today (an argument, or ``$SFJD_TODAY``)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from scoring.programme.filing import deadline_state, filing_rules
from scoring.programme.packs import ENV_TODAY, get_pack, today_date
from scoring.programme.rubric import RubricError

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_cef241b962ea264f.txt"
FUJIAN = "fujian-2026-1"


@pytest.fixture(autouse=True)
def _no_pack_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SFJD_PACKS_DIR", "SFJD_PACK", "SFJD_RUBRIC_DIR", ENV_TODAY):
        monkeypatch.delenv(name, raising=False)


def test_days_left_passed_and_the_day_itself() -> None:
    p = get_pack(FUJIAN)
    r = filing_rules(p, date(2026, 12, 1))
    assert r.passed and r.days_left == -241 and r.state == "已截止，已过 241 天"
    assert r.status == "报送截止：2026年4月4日（已截止，已过 241 天）"
    assert filing_rules(p, date(2026, 4, 4)).state == "今天截止" and not filing_rules(p, date(2026, 4, 4)).passed
    ahead = filing_rules(p, date(2026, 3, 20))
    assert ahead.days_left == 15 and ahead.status == "报送截止：2026年4月4日（还剩 15 天）"
    assert deadline_state(1) == "还剩 1 天" and deadline_state(-1) == "已截止，已过 1 天"


def test_today_is_injectable_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_TODAY, "2026-04-01")
    assert today_date() == date(2026, 4, 1)
    assert filing_rules(get_pack(FUJIAN)).days_left == 3 and get_pack(FUJIAN).days_left() == 3
    monkeypatch.setenv(ENV_TODAY, "下周一")
    with pytest.raises(RubricError, match="SFJD_TODAY 应为日期"):
        today_date()
    monkeypatch.delenv(ENV_TODAY)
    assert today_date() == date.today()


def test_the_officials_checklist_takes_the_sentence_apart() -> None:
    r = filing_rules(get_pack(FUJIAN), date(2026, 12, 1))
    assert dict(r.checklist) == {
        "报送材料": "推荐汇总表（附件1）；创建申请书（见附件2、3）",
        "份数": "纸质版及电子版各2份",
        "方式": "正式行文报送福建省工业和信息化厅",
        "报送单位": "各设区市工信部门",
        "截止": "2026年4月4日前（已截止，已过 241 天）",
    }
    for part in (*r.materials, r.copies, r.manner):  # each part is in the sentence it was taken from
        assert part in r.submission.text


@pytest.mark.skipif(not SEED.is_file(), reason="the notice's text is not available here")
def test_every_part_is_the_notices_words() -> None:
    seed = re.sub(r"[\s*]+", "", SEED.read_text(encoding="utf-8"))
    r = filing_rules(get_pack(FUJIAN), date(2026, 12, 1))
    assert r.precondition is not None and r.precondition.source == "通知三（一）"
    assert "经所在地工信部门确认满足创建基本条件后" in r.precondition.text
    for text in (r.precondition.text, r.submission.text, r.recommender.text, r.by, *r.materials, r.copies, r.manner,
                 r.contact.text if r.contact else ""):
        assert re.sub(r"\s+", "", text) in seed, text
    assert r.to == get_pack(FUJIAN).issuer.name  # the sentence's 我厅
