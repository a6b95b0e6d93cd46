"""Formatting for the pages: values with units, points, status icons, an application's one-line caption, and the
large-type CSS for a projector."""

from __future__ import annotations

from typing import Optional

import streamlit as st

from scoring.application.derived import fmt
from scoring.application.ids import ApplicantType, Domain
from scoring.application.models import AnyApplication

STATUS_ICON: dict[str, str] = {"满足": "✅", "不满足": "❌", "待确认": "⚠️"}
EMPTY = "—"
UNFILLED = "未填"


def fmt_value(value: Optional[float], unit: str = "", empty: str = EMPTY) -> str:
    """``12.5亿元``, ``60%``; a missing value is ``—`` (or ``未填``), never ``None``."""
    if value is None:
        return empty
    return f"{fmt(value)}{unit}"


def fmt_points(points: float, max_points: Optional[float] = None) -> str:
    p = f"{points:.2f}".rstrip("0").rstrip(".")
    if max_points is None:
        return p
    m = f"{max_points:.2f}".rstrip("0").rstrip(".")
    return f"{p} / {m}"


def status_icon(status: str) -> str:
    return STATUS_ICON.get(status, "")


def md_escape(text: str) -> str:
    """Applicant text shown inside Markdown (captions, st.markdown, st.error, labels, help): every markup character
    is shown as typed, so a name like ``**x**`` or ``![](http://…)`` is never bold text or a fetched image."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]()<>#+-.!|~$=":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\r", " ").replace("\n", " ")


def app_caption(app: AnyApplication) -> str:
    """``类别 · 领域 · 名称`` for Markdown (the name escaped)."""
    t = ApplicantType.parse(app.type)
    return f"{t.label} · {Domain.parse(app.domain).label} · {md_escape(app.display_name or '（未命名）')}"


PROJECTOR_CSS = """
<style>
html { font-size: clamp(20px, 1.3vw, 28px); }
[data-testid="stAppDeployButton"], [data-testid="stMainMenu"], [data-testid="stToolbarActions"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>
"""


def projector_style() -> None:
    """Large type for a projector (大屏演示 / 演示模式); static CSS only, no user text."""
    st.html(PROJECTOR_CSS)


def score_bars_html(title: str, rows: list[tuple[str, float, float, str]], color: str = "#1f4e99") -> str:
    """Horizontal bars as static HTML (no chart library to load): one row per (label, points, full mark, text).

    As on a shared axis, each track is as long as its full mark relative to the largest one and filled to the
    points; sizes are in rem, so 大屏演示's larger type scales them too. Every text is HTML-escaped."""
    import html

    top = max((m for _, _, m, _ in rows), default=0.0) or 1.0
    out = [f'<div role="list" aria-label="{html.escape(title)}" style="margin:0.2rem 0 0.8rem 0">',
           f'<div style="font-weight:600;margin-bottom:0.5rem">{html.escape(title)}</div>']
    for label, points, full, text in rows:
        track = max(0.0, min(1.0, full / top)) * 100
        fill = max(0.0, min(1.0, points / full)) * 100 if full > 0 else 0.0
        out.append(
            '<div role="listitem" style="display:grid;grid-template-columns:minmax(7rem,14rem) 1fr 7rem;'
            'align-items:center;gap:0.75rem;margin:0.35rem 0">'
            f'<span>{html.escape(label)}</span>'
            f'<span style="display:block;width:{track:.1f}%;height:1.1rem;background:#d9e1ee;border-radius:3px">'
            f'<span style="display:block;width:{fill:.1f}%;height:100%;background:{color};border-radius:3px">'
            '</span></span>'
            f'<span style="white-space:nowrap">{html.escape(text)}</span></div>')
    out.append("</div>")
    return "".join(out)


BASE_CSS = """
<style>
/* captions: #4a5263 on white is about 8:1 (Streamlit's default grey is about 4.4:1) */
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] [data-testid="stTooltipHoverTarget"] { color: #4a5263; }
/* the uploader's English hint (its own size limit) is replaced by our caption with the limit per file type */
[data-testid="stFileUploaderDropzoneInstructions"] > div > small,
[data-testid="stFileUploaderDropzoneInstructions"] > div > span + small { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > span { visibility: hidden; position: relative; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > span::after {
  content: "将文件拖到此处"; visibility: visible; position: absolute; left: 0; top: 0; white-space: nowrap; }
/* the chosen files: Streamlit scrolls them in two rows (the 9th file was hidden); show about six rows */
[data-testid="stFileChips"] { max-height: 18rem !important; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] {
  display: none; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after {
  content: "选择文件"; font-size: 1rem; }
/* a dropdown whose search matches nothing: Streamlit's "No results" in Chinese (react-aria marks the list empty) */
[role="listbox"][data-empty="true"] [role="option"] > span { font-size: 0; }
[role="listbox"][data-empty="true"] [role="option"] > span::after { content: "没有匹配的选项"; font-size: 0.875rem; }
/* Streamlit's default placeholders ("Choose an option", seen when the search box is emptied) in Chinese; a page's
   own placeholder is left alone */
input[placeholder="Choose an option"]::placeholder, input[placeholder="Choose options"]::placeholder {
  color: transparent; }
[role="group"]:has(> input[placeholder="Choose an option"]:placeholder-shown),
[role="group"]:has(> input[placeholder="Choose options"]:placeholder-shown) { position: relative; }
[role="group"]:has(> input[placeholder="Choose an option"]:placeholder-shown)::before,
[role="group"]:has(> input[placeholder="Choose options"]:placeholder-shown)::before {
  content: "请选择（可输入文字搜索）"; position: absolute; left: 0.5rem; top: 50%; transform: translateY(-50%);
  font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); pointer-events: none; white-space: nowrap; }
</style>
"""


def base_style() -> None:
    """Every page: readable captions, a Chinese file uploader and Chinese dropdown texts; static CSS only."""
    st.html(BASE_CSS)
