"""推荐意见 on 遴选排序: the 推荐单位 writes section 四、推荐单位意见 (opinion and date) per candidate; each change is
saved with the batch at once (:func:`pages.shared.batch_session.save_opinion`) and printed in that candidate's Word
申请书, downloaded here. The candidate's 附件清单 is summed up beside it, for the check of completeness (通知三（二））.

Logic in :mod:`scoring.selection.opinions` and :mod:`scoring.rules.materials`; this view only draws.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional

import streamlit as st
from pydantic import ValidationError

from pages.shared import batch_session as batches
from pages.shared.display import md_escape
from pages.shared.pack_choice import bind
from scoring.application.attachments import RecommenderOpinion
from scoring.application.errors import format_validation_error
from scoring.application.models import parse_application
from scoring.selection.opinions import MAX_OPINION_CHARS, candidate_docx, opinion_of
from scoring.selection.ranking import Ranking

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DATE_MIN = dt.date(2020, 1, 1)
DATE_MAX = dt.date(2035, 12, 31)
K_ERROR = "_rk_opinion_error"
NOTE = ("申请书第四部分“推荐单位意见”由推荐单位填写并盖章，申报单位不填。每项修改随批次自动保存，并写入下载的该候选对象 Word "
        "申请书（“[章]”旁为日期）；附件1推荐汇总表只有官方规定的栏目，不含意见，评分工作簿中列出。"
        "通知规定申请书首页推荐单位统一填写“福建省工业和信息化厅”，未说明第四部分由哪一级填写；如省厅另有要求，以其为准。")


def _key(gen: int, cid: str, what: str) -> str:
    return f"rk_op_{gen}_{cid}_{what}"


def _on_change(gen: int, cid: str) -> None:
    ss = st.session_state
    text = str(ss.get(_key(gen, cid, "text")) or "")
    date = ss.get(_key(gen, cid, "date"))
    try:
        op = RecommenderOpinion(text=text, date=date if isinstance(date, dt.date) else None)
    except ValidationError as e:
        ss[K_ERROR] = f"“{cid}”的推荐单位意见未保存：" + "；".join(format_validation_error(e, RecommenderOpinion))
        return
    ss.pop(K_ERROR, None)
    batches.save_opinion(cid, op)


def _file_name(cid: str, name: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_")[:40] or "未命名"
    return f"{cid}_{safe}_创建申请书.docx"


def _checklist_line(app_json: dict[str, Any]) -> Optional[str]:
    from scoring.programme.rubric import RubricError
    from scoring.rules.materials import check_materials

    try:
        cl = check_materials(parse_application(app_json))
    except (RubricError, ValidationError, ValueError):
        return None
    missing = "、".join(f"{r.number}.{r.text[:18]}{'…' if len(r.text) > 18 else ''}" for r in cl.missing)
    more = f"；另有待办 {len(cl.rank_todos)} 项（奖励、标准的排序）" if cl.rank_todos else ""
    return f"附件清单：{cl.summary}" + (f"。尚未附：{missing}" if missing else "") + more


def _order(rk: Ranking) -> list[tuple[str, str, bool]]:
    """(cid, decision, included): the final list first (Annex 1 order), then the others by their rows."""
    seen: set[str] = set()
    out: list[tuple[str, str, bool]] = []
    for p in rk.proposals:
        for r in p.included():
            if r.cid not in seen:
                seen.add(r.cid)
                out.append((r.cid, r.decision, True))
    for p in rk.proposals:
        for r in p.rows:
            if r.cid not in seen:
                seen.add(r.cid)
                out.append((r.cid, r.decision, False))
    for s in rk.scores:
        if s.cid not in seen:
            seen.add(s.cid)
            out.append((s.cid, "—", False))
    return out


def render_opinions(rk: Ranking, ob: batches.OpenBatch) -> None:
    st.caption(NOTE)
    recommenders = sorted({p.recommender for p in rk.proposals if p.recommender})
    if recommenders:
        st.caption("本批次的推荐单位（名额规则）：" + "、".join(recommenders))
    err = st.session_state.get(K_ERROR)
    if err:
        st.error(md_escape(err), icon="🚫")
    scores = {s.cid: s for s in rk.scores}
    for cid, decision, included in _order(rk):
        s = scores.get(cid)
        if s is None:
            continue
        app_json = ob.data.apps.get(cid)
        op = opinion_of(cid, ob.opinions, app_json)
        state = "已填写意见" if op.text.strip() else "未填写意见"
        head = f"{cid} {s.name or '（未命名）'}（{s.type_label} · {s.domain_label}）· " \
               f"{'列入推荐名单' if included else '未列入'} · {state}"
        with st.expander(md_escape(head), expanded=False):
            line = _checklist_line(app_json) if app_json else None
            if line:
                st.caption(md_escape(line))
            st.text_area("推荐意见", value=op.text, key=_key(ob.gen, cid, "text"), max_chars=MAX_OPINION_CHARS,
                         height=120, on_change=_on_change, args=(ob.gen, cid),
                         placeholder="例如：经审核，该单位申报材料真实、完整，符合创建基本条件，同意推荐。")
            c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
            c1.date_input("日期", value=op.date, min_value=DATE_MIN, max_value=DATE_MAX, format="YYYY-MM-DD",
                          key=_key(ob.gen, cid, "date"), on_change=_on_change, args=(ob.gen, cid))
            if app_json:
                c2.download_button("下载申请书（含推荐单位意见，.docx）",
                                   data=bind(lambda a=app_json, o=op: candidate_docx(a, o)),
                                   file_name=_file_name(cid, s.name), mime=DOCX, icon=":material/download:",
                                   key=_key(ob.gen, cid, "docx"), on_click="ignore")
            else:
                c2.caption("本批次未保存该候选对象的申报数据（较早版本保存的批次），无法生成申请书；请重新载入申报文件。")
            st.caption(f"本工具的推荐状态：{decision}")


__all__ = ["render_opinions"]
