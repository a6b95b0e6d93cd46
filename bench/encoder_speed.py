"""Encoder speed: model load time and warm sentences/second on ~2,000 Chinese sentences.

Run from the project root:

    python bench/encoder_speed.py                # usem3 (default)
    python bench/encoder_speed.py --spec st:/path/to/model --n 500

The sentences are generated from templates (all distinct), so the text cache
does not hide the work; the cached re-encode is reported separately.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scoring.narrative.encoders import UsemEncoder, get_encoder  # noqa: E402

SUBJECTS = ["园区", "我公司", "企业", "管委会", "项目团队", "研发中心", "我们", "该基地", "示范区", "合作社"]
ACTIONS = [
    "建立了{x}管理制度", "完成了{x}项目的验收", "持续加大{x}方面的投入", "引进了{x}领域的高层次人才",
    "制定并实施了{x}专项规划", "开展了{x}培训{n}场次", "实现{x}相关收入{n}万元", "推动{x}与产业深度融合",
    "通过了{x}体系认证", "建成{x}公共服务平台",
]
TOPICS = ["安全生产", "节能减排", "数字化转型", "知识产权", "科技创新", "人才培养", "质量管理", "绿色低碳",
          "供应链协同", "品牌建设", "污水处理", "智慧园区", "产学研合作", "标准化", "应急管理"]
TAILS = ["，取得了明显成效。", "，获得省级表彰。", "，相关经验已在全市推广。", "。", "，年均增长{n}%。",
         "，覆盖园区内全部企业。", "，并形成了长效机制。"]


def make_sentences(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    combos = list(itertools.product(SUBJECTS, ACTIONS, TOPICS, TAILS))
    rng.shuffle(combos)
    out: list[str] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        s, a, t, tail = combos[i % len(combos)]
        i += 1
        text = f"{s}{rng.choice(['近三年', '2024年', '自成立以来', ''])}{a.format(x=t, n=rng.randint(2, 500))}" \
               f"{tail.format(n=rng.randint(1, 30))}"
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default="usem3", help="encoder spec (default usem3)")
    ap.add_argument("--n", type=int, default=2000, help="number of sentences (default 2000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes over fresh sentences (default 3)")
    ap.add_argument("--threads", type=int, default=None,
                    help="usem3 only: BLAS threads (default: the encoder's default, 1)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    if args.threads is not None and args.spec.strip().lower() == "usem3":
        enc = UsemEncoder(threads=args.threads)
    else:
        enc = get_encoder(args.spec)
    load_s = time.perf_counter() - t0
    print(f"encoder: {enc.name}")
    print(f"load (incl. first call): {load_s:.2f} s")

    batches = [make_sentences(args.n, seed=r) for r in range(args.repeat + 1)]
    mean_len = statistics.mean(len(s) for s in batches[0])
    print(f"sentences: {args.n} per pass, mean {mean_len:.1f} chars")

    clear = getattr(enc, "clear_cache", None)
    enc.encode(batches[0][:50])  # warm-up
    rates = []
    for texts in batches[1:]:
        if clear:
            clear()
        t0, c0 = time.perf_counter(), time.process_time()
        v = enc.encode(texts)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        rates.append(len(texts) / dt)
        print(f"  pass: {dt:.2f} s wall, {cpu:.2f} s CPU -> {len(texts) / dt:,.0f} sentences/s  shape={v.shape}")
    print(f"warm throughput (median of {len(rates)}): {statistics.median(rates):,.0f} sentences/s"
          f"  (machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")

    t0 = time.perf_counter()
    enc.encode(batches[-1])
    dt = time.perf_counter() - t0
    print(f"cached re-encode: {dt * 1000:.1f} ms -> {len(batches[-1]) / dt:,.0f} sentences/s")


if __name__ == "__main__":
    main()
