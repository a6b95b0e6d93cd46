"""Rule packs: one folder per call of the programme under ``rubrics/``.

The shipped pack (Fujian, first batch, 2026) is the default and quotes the notice; a second pack made by copying
the folder and editing data only (another province, a future deadline, other quotas) is found through
``$SFJD_PACKS_DIR`` and changes the ranking proposal, the deadline reported and what the CLI uses with ``--pack``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
import yaml

from scoring.application.models import parse_application
from scoring.programme.packs import (PACK_FILE, PACKS_ROOT, PackNotFound, active_pack, default_pack, get_pack,
                                     list_packs, rubric_dir, use_pack)
from scoring.programme.quotas import load_quotas
from scoring.programme.rubric import RubricError, load_indicator_rubric
from scoring.rules.eligibility import load_eligibility_rubric
from scoring.selection.conflicts import Entry
from scoring.selection.ranking import build_ranking, score_candidates

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_cef241b962ea264f.txt"
BATCH = ROOT / "data" / "samples" / "batch_fuzhou"
FUJIAN = "fujian-2026-1"
OTHER = "shili-2027-1"
TODAY = date(2026, 12, 1)
RUBRIC_FILES = ("pack.yaml", "conflicts.yaml", "coverage.yaml", "eligibility.yaml", "evidence.yaml",
                "narrative.yaml", "quotas.yaml", "ranking.yaml", "indicators/park.yaml",
                "indicators/enterprise.yaml", "points/park.yaml", "points/enterprise.yaml",
                "points/software_targets.yaml", "materials.yaml")


@pytest.fixture(autouse=True)
def _no_pack_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SFJD_PACKS_DIR", "SFJD_PACK", "SFJD_RUBRIC_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def other_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Fujian pack as another call: new identity, a deadline in the future, one park and one
    enterprise per city. Data only; made discoverable through $SFJD_PACKS_DIR."""
    dst = tmp_path / "packs" / OTHER
    shutil.copytree(get_pack(FUJIAN).directory, dst)
    info = yaml.safe_load((dst / PACK_FILE).read_text(encoding="utf-8"))
    info.update(id=OTHER, name="示例省2027年国家新兴产业发展示范基地（第一批）", province="示例省", year=2027)
    info["notice_date"].update(date="2027-03-01", text="2027年3月1日")
    info["deadline"].update(date="2027-06-30", text="2027年6月30日")
    (dst / PACK_FILE).write_text(yaml.safe_dump(info, allow_unicode=True), encoding="utf-8")
    quotas = yaml.safe_load((dst / "quotas.yaml").read_text(encoding="utf-8"))
    for group in quotas["groups"]:
        group["park"].update(min=1, max=1)
        group["enterprise"].update(min=1, max=1)
    quotas["recommenders"]["fuzhou"] = "示例市工业和信息化局"
    (dst / "quotas.yaml").write_text(yaml.safe_dump(quotas, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SFJD_PACKS_DIR", str(tmp_path / "packs"))
    return dst


def _batch_scores() -> list:
    entries = [Entry(cid=f"C{i:03d}", app=parse_application(json.loads(p.read_text(encoding="utf-8"))),
                     source=p.name)
               for i, p in enumerate(sorted(BATCH.glob("*.json")), 1)]
    return score_candidates(entries, narrative=False, city="fuzhou")


def _included(scores: list) -> dict[str, int]:
    prop = build_ranking(scores, [], "fuzhou").proposal("fuzhou")
    out = {"park": 0, "enterprise": 0}
    for r in prop.included():
        out[r.type] += 1
    return out


def _cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "scoring", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


# ---------------------------------------------------------------------------------------------------------------
# the shipped pack


def test_rubrics_holds_only_pack_folders_and_the_readme() -> None:
    entries = sorted(p.name for p in PACKS_ROOT.iterdir())
    assert "README.md" in entries
    for name in entries:
        if name != "README.md":
            assert (PACKS_ROOT / name / PACK_FILE).is_file(), f"rubrics/{name} 不是规则包"
    for f in RUBRIC_FILES:
        assert (PACKS_ROOT / FUJIAN / f).is_file(), f


def test_the_fujian_pack_is_the_default_and_its_deadline_has_passed() -> None:
    p = default_pack()
    assert p.id == FUJIAN and active_pack().id == FUJIAN
    assert rubric_dir() == PACKS_ROOT / FUJIAN
    assert p.issuer.name == "福建省工业和信息化厅" and p.batch == "第一批" and p.province == "福建省"
    assert p.notice_date.date == date(2026, 3, 17)
    assert p.deadline.date == date(2026, 4, 4)
    assert p.deadline_passed(TODAY) and p.days_left(TODAY) == -241
    assert p.deadline_status(TODAY) == "已截止（2026年4月4日）"
    assert not p.deadline_passed(date(2026, 4, 4)) and p.deadline_status(date(2026, 4, 4)).startswith("今天截止")
    assert p.days_left(date(2026, 4, 1)) == 3
    assert p.recommender.name == "福建省工业和信息化厅"
    assert p.contact is not None and p.contact.phone == "0591-87822107"
    assert [d.value for d in p.domains.ids] == ["ai", "icv", "storage", "hydrogen", "biomfg", "robot", "lowalt",
                                                 "space", "safety", "software"]


@pytest.mark.skipif(not SEED.is_file(), reason="the notice's text is not available here")
def test_the_pack_identity_quotes_the_notice() -> None:
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    p = get_pack(FUJIAN)
    for text in (p.submission.text, p.recommender.text, p.notice.number, p.notice_date.text, p.deadline.text,
                 p.contact.person, p.contact.phone, p.contact.office):  # type: ignore[union-attr]
        assert re.sub(r"\s+", "", text) in seed, text
    assert re.sub(r"\s+", "", p.notice.title) in seed.replace("#", "")
    assert p.submission.text == ("2026年4月4日前，将推荐汇总表（附件1）、创建申请书（见附件2、3），纸质版及电子版各2份，"
                                 "正式行文报送我厅。")


def test_unknown_pack_is_refused_in_chinese() -> None:
    with pytest.raises(PackNotFound, match="没有编号为“nowhere”的规则包.*fujian-2026-1"):
        get_pack("nowhere")
    r = _cli("--pack", "nowhere", "validate", str(ROOT / "data" / "samples" / "park_ai.json"))
    assert r.returncode == 2
    assert "没有编号为“nowhere”的规则包" in r.stderr and "Traceback" not in r.stderr
    r = _cli("schema", "--pack", "nowhere")  # after the command too
    assert r.returncode == 2 and "没有编号为“nowhere”的规则包" in r.stderr and r.stdout == ""


# ---------------------------------------------------------------------------------------------------------------
# a second pack


def test_a_copied_pack_is_found_and_is_the_newest(other_pack: Path) -> None:
    assert [p.id for p in list_packs()] == [OTHER, FUJIAN]  # newest call first
    assert default_pack().id == OTHER
    assert get_pack(OTHER).directory == other_pack
    assert rubric_dir() == other_pack


def test_deadline_differs_between_packs(other_pack: Path) -> None:
    fj, other = get_pack(FUJIAN), get_pack(OTHER)
    assert other.deadline.date == date(2027, 6, 30) and other.province == "示例省"
    assert fj.deadline_passed(TODAY) and not other.deadline_passed(TODAY)
    assert other.days_left(TODAY) == 211 and other.deadline_status(TODAY) == "还剩 211 天（截止 2027年6月30日）"


def test_ranking_proposal_follows_the_active_packs_quotas(other_pack: Path) -> None:
    scores = _batch_scores()
    with use_pack(FUJIAN) as p:
        assert p.id == FUJIAN
        fj = _included(scores)
        fj_rec = build_ranking(scores, [], "fuzhou").proposal("fuzhou").recommender
    with use_pack(OTHER):
        other = _included(scores)
        other_rec = build_ranking(scores, [], "fuzhou").proposal("fuzhou").recommender
    assert fj == {"park": 2, "enterprise": 5}  # 福州：1~2个园区、3~5家企业
    assert other == {"park": 1, "enterprise": 1}
    assert (fj_rec, other_rec) == ("福州市工业和信息化局", "示例市工业和信息化局")


def test_switching_packs_never_returns_the_other_packs_cached_data(other_pack: Path) -> None:
    # the same file name in two folders: each loader's cache is keyed on the folder
    for _ in range(2):
        with use_pack(FUJIAN):
            assert load_quotas().quota("fuzhou", "park").max == 2
            assert load_indicator_rubric("park").type.value == "park"
            assert load_eligibility_rubric() is not None
        with use_pack(OTHER):
            assert load_quotas().quota("fuzhou", "park").max == 1
    with use_pack(FUJIAN):
        assert rubric_dir() == PACKS_ROOT / FUJIAN
    assert rubric_dir() == other_pack  # the choice ends with the block: the default again


def test_the_choice_is_per_thread_context(other_pack: Path) -> None:
    """Two sessions of one server run in two threads: one's choice is never the other's."""
    seen: dict[str, str] = {}
    inside, release = threading.Event(), threading.Event()

    def session() -> None:
        with use_pack(FUJIAN):
            inside.set()
            release.wait(10)
            seen["thread"] = active_pack().id

    t = threading.Thread(target=session)
    t.start()
    inside.wait(10)
    seen["main"] = active_pack().id  # while the other thread has chosen FUJIAN
    release.set()
    t.join(10)
    assert seen == {"thread": FUJIAN, "main": OTHER}


def test_rubric_dir_env_points_at_a_pack_folder(other_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFJD_RUBRIC_DIR", str(get_pack(FUJIAN).directory))
    assert default_pack().id == FUJIAN and rubric_dir() == PACKS_ROOT / FUJIAN
    with use_pack(OTHER):  # an explicit choice still wins
        assert load_quotas().quota("fuzhou", "enterprise").max == 1


def test_sfjd_pack_pins_the_default(other_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFJD_PACK", FUJIAN)
    assert default_pack().id == FUJIAN
    monkeypatch.setenv("SFJD_PACK", "nowhere")
    with pytest.raises(PackNotFound):
        default_pack()


def test_duplicate_pack_ids_are_refused(other_pack: Path) -> None:
    shutil.copytree(other_pack, other_pack.parent / "copy")
    with pytest.raises(RubricError, match="规则包编号“shili-2027-1”重复"):
        list_packs()


def test_cli_uses_the_pack_chosen_with_pack(other_pack: Path, tmp_path: Path) -> None:
    env = {"SFJD_PACKS_DIR": str(other_pack.parent)}
    common = [str(BATCH), "--city", "fuzhou", "--no-narrative", "--no-robustness", "--json"]
    runs = {}
    for name, extra in (("default", []), ("fujian", ["--pack", FUJIAN]), ("other", ["--pack", OTHER])):
        r = _cli("rank", *common, "--out", str(tmp_path / f"{name}.xlsx"), *extra, env_extra=env)
        assert r.returncode == 0, r.stderr
        runs[name] = json.loads(r.stdout)
    by_type = {}
    for name, out in runs.items():
        included = set(out["proposals"][0]["included"])
        kinds = [c["type"] for c in out["candidates"] if c["cid"] in included]
        by_type[name] = (kinds.count("park"), kinds.count("enterprise"))
    assert by_type == {"default": (1, 1), "fujian": (2, 5), "other": (1, 1)}
    assert runs["fujian"]["pack"]["id"] == FUJIAN and runs["fujian"]["pack"]["deadline"] == "2026-04-04"
    assert runs["other"]["pack"]["id"] == OTHER and runs["other"]["pack"]["deadline"] == "2027-06-30"
    # the option is global: also before the command
    r = _cli("--pack", FUJIAN, "packs", "--json", env_extra=env)
    assert r.returncode == 0, r.stderr
    listed = {p["id"]: p for p in json.loads(r.stdout)}
    assert set(listed) == {FUJIAN, OTHER}
    assert listed[FUJIAN]["active"] and not listed[FUJIAN]["default"]
    assert listed[OTHER]["default"] and not listed[OTHER]["active"]
    assert listed[FUJIAN]["deadline_passed"] is (date.today() > date(2026, 4, 4))
    assert listed[OTHER]["deadline_passed"] is (date.today() > date(2027, 6, 30))
