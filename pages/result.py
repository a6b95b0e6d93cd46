"""自评结果: eligibility, consistency, typed-vs-computed mismatches and the indicator score of the current application."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.shared.common import get_encoder_cached, page_setup, render_sidebar, require_app, score_current
from pages.shared.display import EMPTY, UNFILLED, fmt_points, fmt_value, md_escape, score_bars_html, status_icon
from pages.shared.materials_form import render_checklist_summary
from pages.shared.state import disclaimer, rejected
from pages.shared.tabs import is_open, lazy_expander
from scoring.application.models import AnyApplication
from scoring.application.required import missing_required
from scoring.assessment.result import ScoreResult
from scoring.rules.results import DimensionScore, IndicatorLine

DIM_COLUMNS = ["维度", "指标", "数值", "得分/满分", "规则", "依据", "状态", "说明", "出处"]
ROW_PX = 35  # a dataframe row (and the header) in Streamlit's default density


def _value_text(line: IndicatorLine) -> str:
    if line.status == "不考查":
        return "不考查"
    if line.value is None:
        return UNFILLED
    text = fmt_value(line.value, line.unit)
    return text + "（估算）" if line.value_kind == "估算" else text  # not typed: see the note for how it was estimated


def _indicator_frame(dims: list[DimensionScore]) -> pd.DataFrame:
    """Every scored indicator, dimension by dimension, in one table (the dimensions' totals are the bars above it)."""
    recs = []
    for dim in dims:
        for ln in dim.indicators:
            recs.append({
                "维度": dim.label,
                "指标": ln.label,
                "数值": _value_text(ln),
                "规则": ln.rule or EMPTY,
                "得分/满分": fmt_points(ln.points, ln.max_points),
                "依据": ln.basis,
                "状态": ln.status,
                "说明": ln.note or EMPTY,
                "出处": ln.source or EMPTY,
            })
    return pd.DataFrame(recs, columns=DIM_COLUMNS)


def render_required(app: AnyApplication) -> list[str]:
    """The required fields that are empty, listed as an error (nothing when all are filled)."""
    missing = missing_required(app)
    if missing:
        st.error(f"申请书有 {len(missing)} 项必填内容未填：{'、'.join(missing)}。请到“填报”页补齐；"
                 "补齐前资格核对和导出的申请书都不完整。", icon="❗")
    return missing


def render_eligibility(res: ScoreResult, missing: list[str]) -> None:
    st.subheader("申报资格")
    if res.eligible is False:
        st.error("有资格条件不满足，请先处理标为 ❌ 的项目。", icon="❌")
    elif missing:
        st.warning("必填内容未填齐，无法确认申报资格（见上方红色提示）。", icon="⚠️")
    elif res.eligible is True:
        st.success("各项资格条件均满足（依据本工具可检查的部分）。", icon="✅")
    else:
        st.warning("没有不满足的条件，但有待确认的项目（⚠️），请补充信息或说明。", icon="⚠️")
    counts = {s: sum(1 for c in res.eligibility if c.status == s) for s in ("满足", "不满足", "待确认")}
    st.caption("　".join(f"{status_icon(s)} {s} {n} 项" for s, n in counts.items()))
    for i, c in enumerate(res.eligibility):
        kind = "（参考值）" if c.kind == "参考值" and "参考值" not in c.title else ""
        # the message may quote applicant text (园区管理机构, 目录中的名称): never Markdown
        st.markdown(f"{status_icon(c.status)} **{c.title}**{kind} — {c.status}  \n{md_escape(c.message)}")
        exp = lazy_expander(f"通知原文 · {c.ref}", key=f"res_basis.{i}.{c.key}")  # drawn only when opened
        with exp:
            if is_open(exp):
                st.markdown(f"> {c.basis}")
                if c.fields:
                    st.caption("涉及：" + "、".join(c.fields))


def render_checks(res: ScoreResult) -> None:
    if res.consistency:
        st.subheader("数据一致性提示")
        for w in res.consistency:
            st.warning(w.message, icon="⚠️")
    if res.mismatches:
        st.subheader("填报值与计算值不一致")
        df = pd.DataFrame([{"指标": m.label, "填报值": fmt_value(m.typed, m.unit), "计算值": fmt_value(m.computed, m.unit),
                            "说明": m.message} for m in res.mismatches], columns=["指标", "填报值", "计算值", "说明"])
        st.dataframe(df, hide_index=True, width="stretch")
        st.caption("评分使用按分项计算的值；请核对申请书中的填报值。")


def render_indicator(res: ScoreResult, missing: list[str]) -> None:
    ind = res.indicator
    st.subheader("指标得分（参考）")
    c1, c2, c3 = st.columns(3)
    c1.metric("指标得分", f"{ind.score:.1f} / {ind.max_score:.0f}")
    c2.metric("指标数据完整度", f"{ind.data_completeness:.0%}", help="有数据的评分指标所占分值比例（不含基本信息）")
    if missing:
        c2.caption(f"另有 {len(missing)} 项基本信息必填项未填")
    c3.metric("依据参考值的分值占比", f"{ind.reference_share:.0%}", help="评分阈值或权重为本工具暂定（参考值）的分值比例")
    if ind.reference_share > 0:
        st.info(f"本得分中 {ind.reference_share:.0%} 的分值所依据的阈值或权重为 **参考值**："
                "官方考评指标未公开，这些数值由本工具参照类似方案暂定，正式评审口径可能不同。", icon="ℹ️")
    if ind.dimensions:
        bars = [(d.label, d.points, d.max_points, f"{fmt_points(d.points, d.max_points)} 分") for d in ind.dimensions]
        st.html(score_bars_html("各维度指标得分（分）", bars))
        frame = _indicator_frame(ind.dimensions)
        st.markdown("**各项指标得分明细**")
        st.dataframe(frame, hide_index=True, width="stretch", height=ROW_PX * (len(frame) + 1) + 3,
                     column_config={"出处": st.column_config.TextColumn("出处", width="medium",
                                                                      help="官方：通知原文；参考值：所参照的类似方案")})
    if ind.missing:
        st.subheader("缺少的数据")
        st.markdown("\n".join(f"- {m}" for m in ind.missing))
        st.caption("缺数据的指标记 0 分；补齐后得分会变化。")
    if ind.not_assessed:
        st.caption("不考查的指标：" + "；".join(ind.not_assessed))
    if ind.rubric_version:
        st.caption(f"评分规则版本：{ind.rubric_version}")


def render_total(res: ScoreResult) -> None:
    if res.total is None or res.narrative is None:
        return
    st.subheader("申报总分（参考）")
    cols = st.columns(len(res.total.parts) + 1)
    cols[0].metric("总分", f"{res.total.score:.1f} / 100")
    for col, part in zip(cols[1:], res.total.parts):
        col.metric(f"{part.label} × {part.weight:.0%}", f"{part.contribution:.1f}",
                   help=f"{part.label} {part.score:.1f} 分 × {part.weight:.0%} = {part.contribution:.1f} 分")
    st.caption("总分 = " + " + ".join(f"{p.label} {p.score:.1f} × {p.weight:.0%}" for p in res.total.parts) +
               f" = {res.total.score:.1f}。{res.total.source}（依据：{res.total.basis}）")


def render_narrative(res: ScoreResult) -> None:
    nar = res.narrative
    if nar is None:
        return
    st.subheader("创建工作方案（评价要点覆盖）")
    if nar.kind_notice:  # 人工智能 enterprises: which kind's points are judged (待确认 while the kind is not chosen)
        if nar.kind_pending:
            st.warning(nar.kind_notice, icon="⚠️")
        else:
            st.caption(nar.kind_notice)
    rows = []
    for sec in nar.sections:
        cov = sum(p.status == "已覆盖" for p in sec.points)
        part = sum(p.status == "部分覆盖" for p in sec.points)
        rules = "、".join(("✅" if r.passed else "❌") + r.title for r in sec.rules) or EMPTY
        rows.append({"章节": sec.label, "字数": f"{sec.chars} / {sec.max_chars}", "要点数": len(sec.points),
                     "已覆盖": cov, "部分覆盖": part, "未覆盖": len(sec.points) - cov - part,
                     "章节规则": rules, "得分率": f"{sec.score:.0%}"})
    st.metric("工作方案得分", f"{nar.score:.1f} / 100")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    for li in nar.length_issues:
        (st.error if li.level == "错误" else st.caption)(li.message)
    if nar.suggestions:
        st.markdown("**最重要的改进建议**（按可提升的总分排序）")
        for sg in nar.suggestions[:5]:
            st.markdown(f"- {sg.text}（约 +{sg.gain_total:.1f} 分）")
    st.page_link("pages/workplan.py", label="到“创建工作方案”页查看每个要点和依据句", icon=":material/article:")


sidebar = page_setup()
st.title("自评结果")
app = require_app(sidebar)
n_rej = len(rejected())
if n_rej:
    st.warning(f"有 {n_rej} 处输入未通过校验、未保存；以下结果按已保存的数据计算。", icon="⚠️")

from scoring.programme.rubric import RubricError  # noqa: E402  (imported when the page runs, not at app start)

try:
    _enc, enc_warning = get_encoder_cached()
    if enc_warning:
        st.warning(enc_warning, icon="⚠️")
    result = score_current(app)
except RubricError as e:
    st.error(f"评分规则文件有误或缺失，无法评分：{e}")
    render_sidebar(sidebar)
    st.stop()

missing_fields = render_required(app)
render_total(result)
render_eligibility(result, missing_fields)
render_checklist_summary(app)  # 三、附件清单: a 待办, not a rule of eligibility
render_checks(result)
render_indicator(result, missing_fields)
render_narrative(result)
st.divider()
st.caption(disclaimer())
render_sidebar(sidebar)
