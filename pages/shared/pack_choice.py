"""政策/申报批次: which rule pack (``rubrics/<pack>/``) this session scores with.

The choice is kept in the session's state (``K_PACK``; absent = the default pack) and told to
:mod:`scoring.programme.packs` through a resolver that reads the state of the session whose script runs in the
current thread — so widget callbacks (which run before the page script) and the page itself both use it, and two
users of one server never see each other's choice. :func:`apply` checks the choice at the start of every page run.
Cached functions that read rubrics take :func:`scoring.programme.packs.pack_key` as an argument.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Optional, TypeVar

import streamlit as st

from scoring.programme.packs import (PackInfo, active_pack, chosen_pack, default_pack, list_packs, set_context_resolver,
                                     use_pack)
from scoring.programme.rubric import RubricError

K_PACK = "pack_id"
K_NOTE = "_pack_note"
_WIDGET = "_pack_select"
_T = TypeVar("_T")


def _session_pack() -> Optional[str]:
    """The pack chosen by the session running in this thread (``None``: outside a script run, or no choice)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    try:
        return st.session_state.get(K_PACK) or None
    except Exception:  # session state not available (e.g. while the session is being torn down)
        return None


set_context_resolver(_session_pack)


def apply() -> None:
    """Start of a page run: the session's choice is checked; a pack that is no longer there falls back to the default
    (with a note in the sidebar)."""
    chosen = st.session_state.get(K_PACK)
    if not chosen:
        return
    try:
        ids = {p.id for p in list_packs()}
    except RubricError:
        return
    if chosen not in ids:
        st.session_state.pop(K_PACK, None)
        st.session_state[K_NOTE] = f"所选规则包“{chosen}”已不存在，已改用默认规则包。"


def current() -> Optional[PackInfo]:
    """The pack in use for this session (``None`` when no pack can be read)."""
    try:
        return active_pack()
    except RubricError:
        return None


def bind(fn: Callable[..., _T]) -> Callable[..., _T]:
    """``fn`` for later, perhaps outside a script run (a deferred download runs in a server thread that knows no
    session): it reads the rule pack in use now."""
    chosen = chosen_pack()

    def run(*args: Any, **kwargs: Any) -> _T:
        with use_pack(chosen):
            return fn(*args, **kwargs)
    return run


def _on_choose() -> None:
    picked = st.session_state.get(_WIDGET)
    try:
        default_id = default_pack().id
    except RubricError:
        default_id = ""
    if not picked or picked == default_id:
        st.session_state.pop(K_PACK, None)  # the default: also follows SFJD_RUBRIC_DIR / a newer pack later
    else:
        st.session_state[K_PACK] = picked


def deadline_line(p: PackInfo, today: Optional[date] = None) -> str:
    """``报送截止：2026年4月4日（已截止）`` etc."""
    n = p.days_left(today)
    state = "已截止" if n < 0 else "今天截止" if n == 0 else f"还剩 {n} 天"
    return f"报送截止：{p.deadline.text}（{state}）"


def render() -> None:
    """The chooser (two or more packs) or the pack's name as text (one), with its deadline."""
    note = st.session_state.pop(K_NOTE, None)
    if note:
        st.warning(note, icon="⚠️")
    try:
        packs = list_packs()
        cur = active_pack()
    except RubricError as e:
        st.caption(f"政策/申报批次：规则包无法读取（{e}）")
        return
    if len(packs) >= 2:
        ids = [p.id for p in packs]
        labels = {p.id: p.name for p in packs}
        st.selectbox("政策/申报批次", ids, index=ids.index(cur.id) if cur.id in ids else 0, key=_WIDGET,
                     format_func=lambda v: labels.get(v, v), on_change=_on_choose,
                     help="选择按哪一份通知（省份、年份、批次）的规则评分：资格规则、指标权重、评价要点、推荐名额等"
                          "随之改变。只对本会话有效。")
    else:
        st.caption(f"政策/申报批次：{cur.name}")
    st.caption(deadline_line(cur))
