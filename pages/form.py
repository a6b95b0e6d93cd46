"""填报: every field of Annex 2 (park) or Annex 3 (enterprise), in the form's order and wording.

The layout comes from :func:`scoring.application.formspec.form_spec` (built from the models' titles and units). Each widget
writes through :func:`pages.shared.common.update_field` in its on_change callback: a valid change is kept, an invalid one
is shown with its Chinese message and the saved value stays. Computed values (growth, shares, averages, 加权数量)
come from :func:`scoring.assessment.engine.derive` and are read-only, except the values whose typed figure counts
(:data:`scoring.application.derived.TYPED_FIRST`: the de-duplicated 加权数量 and 智能工厂占比): these are typed here,
with the computed value beside them as an estimate (used only when nothing is typed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from pages.shared.common import derive_app, page_setup, render_sidebar
from pages.shared.display import EMPTY, UNFILLED, app_caption, md_escape
from pages.shared.state import Rejection, current_value, generation, get_app, rejected, update_field
from pages.shared.tabs import is_open, remembered_tabs
from pages.shared.tables import apply_pending_edits, computed_frame, list_editor, series_editor
from pages.shared import workshop
from pages.shared.materials_form import TAB_TITLE as MATERIALS_TAB, render_materials_tab
from scoring.application.derived import (DEDUP_RULES, ESTIMATE_ASSUMED, ESTIMATE_SUM, TYPED_FIRST, YEAR_KEYS,
                                         DerivedResult, Metric, fmt)
from scoring.application.formspec import (YEAR_COLUMNS, DerivedValue, FieldSpec, ListTable, SeriesTable, field_applies,
                                          form_spec)
from scoring.application.ids import AiKind, ApplicantType, Domain
from scoring.application.required import credit_code_problem, missing_required, required_paths

TRI = ("未填", "是", "否")
DATE_MIN = dt.date(1949, 10, 1)
DATE_MAX = dt.date(2035, 12, 31)
SHORT_KINDS = {"text", "int", "float", "date", "choice", "tristate", "bool"}


# ---------------------------------------------------------------------------------------------------------------
# widget keys and conversions


def wkey(path: str) -> str:
    return f"f{generation()}.{path}"


def _to_json(kind: str, v: Any) -> Any:
    if kind == "date":
        return v.isoformat() if isinstance(v, dt.date) else None
    if kind == "tristate":
        return {"是": True, "否": False}.get(v)
    if kind == "multichoice":
        return list(v or [])
    if kind == "text" or kind == "textarea":
        return "" if v is None else str(v)
    return v


K_DOMAIN_CHANGE = "_domain_changed"
K_TAB = "form_tab"  # the open tab (pages.shared.tabs)
K_KIND_CHANGE = "_ai_kind_changed"
REQUIRED_MARK = " :red[*]"


def _on_field(path: str, key: str, kind: str) -> None:
    old = current_value(path)
    errors = update_field(path, _to_json(kind, st.session_state.get(key)))
    if path == "domain" and not errors and current_value(path) != old and old:
        st.session_state[K_DOMAIN_CHANGE] = (str(old), str(current_value(path)))
    if path == "ai_kind" and not errors and current_value(path) != old and old and current_value(path):
        st.session_state[K_KIND_CHANGE] = (str(old), str(current_value(path)))


def domain_change_notice() -> None:
    """After the domain was changed: say plainly what is now judged against what (for the rest of the session)."""
    change = st.session_state.get(K_DOMAIN_CHANGE)
    if not change:
        return
    old, new = (Domain.parse(d).label for d in change)
    st.warning(f"申报创建领域已由“{old}”改为“{new}”：创建工作方案从现在起按“{new}”领域的评价要点评分，"
               f"得分和改进建议随之变化；针对“{old}”领域要点的本人确认不再计分（自评结果中会逐条提示）。"
               "如改错了，可改回原领域，或在“我的申报”中恢复之前的版本。", icon="⚠️")


def kind_change_notice() -> None:
    """After the kind of AI enterprise was changed: the work plan is now judged on the other kind's points."""
    change = st.session_state.get(K_KIND_CHANGE)
    app = get_app()
    if not change or app is None or str(getattr(app, "ai_kind", None) or "") != change[1]:
        return
    old, new = (AiKind.parse(k).label for k in change)
    st.warning(f"企业类型已由“{old}”改为“{new}”：创建工作方案从现在起按人工智能领域“{new}”的评价要点和两类企业共同的"
               f"要点评分，不再评价“{old}”的要点，得分和改进建议随之变化；针对“{old}”要点的本人确认不再计分"
               "（创建工作方案页会提示）。如改错了，可改回原类型，或在“我的申报”中恢复之前的版本。", icon="⚠️")


def _asked(fs: FieldSpec) -> bool:
    """Whether the form asks this field of the current applicant (企业类型 only of AI enterprises)."""
    app = get_app()
    return app is None or field_applies(fs.path, app.domain)


def _required_problem(fs: FieldSpec, cur: Any) -> str:
    if fs.path in required_paths(get_app().type if get_app() else "park") and (cur is None or str(cur).strip() == ""):
        return f"“{fs.title}”为必填项，请填写。"
    if fs.path.endswith("credit_code") and isinstance(cur, str):
        return credit_code_problem(cur) or ""
    return ""


def _show_rejections(paths: list[str] | None = None, prefix: str | None = None) -> None:
    for p, rej in list(rejected().items()):
        if (paths is not None and p in paths) or (prefix is not None and p.startswith(prefix)):
            _rejection_box(p, rej)


def _rejection_box(path: str, rej: Rejection) -> None:
    saved = current_value(path)
    if saved in (None, ""):
        kept = "该项仍为空"
    elif isinstance(saved, float):
        kept = f"仍保留原值 {fmt(saved)}"
    else:
        kept = f"仍保留原值 {saved}"
    st.error(f"输入未保存：{md_escape(rej.text)}。{kept}，其他已填内容不受影响。", icon="🚫")


# ---------------------------------------------------------------------------------------------------------------
# scalar fields


def _char_rule() -> tuple[str, str]:
    """(counting, short description) of the 2000-字 limit from the eligibility rubric."""
    try:
        from scoring.rules.eligibility import load_eligibility_rubric

        cl = load_eligibility_rubric().char_limit
        return cl.counting, cl.counting_short
    except Exception:
        return "non_whitespace", "不计空格"


def render_field(fs: FieldSpec) -> None:
    key = wkey(fs.path)
    cur = current_value(fs.path)
    kw: dict[str, Any] = dict(key=key, on_change=_on_field, args=(fs.path, key, fs.kind), help=fs.help or None)
    app_now = get_app()
    required = app_now is not None and fs.path in required_paths(app_now.type)
    label = fs.label + (REQUIRED_MARK if required else "")
    if fs.kind == "text":
        st.text_input(label, value=cur or "", **kw)
        problem = _required_problem(fs, cur)
        if problem and fs.path not in rejected():
            st.error(problem, icon="❗")
    elif fs.kind == "textarea":
        st.text_area(fs.label, value=cur or "", height=220, **kw)
        if fs.max_chars:
            from scoring.rules.eligibility import count_chars

            counting, short = _char_rule()
            n = count_chars(cur or "", counting)  # type: ignore[arg-type]
            msg = f"已填 {n} 字（{short}），上限 {fs.max_chars} 字"
            if n > fs.max_chars:
                st.warning(f"{msg}：超出 {n - fs.max_chars} 字。")
            else:
                st.caption(msg)
    elif fs.kind == "int":  # counts: integers >= 0 (bounds from the model)
        lo = None if fs.ge is None else int(fs.ge)
        hi = None if fs.le is None else int(fs.le)
        st.number_input(fs.label, value=None if cur is None else int(cur), step=1, format="%d", min_value=lo,
                        max_value=hi, placeholder=UNFILLED, **kw)
    elif fs.kind == "float":
        st.number_input(fs.label, value=None if cur is None else float(cur), step=1.0, format="%.2f",
                        min_value=fs.ge, max_value=fs.le, placeholder=UNFILLED, **kw)
    elif fs.kind == "bool":
        st.checkbox(fs.label, value=bool(cur), **kw)
    elif fs.kind == "tristate":
        idx = 0 if cur is None else (1 if cur else 2)
        st.radio(fs.label, TRI, index=idx, horizontal=True, **kw)
    elif fs.kind == "date":
        value = dt.date.fromisoformat(cur) if isinstance(cur, str) and cur else None
        st.date_input(fs.label, value=value, min_value=DATE_MIN, max_value=DATE_MAX, format="YYYY-MM-DD", **kw)
    elif fs.kind == "choice":
        values = [v for v, _ in fs.options]
        required = fs.path == "domain"
        index = values.index(cur) if cur in values else (0 if required else None)
        st.selectbox(label, values, index=index, format_func=fs.option_label, placeholder="请选择", **kw)
        if required and cur in (None, ""):
            st.error(f"“{fs.title}”为必填项，请选择。", icon="❗")
        if fs.path == "ai_kind" and cur in (None, ""):
            st.warning("请选择企业类型：附件5 对人工智能领域的创新型企业和应用型企业分别提出部分评价要点。"
                       "未选择时，创建工作方案按两类企业的全部要点评分（待确认）。", icon="⚠️")
    elif fs.kind == "multichoice":
        values = [v for v, _ in fs.options]
        st.multiselect(fs.label, values, default=[v for v in (cur or []) if v in values],
                       format_func=fs.option_label, placeholder="无", **kw)
    _show_rejections(paths=[fs.path])


def render_fields(fields: list[FieldSpec]) -> None:
    """Short fields two per row (as on the paper form); long texts full width."""
    run: list[FieldSpec] = []

    def flush() -> None:
        for i in range(0, len(run), 2):
            cols = st.columns(2)
            for col, fs in zip(cols, run[i:i + 2]):
                with col:
                    render_field(fs)
        run.clear()

    for fs in fields:
        if fs.kind in SHORT_KINDS:
            run.append(fs)
        else:
            flush()
            render_field(fs)
    flush()


# ---------------------------------------------------------------------------------------------------------------
# 近三年 tables (the editors are in pages.shared.tables)


def render_series_table(table: SeriesTable, derived: DerivedResult) -> None:
    rows = table.input_rows
    if rows:
        series_editor(table)
    for r in table.partly_typed_rows:
        for yk in r.typed_years:
            year = YEAR_COLUMNS[YEAR_KEYS.index(yk)]
            shown = f"{r.form_title} · {year}" if r.form_title else ""
            render_field(FieldSpec(path=f"{r.path}.{yk}", name=yk, title=f"{r.title} · {year}", kind="float",
                                   unit=r.unit, help=r.help, form_title=shown))
    paths = [f"{r.path}.{yk}" for r in rows for yk in YEAR_KEYS]
    _show_rejections(paths=paths)
    st.markdown("**汇总（含系统计算值，只读）**")
    st.dataframe(computed_frame(table, derived), hide_index=True, width="stretch")
    notes = []
    for r in table.rows:
        m = derived.metrics.get(f"{r.path}.cagr")
        if m is not None:
            notes.append(f"{m.label}：{fmt(m.value)}{m.unit}" if m.value is not None else f"{m.label}：{EMPTY}")
    if notes:
        st.caption("；".join(notes))
    prefixes = tuple(r.path + "." for r in table.rows)
    for mm in derived.mismatches:
        if mm.key.startswith(prefixes):
            st.warning(mm.message, icon="⚠️")


# ---------------------------------------------------------------------------------------------------------------
# computed values (加权数量, 占比)


def _typed_first_problems(path: str, derived: DerivedResult) -> list[str]:
    """The consistency warnings about a typed value of TYPED_FIRST (e.g. a 加权数量 above its category sum)."""
    from scoring.rules.consistency import check_consistency

    app = get_app()
    if app is None:
        return []
    return [w.message for w in check_consistency(app, derived) if w.key.startswith(path + ".")]


def render_typed_first(dv: DerivedValue, m: Metric | None, derived: DerivedResult, problem: str) -> None:
    """A value whose typed figure counts: its input, and the computed value as an estimate beside it."""
    bound = dv.path in DEDUP_RULES
    basis = ESTIMATE_SUM if bound else ESTIMATE_ASSUMED
    key = wkey(dv.path)
    cur = current_value(dv.path)
    with st.container(border=True):
        st.number_input(dv.label + "（填报值）", value=None if cur is None else float(cur), min_value=0.0, step=1.0,
                        format="%.2f", placeholder="未填：评分使用估算值", key=key, on_change=_on_field,
                        args=(dv.path, key, "float"), help=dv.help or None)
        _show_rejections(paths=[dv.path])
        if "加权" in dv.title and problem:
            st.metric(dv.label + "（计算值）", EMPTY)
            st.caption(problem)
            return
        computed = None if m is None else m.computed
        st.metric(dv.label + "（计算值）", EMPTY if computed is None else fmt(computed))
        if m is not None and m.computed_formula:
            st.caption(f"计算方法：{m.computed_formula.removeprefix(basis + '：')}")
        if cur is not None:
            tail = "为上限（未去重），仅供核对" if bound else "为本工具假设口径的估算，仅供参考"
            st.caption(f"评分使用填报值 {fmt(float(cur))}{dv.unit}；计算值{tail}。")
        elif computed is not None:
            what = "去重后的数值" if bound else "申请书中的数值"
            st.info(f"未填报：评分暂用计算值（{basis}）。请填写{what}。", icon="ℹ️")
        elif m is not None and m.missing_reason:
            st.caption(f"暂无法估算：{m.missing_reason}")
        for msg in _typed_first_problems(dv.path, derived) if cur is not None else []:
            st.warning(msg, icon="⚠️")


def render_derived(dv: DerivedValue, derived: DerivedResult, problem: str) -> None:
    m = derived.metrics.get(dv.path)
    if dv.path in TYPED_FIRST:
        render_typed_first(dv, m, derived, problem)
        return
    weighted = "加权" in dv.title
    with st.container(border=True):
        if dv.note:
            st.caption(f"表中注明：{dv.note}")
        if weighted and problem:
            st.metric(dv.label + "（计算值）", EMPTY)
            st.caption(problem)
            return
        value = EMPTY if m is None or m.value is None else fmt(m.value)
        st.metric(dv.label + "（计算值）", value)
        if m is not None:
            if m.formula:
                st.caption(f"计算方法：{m.formula}")
            if m.value is None and m.missing_reason:
                st.caption(f"暂无法计算：{m.missing_reason}")
        typed = current_value(dv.path)
        if typed is not None:
            st.caption(f"申请书中的填报值：{fmt(float(typed))}{dv.unit}")
        for mm in derived.mismatches:
            if mm.key == dv.path:
                st.warning(mm.message, icon="⚠️")


# ---------------------------------------------------------------------------------------------------------------
# page


def render_group_items(items: tuple[Any, ...], derived: DerivedResult, problem: str) -> None:
    fields: list[FieldSpec] = []
    derived_run: list[DerivedValue] = []

    def flush_fields() -> None:
        if fields:
            render_fields(list(fields))
            fields.clear()

    def flush_derived() -> None:
        if derived_run:
            cols = st.columns(len(derived_run))
            for col, dv in zip(cols, derived_run):
                with col:
                    render_derived(dv, derived, problem)
            derived_run.clear()

    for it in items:
        if isinstance(it, FieldSpec):
            flush_derived()
            if _asked(it):
                fields.append(it)
            continue
        flush_fields()
        if isinstance(it, DerivedValue):
            derived_run.append(it)
            continue
        flush_derived()
        if isinstance(it, SeriesTable):
            render_series_table(it, derived)
        elif isinstance(it, ListTable):
            st.markdown(f"**{it.label}**")
            if it.note:
                st.caption(f"表中注明：{it.note}")
            list_editor(it)
            _show_rejections(prefix=it.path + ".")
            _show_rejections(paths=[it.path])
    flush_fields()
    flush_derived()


sidebar = page_setup()
app = get_app()
st.title("填报")
if app is None:
    st.info("尚未开始填报。请先在首页新建申报或载入示例。")
    st.page_link("pages/home.py", label="前往首页", icon=":material/home:")
    render_sidebar(sidebar)
    st.stop()

spec = form_spec(app.type)
apply_pending_edits(spec)
app = get_app() or app
derived, problem = derive_app(app)
st.caption(f"{spec.title} · {app_caption(app)}")
# one container for every notice above the tabs: the tabs keep their place in the page, so the open tab stays
# open when a notice appears or goes (after 保存本表 with a refused cell, say)
with st.container():
    if app.meta.is_sample:
        st.info("当前为示例数据（模拟数据）。可以随意修改，用于熟悉工具。", icon=":material/science:")
    if workshop.active():
        st.caption("演示模式：可以随意修改，修改只在本窗口有效，不保存；结束演示后恢复您自己的申报。")
    else:
        st.caption(f"申报类别为“{ApplicantType.parse(app.type).label}”；如需改为另一类别，请在首页新建申报。"
                   "填写的内容自动保存（表格在点“保存本表”时保存），刷新页面或重启应用也不会丢失；"
                   "离开本页、停顿片刻或点侧栏“保存为版本”时留下一个历史版本，可在“我的申报”中查看和恢复。")
    st.caption("标 :red[*] 的为必填项。")
    domain_change_notice()
    kind_change_notice()
    missing = missing_required(app)
    if missing:
        st.error(f"有 {len(missing)} 项必填内容未填：{'、'.join(missing)}。自评结果和导出的申请书在补齐前不完整。", icon="❗")

    rej_all = rejected()
    if rej_all:
        with st.expander(f"⚠️ 有 {len(rej_all)} 处输入未通过校验、未保存（其他内容已保存）", expanded=True):
            for rej in rej_all.values():
                st.markdown(f"- {md_escape(rej.text)}")

# Only the open tab is drawn (a rerun on switching, about 0.4 s): drawing all nine made every action on this page
# slow. The open tab is remembered when the page is left and opened again.
tabs = remembered_tabs([t.title for t in spec.tabs] + [MATERIALS_TAB], K_TAB)  # + 三、附件清单 and 四、推荐单位意见
for tab, tspec in zip(tabs, spec.tabs):
    if not is_open(tab):
        continue
    with tab:
        for g in tspec.groups:
            with st.container(border=True):
                st.subheader(g.label)  # the form's heading where it has one
                if g.help:
                    st.caption(g.help)
                render_group_items(g.items, derived, problem)

if is_open(tabs[-1]):
    with tabs[-1]:
        render_materials_tab(app)

st.divider()
st.page_link("pages/result.py", label="查看自评结果", icon=":material/fact_check:")
render_sidebar(sidebar)
