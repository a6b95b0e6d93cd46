"""填报: every field of Annex 2 (park) or Annex 3 (enterprise), in the form's order and wording.

The layout comes from :func:`scoring.application.formspec.form_spec` (built from the models' titles and units). Each widget
writes through :func:`pages.shared.common.update_field` in its on_change callback: a valid change is kept, an invalid one
is shown with its Chinese message and the saved value stays. Computed values (growth, shares, averages, 加权数量)
come from :func:`scoring.assessment.engine.derive` and are read-only.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import Any, Optional

import pandas as pd
import streamlit as st

from pages.shared.common import derive_app, page_setup, render_sidebar
from pages.shared.display import EMPTY, UNFILLED, app_caption, md_escape
from pages.shared.state import (Rejection, current_value, generation, get_app, get_app_json, rejected, update_field,
                                validate_change)
from scoring.application.derived import YEAR_KEYS, DerivedResult, fmt
from scoring.application.formspec import (AVG_COLUMN, YEAR_COLUMNS, DerivedValue, FieldSpec, ListTable, SeriesRow, SeriesTable,
                              form_spec, get_in, with_unit)
from scoring.application.ids import ApplicantType

TRI = ("未填", "是", "否")
IND_COL = "指标"
NOTE_COL = "说明"
NO_COL = "序号"
DATE_MIN = dt.date(1949, 10, 1)
DATE_MAX = dt.date(2035, 12, 31)
SHORT_KINDS = {"text", "int", "float", "date", "choice", "tristate", "bool"}


# ---------------------------------------------------------------------------------------------------------------
# widget keys and conversions


def wkey(path: str) -> str:
    return f"f{generation()}.{path}"


def editor_key(name: str) -> str:
    seqs = st.session_state.setdefault("_editor_seq", {})
    return f"ed{generation()}.{name}.{seqs.get(name, 0)}"


def _bump_editor(name: str, old_key: str) -> None:
    """Give the editor a new key: it is rebuilt from the saved state (rejected cells revert, computed rows update)."""
    counter = int(st.session_state.get("_editor_counter", 0)) + 1
    st.session_state["_editor_counter"] = counter
    st.session_state.setdefault("_editor_seq", {})[name] = counter
    try:
        del st.session_state[old_key]
    except Exception:  # a widget's state may not be deletable in every phase; it is dropped anyway
        pass


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


def _cell_number(v: Any) -> Any:
    """A data_editor cell: empty -> None; numeric text -> float; anything else is kept for validation to reject."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return s


def _on_field(path: str, key: str, kind: str) -> None:
    update_field(path, _to_json(kind, st.session_state.get(key)))


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
    if fs.kind == "text":
        st.text_input(fs.label, value=cur or "", **kw)
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
        st.selectbox(fs.label, values, index=index, format_func=fs.option_label, placeholder="请选择", **kw)
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
# 近三年 tables


def _series_frame(rows: tuple[SeriesRow, ...], data: dict[str, Any]) -> pd.DataFrame:
    recs = []
    for r in rows:
        rec: dict[str, Any] = {IND_COL: r.label}
        for yk, col in zip(YEAR_KEYS, YEAR_COLUMNS):
            v = get_in(data, f"{r.path}.{yk}")
            rec[col] = None if v is None else float(v)
        recs.append(rec)
    df = pd.DataFrame(recs, columns=[IND_COL, *YEAR_COLUMNS])
    return df.astype({c: "float64" for c in YEAR_COLUMNS})


def _edit_state(key: str) -> Optional[dict[str, Any]]:
    es = st.session_state.get(key)
    if not isinstance(es, dict):
        return None
    if not (es.get("edited_rows") or es.get("added_rows") or es.get("deleted_rows")):
        return None
    return es


def apply_series_edits(name: str, rows: tuple[SeriesRow, ...], key: str) -> None:
    """Apply a data_editor's cell edits one by one (each validated on its own), then rebuild the editor."""
    es = _edit_state(key)
    if es is None:
        return
    for ridx, cells in (es.get("edited_rows") or {}).items():
        i = int(ridx)
        if i >= len(rows):
            continue
        for col, val in cells.items():
            if col not in YEAR_COLUMNS:
                continue
            yk = YEAR_KEYS[YEAR_COLUMNS.index(col)]
            update_field(f"{rows[i].path}.{yk}", _cell_number(val))
    _bump_editor(name, key)


def _extra_rows(table: SeriesTable, derived: DerivedResult) -> list[tuple[str, str]]:
    """Computed rows under the table's part that are not on the form (e.g. the enterprise 全员劳动生产率)."""
    own = {r.path for r in table.rows}
    out: dict[str, str] = {}
    for key, m in derived.metrics.items():
        path, _, last = key.rpartition(".")
        if last in YEAR_KEYS and path.startswith(table.key + ".") and path not in own and path not in out:
            out[path] = with_unit(m.label.split("（")[0], m.unit)
    return list(out.items())


def _computed_frame(table: SeriesTable, derived: DerivedResult) -> pd.DataFrame:
    def cell(key: str) -> str:
        m = derived.metrics.get(key)
        return EMPTY if m is None or m.value is None else fmt(m.value)

    recs = []
    for r in table.rows:
        rec = {IND_COL: r.label}
        for yk, col in zip(YEAR_KEYS, YEAR_COLUMNS):
            rec[col] = cell(f"{r.path}.{yk}")
        rec[AVG_COLUMN] = cell(f"{r.path}.avg")
        if r.computed_years:
            m = derived.metrics.get(f"{r.path}.{r.computed_years[0]}")
            formula = m.formula if m else ""
            if r.typed_years:
                typed = "、".join(YEAR_COLUMNS[YEAR_KEYS.index(y)] for y in r.typed_years)
                rec[NOTE_COL] = f"{typed}填报；其余年份计算：{formula}"
            else:
                rec[NOTE_COL] = f"计算：{formula}"
        else:
            rec[NOTE_COL] = "填报；平均值为三年算术平均"
        recs.append(rec)
    for path, label in _extra_rows(table, derived):
        rec = {IND_COL: f"{label}（系统计算）"}
        for yk, col in zip(YEAR_KEYS, YEAR_COLUMNS):
            rec[col] = cell(f"{path}.{yk}")
        rec[AVG_COLUMN] = cell(f"{path}.avg")
        m = derived.metrics.get(f"{path}.{YEAR_KEYS[0]}")
        rec[NOTE_COL] = f"计算：{m.formula}" if m else "计算"
        recs.append(rec)
    return pd.DataFrame(recs, columns=[IND_COL, *YEAR_COLUMNS, AVG_COLUMN, NOTE_COL])


def render_series_table(table: SeriesTable, derived: DerivedResult) -> None:
    rows = table.input_rows
    if rows:
        key = editor_key(table.key)
        data = get_app_json() or {}
        col_cfg: dict[str, Any] = {IND_COL: st.column_config.TextColumn(IND_COL, disabled=True, width="large")}
        for col in YEAR_COLUMNS:
            col_cfg[col] = st.column_config.NumberColumn(col, help="单元格留空表示未填")
        st.data_editor(_series_frame(rows, data), key=key, hide_index=True, num_rows="fixed",
                       column_config=col_cfg, on_change=apply_series_edits, args=(table.key, rows, key),
                       width="stretch")
        st.caption("直接在表格中填写（单位见指标名称）；未填的单元格保持空白，不按 0 计算。")
    for r in table.partly_typed_rows:
        for yk in r.typed_years:
            year = YEAR_COLUMNS[YEAR_KEYS.index(yk)]
            render_field(FieldSpec(path=f"{r.path}.{yk}", name=yk, title=f"{r.title} · {year}", kind="float",
                                   unit=r.unit, help=r.help))
    paths = [f"{r.path}.{yk}" for r in rows for yk in YEAR_KEYS]
    _show_rejections(paths=paths)
    st.markdown("**汇总（含系统计算值，只读）**")
    st.dataframe(_computed_frame(table, derived), hide_index=True, width="stretch")
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


def render_derived(dv: DerivedValue, derived: DerivedResult, problem: str) -> None:
    m = derived.metrics.get(dv.path)
    weighted = "加权" in dv.title
    with st.container(border=True):
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
# top-10 / top-5 lists


def _blank_row(lt: ListTable) -> dict[str, Any]:
    return {c.name: (None if c.kind in ("int", "float") else "") for c in lt.columns}


def _is_blank(lt: ListTable, row: dict[str, Any]) -> bool:
    return all(row.get(c.name) in (None, "") for c in lt.columns)


def _compact(lt: ListTable, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if not _is_blank(lt, r)]


def _padded(lt: ListTable, data: dict[str, Any]) -> list[dict[str, Any]]:
    items = list(get_in(data, lt.path) or [])
    rows = [{**_blank_row(lt), **it} for it in items]
    while len(rows) < lt.max_rows:
        rows.append(_blank_row(lt))
    return rows


def apply_list_edits(lt: ListTable, key: str) -> None:
    es = _edit_state(key)
    if es is None:
        return
    data = get_app_json() or {}
    rows = _padded(lt, data)
    by_label = {c.label: c for c in lt.columns}
    rej = rejected()
    for ridx, cells in (es.get("edited_rows") or {}).items():
        i = int(ridx)
        if i >= len(rows):
            continue
        for col, val in cells.items():
            c = by_label.get(col)
            if c is None:
                continue
            v = _cell_number(val) if c.kind in ("int", "float") else ("" if val is None else str(val))
            trial = copy.deepcopy(rows)
            trial[i][c.name] = v
            cell_path = f"{lt.path}.{i}.{c.name}"
            model, errors = validate_change(data, lt.path, _compact(lt, trial))
            if model is None:
                rej[cell_path] = Rejection(raw=v, messages=errors)
            else:
                rows = trial
                rej.pop(cell_path, None)
    update_field(lt.path, _compact(lt, rows))
    _bump_editor(lt.path, key)


def render_list(lt: ListTable) -> None:
    st.markdown(f"**{lt.title}**")
    key = editor_key(lt.path)
    data = get_app_json() or {}
    rows = _padded(lt, data)
    recs = [{NO_COL: i + 1, **{c.label: r.get(c.name) for c in lt.columns}} for i, r in enumerate(rows)]
    df = pd.DataFrame(recs, columns=[NO_COL, *[c.label for c in lt.columns]])
    cfg: dict[str, Any] = {NO_COL: st.column_config.NumberColumn(NO_COL, disabled=True, width="small")}
    for c in lt.columns:
        if c.kind in ("int", "float"):
            df[c.label] = df[c.label].astype("float64")
            cfg[c.label] = st.column_config.NumberColumn(c.label)
        else:
            cfg[c.label] = st.column_config.TextColumn(c.label, width="large" if c.name != "name" else "medium")
    st.data_editor(df, key=key, hide_index=True, num_rows="fixed", column_config=cfg,
                   on_change=apply_list_edits, args=(lt, key), width="stretch")
    st.caption(f"最多 {lt.max_rows} 行；空行不计入。")
    _show_rejections(prefix=lt.path + ".")
    _show_rejections(paths=[lt.path])


def apply_pending_edits(spec: Any) -> None:
    """Apply table edits that no on_change callback has handled yet (AppTest sets an editor's state directly).

    Runs before anything is computed or drawn, so the computed values and the sidebar reflect the edit.
    """
    for it in spec.items():
        if isinstance(it, SeriesTable) and it.input_rows:
            apply_series_edits(it.key, it.input_rows, editor_key(it.key))
        elif isinstance(it, ListTable):
            apply_list_edits(it, editor_key(it.path))


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
            render_list(it)
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
if app.meta.is_sample:
    st.info("当前为示例数据（模拟数据）。可以随意修改，用于熟悉工具。", icon=":material/science:")
st.caption(f"申报类别为“{ApplicantType.parse(app.type).label}”；如需改为另一类别，请在首页新建申报。"
           "所有修改自动保存（含历史版本，可在“我的申报”中查看和恢复），刷新页面或重启应用也不会丢失。")

rej_all = rejected()
if rej_all:
    with st.expander(f"⚠️ 有 {len(rej_all)} 处输入未通过校验、未保存（其他内容已保存）", expanded=True):
        for rej in rej_all.values():
            st.markdown(f"- {md_escape(rej.text)}")

tabs = st.tabs([t.title for t in spec.tabs])
for tab, tspec in zip(tabs, spec.tabs):
    with tab:
        for g in tspec.groups:
            with st.container(border=True):
                st.subheader(g.title)
                if g.help:
                    st.caption(g.help)
                render_group_items(g.items, derived, problem)

st.divider()
st.page_link("pages/result.py", label="查看自评结果", icon=":material/fact_check:")
render_sidebar(sidebar)
