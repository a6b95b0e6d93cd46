"""Precision, recall, F1 and AUC of the coverage checker: on real text (cross-validated) and on our own, apart.

    python bench/coverage_eval.py [--encoder SPEC] [--json]

The model is refitted for every fold, so no figure comes from text the model was fitted on:
- real text, leave one domain out (the 已覆盖 threshold for each held-out domain chosen on the other domains only);
- real text, leave one source out (the same threshold for all);
- the synthetic set we wrote ourselves, leave one domain out — printed apart, never shown to users.
Rows: all points, domain-specific points, general points, each section, and how many domain points of off-domain
plans were called 已覆盖. Both the encoder's model and the encoder-independent default are measured.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.narrative.calibrate import run_calibration  # noqa: E402
from scoring.narrative.encoders import get_encoder  # noqa: E402

SPLITS = (("leave_one_domain_out", "real text · leave one domain out"),
          ("leave_one_source_out", "real text · leave one source out"),
          ("synthetic", "synthetic (our own) text · leave one domain out — not shown to users"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    enc = get_encoder(args.encoder)
    t0 = time.perf_counter()
    rep = run_calibration(enc, write=False)
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
        return 0
    print(f"encoder {enc.name}: real {rep['real_passages']} passages / {rep['real_judgements']} judgements, "
          f"synthetic {rep['synthetic_passages']} / {rep['synthetic_judgements']} ({time.perf_counter() - t0:.0f} s)")
    for model in ("encoder", "default"):
        f = rep["figures"][model]
        print(f"\n== model: {model} (已覆盖 p ≥ {f['covered_threshold']}, 部分覆盖 p ≥ {f['partial_threshold']})")
        for key, title in SPLITS:
            print(f"-- {title}")
            print(f"   {'subset':<14}{'P':>6}{'R':>6}{'F1':>6}{'AUC':>6}{'n':>6}{'pos':>5}")
            for name, m in f[key].items():
                if "precision" in m:
                    print(f"   {name:<14}{m['precision']:>6.2f}{m['recall']:>6.2f}{m['f1']:>6.2f}{m['auc']:>6.2f}"
                          f"{m['n']:>6}{m['positives']:>5}")
                else:
                    print(f"   {name:<14} 已覆盖 {m['predicted']} of {m['n']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
