"""Tabs that draw only the open one and remember it; expanders that draw their content only while open.

A page with many widgets per tab (填报, 创建工作方案) drew every tab on every run, which made each action slow. With
these tabs a switch is a rerun that draws only the tab chosen; the choice is kept while the page is open (the
tabs' widget state, ``key``) and when the page is left and opened again (``<key>.kept``; Streamlit drops a widget's
state once a run does not draw it).
"""

from __future__ import annotations

from typing import Any, Sequence

import streamlit as st


def _kept(key: str) -> str:
    return f"_{key}.kept"


def _remember(key: str) -> None:
    st.session_state[_kept(key)] = st.session_state.get(key)


def remembered_tabs(titles: Sequence[str], key: str) -> list[Any]:
    """``st.tabs`` whose containers say whether they are open (``tab.open``); draw a tab only when it is."""
    titles = list(titles)
    if st.session_state.get(key) not in titles:
        st.session_state.pop(key, None)
        if st.session_state.get(_kept(key)) in titles:
            st.session_state[key] = st.session_state[_kept(key)]
    return list(st.tabs(titles, key=key, on_change=_remember, args=(key,)))


def lazy_expander(label: str, key: str, expanded: bool = False) -> Any:
    """``st.expander`` that tracks whether it is open (``key``): opening or closing it is a rerun, so a collapsed
    expander's content need not be drawn (``is_open``). It stays open across reruns while the page is open."""
    return st.expander(label, expanded=expanded, key=key, on_change="rerun")


def is_open(container: Any) -> bool:
    """True for the open tab or expander (and for every one that does not track its state)."""
    return container.open is not False
