"""The README shows the limits in force (scoring/limits.py), row by row."""

from pathlib import Path

from scoring.limits import LIMITS


def test_readme_shows_every_limit():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for what, limit in LIMITS.table():
        assert f"| {what} | {limit} |" in readme, what
