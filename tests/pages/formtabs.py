"""Tabs under AppTest: 填报 and 创建工作方案 draw only their open tab (pages.shared.tabs), so a test opens the tab a
field is on, as a user clicks it (the tabs' state is ``st.session_state["form_tab"]`` / ``["wp_tab"]``)."""

from __future__ import annotations

from typing import Any, Callable

FORM_TAB = "form_tab"
REQUIRED = " :red[*]"


WORKPLAN_TAB = "wp_tab"


def open_tab(at: Any, title: str, key: str = FORM_TAB) -> None:
    """Open a tab as a click does (the tabs' state; 填报's by default, 创建工作方案's with ``WORKPLAN_TAB``)."""
    at.session_state[key] = title
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def find(at: Any, kind: str, match: Callable[[Any], bool], what: str) -> Any:
    """The first ``at.<kind>`` widget for which ``match`` holds: on the open tab, else on the first tab that has it
    (which is then open)."""
    found = [w for w in getattr(at, kind) if match(w)]
    if found:
        return found[0]
    for title in [t.label for t in at.tabs]:
        open_tab(at, title)
        found = [w for w in getattr(at, kind) if match(w)]
        if found:
            return found[0]
    raise AssertionError(f"no {kind} {what} on any tab: {[t.label for t in at.tabs]}; {[w.label for w in getattr(at, kind)]}")


def by_label(at: Any, kind: str, label: str) -> Any:
    return find(at, kind, lambda w: str(w.label).removesuffix(REQUIRED) == label, f"labelled {label!r}")
