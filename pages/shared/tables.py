"""The tables of 填报: 近三年 year tables and the top-10 / top-5 lists.

Each editable table sits in its own ``st.form``: the applicant types a whole table (Tab moves to the next cell,
nothing reruns the page while typing) and commits it with “保存本表”. A 近三年 table is a grid of text boxes (the
browser's own Tab order, row by row); a top-10 / top-5 list is a data editor. So no keystroke can land in another field,
however fast or slow the typing. Every cell is then checked on its own: a number is saved; text that is not a number
(“约5亿元”) is refused with a Chinese message and stays in its cell, so it can be corrected; the rest of the table is
saved all the same. Cells are text, empty when not filled (never “None”).
"""

from __future__ import annotations

import copy
from typing import Any, Optional

import pandas as pd
import streamlit as st

from pages.shared.display import EMPTY, md_escape
from pages.shared.state import (Rejection, batch_edits, current_value, generation, get_app_json, rejected,
                                update_field, validate_change)
from scoring.application.derived import YEAR_KEYS, DerivedResult, fmt
from scoring.application.formspec import (AVG_COLUMN, YEAR_COLUMNS, ListTable, SeriesRow, SeriesTable, get_in,
                                          with_unit)
from scoring.application.numbers import NotANumber, number_text, parse_number

IND_COL = "指标"
NOTE_COL = "说明"
NO_COL = "序号"
SAVE_LABEL = "保存本表"
TABLE_HINT = ("在表格中直接填写，按 Tab 键到右边一格；填完整张表后点“保存本表”（未保存的内容在离开本页时会丢失）。"
              "只填数字，单位见指标名称；未填的单元格保持空白，不按 0 计算。")


def editor_key(name: str) -> str:
    seqs = st.session_state.setdefault("_editor_seq", {})
    return f"ed{generation()}.{name}.{seqs.get(name, 0)}"


def _bump_editor(name: str, old_key: str) -> None:
    """Give the editor a new key: it is rebuilt from the saved state (refused text stays in its cell)."""
    counter = int(st.session_state.get("_editor_counter", 0)) + 1
    st.session_state["_editor_counter"] = counter
    st.session_state.setdefault("_editor_seq", {})[name] = counter
    try:
        del st.session_state[old_key]
    except Exception:  # a widget's state may not be deletable in every phase; it is dropped anyway
        pass


def _edit_state(key: str) -> Optional[dict[str, Any]]:
    es = st.session_state.get(key)
    if not isinstance(es, dict):
        return None
    if not (es.get("edited_rows") or es.get("added_rows") or es.get("deleted_rows")):
        return None
    return es


def _cell_text(path: str, value: Any) -> str:
    """What a cell shows: the refused text while it is refused, else the saved number (empty when none)."""
    rej = rejected().get(path)
    if rej is not None and isinstance(rej.raw, str):
        return rej.raw
    return number_text(value)


def _set_number(path: str, label: str, raw: Any, unit: str = "") -> None:
    try:
        value = parse_number(raw, unit)
    except NotANumber as e:
        rejected()[path] = Rejection(raw=str(raw), messages=[f"{label}：{e}"])
        return
    update_field(path, value, raw=raw)


# ---------------------------------------------------------------------------------------------------------------
# 近三年 tables


def cell_key(table_key: str, path: str) -> str:
    """Widget key of one cell of a 近三年 table (changes when the table is rebuilt after a save)."""
    return f"{editor_key(table_key)}|{path}"


def _cell_paths(rows: tuple[SeriesRow, ...]) -> list[tuple[SeriesRow, str, str]]:
    return [(r, yk, f"{r.path}.{yk}") for r in rows for yk in YEAR_KEYS]


def apply_series_edits(name: str, rows: tuple[SeriesRow, ...], key: str) -> None:
    """Apply a saved table's cells one by one (each checked on its own), then rebuild the table.

    Only cells whose text differs from what the table showed are applied, so an untouched refused cell stays
    refused and an untouched saved number is not rewritten."""
    data = get_app_json() or {}
    changed = []
    for r, yk, path in _cell_paths(rows):
        ck = f"{key}|{path}"
        if ck not in st.session_state:
            continue
        typed = st.session_state[ck]
        if str(typed if typed is not None else "").strip() != _cell_text(path, get_in(data, path)).strip():
            changed.append((r, yk, path, typed))
    if not changed:
        return
    with batch_edits():
        for r, yk, path, typed in changed:
            col = YEAR_COLUMNS[YEAR_KEYS.index(yk)]
            _set_number(path, f"{r.label} · {col}", typed, r.unit)
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


def computed_frame(table: SeriesTable, derived: DerivedResult) -> pd.DataFrame:
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


def series_editor(table: SeriesTable) -> None:
    """The editable part of a 近三年 table, in a form of its own: one text box per cell, in reading order, so Tab
    moves to the next year and then to the next row, and nothing reruns the page until “保存本表”."""
    rows = table.input_rows
    key = editor_key(table.key)
    data = get_app_json() or {}
    widths = [3, 1, 1, 1]
    with st.form(f"form.{key}", border=False, enter_to_submit=False):
        head = st.columns(widths, vertical_alignment="bottom")
        head[0].markdown(f"**{IND_COL}**")
        for c, col in zip(head[1:], YEAR_COLUMNS):
            c.markdown(f"**{col}**")
        for r in rows:
            cols = st.columns(widths, vertical_alignment="center")
            cols[0].markdown(md_escape(r.label))
            for c, yk, col in zip(cols[1:], YEAR_KEYS, YEAR_COLUMNS):
                path = f"{r.path}.{yk}"
                c.text_input(f"{r.label} · {col}", value=_cell_text(path, get_in(data, path)),
                             key=f"{key}|{path}", label_visibility="collapsed", placeholder="未填",
                             max_chars=200)
        st.caption(TABLE_HINT)
        st.form_submit_button(SAVE_LABEL, type="primary", icon=":material/save:")


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


def edited_cells(key: str, n_rows: int) -> Optional[list[tuple[int, str, Any]]]:
    """The cells a saved data editor changed, as (row, column, value) (rows past the table left out); None when the
    editor changed nothing."""
    es = _edit_state(key)
    if es is None:
        return None
    return [(int(r), col, val) for r, cells in (es.get("edited_rows") or {}).items() if int(r) < n_rows
            for col, val in cells.items()]


def try_cell(data: dict[str, Any], path: str, rows: list[dict[str, Any]], i: int, field: str, value: Any,
             compact: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """``rows`` with row ``i``'s ``field`` set to ``value`` when the application stays valid with the list
    ``compact(rows)`` at ``path`` (errors empty); else the rows unchanged and the Chinese errors."""
    trial = copy.deepcopy(rows)
    trial[i][field] = value
    model, errors = validate_change(data, path, compact(trial))
    return (rows, errors) if model is None else (trial, [])


def apply_list_edits(lt: ListTable, key: str) -> None:
    data = get_app_json() or {}
    rows = _padded(lt, data)
    cells = edited_cells(key, len(rows))
    if cells is None:
        return
    by_label = {c.label: c for c in lt.columns}
    rej = rejected()
    for i, col, val in cells:
        c = by_label.get(col)
        if c is None:
            continue
        cell_path = f"{lt.path}.{i}.{c.name}"
        if c.kind in ("int", "float"):
            try:
                v: Any = parse_number(val, getattr(c, "unit", ""))
            except NotANumber as e:
                rej[cell_path] = Rejection(raw=str(val), messages=[f"{lt.title} 第 {i + 1} 行 · {col}：{e}"])
                continue
        else:
            v = "" if val is None else str(val)
        rows, errors = try_cell(data, lt.path, rows, i, c.name, v, lambda r: _compact(lt, r))
        if errors:
            rej[cell_path] = Rejection(raw=val, messages=errors)
        else:
            rej.pop(cell_path, None)
    update_field(lt.path, _compact(lt, rows))
    _bump_editor(lt.path, key)


def list_editor(lt: ListTable) -> None:
    key = editor_key(lt.path)
    data = get_app_json() or {}
    rows = _padded(lt, data)
    recs = []
    for i, r in enumerate(rows):
        rec: dict[str, Any] = {NO_COL: i + 1}
        for c in lt.columns:
            path = f"{lt.path}.{i}.{c.name}"
            if c.kind in ("int", "float"):
                rec[c.label] = _cell_text(path, r.get(c.name))
            else:
                rec[c.label] = "" if r.get(c.name) is None else str(r.get(c.name))
        recs.append(rec)
    df = pd.DataFrame(recs, columns=[NO_COL, *[c.label for c in lt.columns]])
    cfg: dict[str, Any] = {NO_COL: st.column_config.NumberColumn(NO_COL, disabled=True, width="small")}
    for c in lt.columns:
        if c.kind in ("int", "float"):
            df[c.label] = df[c.label].astype("object")
            cfg[c.label] = st.column_config.TextColumn(c.label, help="只填数字；留空表示未填")
        else:
            cfg[c.label] = st.column_config.TextColumn(c.label, width="large" if c.name != "name" else "medium")
    with st.form(f"form.{key}", border=False, enter_to_submit=False):
        st.data_editor(df, key=key, hide_index=True, num_rows="fixed", column_config=cfg, width="stretch")
        st.caption(f"最多 {lt.max_rows} 行；空行不计入。" + TABLE_HINT)
        st.form_submit_button(SAVE_LABEL, type="primary", icon=":material/save:")


def apply_pending_edits(spec: Any) -> None:
    """Apply the tables saved with “保存本表” (their editor state arrives with the run the button starts).

    Runs before anything is computed or drawn, so the computed values and the sidebar reflect the table.
    """
    for it in spec.items():
        if isinstance(it, SeriesTable) and it.input_rows:
            apply_series_edits(it.key, it.input_rows, editor_key(it.key))
        elif isinstance(it, ListTable):
            apply_list_edits(it, editor_key(it.path))


__all__ = ["apply_pending_edits", "computed_frame", "current_value", "list_editor", "series_editor", "IND_COL",
           "NOTE_COL"]
