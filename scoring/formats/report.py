"""The 自评报告 as Word: eligibility, scores with breakdown, coverage, suggestions, the 附件清单 still to do.

For each evaluation point the report says who decided it (判定来源): the system, or the applicant in its own words
(本人确认 with the chosen sentence, 本人否定, 不适用 with the reason), and it states how far the system's verdicts can
be trusted with the checker's real-text cross-validated figures only.

``report_docx(app, result)`` turns a :class:`~scoring.assessment.result.ScoreResult` into a .docx with the same Chinese fonts
as the 申请书 (:mod:`scoring.formats.word`). Charts are embedded as images when a renderer is available (plotly +
kaleido, in requirements.txt): kaleido drives the Chromium or Chrome already on the machine (``/usr/bin/chromium`` on
Debian, or ``$BROWSER_PATH``) and never downloads one. Without a browser the report says so plainly and that the
charts are on the app's 自评结果 page.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Callable, Optional

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from ..application.derived import fmt
from .word.export import _cell_write, _new_row, _page_number_footer, _para, _shade
from .word.layout import FONT_HEADING, FONT_SUBHEADING, FONT_TABLE, _setup_styles, set_font
from ..application.models import AnyApplication
from ..assessment.result import ScoreResult
from ..programme.packs import active_pack


def disclaimer() -> str:
    """The report's statement, citing the notice of the rule pack in use."""
    return (
        f"本报告由“示范基地自评台”依据{active_pack().citation}及其附件2—5生成，是申报单位的自我检查，不是官方评审，"
        "结果不代表评审意见。《国家新兴产业发展示范基地创建活动工作方案》中的考评指标、创建基本条件的具体数值和各"
        "“加权数量”的权重均未公开：标注为“参考值”的阈值和权重是本工具参照类似方案暂定的，仅供参考，正式评审口径可能不同。"
    )


CHARTS_IN_APP = ("本机找不到 Chromium 或 Chrome 浏览器（绘制图表需要，如 Debian 上的 /usr/bin/chromium），"
                 "或缺少 kaleido 组件，报告未附图表；图表请在自评台“自评结果”页查看。")
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

BODY = 12.0
ELIGIBLE_TEXT = {True: "全部满足", False: "存在不满足项", None: "有待确认项"}
STATUS_MARK = {"满足": "√ 满足", "不满足": "× 不满足", "待确认": "？待确认"}
COVERAGE_MARK = {"已覆盖": "√ 已覆盖", "部分覆盖": "？部分覆盖", "未覆盖": "× 未覆盖"}
OWN_WORD = ("本人确认", "本人否定", "不适用")
CLAIMED_SENTENCE_CHARS = 300

ChartRenderer = Callable[[Any], Optional[bytes]]


# ---------------------------------------------------------------------------------------------------------------
# charts


_KALEIDO_OK: Optional[bool] = None


def kaleido_png(fig: Any) -> Optional[bytes]:
    """PNG of a plotly figure through kaleido, or None when kaleido/Chrome is not available (checked once)."""
    global _KALEIDO_OK
    if _KALEIDO_OK is False:
        return None
    try:
        import os

        import kaleido  # noqa: F401

        if not os.environ.get("BROWSER_PATH"):  # the browser already installed; kaleido never downloads one here
            found = next((b for b in BROWSERS if os.path.exists(b)), None)
            if found:
                os.environ["BROWSER_PATH"] = found
        png = fig.to_image(format="png", width=900, height=int(fig.layout.height or 400), scale=2)
        _KALEIDO_OK = True
        return png
    except Exception:  # noqa: BLE001 - any failure means: no renderer here
        _KALEIDO_OK = False
        return None


CHART_RENDERER: ChartRenderer = kaleido_png
"""Turns a plotly figure into PNG bytes (None: not available). Replaceable, e.g. in tests."""


def _dimension_figure(res: ScoreResult) -> Any:
    import plotly.graph_objects as go

    dims = res.indicator.dimensions
    labels = [d.label for d in dims]
    fig = go.Figure()
    fig.add_bar(y=labels, x=[d.max_points for d in dims], name="满分", orientation="h", marker_color="#d9e1ee")
    fig.add_bar(y=labels, x=[d.points for d in dims], name="得分", orientation="h", marker_color="#1f4e99",
                text=[f"{d.points:.1f} / {d.max_points:.1f}" for d in dims], textposition="outside")
    fig.update_layout(title="指标得分（按评价维度）", barmode="overlay", height=120 + 60 * len(dims),
                      margin=dict(l=10, r=60, t=50, b=30), xaxis_title="分", yaxis=dict(autorange="reversed"),
                      font=dict(family="Noto Sans CJK SC, Microsoft YaHei, SimHei, sans-serif"))
    return fig


def _section_figure(res: ScoreResult) -> Any:
    import plotly.graph_objects as go

    secs = res.narrative.sections if res.narrative else []
    fig = go.Figure()
    fig.add_bar(x=[s.label for s in secs], y=[round(s.score * 100, 1) for s in secs], marker_color="#1f4e99",
                text=[f"{s.score:.0%}" for s in secs], textposition="outside")
    fig.update_layout(title="创建工作方案各部分得分率", height=380, yaxis=dict(range=[0, 110], title="得分率（%）"),
                      margin=dict(l=10, r=10, t=50, b=30),
                      font=dict(family="Noto Sans CJK SC, Microsoft YaHei, SimHei, sans-serif"))
    return fig


def _chart(doc: Any, fig_builder: Callable[[], Any], caption: str) -> bool:
    try:
        png = CHART_RENDERER(fig_builder())
    except Exception:  # noqa: BLE001
        png = None
    if not png:
        return False
    doc.add_picture(io.BytesIO(png), width=Cm(15.0))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _p(doc, caption, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    return True


# ---------------------------------------------------------------------------------------------------------------
# building blocks


def _p(doc: Any, text: str, *, size: float = BODY, bold: bool = False, align: Any = None, indent: bool = False,
       font: str = "仿宋_GB2312") -> Any:
    return _para(doc, text, font=font, size=size, bold=bold, align=align, indent=indent, line=size * 1.6)


def _h1(doc: Any, text: str) -> None:
    p = doc.add_paragraph(style="Heading 1")
    set_font(p.add_run(text), FONT_HEADING, 16, bold=False)


def _h2(doc: Any, text: str) -> None:
    p = doc.add_paragraph(style="Heading 2")
    p.paragraph_format.first_line_indent = Pt(0)
    set_font(p.add_run(text), FONT_SUBHEADING, 14, bold=True)


def _table(doc: Any, headers: list[str], widths: list[float], rows: list[list[str]],
           shade_col: Optional[int] = None) -> Any:
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    for col, w in zip(table.columns, widths):
        col.width = Cm(w)
    head = _new_row(table, widths)
    head._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for cell, h in zip(head.cells, headers):
        _cell_write(cell, h, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=10)
        _shade(cell, "DCE6F1")
    for values in rows:
        row = _new_row(table, widths)
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
        for j, (cell, v) in enumerate(zip(row.cells, values)):
            _cell_write(cell, v, size=10)
            if shade_col is not None and j == shade_col:
                color = {"√": "E2EFDA", "×": "FBE2D5", "？": "FFF2CC"}.get(v[:1])
                if color:
                    _shade(cell, color)
    _p(doc, "", size=6)
    return table


def _pts(points: float, max_points: float) -> str:
    return f"{points:.2f} / {max_points:.2f}"


def _value(value: Optional[float], unit: str, status: str) -> str:
    if status == "不考查":
        return "不考查"
    if value is None:
        return "未填"
    return f"{fmt(value)}{'' if unit in ('', '%') else ' '}{unit}"


# ---------------------------------------------------------------------------------------------------------------


def report_docx(app: AnyApplication, result: ScoreResult, *, today: Optional[dt.date] = None) -> bytes:
    """The 自评报告 of ``app`` from its score ``result`` as .docx bytes."""
    res = result
    s = res.summary
    doc = Document()
    _setup_styles(doc)
    st = doc.styles["Normal"]
    st.font.size = Pt(BODY)
    st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    st.paragraph_format.line_spacing = Pt(BODY * 1.6)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.5)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(2.5)
    _page_number_footer(sec)
    body = doc.element.body
    for p in list(body.xpath("./w:p")):
        body.remove(p)
    cp = doc.core_properties
    cp.title = "国家新兴产业发展示范基地创建自评报告"
    cp.subject = s.name or ""
    cp.author = "示范基地自评台"
    cp.comments = "自我检查结果，不是官方评审"

    today = today or dt.date.today()
    _para(doc, "国家新兴产业发展示范基地创建自评报告", font=FONT_HEADING, size=20, latin=None,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_before=12, space_after=6, line=32)
    _p(doc, f"{s.type_label} · {s.domain_label} · {s.name or '未命名'}" + ("（示例数据）" if s.is_sample else ""),
       size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    city = f"　所在设区市：{s.city_label}" if s.city_label else ""
    _p(doc, f"申报单位：{s.applicant_name or '未填'}{city}", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    _p(doc, f"生成日期：{today.year}年{today.month}月{today.day}日", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    box = doc.add_table(rows=1, cols=1)
    box.style = doc.styles["Table Grid"]
    box.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = box.rows[0].cells[0]
    cell.width = Cm(16.0)
    _cell_write(cell, "声明：" + disclaimer(), size=10)
    _shade(cell, "FFF2CC")
    _p(doc, "", size=6)

    _overview(doc, res)
    _eligibility(doc, res)
    _checks(doc, res)
    _indicators(doc, res)
    if res.narrative is not None:
        _narrative(doc, res, app)
        _suggestions(doc, res)
    else:
        _h1(doc, "五、创建工作方案")
        _p(doc, "本报告未评价创建工作方案（评分时未启用文本评价）。总分需要工作方案得分，因此也未给出。", indent=True)
    _materials(doc, app, "七" if res.narrative is not None else "六")
    _h1(doc, "说明")
    _p(doc, disclaimer(), indent=True)
    _p(doc, "“官方”指依据通知及附件原文的规则；“参考值”指官方数值未公开时，本工具参照类似方案暂定的阈值或权重，"
            "出处列于各表“依据”一栏。缺数据的指标记 0 分，补齐数据后得分会变化。", indent=True)
    if res.indicator.rubric_version or (res.narrative and res.narrative.rubric_version):
        parts = []
        if res.indicator.rubric_version:
            parts.append(f"指标评分规则 {res.indicator.rubric_version}")
        if res.narrative and res.narrative.rubric_version:
            parts.append(f"工作方案评分规则 {res.narrative.rubric_version}")
        _p(doc, "规则版本：" + "；".join(parts) + "。", indent=True)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _overview(doc: Any, res: ScoreResult) -> None:
    _h1(doc, "一、总体结论")
    ind = res.indicator
    counts = {k: sum(1 for c in res.eligibility if c.status == k) for k in ("满足", "不满足", "待确认")}
    rows = [["申报资格", f"{ELIGIBLE_TEXT[res.eligible]}（满足 {counts['满足']} 项，不满足 {counts['不满足']} 项，"
                       f"待确认 {counts['待确认']} 项）"],
            ["指标得分", f"{ind.score:.1f} / {ind.max_score:.0f}（数据完整度 {ind.data_completeness:.0%}；"
                       f"其中 {ind.reference_share:.0%} 的分值依据参考值）"]]
    if res.narrative is not None:
        rows.append(["创建工作方案得分", f"{res.narrative.score:.1f} / 100（嵌入模型 {res.narrative.encoder}）"])
        rows.append(["评价要点判定来源", _decided_summary(res)])
    else:
        rows.append(["创建工作方案得分", "未评价"])
    if res.total is not None:
        parts = " + ".join(f"{p.label} {p.score:.1f} × {p.weight:.0%} = {p.contribution:.1f}" for p in res.total.parts)
        rows.append(["总分", f"{res.total.score:.1f} / 100（{parts}）"])
        rows.append(["总分权重依据", f"{res.total.basis}：{res.total.source}"])
    _table(doc, ["项目", "结果"], [4.0, 12.0], rows)


def _eligibility(doc: Any, res: ScoreResult) -> None:
    _h1(doc, "二、申报资格")
    _p(doc, f"结论：{ELIGIBLE_TEXT[res.eligible]}。“硬性规则”决定资格；“参考值”条件仅作提示，不影响资格结论。",
       indent=True)
    rows = []
    for c in res.eligibility:
        rows.append([f"{c.title}（{c.kind}）", STATUS_MARK.get(c.status, c.status), c.message,
                     f"{c.ref}：“{c.basis}”"])
    _table(doc, ["条件", "状态", "说明", "通知依据"], [3.4, 2.0, 5.3, 5.3], rows, shade_col=1)


def _checks(doc: Any, res: ScoreResult) -> None:
    _h1(doc, "三、数据核对")
    if not res.consistency and not res.mismatches:
        _p(doc, "未发现数据不一致。", indent=True)
        return
    for w in res.consistency:
        _p(doc, f"注意：{w.message}", indent=True)
    if res.mismatches:
        _p(doc, "填报值与按分项计算的值不一致（评分使用计算值）：", indent=True)
        _table(doc, ["指标", "填报值", "计算值", "说明"], [3.6, 2.4, 2.4, 7.6],
               [[m.label, f"{fmt(m.typed)}{m.unit}", f"{fmt(m.computed)}{m.unit}", m.message] for m in res.mismatches])


def _indicators(doc: Any, res: ScoreResult) -> None:
    ind = res.indicator
    _h1(doc, "四、指标得分")
    _p(doc, f"指标得分 {ind.score:.1f} / {ind.max_score:.0f}。数据完整度 {ind.data_completeness:.0%}（有数据的指标所占分值）；"
            f"{ind.reference_share:.0%} 的分值所依据的阈值或权重为参考值。", indent=True)
    if ind.dimensions and not _chart(doc, lambda: _dimension_figure(res), "图 1　指标得分（按评价维度）"):
        _p(doc, CHARTS_IN_APP, size=10.5, indent=True)
    numerals = "一二三四五六七八九十"
    for i, dim in enumerate(ind.dimensions):
        _h2(doc, f"（{numerals[i % 10]}）{dim.label}：{dim.points:.2f} / {dim.max_points:.2f} 分")
        rows = []
        for ln in dim.indicators:
            estimated = ln.value_kind == "估算" and ln.status != "不考查"  # how: in the note (依据 column)
            value = _value(ln.value, ln.unit, ln.status) + ("（估算）" if estimated else "")
            rows.append([ln.label, value, ln.rule or "—",
                         _pts(ln.points, ln.max_points), ln.status,
                         ln.basis + (f"：{ln.source}" if ln.source else "") + (f"（{ln.note}）" if ln.note else "")])
        _table(doc, ["指标", "数值", "评分规则", "得分/满分", "状态", "依据"], [3.2, 2.0, 3.4, 1.9, 1.4, 4.1], rows)
    if ind.missing:
        _p(doc, "缺少数据的指标（记 0 分）：" + "、".join(ind.missing) + "。", indent=True)
    for n in ind.not_assessed:
        _p(doc, f"不考查：{n}", indent=True)


def checker_figures_text(res: ScoreResult) -> str:
    """How far the coverage verdicts can be trusted: the real-text, cross-validated figures, and nothing else."""
    if res.narrative is None:
        return "判定的可信度：覆盖度判定模型尚未在真实文本上标定，判定仅供参考；“部分覆盖”请人工核对。"
    return res.narrative.checker.trust_text()


def _decided_summary(res: ScoreResult) -> str:
    nar = res.narrative
    assert nar is not None
    counts = {k: 0 for k in ("系统判定",) + OWN_WORD}
    for sec in nar.sections:
        for pt in sec.points:
            counts[pt.decided_by] = counts.get(pt.decided_by, 0) + 1
    own = "、".join(f"{k} {counts[k]} 个" for k in OWN_WORD if counts[k])
    return (f"系统判定 {counts['系统判定']} 个" + (f"；申报单位本人意见：{own}（本人意见未经系统核实）" if own else
                                                 "；无申报单位本人意见"))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 2] + "…"


def _point_row(pt: Any, claims: dict[str, Any]) -> list[str]:
    """评价要点, 状态, 判定来源, 得分/分值, 证据或说明 of one point."""
    claim = claims.get(pt.id)
    who = pt.decided_by
    mark = "— 不适用" if who == "不适用" else COVERAGE_MARK.get(pt.status, pt.status)
    source = who if who == "系统判定" else f"{who}（系统判定：{pt.machine_status}）"
    if who == "系统判定" and claim is not None and claim.action == "confirmed":
        source = "系统判定（本人确认已失效）"
    if who == "本人确认":
        sentence = claim.sentence if claim is not None else pt.claim_note.split("证据句：", 1)[-1]
        ev = "本人确认的证据句：" + _short(sentence, CLAIMED_SENTENCE_CHARS)
    elif who == "不适用":
        ev = ("不适用理由：" + claim.reason) if claim is not None else pt.claim_note
    elif who == "本人否定":
        ev = pt.claim_note or "本人认为文中未覆盖该要点"
    else:
        ev = _short(pt.evidence.text if pt.evidence else "", 90)
        if pt.status == "未覆盖":
            ev = ("（最接近的句子）" + ev) if ev else "—"
        notes = [x for x in (pt.claim_note, f"最多部分覆盖：{pt.cap}" if pt.cap else "",
                             "请人工核对" if pt.status == "部分覆盖" else "") if x]
        if notes:
            ev = (ev or "—") + "\n注意：" + "；".join(notes)
    return [f"{pt.title}（{pt.domain_label}）", mark, source,
            "不计分" if who == "不适用" else f"{pt.credit * pt.max_points:.2f} / {pt.max_points:.2f}", ev or "—"]


def _narrative(doc: Any, res: ScoreResult, app: Optional[AnyApplication] = None) -> None:
    nar = res.narrative
    assert nar is not None
    claims = dict(getattr(app, "coverage_claims", None) or {})
    _h1(doc, "五、创建工作方案")
    _p(doc, f"工作方案得分 {nar.score:.1f} / 100。逐条检查附件4/5评价要点在各部分中的覆盖情况（已覆盖 / 部分覆盖 / 未覆盖），"
            f"并检查各部分的写作要求；“证据”为方案中与该要点最接近的原文。嵌入模型：{nar.encoder}。"
            "“判定来源”区分系统判定与申报单位本人的意见：“本人确认”的要点按已覆盖计分，证据句由申报单位选定；"
            "“本人否定”按未覆盖计分；“不适用”的要点不计分。本人意见未经系统核实。", indent=True)
    _p(doc, checker_figures_text(res), indent=True)
    for w in nar.warnings:
        _p(doc, f"注意：{w}", indent=True)
    if nar.kind_notice:  # 人工智能 enterprises: which kind's points were judged
        _p(doc, nar.kind_notice, indent=True)
    if nar.sections and not _chart(doc, lambda: _section_figure(res), "图 2　创建工作方案各部分得分率"):
        _p(doc, CHARTS_IN_APP, size=10.5, indent=True)
    numerals = "一二三四五"
    for i, sec in enumerate(nar.sections):
        counted = [p for p in sec.points if p.decided_by != "不适用"]
        cov = sum(1 for p in counted if p.status == "已覆盖")
        own = sum(1 for p in counted if p.decided_by == "本人确认")
        part = sum(1 for p in counted if p.status == "部分覆盖")
        na = len(sec.points) - len(counted)
        _h2(doc, f"（{numerals[i % 5]}）{sec.label}：得分率 {sec.score:.0%}（{sec.chars} / {sec.max_chars} 字）")
        note = []
        if sec.over_limit:
            note.append(f"超过 {sec.max_chars} 字上限")
        if sec.thin:
            note.append("内容过少")
        _p(doc, f"评价要点 {len(sec.points)} 个：已覆盖 {cov} 个" + (f"（其中本人确认 {own} 个）" if own else "")
                + f"，部分覆盖 {part} 个，未覆盖 {len(counted) - cov - part} 个" + (f"，不适用 {na} 个" if na else "")
                + "。" + ("（" + "；".join(note) + "）" if note else ""), indent=True)
        if sec.points:
            rows = [_point_row(pt, claims) for pt in sec.points]
            _table(doc, ["评价要点", "状态", "判定来源", "得分/分值", "证据（原文摘录）或说明"],
                   [3.6, 1.9, 2.4, 1.8, 6.3], rows, shade_col=1)
        if sec.rules:
            _table(doc, ["写作要求", "结果", "说明", "依据"], [3.4, 1.6, 6.2, 4.8],
                   [[r.title, "√ 符合" if r.passed else "× 不符合", r.reason, f"{r.basis}：{r.source}"]
                    for r in sec.rules], shade_col=1)
    for li in nar.length_issues:
        _p(doc, f"{'错误' if li.level == '错误' else '注意'}：{li.message}", indent=True)


def _suggestions(doc: Any, res: ScoreResult) -> None:
    nar = res.narrative
    assert nar is not None
    _h1(doc, "六、改进建议（按可提升分数排序）")
    if not nar.suggestions:
        _p(doc, "没有待改进的要点或写作要求。", indent=True)
        return
    rows = []
    for i, sg in enumerate(nar.suggestions, start=1):
        rows.append([str(i), f"{sg.section and _section_label(sg.section)}", sg.text, sg.status,
                     f"+{sg.gain_narrative:.1f}", f"+{sg.gain_total:.1f}"])
    _table(doc, ["序号", "部分", "建议", "现状", "工作方案+", "总分+"], [1.1, 1.9, 7.4, 1.9, 2.0, 1.7], rows)
    _p(doc, "“工作方案+”“总分+”为补齐该项后约可增加的分数（工作方案 100 分制 / 申报总分）。", size=10.5, indent=True)


MATERIAL_MARK = {"已附": "√ 已附", "尚未附": "× 尚未附", "不适用": "— 不适用"}


def _materials(doc: Any, app: AnyApplication, numeral: str) -> None:
    """The 申请书's 三、附件清单: what is attached, what is still to attach (a 待办 before submitting, not a rule of
    eligibility), and an enterprise's awards and standards with its place among the participants."""
    from ..programme.rubric import RubricError
    from ..rules.materials import check_materials

    _h1(doc, f"{numeral}、附件清单（提交前待办）")
    try:
        cl = check_materials(app)
    except RubricError as e:
        _p(doc, f"所选申报批次没有可用的附件清单，未列出（{e}）。", indent=True)
        return
    _p(doc, f"申请书“{cl.title}”共 {len(cl.rows)} 项：{cl.summary}。尚未附的附件是提交前的待办，不影响申报资格；"
            "申请书写明“包括但不限于”，清单外的材料可在“其他”一项中说明。", indent=True)
    _table(doc, ["附件", "状态", "说明（文件名或理由）"], [9.4, 2.2, 4.4],
           [[r.label, MATERIAL_MARK.get(r.status_label, r.status_label), r.note or "—"] for r in cl.rows], shade_col=1)
    for which, title in (("award_entries", "科技奖励清单"), ("standard_entries", "标准清单")):
        entries = list(getattr(app, which, None) or [])
        if entries:
            _p(doc, f"{title}（需要明确企业在所有参与单位中的排序）：", indent=True)
            _table(doc, ["序号", "名称", "类别", "本企业排序"], [1.2, 7.6, 4.0, 3.2],
                   [[str(i), e.name or "—", e.kind_label or "—", e.rank_text] for i, e in enumerate(entries, 1)])
    todos = [t for r in cl.rows for t in r.todo if t != "尚未附"] + list(cl.rank_todos)
    missing = [r.label for r in cl.missing]
    if missing:
        _p(doc, "尚未附：" + "；".join(missing) + "。", indent=True)
    for t in todos:
        _p(doc, f"待办：{t}。", indent=True)
    if cl.unknown:
        _p(doc, "申报数据中另有本批次清单没有的项目（可能来自其他申报批次，已原样保留）：" + "、".join(cl.unknown) + "。",
           indent=True)


def _section_label(key: str) -> str:
    from ..application.ids import Section

    try:
        return Section.parse(key).label
    except ValueError:
        return key


__all__ = ["report_docx", "checker_figures_text", "CHART_RENDERER", "kaleido_png", "disclaimer", "CHARTS_IN_APP", "FONT_TABLE"]
