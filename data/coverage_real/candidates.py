"""List the candidate evaluation points of a passage: the general points of its section plus its domain's.

    python data/coverage_real/candidates.py park ai basis

Reads rubrics/points/{type}.yaml directly (no import of the package), so labellers can run it anywhere.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def candidates(kind: str, domain: str, section: str) -> list[dict]:
    data = yaml.safe_load((ROOT / "rubrics" / "points" / f"{kind}.yaml").read_text(encoding="utf-8"))
    return [p for p in data["points"] if p["section"] == section and p["domain"] in ("general", domain)]


if __name__ == "__main__":
    kind, domain, section = sys.argv[1:4]
    for p in candidates(kind, domain, section):
        print(f"{p['id']}\t{p['title']}\t{p['source']}")
