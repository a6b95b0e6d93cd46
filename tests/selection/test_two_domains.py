"""A candidate that declares a second domain is ranked with a 待确认 flag, not dropped: the notice says
“原则上限申报1个创建领域”, which leaves exceptions to the city."""

from __future__ import annotations

import json
from pathlib import Path

from scoring.application.ids import Domain
from scoring.application.models import parse_application
from scoring.selection.conflicts import Entry
from scoring.selection.ranking import build_ranking, score_candidates

DEMO = Path(__file__).resolve().parents[2] / "data" / "samples" / "batch_fuzhou"


def test_a_candidate_with_two_domains_is_ranked_and_flagged_pending():
    entries = []
    for k, name in enumerate(["park_ai", "park_robot"], 1):
        d = json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8"))
        app = parse_application(d)
        if name == "park_ai":
            app.other_domains = [Domain.SOFTWARE]
        entries.append(Entry(cid=f"C{k:03d}", app=app, source=f"{name}.json"))
    rk = build_ranking(score_candidates(entries, narrative=False), [], "福州")
    assert "C001" not in {r.cid for r in rk.ineligible}
    ranked = {r.cid: r for t in rk.by_city for r in t.rows}
    assert "C001" in ranked
    row = ranked["C001"]
    assert row.eligibility == "待确认"
    assert "待确认：限报1个创建领域" in row.flags
