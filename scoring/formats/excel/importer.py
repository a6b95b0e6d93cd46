"""Import of a filled workbook: rows found by the hidden model path in column A (by their label when it is
missing), values read tolerant of units and formats, computed rows recomputed; every cell that cannot be read is
reported with its sheet and row and left empty.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from ...application.derived import YEAR_KEYS
from ...application.errors import _message as _validation_message
from ...application.formspec import AVG_COLUMN, YEAR_COLUMNS, DerivedValue, set_in
from ...application.ids import AiKind, ApplicantType, City, Domain
from ..common import (delete_in, MAX_UPLOAD_BYTES, ImportProblem, ValueProblem, check_zip, normalize_text, parse_date,
                     parse_number, parse_yes_no)
from ..json_io import check_schema_version
from ...limits import LIMITS
from ..xlsx_guard import prune_workbook
from ...application.models import SCHEMA_VERSION, AnyApplication, parse_application
from .layout import (Desc, NO, PATH_HEADER, S_BASIC, S_COUNTS, S_LIST, S_README, S_SERIES, S_TEXT, TYPED_AVG, YES,
                     _derived_desc, _desc_from_field, plan_for)


# ---------------------------------------------------------------------------------------------------------------
# import


@dataclass
class _Cell:
    sheet: str
    coord: str
    label: str
    raw: Any


class _Sheet:
    """The first :data:`~scoring.limits.LIMITS` rows and columns of a worksheet, read once in read-only mode.

    The declared dimension and ``max_row`` of the file are never trusted: at most ``sheet_rows`` × ``sheet_columns``
    cells are read, so a sheet that claims (or has) a cell at XFD1048576 costs no more than a small one.
    """

    def __init__(self, title: str, cells: dict[tuple[int, int], Any], types: dict[tuple[int, int], str]):
        self.title = title
        self._cells = cells
        self._types = types
        self.max_row = max((r for r, _ in cells), default=0)
        self.max_column = max((c for _, c in cells), default=0)

    def get(self, row: int, col: int) -> Any:
        return self._cells.get((row, col))

    def data_type(self, row: int, col: int) -> str:
        return self._types.get((row, col), "n")


def _read_sheet(ws: Any, budget: list[int]) -> _Sheet:
    cells: dict[tuple[int, int], Any] = {}
    types: dict[tuple[int, int], str] = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=LIMITS.sheet_rows, max_col=LIMITS.sheet_columns), 1):
        for c, cell in enumerate(row, 1):
            v = getattr(cell, "value", None)
            if v is None:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                raise ImportProblem([f"Excel 工作簿内容过多（超过 {LIMITS.sheet_cells:,} 个非空单元格），不是本工具导出的工作簿。"])
            cells[(r, c)] = v
            types[(r, c)] = getattr(cell, "data_type", "n")
    return _Sheet(ws.title, cells, types)


_WANTED = frozenset({S_BASIC, S_COUNTS, S_TEXT, S_README, S_SERIES, *S_LIST.values()})


class _Reader:
    def __init__(self, data: bytes):
        data = prune_workbook(data, lambda name: name in _WANTED)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
                self._values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, AttributeError) as e:
            raise ImportProblem([f"Excel 工作簿已损坏或格式不正确，无法读取（{type(e).__name__}）。"]) from None
        except Exception as e:  # openpyxl raises many kinds on malformed XML
            raise ImportProblem([f"Excel 工作簿无法读取（{type(e).__name__}: {_short(e)}）。"]) from None
        self.sheetnames: list[str] = list(self._wb.sheetnames)
        self._sheets: dict[tuple[str, bool], _Sheet] = {}
        self._budget = [LIMITS.sheet_cells]
        self.problems: list[str] = []

    def _load(self, name: str, values: bool) -> _Sheet:
        key = (name, values)
        if key not in self._sheets:
            wb = self._values if values else self._wb
            try:
                self._sheets[key] = _read_sheet(wb[name], self._budget)
            except ImportProblem:
                raise
            except Exception as e:  # malformed sheet XML
                raise ImportProblem([f"Excel 工作簿中的工作表「{name}」无法读取（{type(e).__name__}）。"]) from None
        return self._sheets[key]

    def sheet(self, name: str) -> Optional[_Sheet]:
        return self._load(name, False) if name in self.sheetnames else None

    def value(self, ws: _Sheet, row: int, col: int) -> tuple[Any, Optional[str]]:
        """(value, problem): a formula cell gives its cached result, or a problem when it has none."""
        v = ws.get(row, col)
        dtype = ws.data_type(row, col)
        if dtype == "f" or (isinstance(v, str) and v.startswith("=") and dtype != "s"):
            cached = self._load(ws.title, True).get(row, col)
            if cached is None:
                return None, "单元格是公式且没有计算结果，请改为直接填写数值或文字"
            return cached, None
        return v, None

    def header_row(self, ws: _Sheet) -> Optional[int]:
        for r in range(1, min(ws.max_row, 12) + 1):
            if str(ws.get(r, 1) or "").strip() == PATH_HEADER:
                return r
            for col in range(1, 4):
                if _norm(ws.get(r, col)) in ("项目", "序号"):
                    return r
        return None


def _short(e: Exception) -> str:
    text = "".join(ch for ch in str(e) if ch.isprintable())
    return text if len(text) <= 80 else text[:78] + "…"


def _norm(v: Any) -> str:
    return re.sub(r"\s+", "", normalize_text(str(v))) if v is not None else ""


def _cell_problem(cell: _Cell, reason: str) -> str:
    shown = cell.raw
    if isinstance(shown, str):
        shown = shown if len(shown) <= 30 else shown[:28] + "…"
    tail = "" if shown in (None, "") else f"（输入值：“{shown}”）"
    return f"工作表「{cell.sheet}」单元格 {cell.coord}（{cell.label}）：{reason}{tail}"


def _convert(desc: Desc, raw: Any) -> Any:
    """Cell value → model value (raise ValueProblem with a Chinese reason)."""
    k = desc.kind
    if k in ("text", "textarea"):
        if raw is None:
            return ""
        if isinstance(raw, bool):
            return YES if raw else NO
        if isinstance(raw, float) and raw == int(raw):
            return str(int(raw))
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
        if isinstance(raw, dt.date):
            return raw.isoformat()
        return str(raw)
    if k in ("int", "float"):
        try:
            return parse_number(raw, desc.unit, integer=k == "int")
        except ValueProblem as e:
            raise ValueProblem("应为整数" if "整数" in str(e) else "应为数字") from None
    if k == "version":
        return parse_number(raw, integer=True)
    if k == "bool":
        v = parse_yes_no(raw)
        return False if v is None else v
    if k == "tristate":
        return parse_yes_no(raw)
    if k == "date":
        return parse_date(raw)
    if k in ("choice", "type"):
        if raw is None or _norm(raw) == "":
            return None
        t = _norm(raw)
        for value, label in desc.options:
            if t in (_norm(value), _norm(label)):
                return value
        for enum in (Domain, City, ApplicantType, AiKind):
            if {m.value for m in enum} == {v for v, _ in desc.options}:
                try:
                    return enum.parse(t).value
                except ValueError:
                    pass
        raise ValueProblem("取值无效，可选：" + "、".join(lab for _, lab in desc.options))
    if k == "multichoice":
        if raw is None:
            return []
        out = []
        for part in re.split(r"[、,，;；\s]+", normalize_text(str(raw))):
            if not part:
                continue
            try:
                out.append(Domain.parse(part).value)
            except ValueError:
                raise ValueProblem(f"无法识别领域“{part}”，可选：" + "、".join(m.label for m in Domain)) from None
        return out
    raise ValueProblem("无法读取")  # pragma: no cover


def _columns(rd: _Reader, ws: _Sheet) -> tuple[Optional[int], int, int]:
    """(path column or None, label column, value column), found by the header texts (columns may have moved)."""
    h = rd.header_row(ws) or 3
    hmap = _header_map(ws, h)
    path_col = hmap.get(_norm(PATH_HEADER))
    label_col = hmap.get("项目", 2)
    value_col = next((hmap[k] for k in ("填报内容", "内容") if k in hmap), label_col + 1)
    return path_col, label_col, value_col


def _iter_rows(rd: _Reader, ws: _Sheet) -> Iterator[tuple[int, str, str]]:
    """(row, path, label) of the data rows after the header."""
    h = rd.header_row(ws)
    if h is None:
        return
    path_col, label_col, _ = _columns(rd, ws)
    for r in range(h + 1, ws.max_row + 1):
        path = str(ws.get(r, path_col) or "").strip() if path_col else ""
        label = str(ws.get(r, label_col) or "").strip()
        yield r, path, label


def _header_map(ws: _Sheet, h: int) -> dict[str, int]:
    return {_norm(ws.get(h, c)): c for c in range(1, ws.max_column + 1) if ws.get(h, c) is not None}


def import_xlsx(data: bytes) -> tuple[AnyApplication, list[str]]:
    """Read a workbook of :func:`export_xlsx` (possibly filled offline) back into an application.

    Returns the application and the problems (one Chinese line per bad cell: sheet, cell, field and reason);
    a bad cell keeps the field empty, every good cell is kept. A file that is not such a workbook at all
    raises :class:`ImportProblem` (nothing is changed).
    """
    if len(data) > MAX_UPLOAD_BYTES["xlsx"]:
        raise ImportProblem([f"文件过大，Excel 工作簿上限 {MAX_UPLOAD_BYTES['xlsx'] // (1024 * 1024)} MB。"])
    check_zip(data, "xlsx", "Excel 工作簿")
    rd = _Reader(data)
    ws_basic = rd.sheet(S_BASIC)
    if ws_basic is None or rd.header_row(ws_basic) is None:
        raise ImportProblem([f"不是本工具的申报工作簿：找不到「{S_BASIC}」工作表及其表头。"
                             f"（该工作簿的工作表：{'、'.join(rd.sheetnames) or '无'}）",
                             "请先在自评台导出 Excel，在导出的工作簿中填写后再导入。"])

    # the version first (a workbook of another format version is refused as a whole)
    ws_readme = rd.sheet(S_README)
    if ws_readme is not None:
        vcol = _columns(rd, ws_readme)[2]
        for r, path, label in _iter_rows(rd, ws_readme):
            if path == "schema_version" or (not path and _norm(label) == "数据格式版本"):
                raw, _ = rd.value(ws_readme, r, vcol)
                try:
                    v = parse_number(raw, integer=True)
                except ValueProblem:
                    v = raw
                if v is not None:
                    check_schema_version({"schema_version": v}, "该工作簿")

    # the applicant type decides the layout
    app_type: Optional[ApplicantType] = None
    for r, path, label in _iter_rows(rd, ws_basic):
        if path == "type" or (not path and _norm(label) == "申报类别"):
            raw, _ = rd.value(ws_basic, r, _columns(rd, ws_basic)[2])
            try:
                app_type = ApplicantType.parse(normalize_text(str(raw or "")))
            except ValueError:
                pass
            break
    if app_type is None:
        sheets = set(rd.sheetnames)
        matches = [t for t, n in S_LIST.items() if n in sheets]
        if len(matches) == 1:
            app_type = matches[0]
    if app_type is None:
        raise ImportProblem([f"工作表「{S_BASIC}」中找不到有效的“申报类别”（应为 示范园区 或 示范企业），无法确定表格样式。"])
    plan = plan_for(app_type)

    values: dict[str, tuple[Any, _Cell]] = {}  # path -> (model value, where it came from)
    problems: list[str] = []

    def put(desc: Desc, cell: _Cell, path: Optional[str] = None) -> None:
        try:
            values[path or desc.path] = (_convert(desc, cell.raw), cell)
        except ValueProblem as e:
            problems.append(_cell_problem(cell, str(e)))

    def read_kv(sheet_name: str, descs: list[Desc]) -> None:
        ws = rd.sheet(sheet_name)
        if ws is None:
            problems.append(f"找不到工作表「{sheet_name}」，其中各项未导入。")
            return
        by_path = {d.path: d for d in descs}
        by_label = {_norm(d.title): d for d in descs}
        vcol = _columns(rd, ws)[2]
        for r, path, label in _iter_rows(rd, ws):
            d = by_path.get(path) or (by_label.get(_norm(label)) if not path else None)
            if d is None:
                continue
            raw, prob = rd.value(ws, r, vcol)
            cell = _Cell(sheet_name, f"{get_column_letter(vcol)}{r}", d.title, raw)
            if prob:
                problems.append(_cell_problem(cell, prob))
                continue
            put(d, cell)

    read_kv(S_BASIC, [d for _, rows in plan.basic for d in rows if d.path != "type"])
    count_descs = [(_derived_desc(app_type, it) if isinstance(it, DerivedValue) else it)
                   for _, rows in plan.counts for it in rows]
    read_kv(S_COUNTS, count_descs)
    read_kv(S_TEXT, [d for _, rows in plan.texts for d in rows])
    if ws_readme is not None:
        read_kv(S_README, [d for d in plan.meta if d.path != "schema_version"])

    # 近三年指标
    ws = rd.sheet(S_SERIES)
    if ws is None:
        problems.append(f"找不到工作表「{S_SERIES}」，其中各项未导入。")
    else:
        h = rd.header_row(ws) or 3
        hmap = _header_map(ws, h)
        year_cols: dict[str, int] = {}
        for yk, head in zip((*YEAR_KEYS, "avg"), (*YEAR_COLUMNS, TYPED_AVG)):
            col = hmap.get(_norm(head))
            if col is None and head == TYPED_AVG:
                col = hmap.get(_norm(AVG_COLUMN))
            year_cols[yk] = col or (3 + (*YEAR_KEYS, "avg").index(yk))
        srows = {row.path: row for _, rs in plan.series for row in rs}
        by_label = ({_norm(row.label): row for row in srows.values()}
                    | {_norm(row.title_label): row for row in srows.values()}
                    | {_norm(row.title): row for row in srows.values()})
        for r, path, label in _iter_rows(rd, ws):
            row = srows.get(path) or (by_label.get(_norm(label)) if not path else None)
            if row is None:
                continue
            for yk, col in year_cols.items():
                raw, prob = rd.value(ws, r, col)
                head = YEAR_COLUMNS[YEAR_KEYS.index(yk)] if yk in YEAR_KEYS else "近三年平均值"
                cell = _Cell(S_SERIES, f"{get_column_letter(col)}{r}", f"{row.title} {head}", raw)
                if prob:
                    problems.append(_cell_problem(cell, prob))
                    continue
                put(Desc(f"{row.path}.{yk}", row.title, "float", row.unit), cell)

    # 前十企业 / 前五产品
    for lt in plan.lists:
        sname = S_LIST[app_type]
        ws = rd.sheet(sname)
        if ws is None:
            problems.append(f"找不到工作表「{sname}」，其中各项未导入。")
            continue
        h = rd.header_row(ws) or 3
        hmap = _header_map(ws, h)
        cols = []
        for j, c in enumerate(lt.columns):
            col = hmap.get(_norm(c.label)) or hmap.get(_norm(c.title)) or (3 + j)
            cols.append((c, col))
        items: list[dict[str, Any]] = []
        for r, path, _label in _iter_rows(rd, ws):
            if path and path != lt.path:
                continue
            raws = [(c, col, *rd.value(ws, r, col)) for c, col in cols]
            if all(raw is None or (isinstance(raw, str) and not raw.strip()) for _, _, raw, _ in raws):
                continue
            idx = len(items)
            if idx >= lt.max_rows:
                problems.append(f"工作表「{sname}」第 {r} 行：超过 {lt.max_rows} 行，未导入。")
                continue
            item: dict[str, Any] = {}
            for c, col, raw, prob in raws:
                cell = _Cell(sname, f"{get_column_letter(col)}{r}", f"第{idx + 1}行 {c.title}", raw)
                if prob:
                    problems.append(_cell_problem(cell, prob))
                    continue
                try:
                    item[c.name] = _convert(_desc_from_field(c), raw)
                    values[f"{lt.path}.{idx}.{c.name}"] = (item[c.name], cell)
                except ValueProblem as e:
                    problems.append(_cell_problem(cell, str(e)))
            items.append(item)
        values[lt.path] = (items, _Cell(sname, "", lt.title, None))

    # assemble and validate; a value the model rejects is reported at its cell and dropped
    if not values.get("domain", (None, None))[0]:
        raise ImportProblem([f"工作表「{S_BASIC}」：缺少有效的“申报创建领域”，无法导入。", *problems])
    data: dict[str, Any] = {"type": app_type.value, "schema_version": SCHEMA_VERSION}
    for path, (v, _cell) in values.items():
        if re.search(r"\.\d+\.", path):
            continue  # list items are set as whole lists
        set_in(data, path, v)
    for _ in range(50):
        try:
            app = parse_application(data)
            return app, problems
        except ValidationError as e:
            removed = False
            for err in e.errors():
                loc = [p for p in err.get("loc", ()) if p not in ("park", "enterprise")]
                path = ".".join(str(p) for p in loc)
                cell = values.get(path, (None, None))[1]
                msg = _validation_message(err)
                if cell is not None:
                    problems.append(_cell_problem(cell, msg))
                else:
                    problems.append(f"{path}：{msg}")
                if delete_in(data, loc):
                    removed = True
            if not removed:
                raise ImportProblem(["工作簿内容无法组成一份有效的申报数据：", *problems]) from None
    raise ImportProblem(["工作簿中无效的单元格过多，未导入。", *problems[:50]])


