"""Speed of the 遴选排序 pipeline: import, score and rank 100 full applications, then the robustness analysis.

    python bench/rank_speed.py [--n 100] [--seed 7] [--cold] [--keep DIR]

The applications are generated from the 20 fictional samples of data/samples (5 copies each, every number
multiplied by a random factor in [0.75, 1.25], names and credit codes changed, all in 福州) and written as JSON files,
so the import reads real files. The texts are the samples' texts (13,000–18,000 characters per application), so only
20 distinct work plans are embedded; the other 80 reuse the encoder's sentence cache. ``--cold`` clears the encoder's
cache before every application (re-embedding, untimed, only the evaluation points' probes, which every application of
a type and domain shares): every sentence is embedded again, as for 100 applications with entirely different texts.
Before the conflict check, --cold puts every application's
sentences back into the cache (untimed), as they would be after scoring 100 distinct texts. Wall-clock and CPU seconds are printed (the CPU figure is less affected
by other programs running on the machine).

Targets: import + scoring + ranking under 60 s on the 2-core machine; robustness under 10 s more.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import ValidationError  # noqa: E402

from scoring.selection.batch import import_paths  # noqa: E402
from scoring.selection.conflicts import Entry, find_conflicts, texts_of  # noqa: E402
from scoring.narrative.encoders import get_encoder  # noqa: E402
from scoring.formats.json_io import export_json  # noqa: E402
from scoring.application.models import parse_application  # noqa: E402
from scoring.narrative.workplan import char_count  # noqa: E402
from scoring.programme.points import points_for  # noqa: E402
from scoring.narrative.textsplit import split_sentences  # noqa: E402
from scoring.selection.ranking import build_ranking, candidate_score  # noqa: E402
from scoring.selection.robustness import analyse  # noqa: E402

SKIP = {"schema_version"}


def _vary(x: Any, rng: random.Random, key: str = "") -> Any:
    if isinstance(x, dict):
        return {k: _vary(v, rng, k) for k, v in x.items()}
    if isinstance(x, list):
        return [_vary(v, rng, key) for v in x]
    if isinstance(x, bool) or key in SKIP or not isinstance(x, (int, float)):
        return x
    v = x * rng.uniform(0.75, 1.25)
    return int(round(v)) if isinstance(x, int) else round(v, 2)


def _restore(varied: dict[str, Any], original: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """Put the original value back where the varied one is invalid (e.g. a share above 100 %)."""
    a, b = varied, original
    for p in loc[:-1]:
        a, b = a[p], b[p]
    a[loc[-1]] = b[loc[-1]]


def generate(n: int, seed: int, out: Path) -> None:
    samples = sorted((ROOT / "data" / "samples").glob("*.json"))
    rng = random.Random(seed)
    for k in range(n):
        src = samples[k % len(samples)]
        orig = json.loads(src.read_text(encoding="utf-8"))
        d = _vary(copy.deepcopy(orig), rng)
        d["city"] = "fuzhou"
        tag = f"（批量{k + 1:03d}）"
        d["applicant_name"] = d["applicant_name"] + tag
        if d["type"] == "park":
            d["basic"]["park_name"] = d["basic"]["park_name"] + tag
        else:
            d["basic"]["name"] = d["basic"]["name"] + tag
            d["basic"]["credit_code"] = f"91350100BENCH{k + 1:05d}"
        for _ in range(20):
            try:
                app = parse_application(d)
                break
            except ValidationError as e:
                for err in e.errors():
                    loc = tuple(err["loc"])[1:]  # drop the union tag
                    _restore(d, orig, loc)
        else:  # pragma: no cover
            raise RuntimeError(f"could not make a valid variant of {src.name}")
        (out / f"app_{k + 1:03d}.json").write_text(export_json(app), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cold", action="store_true", help="clear the encoder cache before every application")
    ap.add_argument("--keep", metavar="DIR", help="write the generated applications here (default: a temp folder)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    folder = Path(args.keep) if args.keep else Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    generate(args.n, args.seed, folder)

    t0 = time.perf_counter()
    enc = get_encoder()
    t_load = time.perf_counter() - t0

    from scoring.assessment.engine import score_application

    c1 = time.process_time()
    t1 = time.perf_counter()
    batch = import_paths([folder])
    t_import = time.perf_counter() - t1
    cpu = time.process_time() - c1
    scores = []
    t_score = 0.0
    for c in batch.candidates:
        if args.cold and hasattr(enc, "clear_cache"):
            # distinct texts: forget every sentence, keep (re-embed, untimed) the evaluation points' probes, which
            # all applications of a type and domain share
            enc.clear_cache()
            enc.encode([x for p in points_for(c.app.type, c.app.domain) for x in (p.probes or (p.source,))])
        t2, c2 = time.perf_counter(), time.process_time()
        scores.append(candidate_score(c, score_application(c.app, encoder=enc), None, c.notes))
        t_score += time.perf_counter() - t2
        cpu += time.process_time() - c2
    if args.cold:  # as after scoring distinct texts: every application's sentences are in the cache (untimed)
        enc.encode([s.text for c in batch.candidates for _, _, t in texts_of(c.app) for s in split_sentences(t)])
    t3, c3 = time.perf_counter(), time.process_time()
    conflicts = find_conflicts([Entry(cid=c.cid, app=c.app, source=c.source) for c in batch.candidates], encoder=enc)
    t_conf = time.perf_counter() - t3
    t4 = time.perf_counter()
    rk = build_ranking(scores, conflicts, "fuzhou")
    t_rank = time.perf_counter() - t4
    cpu += time.process_time() - c3
    total = t_import + t_score + t_conf + t_rank
    t5 = time.perf_counter()
    rob = analyse(rk)
    t_rob = time.perf_counter() - t5

    chars = sum(char_count(t) for c in batch.candidates for _, _, t in texts_of(c.app))
    kinds: dict[str, int] = {}
    for c in conflicts:
        kinds[c.label] = kinds.get(c.label, 0) + 1
    print(f"applications: {len(batch.candidates)} imported ({len(batch.problems)} problems), "
          f"{chars / max(1, len(batch.candidates)):.0f} characters of work plan + narrative items each on average"
          + ("; encoder cache cleared before each (--cold)" if args.cold else "; 20 distinct texts"))
    print(f"encoder {enc.name}: load {t_load:.2f} s (once per process, not counted below)")
    print(f"import (read + validate {len(batch.candidates)} JSON files): {t_import:.2f} s")
    print(f"scoring (eligibility, indicators, narrative, total): {t_score:.2f} s "
          f"({t_score / max(1, len(scores)):.3f} s per application)")
    print(f"conflicts: {t_conf:.2f} s ({len(conflicts)} found: "
          + "、".join(f"{k} {v}" for k, v in kinds.items()) + ")")
    print(f"ranking + proposal: {t_rank:.3f} s")
    print(f"TOTAL import + score + rank: {total:.2f} s wall-clock, {cpu:.2f} s CPU (target < 60 s)")
    print(f"robustness: {rob.draws} draws ±{rob.spread:.0%}: {t_rob:.2f} s (target < 10 s); "
          f"max deviation at unperturbed weights {rob.max_deviation}")
    tmp.cleanup()
    return 0 if total < 60 and t_rob < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
