"""遴选排序: a city's 工信局 loads all the applications it received, sees them scored and ranked, conflicts and
ineligible candidates flagged, gets a proposed recommendation list within the quota, adjusts it with reasons and
downloads Annex 1 and the score workbook.

All logic is in scoring/ (batch, batch_excel, ranking, conflicts, robustness, rank_export); this page loads files,
shows progress, tables and a chart, and keeps the official's decisions in the session.
"""

from __future__ import annotations

import time
from typing import Any, Optional

import pandas as pd
import streamlit as st

from pages.shared.common import K_PEER_APPS, get_encoder_cached, page_setup, presentation_mode, render_sidebar
from pages.shared.state import DISCLAIMER, ROOT
from scoring.selection.batch import MAX_FILES, SUPPORTED_EXTS, BatchImport, import_files
from scoring.selection.batch_template import template_bytes
from scoring.selection.exports import CLAIMED_HEADER, NOT_APPLICABLE_HEADER
from scoring.application.ids import City
from scoring.formats.common import MAX_UPLOAD_BYTES, MB
from scoring.application.models import dump_application
from scoring.selection.ranking import (Decision, DecisionError, Ranking, apply_decisions, build_ranking, score_candidates,
                             summary_counts)
from scoring.programme.rubric import RubricError

DEMO_DIR = ROOT / "data" / "samples" / "batch_fuzhou"
DEMO_CITY = "fuzhou"
K_BATCH = "rk_batch"          # dict: scores, conflicts, problems, files, origin, gen
K_CITY = "rk_city"            # chosen city id ("" = as the applications say)
K_ROBUST = "rk_robust"        # (gen, city) -> RobustnessResult
K_GEN = "rk_gen"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AUTO_CITY = ""
COL_INCLUDE = "列入推荐名单"
COL_REASON = "调整理由"


def _md(text: Any) -> str:
    """User text inside Markdown (st.warning, st.markdown): markup characters are shown as typed."""
    out = []
    for ch in str(text):
        out.append("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$" else ch)
    return "".join(out).replace("\n", " ")


def _fmt(v: Optional[float]) -> Optional[float]:
    return None if v is None else round(v, 2)


# ---------------------------------------------------------------------------------------------------------------
# loading and scoring


def _run(files: list[tuple[str, bytes]], origin: str, city: str = AUTO_CITY) -> None:
    """Import, score (progress bar) and find conflicts; the result goes to the session."""
    from scoring.selection.conflicts import Entry, find_conflicts

    bar = st.progress(0.0, text="正在读取文件……")

    def on_import(done: int, total: int, _msg: str) -> None:
        bar.progress(0.15 * done / max(total, 1), text=f"正在读取文件（{done}/{total}）")

    batch: BatchImport = import_files(files, progress=on_import)
    scores: list[Any] = []
    conflicts: list[Any] = []
    warning = None
    if batch.candidates:
        encoder, warning = get_encoder_cached()
        total = len(batch.candidates)

        def on_score(done: int, n: int, _msg: str) -> None:
            bar.progress(0.15 + 0.75 * done / max(n, 1), text=f"正在评分（{done}/{n}）")

        scores = score_candidates(batch.candidates, encoder=encoder, progress=on_score)
        bar.progress(0.92, text=f"正在检查 {total} 个候选对象之间的冲突……")
        entries = [Entry(cid=c.cid, app=c.app, source=c.source) for c in batch.candidates]
        conflicts = find_conflicts(entries, encoder=encoder)
    bar.progress(1.0, text="完成")
    gen = int(st.session_state.get(K_GEN, 0)) + 1
    st.session_state[K_GEN] = gen
    st.session_state[K_BATCH] = {"scores": scores, "conflicts": conflicts, "problems": batch.problems,
                                 "files": batch.files, "origin": origin, "gen": gen, "encoder_warning": warning}
    st.session_state[K_CITY] = city
    st.session_state[K_ROBUST] = {}
    # offer the candidates to 对标分析 as real peers
    st.session_state[K_PEER_APPS] = {f"遴选排序 · {c.cid} {c.app.display_name or '（未命名）'}": dump_application(c.app)
                                     for c in batch.candidates}


def _demo_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(DEMO_DIR.glob("*.json"))]


def render_load() -> None:
    st.subheader("一、载入候选对象")
    limit_mb = max(MAX_UPLOAD_BYTES.values()) // MB
    limits = "；".join(f".{k} 不超过 {v // MB} MB" for k, v in MAX_UPLOAD_BYTES.items())
    st.caption("可一次选择多个文件：本工具导出的 JSON 数据文件、填好的 Word 申请书（.docx）、批量导入模板（.xlsx，每行一个"
               f"候选对象）或本工具导出的单份 Excel 工作簿。每个文件的大小上限：{limits}；一次最多 {MAX_FILES} 个文件。")
    files = st.file_uploader("上传申报文件（可多选）", type=list(SUPPORTED_EXTS), accept_multiple_files=True,
                             key="rk_upload", max_upload_size=limit_mb)
    c1, c2, c3 = st.columns([1, 1, 1])
    go = c1.button("评分并排序", type="primary", icon=":material/leaderboard:", disabled=not files, key="rk_go")
    demo = c2.button("加载演示批次", icon=":material/science:", key="rk_demo",
                     help="福州市的 13 个虚构候选对象（示例数据）：含不满足硬性规则、待确认、集团与子公司同时申报、"
                          "方案文字雷同等情形")
    c3.download_button("下载批量导入模板（.xlsx）", data=template_bytes, file_name="示范基地批量导入模板.xlsx", mime=XLSX,
                       icon=":material/download:", key="rk_template", on_click="ignore")
    if go and files:
        _run([(f.name, f.getvalue()) for f in files], f"上传的 {len(files)} 个文件")
    elif demo:
        _run(_demo_files(), "演示批次（福州市，虚构示例数据）", DEMO_CITY)


# ---------------------------------------------------------------------------------------------------------------
# import report


def render_import_report(batch: dict[str, Any]) -> None:
    files = batch["files"]
    problems = batch["problems"]
    n = len(batch["scores"])
    n_err = sum(1 for p in problems if p.level == "错误")
    st.caption(f"来源：{_md(batch['origin'])}。读取文件 {len(files)} 个，导入候选对象 {n} 个。")
    if batch.get("encoder_warning"):
        st.warning(_md(batch["encoder_warning"]), icon="⚠️")
    if problems:
        (st.error if n_err else st.info)(
            f"有 {n_err} 处错误、{len(problems) - n_err} 条提示：出错的文件、行或单元格未导入（见下表），其余已导入。"
            if n_err else f"有 {len(problems)} 条导入提示（见下表）。", icon="⚠️" if n_err else "ℹ️")
    with st.expander(f"导入明细（{len(files)} 个文件，{len(problems)} 条问题）", expanded=bool(n_err)):
        st.markdown("**各文件导入情况**")
        st.dataframe(pd.DataFrame([{"文件": f.file, "导入候选对象": f.candidates, "错误": f.errors, "提示": f.warnings,
                                    "状态": f.status} for f in files],
                                  columns=["文件", "导入候选对象", "错误", "提示", "状态"]),
                     hide_index=True, width="stretch")
        if problems:
            st.markdown("**未导入的文件、行和单元格**")
            st.dataframe(pd.DataFrame([{"文件": p.file, "工作表": p.sheet or "—",
                                        "行": str(p.row) if p.row is not None else "—", "列": p.column or "—",
                                        "原因": p.reason, "级别": p.level} for p in problems],
                                      columns=["文件", "工作表", "行", "列", "原因", "级别"]),
                         hide_index=True, width="stretch")


# ---------------------------------------------------------------------------------------------------------------
# ranking tables


def _claims(r: Any, n: int) -> str:
    return "—" if r.narrative is None else str(n)


def _rank_frame(rows: list[Any]) -> pd.DataFrame:
    return pd.DataFrame([{"名次": r.rank, "编号": r.cid, "名称": r.name, "申报创建领域": r.domain_label,
                          "总分": _fmt(r.total), "指标得分": _fmt(r.indicator), "工作方案得分": _fmt(r.narrative),
                          CLAIMED_HEADER: _claims(r, r.claimed), NOT_APPLICABLE_HEADER: _claims(r, r.not_applicable),
                          "资格": r.eligibility, "提示": "；".join(r.flags) or "—", "并列说明": r.tie_note or "—"}
                         for r in rows],
                        columns=["名次", "编号", "名称", "申报创建领域", "总分", "指标得分", "工作方案得分", CLAIMED_HEADER,
                                 NOT_APPLICABLE_HEADER, "资格", "提示", "并列说明"])


CLAIMS_HELP = ("申报单位本人的意见，不是本工具的判定：本人确认的要点按已覆盖计入工作方案得分，不适用的要点不计分。"
               "排序不另行使用这两个数。")


_SCORE_COLS = {c: st.column_config.NumberColumn(c, format="%.2f", help="满分 100 分")
               for c in ("总分", "指标得分", "工作方案得分")}
_RANK_COLS = {**_SCORE_COLS, **{c: st.column_config.TextColumn(c, help=CLAIMS_HELP)
                                for c in (CLAIMED_HEADER, NOT_APPLICABLE_HEADER)}}


def render_rank_tables(tables: list[Any], empty: str) -> None:
    if not tables:
        st.info(empty)
        return
    for tb in tables:
        st.markdown(f"**{tb.title}**（{len(tb.rows)} 个）")
        st.dataframe(_rank_frame(tb.rows), hide_index=True, width="stretch", column_config=_RANK_COLS)


def render_ineligible(rk: Ranking) -> None:
    if not rk.ineligible:
        st.success("没有不满足硬性规则的候选对象。", icon="✅")
        return
    st.caption("以下候选对象有硬性规则“不满足”，不参加排序，也不进入建议名单（设区市工信局仍可填写理由后人工纳入）。")
    st.dataframe(pd.DataFrame([{"编号": r.cid, "名称": r.name, "申报类别": r.type_label, "申报创建领域": r.domain_label,
                                "总分": _fmt(r.total), "不满足的规则": "\n".join(r.failed)} for r in rk.ineligible],
                              columns=["编号", "名称", "申报类别", "申报创建领域", "总分", "不满足的规则"]),
                 hide_index=True, width="stretch", column_config={"总分": _SCORE_COLS["总分"]})


def render_conflicts(rk: Ranking) -> None:
    if not rk.conflicts:
        st.success("未发现候选对象之间的冲突（统一社会信用代码重复、集团与子公司、一个对象多个领域、同名重复、方案文字雷同）。",
                   icon="✅")
        return
    st.caption("推荐前请逐项核实。“须处理”的冲突（通知四（一））在建议名单中只保留排名在前者；“提示”类由设区市工信局判断。")
    for c in rk.conflicts:
        who = "、".join(f"{m.cid} {m.name}（{m.type_label} · {m.domain_label}）" for m in c.candidates)
        box = st.error if c.severity == "须处理" else st.warning
        box(f"**{c.label}**（{c.severity}）：{_md(c.message)}  \n涉及：{_md(who)}  \n共同的值：{_md(c.shared_value)}  \n"
            f"依据：{c.ref}", icon="⚠️")
        for k, p in enumerate(c.passages, 1):
            with st.expander(f"雷同段落 {k}：约 {p.chars} 字（字面重合度 ≥ {p.jaccard:.2f}，语义相似度 ≥ {p.cosine:.2f}）"):
                a, b = st.columns(2)
                a.caption(f"{p.a_cid} · {p.a_field}")
                a.text(p.a_text)
                b.caption(f"{p.b_cid} · {p.b_field}")
                b.text(p.b_text)


# ---------------------------------------------------------------------------------------------------------------
# proposal with the official's decisions


def _proposal_frame(p: Any) -> pd.DataFrame:
    return pd.DataFrame([{"编号": r.cid, "名称": r.name, "申报类别": r.type_label, "申报创建领域": r.domain_label,
                          "名次": str(r.rank) if r.rank is not None else "—", "总分": _fmt(r.total),
                          "资格": r.eligibility, COL_INCLUDE: r.proposed, COL_REASON: "", "本工具建议": r.proposed,
                          "本工具的理由": r.tool_reason, "提示": "；".join(r.flags) or "—"} for r in p.rows],
                        columns=["编号", "名称", "申报类别", "申报创建领域", "名次", "总分", "资格", COL_INCLUDE,
                                 COL_REASON, "本工具建议", "本工具的理由", "提示"])


def render_decisions(base: Ranking, gen: int) -> tuple[Ranking, list[str]]:
    """The editable list per city; returns the ranking with the valid decisions applied and the Chinese errors."""
    decisions: list[Decision] = []
    errors: list[str] = []
    for p in base.proposals:
        if len(base.proposals) > 1:
            st.markdown(f"**{p.city_label}**")
        st.caption("勾选或取消“列入推荐名单”即可人工调整；与本工具建议不同的，须在“调整理由”中写明理由。")
        df = st.data_editor(
            _proposal_frame(p), key=f"rk_editor_{gen}_{p.city}", hide_index=True, num_rows="fixed", width="stretch",
            height=min(36 * (len(p.rows) + 1) + 4, 900),
            disabled=[c for c in _proposal_frame(p).columns if c not in (COL_INCLUDE, COL_REASON)],
            column_config={
                "总分": _SCORE_COLS["总分"],
                "本工具建议": st.column_config.CheckboxColumn("本工具建议", help="本工具按名额和排名提出的建议"),
                COL_INCLUDE: st.column_config.CheckboxColumn(COL_INCLUDE, help="最终是否列入附件1推荐汇总表"),
                COL_REASON: st.column_config.TextColumn(COL_REASON, max_chars=300,
                                                        help="人工纳入或排除时必须填写"),
            })
        names = {r.cid: r.name for r in p.rows}
        for _, row in df.iterrows():
            cid = str(row["编号"])
            include = bool(row[COL_INCLUDE])
            proposed = bool(row["本工具建议"])
            reason = str(row[COL_REASON] or "").strip()
            if include == proposed:
                continue
            if not reason:
                errors.append(f"“{names.get(cid, cid)}”：人工{'纳入' if include else '排除'}须填写调整理由，"
                              "未填写前按本工具建议处理")
                continue
            decisions.append(Decision(cid=cid, include=include, reason=reason))
    try:
        rk = apply_decisions(base, decisions) if decisions else base
    except DecisionError as e:  # pragma: no cover - the page filters decisions without reasons above
        errors.extend(e.reasons)
        rk = base
    return rk, errors


def render_quota(rk: Ranking, errors: list[str]) -> None:
    for e in errors:
        st.error(_md(e), icon="✍️")
    for p in rk.proposals:
        title = f"{p.city_label}（推荐单位：{p.recommender}）" if p.recommender else p.city_label
        st.markdown(f"**名额对照：{title}**")
        for q in p.quota:
            (st.success if q.ok else st.error)(f"{q.type_label}：{_md(q.message)}", icon="✅" if q.ok else "❌")
        for note in p.notes:
            st.info(_md(note), icon="ℹ️")
        final = p.included()
        if final:
            st.dataframe(pd.DataFrame([{"序号": i, "名称": r.name, "申报类别": r.type_label, "申报创建领域": r.domain_label,
                                        "决定": r.decision, "理由": r.override_reason or r.tool_reason}
                                       for i, r in enumerate(final, 1)],
                                      columns=["序号", "名称", "申报类别", "申报创建领域", "决定", "理由"]),
                         hide_index=True, width="stretch")
        else:
            st.caption("推荐名单为空。")


# ---------------------------------------------------------------------------------------------------------------
# robustness


def _robustness(base: Ranking, gen: int, city: str) -> Any:
    from scoring.selection.robustness import analyse

    cache = st.session_state.setdefault(K_ROBUST, {})
    key = (gen, city)
    if key not in cache:
        cache[key] = analyse(base)
    return cache[key]


def render_robustness(base: Ranking, rob: Any) -> None:
    from scoring.selection.robustness import robustness_figure

    st.caption(_md(f"把评分中的各项权重（{'；'.join(rob.weights)}）各自随机放大或缩小至多 {rob.spread:.0%}，抽样 {rob.draws} 次"
                   f"（随机种子 {rob.seed}，结果可复现），每次重新排序并按名额提出建议。名次范围窄、入围频率接近 100% 或 0% 的，"
                   "位次已定；入围频率居中的，名次取决于权重的设定，需要设区市工信局重点斟酌。"
                   "图中粗线为 5%–95% 的抽样名次，细线为最好至最差名次，圆点为按现行权重的名次。"))
    if rob.max_deviation > 0.05:
        st.warning(f"按现行权重重算的总分与评分结果最多相差 {rob.max_deviation:.2f} 分，请重新评分后再看本分析。", icon="⚠️")
    big = presentation_mode()
    for g in rob.groups:
        if not g.rows:
            continue
        st.plotly_chart(robustness_figure(g, rob.draws, rob.spread, big=big), width="stretch",
                        config={"displayModeBar": False}, key=f"rk_chart_{g.key}")
        st.dataframe(pd.DataFrame([{"编号": r.cid, "名称": r.name, "名次": r.base_rank,
                                    "名次范围": f"{r.rank_min}–{r.rank_max}", "名次（5%–95%）": f"{r.rank_p5}–{r.rank_p95}",
                                    "总分范围": f"{r.total_min:.2f}–{r.total_max:.2f}",
                                    "入围频率": r.in_quota_share, "判断": r.verdict, "说明": r.note or "—"}
                                   for r in g.rows],
                                  columns=["编号", "名称", "名次", "名次范围", "名次（5%–95%）", "总分范围", "入围频率",
                                           "判断", "说明"]),
                     hide_index=True, width="stretch",
                     column_config={"入围频率": st.column_config.ProgressColumn(
                         "入围频率", format="percent", min_value=0.0, max_value=1.0,
                         help="被本工具建议推荐的抽样比例；待确认者不自动建议，显示为空")})
    st.caption(_md(f"依据：{rob.basis}。{rob.source}"))


# ---------------------------------------------------------------------------------------------------------------
# downloads


def render_downloads(rk: Ranking, rob: Any) -> None:
    from scoring.selection.exports import annex1_bytes, score_workbook_bytes

    stamp = time.strftime("%Y%m%d")
    for p in rk.proposals:
        if not p.recommender:
            st.caption(f"{p.city_label}：未确定设区市，不能生成附件1。请在上方选择本批次所属设区市。")
            continue
        st.download_button(f"下载附件1 推荐汇总表（{p.city_label}，{len(p.included())} 个，.xlsx）",
                           data=lambda p=p: annex1_bytes(p), file_name=f"附件1_推荐汇总表_{p.city_label}_{stamp}.xlsx",
                           mime=XLSX, icon=":material/download:", key=f"rk_annex1_{p.city}", on_click="ignore")
    st.download_button("下载评分工作簿（汇总表 + 每个候选对象的明细和建议，.xlsx）",
                       data=lambda: score_workbook_bytes(rk, rob), file_name=f"遴选评分工作簿_{stamp}.xlsx", mime=XLSX,
                       icon=":material/download:", key="rk_workbook", on_click="ignore")
    st.caption("工作簿中申报单位填写的文字一律按文本保存，不会被当作公式执行。附件1只列入最终推荐名单（含人工调整）。")


# ---------------------------------------------------------------------------------------------------------------
# page


sidebar = page_setup()
st.title("遴选排序")
st.caption("供设区市工信局使用：载入本市收到的全部申请书，查看评分和排序、不满足硬性规则的对象和相互冲突，"
           "在名额内提出建议推荐名单，填写理由后调整，并导出附件1推荐汇总表和评分工作簿。")
render_load()

batch = st.session_state.get(K_BATCH)
if not batch:
    st.info("尚未载入候选对象：请上传申报文件，或点击“加载演示批次”。", icon="ℹ️")
    st.caption(DISCLAIMER)
    render_sidebar(sidebar)
    st.stop()

render_import_report(batch)
if not batch["scores"]:
    st.error("没有可用的候选对象：所有文件均未能导入，请按上表修改后重新上传。", icon="❌")
    render_sidebar(sidebar)
    st.stop()

st.subheader("二、评分与排序")
options = [AUTO_CITY] + [c.value for c in City]
labels = {AUTO_CITY: "按申请书填写的所在设区市", **{c.value: c.label for c in City}}
current = st.session_state.get(K_CITY, AUTO_CITY)
city = st.selectbox("本批次所属设区市（决定名额和附件1的推荐单位）", options, index=options.index(current),
                    format_func=lambda v: labels[v], key=f"rk_city_select_{batch['gen']}")
st.session_state[K_CITY] = city
try:
    base = build_ranking(batch["scores"], batch["conflicts"], city or None)
except RubricError as e:
    st.error(f"名额或排序规则文件有误，无法排序：{_md(e)}")
    render_sidebar(sidebar)
    st.stop()

head = st.container()
tabs = st.tabs(["本市排序", "分领域排序", f"不合格（{len(base.ineligible)}）", f"冲突（{len(base.conflicts)}）",
                "推荐名单", "排序稳健性", "下载"])
with tabs[0]:
    st.caption("按申报类别在本市排序（不含不满足硬性规则者）。并列处理：" + " → ".join(base.tie_rule) + "。")
    st.caption(f"“{CLAIMED_HEADER}”“{NOT_APPLICABLE_HEADER}”为申报单位本人的意见，不是本工具的判定；"
               "本人确认的要点已按已覆盖计入工作方案得分，请在评分工作簿的明细中按“判定来源”核实。")
    render_rank_tables(base.by_city, "没有参加排序的候选对象。")
with tabs[1]:
    render_rank_tables(base.by_type_domain, "没有参加排序的候选对象。")
with tabs[2]:
    render_ineligible(base)
with tabs[3]:
    render_conflicts(base)
with tabs[4]:
    rk, errors = render_decisions(base, batch["gen"])
    render_quota(rk, errors)
with tabs[5]:
    rob = _robustness(base, batch["gen"], city)
    render_robustness(base, rob)
with tabs[6]:
    render_downloads(rk, rob)

with head:
    counts = summary_counts(rk)
    cols = st.columns(6)
    for col, label in zip(cols, ("候选对象", "合格", "待确认", "不合格", "冲突", "列入推荐名单")):
        col.metric(label, f"{counts.get(label, 0)} 个" if label != "冲突" else f"{counts.get(label, 0)} 项")
    bad = [q for p in rk.proposals for q in p.quota if not q.ok]
    if bad:
        st.error("推荐名单不符合名额：" + "；".join(f"{q.type_label}{q.state}" for q in bad) + "（见“推荐名单”）", icon="❌")

st.divider()
st.caption(DISCLAIMER)
render_sidebar(sidebar)
