"""三、附件清单 and 四、推荐单位意见 of the forms: the pack's checklist quotes Annex 2/3, the application keeps each
item's status and note (ids of another pack too), an enterprise's awards and standards carry its place among all
participants (a place after the last is refused in Chinese), and everything survives a JSON round trip.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from scoring.application.errors import format_validation_error
from scoring.application.models import EnterpriseApplication, parse_application
from scoring.assessment.engine import score_application
from scoring.formats.json_io import export_json, import_json
from scoring.programme.materials import load_materials, materials_for
from scoring.rules.materials import check_materials

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_cef241b962ea264f.txt"
SAMPLES = ROOT / "data" / "samples"

ENTERPRISE = {
    "type": "enterprise", "domain": "software", "applicant_name": "测试软件股份有限公司",
    "awards": {"stp_second": 1, "provincial": 2},
    "standards": {"national": 1},
    "award_entries": [
        {"name": "工业软件关键技术及应用", "kind": "国家科技进步奖二等奖", "rank": 2, "participants": 5},
        {"name": "智能制造平台", "kind": "provincial", "rank": 1, "participants": 3},
    ],
    "standard_entries": [{"name": "GB/T 00000—2025 工业软件 测试方法", "kind": "国家标准", "rank": 3}],
    "materials": {
        "ent_layout_plan": {"status": "已附", "note": "附件1_空间布局平面图.pdf"},
        "ent_awards": {"status": "attached", "note": "附件3_科技奖励清单.pdf"},
        "ent_other": {"status": "不适用", "note": "无其他材料"},
        "old_pack_item": {"status": "attached", "note": "另一批次的项目"},
    },
    "recommender_opinion": {"text": "经审核，申报材料真实完整，同意推荐。", "date": "2026-03-30"},
}


def _annex(seed: str, n: int) -> str:
    """The text of Annex n of the notice (from its heading to the next annex's)."""
    start = re.search(rf"^#*\s*附件 {n}\s*$", seed, re.M)
    end = re.search(rf"^#*\s*附件 {n + 1}\s*$", seed, re.M)
    assert start and end
    return seed[start.start():end.start()]


@pytest.mark.skipif(not SEED.exists(), reason="the seed notice is not beside the project")
def test_each_checklist_item_is_verbatim_in_the_annex_it_cites():
    seed = SEED.read_text(encoding="utf-8")
    for m in load_materials().items:
        annex = _annex(seed, int(m.source.annex[-1]))
        section = annex[annex.index("三、附件清单"):annex.index("四、推荐单位意见")]
        assert m.source.quote in section, m.id
        assert m.text in m.source.quote and m.source.quote.startswith(f"{m.number}.{m.text}"), m.id
    # both forms list eight items, numbered 1–8, and they differ (the parks' 3 is 规上企业名单, the enterprises' 科技奖励)
    park, ent = materials_for("park"), materials_for("enterprise")
    assert [m.number for m in park] == [m.number for m in ent] == list(range(1, 9))
    assert park[2].text == "主导产业规上企业名单" and ent[2].text.startswith("国家级和省部级科技奖励清单")
    assert [m.ranks for m in ent if m.ranks] == ["award_entries", "standard_entries"]
    assert load_materials().intro == "有关说明或证明材料，包括但不限于："


def test_checklist_json_round_trip_keeps_every_status_note_rank_and_unknown_id():
    app = parse_application(copy.deepcopy(ENTERPRISE))
    assert isinstance(app, EnterpriseApplication)
    text = export_json(app)
    back = import_json(text.encode("utf-8"))
    assert back == app and export_json(back) == text
    data = json.loads(text)
    assert data["materials"]["ent_layout_plan"] == {"status": "attached", "note": "附件1_空间布局平面图.pdf"}
    assert data["materials"]["ent_other"]["status"] == "not_applicable"
    assert data["materials"]["old_pack_item"]["note"] == "另一批次的项目"  # an id of another pack is kept
    assert data["award_entries"][0] == {"name": "工业软件关键技术及应用", "kind": "stp_second", "rank": 2,
                                        "participants": 5}
    assert data["recommender_opinion"] == {"text": "经审核，申报材料真实完整，同意推荐。", "date": "2026-03-30"}
    assert back.award_entries[0].rank_text == "第 2 / 共 5 家"
    assert back.standard_entries[0].rank_text == "第 3 / 共 ？ 家"


def test_an_application_without_the_new_parts_reads_as_before():
    raw = (SAMPLES / "park_ai.json").read_bytes()
    app = import_json(raw)
    assert app.materials == {} and app.recommender_opinion.is_empty
    checklist = check_materials(app)
    assert checklist.counts == {"已附": 0, "尚未附": 8, "不适用": 0}


@pytest.mark.parametrize("field", ["award_entries", "standard_entries"])
def test_a_place_after_the_last_participant_is_refused_in_chinese(field):
    data = copy.deepcopy(ENTERPRISE)
    data[field] = [{"name": "某项", "rank": 6, "participants": 5}]
    with pytest.raises(ValidationError) as e:
        parse_application(data)
    lines = format_validation_error(e.value)
    title = "科技奖励清单" if field == "award_entries" else "标准清单"
    assert lines == [f"{title} › 第1行：本企业排序（第 6 位）不能大于参与单位总数（共 5 家）"]
    data[field] = [{"name": "某项", "rank": 0, "participants": 5}]
    with pytest.raises(ValidationError) as e:
        parse_application(data)
    assert format_validation_error(e.value) == [f"{title} › 第1行 › 本企业排序：不能小于 1（输入值：0）"]
    data[field] = [{"name": "某项", "rank": 5, "participants": 5}]  # the last place is a place
    assert getattr(parse_application(data), field)[0].rank_text == "第 5 / 共 5 家"


def test_an_unknown_status_or_kind_is_refused_with_the_choices():
    data = copy.deepcopy(ENTERPRISE)
    data["materials"] = {"ent_awards": {"status": "已提交"}}
    with pytest.raises(ValidationError) as e:
        parse_application(data)
    assert "应为：已附、尚未附、不适用" in format_validation_error(e.value)[0]
    data = copy.deepcopy(ENTERPRISE)
    data["standard_entries"] = [{"name": "x", "kind": "企业标准"}]
    with pytest.raises(ValidationError) as e:
        parse_application(data)
    assert "应为：国际标准、国家标准、行业标准" in format_validation_error(e.value)[0]


def test_checklist_counts_names_the_missing_and_is_no_eligibility_rule():
    app = parse_application(copy.deepcopy(ENTERPRISE))
    c = check_materials(app)
    assert c.counts == {"已附": 2, "尚未附": 5, "不适用": 1}
    assert [r.number for r in c.missing] == [2, 4, 5, 6, 7]
    assert "5.国际标准、国家标准、行业标准清单及证明材料，标准制修订情况需要明确企业在所有参与单位中的排序：尚未附" in c.todos
    assert c.unknown == ("old_pack_item",)
    # the standard's place is incomplete (no participants): a 待办 naming it
    assert any("标准清单中 1 项未填齐" in t and "GB/T 00000" in t for t in c.rank_todos)
    # 3 awards typed (1 + 2), 2 listed
    assert "已填科技奖励 3 个，科技奖励清单只列出 2 项" in c.rank_todos
    # missing attachments never make an application ineligible
    res = score_application(app, narrative=False)
    assert not any("附件" in ch.title for ch in res.eligibility)
    everything = parse_application({**copy.deepcopy(ENTERPRISE), "materials": {
        m.id: {"status": "已附"} for m in materials_for("enterprise")}})
    assert score_application(everything, narrative=False).eligible == res.eligible


def test_not_applicable_without_a_reason_is_a_todo():
    data = copy.deepcopy(ENTERPRISE)
    data["materials"] = {"ent_other": {"status": "不适用"}}
    c = check_materials(parse_application(data))
    assert "8.其他：标为不适用，请写明理由" in c.todos
