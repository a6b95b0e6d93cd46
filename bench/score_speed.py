"""Speed of scoring one full application (all sections and narrative items near 2,000 characters).

    python bench/score_speed.py [--encoder SPEC] [--repeat 5]

Model loading is timed separately; the scoring time is warm (second and later runs: point/probe embeddings cached).
Target: under 1 second warm on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.assessment.engine import score_application  # noqa: E402
from scoring.narrative.encoders import get_encoder  # noqa: E402
from scoring.application.models import parse_application  # noqa: E402
from scoring.narrative.features import unique_sentences  # noqa: E402
from scoring.narrative.workplan import char_count  # noqa: E402
from scoring.programme.points import points_for  # noqa: E402


def _fill(texts: list[str], n: int = 1990) -> str:
    """Distinct sentences from the samples' texts of one field, to just under n non-whitespace characters.

    Repeated sentences count once in the checker, so a text made by repetition would time less work than an
    applicant's real text: every sentence here is different.
    """
    out = ""
    for s in unique_sentences("\n".join(t for t in texts if t)):
        if char_count(out + s.text) > n:
            break
        out += s.text
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sample", default=str(ROOT / "data" / "samples" / "park_icv.json"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    enc = get_encoder(args.encoder)
    load = time.perf_counter() - t0
    app = parse_application(json.loads(Path(args.sample).read_text(encoding="utf-8")))
    peers = [parse_application(json.loads(p.read_text(encoding="utf-8")))
             for p in sorted((ROOT / "data" / "samples").glob(f"{app.type}_*.json"))]
    peers.sort(key=lambda a: a.domain != app.domain)  # the sample's own text first
    for k in type(app.work_plan).model_fields:
        setattr(app.work_plan, k, _fill([getattr(a.work_plan, k) for a in peers]))
    for k in type(app.narratives).model_fields:
        setattr(app.narratives, k, _fill([getattr(a.narratives, k) for a in peers]))
    chars = sum(char_count(getattr(app.work_plan, k)) for k in type(app.work_plan).model_fields) + \
        sum(char_count(getattr(app.narratives, k)) for k in type(app.narratives).model_fields)
    t1 = time.perf_counter()
    score_application(app, encoder=enc)
    cold = time.perf_counter() - t1
    pts = points_for(app.type, app.domain)
    probes = [pr for p in pts for pr in (p.probes or (p.source,))] + [f"{p.title}：{p.source}" for p in pts]
    times = []
    for _ in range(args.repeat):
        # keep only the point (probe) embeddings cached: every sentence of the application is embedded again
        if hasattr(enc, "clear_cache"):
            enc.clear_cache()
        enc.encode(probes)
        t = time.perf_counter()
        score_application(app, encoder=enc)
        times.append(time.perf_counter() - t)
    print(f"encoder {enc.name}: load {load:.2f}s")
    print(f"application {Path(args.sample).name}: {chars} characters in work plan + form items")
    print(f"first score (probes embedded): {cold:.2f}s; warm (only probe embeddings cached): median {statistics.median(times):.3f}s, "
          f"max {max(times):.3f}s over {len(times)} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
