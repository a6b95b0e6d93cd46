"""The user's role (申报单位, 设区市工信局, 培训演示), remembered in the workspace store, and what follows from it.

The role lives in session state (``state.K_ROLE``) for the pages and in the workspace's preferences
(:class:`scoring.store.batches.BatchStore`) so that it survives F5 and a restart. :func:`load` (called by
``page_setup`` after the workspace is known) reads it once per session. 演示模式 sets its own role in session state
only; it is never saved.

For 设区市工信局 the sidebar shows the open selection batch instead of the applicant's draft
(:func:`render_batch_status`), and choosing the role lands on 遴选排序.
"""

from __future__ import annotations

import sqlite3
from typing import Optional

import streamlit as st

from pages.shared import persist, state
from scoring.store.drafts import StoreError, format_time

OFFICIAL = "设区市工信局"
APPLICANT = "申报单位"
PREF_ROLE = "role"
K_LOADED = "_role_loaded_for"
K_LAND = "_role_land"             # set when a session starts as 设区市工信局: 首页 sends it on to 遴选排序 once
K_BATCH_ID = "rk_batch_id"        # id of the open saved batch (遴选排序)
K_BATCH_LABEL = "rk_batch_label"  # (name, city label, candidates, saved time) for the sidebar
RANKING_PAGE = "pages/ranking.py"


def batch_store():  # type: ignore[no-untyped-def]
    """The batch store next to the drafts (:func:`pages.shared.persist.batch_store`)."""
    return persist.batch_store()


def workspace_id() -> Optional[str]:
    ws = persist.workspace()
    return ws.id if ws is not None else None


def load() -> None:
    """Once per session and workspace: the remembered role (if any) becomes the session's role."""
    ss = st.session_state
    ws = workspace_id()
    if ws is None or ss.get(K_LOADED) == ws:
        return
    ss[K_LOADED] = ws
    try:
        saved = batch_store().get_pref(ws, PREF_ROLE)
    except (StoreError, sqlite3.Error, OSError):
        return
    if saved in state.ROLES and ss.get(state.K_ROLE) != "培训演示":
        ss[state.K_ROLE] = saved
        if saved == OFFICIAL:
            ss[K_LAND] = True


def get() -> str:
    role = st.session_state.get(state.K_ROLE, APPLICANT)
    return role if role in state.ROLES else APPLICANT


def set(role: str) -> None:  # noqa: A001 - role.set reads well at the call sites
    """The session's role, saved in the workspace (errors of the store leave the session's choice in place)."""
    if role not in state.ROLES:
        return
    st.session_state[state.K_ROLE] = role
    ws = workspace_id()
    if ws is None:
        return
    try:
        batch_store().set_pref(ws, PREF_ROLE, role)
    except (StoreError, sqlite3.Error, OSError) as e:
        st.session_state["_role_error"] = f"身份未能保存（刷新后可能恢复为原身份）：{e}"


def is_official() -> bool:
    return get() == OFFICIAL


def set_open_batch(batch_id: Optional[str], name: str = "", city: str = "", n: int = 0, saved: str = "") -> None:
    ss = st.session_state
    if batch_id is None:
        ss.pop(K_BATCH_ID, None)
        ss.pop(K_BATCH_LABEL, None)
        return
    ss[K_BATCH_ID] = batch_id
    ss[K_BATCH_LABEL] = (name, city, n, format_time(saved) if saved else "")


def render_batch_status() -> None:
    """Sidebar of 设区市工信局: the open batch (or how to start one) instead of the applicant's draft."""
    st.markdown("**当前批次**")
    label = st.session_state.get(K_BATCH_LABEL)
    if not label:
        st.caption("尚未打开批次。请在“遴选排序”页载入申报文件或打开已保存的批次。")
    else:
        name, city, n, saved = label
        st.markdown(f"名称：{persist.md_escape(name)}  \n所属设区市：{city or '按申请书填写'}  \n候选对象：{n} 个")
        if saved:
            st.caption(f"已保存于 {saved}（每次调整都会自动保存）")
    st.page_link(RANKING_PAGE, label="前往遴选排序", icon=":material/format_list_numbered:")
    err = st.session_state.pop("_role_error", None)
    if err:
        st.warning(err, icon="⚠️")
