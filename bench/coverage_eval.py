"""Precision, recall and F1 of the coverage checker on the labelled development set.

    python bench/coverage_eval.py [--encoder SPEC] [--dev data/coverage_dev.jsonl]

Prints the metrics per section, for domain-specific and general points, with the thresholds stored in
rubrics/coverage.yaml for the encoder, and a leave-one-domain-out estimate (thresholds re-fitted on nine domains,
measured on the tenth) as the honest figure for text the thresholds have not seen.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.narrative.calibrate import DEV_PATH, build_pairs, cross_validate, evaluate, load_dev_set  # noqa: E402
from scoring.narrative.coverage import thresholds_for  # noqa: E402
from scoring.narrative.encoders import get_encoder  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", default=None)
    ap.add_argument("--dev", default=str(DEV_PATH))
    args = ap.parse_args()
    enc = get_encoder(args.encoder)
    th, warn = thresholds_for(enc.name)
    if warn:
        print("⚠", warn)
    dev = load_dev_set(Path(args.dev))
    t0 = time.perf_counter()
    pairs = build_pairs(dev, enc)
    kinds = {}
    for p in dev:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    print(f"encoder {enc.name}; dev set {len(dev)} passages {kinds}; {len(pairs)} point judgements "
          f"({time.perf_counter() - t0:.1f}s)")
    print(f"thresholds: covered ≥ {th.covered}, partial ≥ {th.partial}, cue_bonus {th.cue_bonus}, cap {th.cue_cap}")
    print(f"{'subset':<16}{'P':>7}{'R':>7}{'F1':>7}{'n':>7}{'pos':>6}")
    for k, m in evaluate(pairs, th).items():
        print(f"{k:<16}{m['precision']:>7.2f}{m['recall']:>7.2f}{m['f1']:>7.2f}{m['n']:>7}{m['positives']:>6}")
    cv = cross_validate(pairs)
    print(f"leave-one-domain-out (refit per fold): P {cv['precision']:.2f} R {cv['recall']:.2f} F1 {cv['f1']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
