"""申报程序与报送要求 (通知三) where people act on them: the deadline with the days left, or plainly that it has
passed; for the applicant what comes first (经所在地工信部门确认满足创建基本条件后) and the 推荐单位 line; for the
设区市工信局 what to submit, how many copies, how and by when. Drawn from the pack in use through
:func:`scoring.programme.filing.filing_rules`; used by 首页, 我的申报 and 遴选排序.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional, Sequence

import streamlit as st

from scoring.programme.filing import FilingRules, filing_rules
from scoring.programme.rubric import RubricError

Audience = Literal["applicant", "official"]
APPLICANT: Audience = "applicant"
OFFICIAL: Audience = "official"
TITLE = "申报程序与报送要求（通知三）"


def rules(today: Optional[date] = None) -> Optional[FilingRules]:
    """The filing rules of the pack in use (``None`` when no pack can be read)."""
    try:
        return filing_rules(today=today)
    except RubricError:
        return None


def status_text(r: FilingRules, audience: Audience) -> str:
    """The deadline state as one notice, with what it means for this reader."""
    if r.passed:
        tail = ("本批次报送已截止：仍可用本工具自评、准备材料，请向所在地工信部门确认是否有新的申报批次。"
                if audience == APPLICANT else "本批次报送已截止：如有新的申报批次，请按新通知的要求和期限报送。")
    elif audience == APPLICANT:
        tail = "这是设区市工信部门向省工信厅报送的期限；申报单位向所在地工信部门提交的时间以其安排为准。"
    else:
        tail = f"{r.submission.source}：{r.submission.text}"
    return f"{r.status}。{tail}"


def detail_lines(r: FilingRules, audience: Audience) -> list[str]:
    """The notice's sentences (with their sources) as Markdown list items, in the order this reader needs them."""
    lines: list[str] = []
    if audience == OFFICIAL:
        lines += [f"- **{k}**：{v}" for k, v in r.checklist]
        lines.append(f"- 报送要求原文（{r.submission.source}）：{r.submission.text}")
        if r.precondition is not None:
            lines.append(f"- 申报前提（{r.precondition.source}）：{r.precondition.text}")
    else:
        lines.append(f"- 推荐单位（{r.recommender.source}）：{r.recommender.text}")
        lines.append(f"- 报送要求（{r.submission.source}）：{r.submission.text}")
    if r.contact is not None:
        lines.append(f"- 联系人：{r.contact.text}")
    return lines


def render(audience: Audience, *, expanded: Optional[bool] = None, today: Optional[date] = None,
           title: str = TITLE, extra: Sequence[str] = (), footer: str = "") -> Optional[FilingRules]:
    """The deadline state (a warning once passed), the applicant's precondition beneath it, and in an expander the
    notice's filing rules (open for the 设区市工信局 while the call is open, unless ``expanded`` says otherwise), after
    the page's own ``extra`` lines and before its ``footer``."""
    r = rules(today)
    if r is None:
        return None
    (st.warning if r.passed else st.info)(status_text(r, audience), icon=":material/event:")
    if audience == APPLICANT and r.precondition is not None:
        st.caption(f"申报前提（{r.precondition.source}）：{r.precondition.text}")
    if expanded is None:
        expanded = audience == OFFICIAL and not r.passed
    with st.expander(title, expanded=expanded):
        st.markdown("\n".join([*extra, *detail_lines(r, audience)]))
        if r.note and audience == APPLICANT:
            st.caption(r.note)
        if footer:
            st.caption(footer)
    return r
