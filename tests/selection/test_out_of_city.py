"""非本市: a candidate whose application names another city than the batch's is marked, not ranked, not proposed
and not in Annex 1 unless the official adds it with a reason; its own city is never rewritten, in any export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from scoring.application.models import parse_application
from scoring.selection.conflicts import Entry
from scoring.selection.exports import annex1_bytes, score_workbook_bytes
from scoring.selection.ranking import Decision, DecisionError, apply_decisions, build_ranking, score_candidates

DEMO = Path(__file__).resolve().parents[2] / "data" / "samples" / "batch_fuzhou"


@pytest.fixture(scope="module")
def mixed():
    """Four 福州 candidates and two of the same files re-labelled 厦门 and 三明, ranked as a 福州 batch."""
    entries = []
    for k, (name, city) in enumerate([("park_ai", None), ("park_robot", None), ("enterprise_software", None),
                                      ("enterprise_icv", None), ("park_storage", "xiamen"),
                                      ("enterprise_robot", "sanming")], 1):
        d = json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8"))
        if city:
            d["city"] = city
        entries.append(Entry(cid=f"C{k:03d}", app=parse_application(d), source=f"{name}.json"))
    scores = score_candidates(entries, narrative=False)
    return build_ranking(scores, [], "福州")


def test_other_city_candidates_are_marked_and_kept_out_of_ranking_and_proposal(mixed):
    away = {r.cid: r.app_city_label for r in mixed.out_of_city}
    assert away == {"C005": "厦门", "C006": "三明"}
    ranked = {r.cid for t in mixed.by_city for r in t.rows} | {r.cid for t in mixed.by_type_domain for r in t.rows}
    assert not ranked & set(away)
    rows = {r.cid: r for r in mixed.proposal().rows}
    for cid in away:
        assert rows[cid].out_of_city and not rows[cid].proposed and not rows[cid].included
        assert rows[cid].tool_reason.startswith("非本市") and rows[cid].flags[0].startswith("非本市")
    assert not set(away) & {r.cid for r in mixed.proposal().included()}


def test_annex1_and_workbook_keep_each_files_own_city(mixed):
    annex = openpyxl.load_workbook(io.BytesIO(annex1_bytes(mixed.proposal()))).active
    names = {c.value for row in annex.iter_rows(min_row=5) for c in row}
    assert not {s.name for s in mixed.scores if s.out_of_city} & names
    wb = openpyxl.load_workbook(io.BytesIO(score_workbook_bytes(mixed)))
    ws = wb["汇总"]
    head = [c.value for c in ws[5]]
    got = {r[0]: (r[head.index("所在设区市")], r[head.index("是否本市")]) for r in ws.iter_rows(min_row=6, values_only=True)}
    assert got["C005"] == ("厦门", "非本市") and got["C006"] == ("三明", "非本市")
    assert got["C001"] == ("福州", "本市")


def test_an_other_city_candidate_enters_only_with_a_reason(mixed):
    with pytest.raises(DecisionError):
        apply_decisions(mixed, [Decision(cid="C005", include=True, reason=" ")])
    rk = apply_decisions(mixed, [Decision(cid="C005", include=True, reason="已迁入本市，经核实")])
    row = next(r for r in rk.proposal().rows if r.cid == "C005")
    assert row.included and row.decision == "人工纳入" and row.flags[0] == "非本市，仍被人工纳入"
    annex = openpyxl.load_workbook(io.BytesIO(annex1_bytes(rk.proposal()))).active
    assert row.name in {c.value for r in annex.iter_rows(min_row=5) for c in r}
    assert rk.score("C005").app_city == "xiamen"
