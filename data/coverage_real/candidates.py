"""List the candidate evaluation points of a passage: the general points of its section plus its domain's.

    python data/coverage_real/candidates.py park ai basis

Reads points/{type}.yaml of the rule pack the corpus is labelled against (rubrics/fujian-2026-1/, or the folder in
$SFJD_RUBRIC_DIR) directly (no import of the package), so labellers can run it anywhere.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = Path(os.environ.get("SFJD_RUBRIC_DIR") or ROOT / "rubrics" / "fujian-2026-1")


def candidates(kind: str, domain: str, section: str) -> list[dict]:
    data = yaml.safe_load((PACK_DIR / "points" / f"{kind}.yaml").read_text(encoding="utf-8"))
    return [p for p in data["points"] if p["section"] == section and p["domain"] in ("general", domain)]


if __name__ == "__main__":
    kind, domain, section = sys.argv[1:4]
    for p in candidates(kind, domain, section):
        print(f"{p['id']}\t{p['title']}\t{p['source']}")
