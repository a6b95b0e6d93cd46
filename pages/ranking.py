"""遴选排序: a city's 工信局 loads all the applications it received, sees them scored and ranked, conflicts and
ineligible candidates flagged, gets a proposed recommendation list within the quota, adjusts it with reasons,
writes the 推荐单位意见 per candidate (printed in its Word 申请书) and downloads Annex 1 and the score workbook.

All logic is in scoring/ (batch, batch_excel, ranking, conflicts, robustness, rank_export, opinions); this page loads
files, shows progress and tables; the views 排序稳健性 and 推荐意见 are in pages/shared/rank_robustness.py and
rank_opinions.py. The batch, its city, the official's decisions and opinions are saved in the workspace
(pages/shared/batch_session.py, scoring/store/batches.py) and come back after navigation, F5 and a restart.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

import pandas as pd
import streamlit as st

from pages.shared import batch_session as batches
from pages.shared import filing, role
from pages.shared.pack_choice import bind
from pages.shared.common import K_PEER_APPS, get_encoder_cached, page_setup, render_sidebar
from pages.shared.rank_opinions import render_opinions
from pages.shared.rank_robustness import K_ROBUST, robustness_later, render_robustness
from pages.shared.state import disclaimer, ROOT
from scoring.store.batches import BatchData, Decisions, RowDecision
from scoring.store.drafts import format_time
from scoring.selection.batch import MAX_FILES, SUPPORTED_EXTS, BatchImport, import_files
from scoring.selection.batch_template import template_bytes
from scoring.selection.exports import CLAIMED_HEADER, NOT_APPLICABLE_HEADER
from scoring.application.ids import City
from scoring.formats.common import MAX_UPLOAD_BYTES, MB
from scoring.application.models import dump_application
from scoring.selection.ranking import (Decision, DecisionError, Ranking, apply_decisions, build_ranking, score_candidates,
                             summary_counts)
from scoring.programme.packs import active_pack
from scoring.programme.rubric import RubricError

DEMO_DIR = ROOT / "data" / "samples" / "batch_fuzhou"
DEMO_CITY = "fuzhou"
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


def _run(files: list[tuple[str, bytes]], origin: str, name: str, city: str = AUTO_CITY) -> None:
    """Import, score (progress bar) and find conflicts; the batch is saved in the workspace and opened."""
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
    apps = {c.cid: dump_application(c.app) for c in batch.candidates}
    data = BatchData(scores=scores, conflicts=conflicts, problems=batch.problems, files=batch.files,
                     encoder_warning=warning, apps=apps, pack=active_pack().id)
    batches.create(name, data, city, origin)
    st.session_state.pop(K_ROBUST, None)


def _offer_peers(ob: batches.OpenBatch) -> None:
    """The open batch's candidates are offered to 对标分析 as real peers."""
    names = {s.cid: s.name for s in ob.data.scores}
    st.session_state[K_PEER_APPS] = {f"遴选排序 · {cid} {names.get(cid, '（未命名）')}": app
                                     for cid, app in ob.data.apps.items()}


def _demo_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(DEMO_DIR.glob("*.json"))]


def _on_open_saved() -> None:
    bid = st.session_state.get("rk_saved_pick")
    if bid:
        batches.open_batch(bid)
        st.session_state.pop(K_ROBUST, None)


def _on_delete_saved() -> None:
    bid = st.session_state.get("rk_saved_pick")
    if bid and st.session_state.get("rk_saved_confirm"):
        batches.delete(bid)
        st.session_state["rk_saved_confirm"] = False


def _on_rename() -> None:
    ob = batches.current()
    name = str(st.session_state.get(f"rk_rename_{ob.gen}") or "").strip() if ob is not None else ""
    if ob is not None and ob.id and name and name != ob.name:
        batches.rename(ob.id, name)


def render_saved() -> None:
    """已保存的批次: open another one, rename the open one, delete (with confirmation)."""
    recs = batches.saved()
    ob = batches.current()
    with st.expander(f"已保存的批次（{len(recs)} 个）", expanded=bool(recs) and ob is None):
        if not recs:
            st.caption("还没有保存的批次。载入申报文件并评分后，批次及其中的每项调整都会自动保存在本工作区。")
            return
        labels = {r.id: f"{r.name} · {City.parse(r.city).label if r.city else '按申请书填写'} · {r.n_candidates} 个 · "
                        f"{format_time(r.updated)}" for r in recs}
        ids = list(labels)
        idx = ids.index(ob.id) if ob is not None and ob.id in ids else 0
        st.selectbox("选择批次", ids, index=idx, format_func=lambda v: labels[v], key="rk_saved_pick")
        c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="center")
        c1.button("打开", on_click=_on_open_saved, icon=":material/folder_open:", key="rk_saved_open")
        c3.checkbox("确认删除所选批次（不可恢复）", key="rk_saved_confirm")
        c2.button("删除", on_click=_on_delete_saved, icon=":material/delete:", key="rk_saved_delete",
                  disabled=not st.session_state.get("rk_saved_confirm"))
        if ob is not None and ob.id:
            st.text_input("当前批次名称", value=ob.name, key=f"rk_rename_{ob.gen}", max_chars=80, on_change=_on_rename)


def render_load() -> None:
    st.subheader("一、载入候选对象")
    render_saved()
    limit_mb = max(MAX_UPLOAD_BYTES.values()) // MB
    limits = "；".join(f".{k} 不超过 {v // MB} MB" for k, v in MAX_UPLOAD_BYTES.items())
    st.caption("可一次选择多个文件：本工具导出的 JSON 数据文件、填好的 Word 申请书（.docx）、批量导入模板（.xlsx，每行一个"
               f"候选对象）或本工具导出的单份 Excel 工作簿。每个文件的大小上限：{limits}；一次最多 {MAX_FILES} 个文件。"
               "评分后批次自动保存在本工作区，刷新页面或重启后仍在。")
    files = st.file_uploader("上传申报文件（可多选）", type=list(SUPPORTED_EXTS), accept_multiple_files=True,
                             key="rk_upload", max_upload_size=limit_mb)
    if files:
        st.caption(f"已选择 {len(files)} 个文件：" + "、".join(_md(f.name) for f in files))
    c1, c2, c3 = st.columns([1, 1, 1])
    go = c1.button("评分并排序", type="primary", icon=":material/leaderboard:", disabled=not files, key="rk_go")
    demo = c2.button("加载演示批次", icon=":material/science:", key="rk_demo",
                     help="福州市的 13 个虚构候选对象（示例数据）：含不满足硬性规则、待确认、集团与子公司同时申报、"
                          "方案文字雷同等情形")
    c3.download_button("下载批量导入模板（.xlsx）", data=template_bytes, file_name="示范基地批量导入模板.xlsx", mime=XLSX,
                       icon=":material/download:", key="rk_template", on_click="ignore")
    if go and files:
        _run([(f.name, f.getvalue()) for f in files], f"上传的 {len(files)} 个文件",
             f"上传的 {len(files)} 个文件（{time.strftime('%m-%d %H:%M')}）")
    elif demo:
        _run(_demo_files(), "演示批次（福州市，虚构示例数据）", "演示批次（福州市，示例数据）", DEMO_CITY)


# ---------------------------------------------------------------------------------------------------------------
# import report


def render_import_report(ob: batches.OpenBatch) -> None:
    files = ob.data.files
    problems = ob.data.problems
    n = len(ob.data.scores)
    n_err = sum(1 for p in problems if p.level == "错误")
    saved = f"，已保存于 {format_time(ob.updated)}" if ob.updated else "（未能保存）"
    st.caption(f"当前批次：**{_md(ob.name)}**{saved}。来源：{_md(ob.origin)}。读取文件 {len(files)} 个，"
               f"导入候选对象 {n} 个。")
    if ob.data.encoder_warning:
        st.warning(_md(ob.data.encoder_warning), icon="⚠️")
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


COL_HOME = "所在设区市"


def _home(r: Any, rk: Ranking) -> str:
    app_city = rk.score(r.cid).app_city_label
    return f"{app_city}（非本市）" if r.out_of_city else app_city


def _proposal_frame(p: Any, rk: Ranking, snap: Decisions) -> pd.DataFrame:
    """The editable list: the columns the official acts on first (they stay visible at 1280 px)."""
    rows = []
    for r in p.rows:
        d = snap.get(r.cid)
        rows.append({"编号": r.cid, "名称": r.name, COL_INCLUDE: d.include if d else r.proposed,
                     COL_REASON: d.reason if d else "", "本工具建议": r.proposed, COL_HOME: _home(r, rk),
                     "资格": r.eligibility, "名次": str(r.rank) if r.rank is not None else "—", "总分": _fmt(r.total),
                     "申报类别": r.type_label, "申报创建领域": r.domain_label, "本工具的理由": r.tool_reason,
                     "提示": "；".join(r.flags) or "—"})
    return pd.DataFrame(rows, columns=["编号", "名称", COL_INCLUDE, COL_REASON, "本工具建议", COL_HOME, "资格", "名次",
                                       "总分", "申报类别", "申报创建领域", "本工具的理由", "提示"])


def render_editor(base: Ranking, ob: batches.OpenBatch) -> Decisions:
    """The editable list per city; every change is saved with the batch. Returns the decisions as edited (a change
    without its reason is kept and saved; :func:`decided_ranking` leaves it out until its reason is written)."""
    ss = st.session_state
    snaps = ss.setdefault("_rk_snap", {})
    decisions: Decisions = dict(ob.decisions)
    for p in base.proposals:
        if len(base.proposals) > 1:
            st.markdown(f"**{p.city_label}**")
        st.caption("勾选或取消“列入推荐名单”即可人工调整；与本工具建议不同的，须在“调整理由”中写明理由。"
                   "每项调整都随批次自动保存。")
        key = f"rk_editor_{ob.gen}_{ob.city or 'auto'}_{p.city}"
        if key not in ss:  # a new editor (page opened, batch or city changed): start from the saved decisions
            snaps[key] = dict(ob.decisions)
        frame = _proposal_frame(p, base, snaps[key])
        df = st.data_editor(
            frame, key=key, hide_index=True, num_rows="fixed", width="stretch",
            height=min(36 * (len(p.rows) + 1) + 4, 900),
            disabled=[c for c in frame.columns if c not in (COL_INCLUDE, COL_REASON)],
            column_config={
                "编号": st.column_config.TextColumn("编号", width=60),
                "名称": st.column_config.TextColumn("名称", width=220),
                "总分": _SCORE_COLS["总分"],
                "本工具建议": st.column_config.CheckboxColumn("本工具建议", help="本工具按名额和排名提出的建议", width=90),
                COL_INCLUDE: st.column_config.CheckboxColumn(COL_INCLUDE, help="最终是否列入附件1推荐汇总表", width=130),
                COL_REASON: st.column_config.TextColumn(COL_REASON, max_chars=300, width=260,
                                                        help="人工纳入或排除时必须填写"),
                COL_HOME: st.column_config.TextColumn(COL_HOME, help="申请书填写的所在设区市（不会被改写）"),
            })
        for row in df.itertuples(index=False):
            cid, include, reason = str(row[0]), bool(row[2]), str(row[3] or "").strip()
            if include == bool(row[4]) and not reason:
                decisions.pop(cid, None)
            else:
                decisions[cid] = RowDecision(include, reason)
    batches.save_decisions(decisions)
    return decisions


def decided_ranking(base: Ranking, decisions: Decisions) -> tuple[Ranking, list[str]]:
    """The ranking with the complete decisions applied (nothing is drawn) and the Chinese errors: a change without its
    reason is not applied yet."""
    proposed = {r.cid: r.proposed for p in base.proposals for r in p.rows}
    names = {r.cid: r.name for p in base.proposals for r in p.rows}
    valid: list[Decision] = []
    errors: list[str] = []
    for cid, d in decisions.items():
        if cid not in proposed or d.include == proposed[cid]:
            continue
        if not d.reason:
            errors.append(f"“{names.get(cid, cid)}”：人工{'纳入' if d.include else '排除'}须填写调整理由，"
                          "未填写前按本工具建议处理（已勾选的调整已保存）")
            continue
        valid.append(Decision(cid=cid, include=d.include, reason=d.reason))
    try:
        rk = apply_decisions(base, valid) if valid else base
    except DecisionError as e:  # pragma: no cover - the decisions without reasons are filtered above
        errors.extend(e.reasons)
        rk = base
    return rk, errors


def render_out_of_city(rk: Ranking) -> None:
    if not rk.out_of_city:
        st.success("所有候选对象的申请书都填写本市或未填写所在设区市。", icon="✅")
        return
    st.caption(f"以下候选对象的申请书填写的所在设区市不是{rk.city_label or '本批次的设区市'}：不参加本市排序，不列入建议名单和"
               "附件1；如确需纳入，请在“推荐名单”中勾选“列入推荐名单”并填写理由。申请书中的所在设区市不会被改写。")
    st.dataframe(pd.DataFrame([{"编号": r.cid, "名称": r.name, "申请书填写的所在设区市": r.app_city_label,
                                "申报类别": r.type_label, "申报创建领域": r.domain_label, "总分": _fmt(r.total),
                                "资格": r.eligibility} for r in rk.out_of_city],
                              columns=["编号", "名称", "申请书填写的所在设区市", "申报类别", "申报创建领域", "总分", "资格"]),
                 hide_index=True, width="stretch", column_config={"总分": _SCORE_COLS["总分"]})


def render_quota(rk: Ranking, errors: list[str]) -> None:
    for e in errors:
        st.error(_md(e), icon="✍️")
    for p in rk.proposals:
        title = f"{p.city_label}（推荐单位：{p.recommender}）" if p.recommender else p.city_label
        st.markdown(f"**名额对照：{title}**")
        for q in p.quota:
            box = st.error if not q.ok else (st.info if q.state == "低于下限" else st.success)
            box(f"{q.type_label}：{_md(q.message)}", icon="❌" if not q.ok else ("ℹ️" if q.state == "低于下限" else "✅"))
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
        dropped = [r for r in p.rows if r.decision == "人工排除"]
        if dropped:
            st.markdown("**人工排除**（本工具建议推荐，已按理由排除）：" + "；".join(
                f"{_md(r.name)}（理由：{_md(r.override_reason)}）" for r in dropped))


# ---------------------------------------------------------------------------------------------------------------
# downloads


def render_downloads(rk: Ranking, rob: Callable[[], Any], opinions: Any) -> None:
    from scoring.selection.exports import annex1_bytes, score_workbook_bytes

    stamp = time.strftime("%Y%m%d")
    for p in rk.proposals:
        if not p.recommender:
            st.caption(f"{p.city_label}：未确定设区市，不能生成附件1。请在上方选择本批次所属设区市。")
            continue
        st.download_button(f"下载附件1 推荐汇总表（{p.city_label}，{len(p.included())} 个，.xlsx）",
                           data=bind(lambda p=p: annex1_bytes(p)),
                           file_name=f"附件1_推荐汇总表_{p.city_label}_{stamp}.xlsx", mime=XLSX,
                           icon=":material/download:", key=f"rk_annex1_{p.city}", on_click="ignore")
    st.download_button("下载评分工作簿（汇总表 + 每个候选对象的明细和建议，.xlsx）",
                       data=bind(lambda: score_workbook_bytes(rk, rob(), opinions)), file_name=f"遴选评分工作簿_{stamp}.xlsx",
                       mime=XLSX, icon=":material/download:", key="rk_workbook", on_click="ignore")
    st.caption("工作簿中申报单位填写的文字一律按文本保存，不会被当作公式执行。附件1只列入最终推荐名单（含人工调整）。"
               "每个候选对象的申请书（含推荐单位意见）在“推荐意见”中下载。")


# ---------------------------------------------------------------------------------------------------------------
# the view switch: only the chosen view is drawn


K_VIEW = "rk_view"
K_VIEW_KEEP = "_rk_view_keep"  # the choice outlives the widget (another page and back)
VIEWS = ("list", "city", "domain", "away", "ineligible", "conflicts", "robust", "opinion", "download")


def _view_labels(base: Ranking) -> dict[str, str]:
    return {"list": "推荐名单", "city": "本市排序", "domain": "分领域排序", "away": f"非本市（{len(base.out_of_city)}）",
            "ineligible": f"不合格（{len(base.ineligible)}）", "conflicts": f"冲突（{len(base.conflicts)}）",
            "robust": "排序稳健性", "opinion": "推荐意见", "download": "下载"}


def _keep_view() -> None:
    st.session_state[K_VIEW_KEEP] = st.session_state.get(K_VIEW)


def render_view_switch(base: Ranking) -> str:
    ss = st.session_state
    if ss.get(K_VIEW) not in VIEWS:
        ss[K_VIEW] = ss.get(K_VIEW_KEEP) if ss.get(K_VIEW_KEEP) in VIEWS else VIEWS[0]
    labels = _view_labels(base)
    view = st.radio("查看", VIEWS, format_func=lambda v: labels[v], horizontal=True, key=K_VIEW,
                    label_visibility="collapsed", on_change=_keep_view)
    return view if view in VIEWS else VIEWS[0]


# ---------------------------------------------------------------------------------------------------------------
# page


sidebar = page_setup()
st.session_state.pop(role.K_LAND, None)  # the official has landed here: 首页 no longer redirects in this session
st.title("遴选排序")
st.caption("供设区市工信局使用：载入本市收到的全部申请书，查看评分和排序、不满足硬性规则的对象和相互冲突，"
           "在名额内提出建议推荐名单，填写理由后调整，并导出附件1推荐汇总表和评分工作簿。")
filing.render(filing.OFFICIAL)  # what to submit, how many copies, how and by when (days left, or passed)
ob = batches.ensure_open()
render_load()
ob = batches.current()
err = batches.pop_error()
if err:
    st.error(_md(err), icon="⚠️")

if ob is None:
    st.info("尚未载入候选对象：请上传申报文件，或点击“加载演示批次”。", icon="ℹ️")
    st.caption(disclaimer())
    render_sidebar(sidebar)
    st.stop()

_offer_peers(ob)
render_import_report(ob)
mismatch = batches.pack_mismatch(ob)
if mismatch:
    st.warning(mismatch, icon="⚠️")
    if st.button("按当前批次重新评分", icon=":material/refresh:", key="rk_rescore") and ob.data.apps:
        _run(batches.stored_files(ob), ob.origin, f"{ob.name}（按当前批次重新评分）", ob.city)
        st.rerun()
if not ob.data.scores:
    st.error("没有可用的候选对象：所有文件均未能导入，请按上表修改后重新上传。", icon="❌")
    render_sidebar(sidebar)
    st.stop()

st.subheader("二、评分与排序")
options = [AUTO_CITY] + [c.value for c in City]
labels = {AUTO_CITY: "按申请书填写的所在设区市", **{c.value: c.label for c in City}}
st.selectbox("本批次所属设区市（决定名额、附件1的推荐单位和哪些候选对象属于本市）", options,
             index=options.index(ob.city) if ob.city in options else 0, format_func=lambda v: labels[v],
             key=f"rk_city_select_{ob.gen}",
             on_change=lambda: batches.set_city(st.session_state.get(f"rk_city_select_{ob.gen}") or AUTO_CITY))
city = ob.city
try:
    base = build_ranking(ob.data.scores, ob.data.conflicts, city or None)
except RubricError as e:
    st.error(f"名额或排序规则文件有误，无法排序：{_md(e)}")
    render_sidebar(sidebar)
    st.stop()

head = st.container()
view = render_view_switch(base)
if view == "list":
    decisions = render_editor(base, ob)
else:  # the editor is not drawn: the decisions saved with the batch
    decisions = dict(ob.decisions)
rk, errors = decided_ranking(base, decisions)
if view == "list":
    render_quota(rk, errors)
elif view == "city":
    st.caption("按申报类别在本市排序（不含不满足硬性规则者和非本市的候选对象）。并列处理：" + " → ".join(base.tie_rule) + "。")
    st.caption(f"“{CLAIMED_HEADER}”“{NOT_APPLICABLE_HEADER}”为申报单位本人的意见，不是本工具的判定；"
               "本人确认的要点已按已覆盖计入工作方案得分，请在评分工作簿的明细中按“判定来源”核实。")
    render_rank_tables(base.by_city, "没有参加排序的候选对象。")
elif view == "domain":
    render_rank_tables(base.by_type_domain, "没有参加排序的候选对象。")
elif view == "away":
    render_out_of_city(base)
elif view == "ineligible":
    render_ineligible(base)
elif view == "conflicts":
    render_conflicts(base)
elif view == "robust":
    render_robustness(base, robustness_later(base, ob.gen, city)())
elif view == "opinion":
    render_opinions(rk, ob)
else:
    render_downloads(rk, robustness_later(base, ob.gen, city), dict(ob.opinions))

with head:
    counts = summary_counts(rk)
    shown = [x for x in ("候选对象", "合格", "待确认", "不合格", "非本市", "冲突", "列入推荐名单")
             if x != "非本市" or counts.get(x)]
    for col, label in zip(st.columns(len(shown)), shown):
        col.metric(label, f"{counts.get(label, 0)} 个" if label != "冲突" else f"{counts.get(label, 0)} 项")
    if base.out_of_city:
        st.warning(f"有 {len(base.out_of_city)} 个候选对象的申请书填写的所在设区市不是{base.city_label}（"
                   + "、".join(f"{_md(r.name)}：{r.app_city_label}" for r in base.out_of_city)
                   + "），已标为“非本市”：不参加本市排序，不列入建议名单和附件1，除非在“推荐名单”中填写理由后人工纳入。",
                   icon="📍")
    bad = [q for p in rk.proposals for q in p.quota if not q.ok]
    if bad:
        st.error("推荐名单不符合名额：" + "；".join(f"{q.type_label}{q.state}" for q in bad) + "（见“推荐名单”）", icon="❌")

st.divider()
st.caption(disclaimer())
render_sidebar(sidebar)
