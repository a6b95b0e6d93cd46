"""填报, the tab 附件与意见: section 三、附件清单 of the form (the rule pack's items, in the form's order and
words, each marked 已附 / 尚未附 / 不适用 with a note), for an enterprise the awards and standards with its place among
all participants (附件清单 3 and 5), and section 四、推荐单位意见, read-only: the 推荐单位 writes it (on 遴选排序).

Every change goes through :func:`pages.shared.state.update_field` like the rest of the form; the two lists are data
editors saved with “保存本表” (a place after the last participant is refused with its Chinese message, the other cells
are saved). :func:`render_checklist_summary` is the compact checklist of 自评结果. Logic in
:mod:`scoring.rules.materials`; nothing is computed here.
"""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import streamlit as st

from pages.shared.display import md_escape
from pages.shared.state import Rejection, current_value, generation, get_app, get_app_json, rejected, update_field
from pages.shared.tables import SAVE_LABEL, _bump_editor, edited_cells, editor_key, try_cell
from scoring.application.attachments import AWARD_KINDS, MATERIAL_STATUS_LABELS, STANDARD_KINDS
from scoring.application.ids import ApplicantType
from scoring.application.models import AnyApplication
from scoring.application.numbers import NotANumber, number_text, parse_number

TAB_TITLE = "附件与意见"  # short: nine tabs fit in one row at 1280 px
STATUS_IDS = tuple(MATERIAL_STATUS_LABELS)
NOTE_HINT = "文件名，或不适用的理由"
LISTS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    # path: (title, name column, kind column, kinds)
    "award_entries": ("科技奖励清单", "奖励项目名称", "奖励类别及等级", AWARD_KINDS),
    "standard_entries": ("标准清单", "标准名称及编号", "标准类别", STANDARD_KINDS),
}
COL_RANK, COL_TOTAL = "本企业排序（第几位）", "参与单位总数（家）"
MIN_ROWS = 5


def _wkey(path: str) -> str:
    return f"f{generation()}.{path}"


def _set_item(item_id: str) -> None:
    """Save one checklist item from its two widgets; an item back to 尚未附 without a note is simply not set."""
    ss = st.session_state
    status = ss.get(_wkey(f"materials.{item_id}.status")) or "pending"
    note = str(ss.get(_wkey(f"materials.{item_id}.note")) or "")
    items = copy.deepcopy(current_value("materials") or {})
    if status == "pending" and not note.strip():
        items.pop(item_id, None)
    else:
        items[item_id] = {"status": status, "note": note}
    errors = update_field("materials", items)
    if errors:
        rejected()[f"materials.{item_id}"] = rejected().pop("materials")


def _rows(path: str) -> list[dict[str, Any]]:
    return list(copy.deepcopy(current_value(path) or []))


def _blank() -> dict[str, Any]:
    return {"name": "", "kind": None, "rank": None, "participants": None}


def _padded(path: str) -> list[dict[str, Any]]:
    rows = [{**_blank(), **r} for r in _rows(path)]
    size = max(MIN_ROWS, len(rows) + 2)  # two empty rows to add to
    return rows + [_blank() for _ in range(size - len(rows))]


def _compact(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("name") or r.get("kind") or r.get("rank") is not None
            or r.get("participants") is not None]


def apply_list_edits(path: str) -> None:
    """The list's “保存本表”: every cell checked on its own; a refused one is named, the others are saved."""
    key = editor_key(path)
    rows = _padded(path)
    cells = edited_cells(key, len(rows))
    if cells is None:
        return
    title, name_col, kind_col, kinds = LISTS[path]
    by_label = {label: k for k, label in kinds.items()}
    data = get_app_json() or {}
    rej = rejected()
    for i, col, val in cells:
        field = {name_col: "name", kind_col: "kind", COL_RANK: "rank", COL_TOTAL: "participants"}.get(col)
        if field is None:
            continue
        cell_path = f"{path}.{i}.{field}"
        v: Any
        if field in ("rank", "participants"):
            try:
                v = parse_number(val, "")
            except NotANumber as e:
                rej[cell_path] = Rejection(raw=str(val), messages=[f"{title} 第 {i + 1} 行 · {col}：{e}"])
                continue
        elif field == "kind":
            v = by_label.get(str(val), None) if val not in (None, "") else None
        else:
            v = "" if val is None else str(val)
        rows, errors = try_cell(data, path, rows, i, field, v, _compact)
        if errors:
            rej[cell_path] = Rejection(raw=val, messages=errors)
        else:
            rej.pop(cell_path, None)
    update_field(path, _compact(rows))
    _bump_editor(path, key)


def _list_editor(path: str) -> None:
    title, name_col, kind_col, kinds = LISTS[path]
    key = editor_key(path)
    recs = []
    for r in _padded(path):
        recs.append({name_col: r.get("name") or "", kind_col: kinds.get(r.get("kind") or "", None),
                     COL_RANK: number_text(r.get("rank")), COL_TOTAL: number_text(r.get("participants"))})
    df = pd.DataFrame(recs, columns=[name_col, kind_col, COL_RANK, COL_TOTAL])
    cfg = {name_col: st.column_config.TextColumn(name_col, width="large", max_chars=200),
           kind_col: st.column_config.SelectboxColumn(kind_col, options=list(kinds.values()), width="medium"),
           COL_RANK: st.column_config.TextColumn(COL_RANK, help="本企业在所有参与单位中排第几（整数，不小于 1）"),
           COL_TOTAL: st.column_config.TextColumn(COL_TOTAL, help="所有参与单位的数量（含本企业）")}
    st.markdown(f"**{title}**（需要明确企业在所有参与单位中的排序，如“第 2 / 共 5 家”）")
    with st.form(f"form.{key}", border=False, enter_to_submit=False):
        st.data_editor(df, key=key, hide_index=True, num_rows="fixed", column_config=cfg, width="stretch")
        st.caption("每行一项；空行不计入，保存后会多留两行空行。排序不能大于参与单位总数。")
        st.form_submit_button(SAVE_LABEL, type="primary", icon=":material/save:")
    for p, r in list(rejected().items()):
        if p.startswith(path + ".") or p == path:
            st.error(f"输入未保存：{md_escape(r.text)}", icon="🚫")




def _checklist(app: AnyApplication) -> None:
    from scoring.programme.rubric import RubricError
    from scoring.rules.materials import check_materials

    try:
        cl = check_materials(app)
    except RubricError as e:
        st.warning(f"所选申报批次没有可用的附件清单，无法列出（{md_escape(str(e))}）。", icon="⚠️")
        return
    st.subheader(cl.title)
    st.caption(f"{cl.intro}（按申请书原文逐项列出。请标明每项是否已附，并写明文件名或不适用的理由；"
               "“尚未附”的项目在自评结果中列为提交前的待办，不影响申报资格。）")
    st.caption(cl.summary)
    for r in cl.rows:
        c1, c2, c3 = st.columns([5, 3, 3], vertical_alignment="center")
        c1.markdown(md_escape(r.label))
        c2.radio(f"{r.label} · 状态", STATUS_IDS, index=STATUS_IDS.index(r.status), horizontal=True,
                 format_func=MATERIAL_STATUS_LABELS.get, key=_wkey(f"materials.{r.id}.status"),
                 label_visibility="collapsed", on_change=_set_item, args=(r.id,))
        c3.text_input(f"{r.label} · 说明", value=r.note, key=_wkey(f"materials.{r.id}.note"), max_chars=500,
                      placeholder=NOTE_HINT, label_visibility="collapsed", on_change=_set_item, args=(r.id,))
        rej = rejected().get(f"materials.{r.id}")
        if rej is not None:
            st.error(f"输入未保存：{md_escape(rej.text)}", icon="🚫")
        if r.ranks:
            _list_editor(r.ranks)
    for t in cl.rank_todos:
        st.info(md_escape(t), icon="ℹ️")
    if cl.unknown:
        st.caption("申报数据中另有本批次清单没有的项目（可能来自其他申报批次，已原样保留）：" + md_escape("、".join(cl.unknown)))


def _opinion(app: AnyApplication) -> None:
    op = app.recommender_opinion
    st.subheader("四、推荐单位意见")
    if op.is_empty:
        st.info("由推荐单位填写并盖章，申报单位不填。设区市工信局可在“遴选排序”中为每个候选对象填写，"
                "并写入其导出的申请书。", icon="ℹ️")
        return
    st.caption("由推荐单位填写（随申报文件导入），此处只读。")
    st.text_area("推荐意见", value=op.text, disabled=True, key=_wkey("recommender_opinion.text"))
    st.caption(f"日期：{op.date_text.strip() if op.date else '未填'}")


def render_checklist_summary(app: AnyApplication) -> None:
    """自评结果: the counts 已附 / 尚未附 / 不适用 and what is still missing, named — a 待办 before submitting, never
    a failed rule of eligibility."""
    from scoring.programme.rubric import RubricError
    from scoring.rules.materials import check_materials

    st.subheader("附件清单（提交前待办）")
    try:
        cl = check_materials(app)
    except RubricError as e:
        st.caption(f"所选申报批次没有可用的附件清单（{md_escape(str(e))}）。")
        return
    for col, (label, n) in zip(st.columns(len(cl.counts)), cl.counts.items()):
        col.metric(label, f"{n} 项")
    if cl.missing:
        st.warning(f"尚未附 {len(cl.missing)} 项：" + "；".join(md_escape(r.label) for r in cl.missing)
                   + "。这是提交前的待办，不影响申报资格。", icon="📎")
    else:
        st.success("附件清单各项均已标明已附或不适用。", icon="✅")
    for t in [f"{r.label}：{x}" for r in cl.rows for x in r.todo if r.status != "pending"] + list(cl.rank_todos):
        st.info(md_escape(t), icon="ℹ️")
    st.page_link("pages/form.py", label=f"到“填报”页的“{TAB_TITLE}”中标明", icon=":material/attach_file:")


def render_materials_tab(app: AnyApplication) -> None:
    """The tab's content; the lists saved with “保存本表” are applied first (they only change this tab)."""
    if ApplicantType.parse(app.type) is ApplicantType.ENTERPRISE:
        for path in LISTS:
            apply_list_edits(path)
        app = get_app() or app
    with st.container(border=True):
        _checklist(app)
    with st.container(border=True):
        _opinion(app)


__all__ = ["TAB_TITLE", "apply_list_edits", "render_checklist_summary", "render_materials_tab"]
