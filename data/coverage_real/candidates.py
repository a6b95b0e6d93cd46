"""List the candidate evaluation points of a passage: the general points of its section plus its domain's.

    python data/coverage_real/candidates.py park ai basis
    python data/coverage_real/candidates.py enterprise ai basis innovative   # an AI enterprise read as one kind

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


AI_KINDS = {"innovative": "创新型", "application": "应用型"}


def candidates(kind: str, domain: str, section: str, ai_kind: str | None = None) -> list[dict]:
    """``ai_kind`` (``innovative``/``application``): only that kind's points among those tagged ``kinds``."""
    data = yaml.safe_load((PACK_DIR / "points" / f"{kind}.yaml").read_text(encoding="utf-8"))
    return [p for p in data["points"] if p["section"] == section and p["domain"] in ("general", domain)
            and (not ai_kind or not p.get("kinds") or AI_KINDS[ai_kind] in p["kinds"])]


if __name__ == "__main__":
    kind, domain, section = sys.argv[1:4]
    for p in candidates(kind, domain, section, sys.argv[4] if len(sys.argv) > 4 else None):
        tag = f"（{'、'.join(p['kinds'])}企业）" if p.get("kinds") else ""
        print(f"{p['id']}\t{p['title']}{tag}\t{p['source']}")
