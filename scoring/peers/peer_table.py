"""Peer sets and the peer table: who the peers are (:class:`Peer`, :class:`PeerSet`, always labelled with their
source), and the CSV of peer indicators a user can upload (:func:`parse_peer_csv`, template :func:`csv_template`).

A row with a bad cell is reported with its row and column and left out; good rows are kept. The simulated
reference set (:mod:`scoring.peers.simulate`) is written in the same layout.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator, Literal, Optional, Sequence, cast

from pydantic import BaseModel, Field

from ..application.clean import strip_bad_chars
from ..application.derived import YEAR_KEYS
from ..application.ids import ApplicantType, Domain
from ..programme.rubric import IndicatorRubric, load_indicator_rubric
from ..rules.indicators import metric_catalog
from ..limits import LIMITS

MIN_PEERS = 8
MAX_CSV_ROWS = LIMITS.csv_rows
PERCENTILE_METHOD = ("百分位按中位秩计算：100 ×（不如本单位的参照单位数 + 与本单位持平数 ÷ 2）÷ 有数据的参照单位数；"
                     "中位数、P75、P90 按线性插值（与 Excel PERCENTILE.INC 相同）。缺数据的参照单位不参与比较，另行计数。")

SourceKind = Literal["simulated", "applications", "csv"]
SOURCE_LABELS: dict[str, str] = {
    "simulated": "模拟参照组",
    "applications": "真实同行（已载入的申报）",
    "csv": "真实同行（上传的同行指标表）",
}
SOURCE_NOTES: dict[str, str] = {
    "simulated": "虚构单位，按公开统计和写明的假设生成，不是真实申报单位",
    "applications": "在本应用中载入的申报数据",
    "csv": "用户上传的同行指标",
}

# key indicators shown as three-year trends (series paths of scoring.application.derived)
TREND_SERIES: dict[ApplicantType, tuple[str, ...]] = {
    ApplicantType.PARK: ("lead.revenue", "lead.share", "rd.lead_rd_intensity", "main.labor_productivity"),
    ApplicantType.ENTERPRISE: ("domain_ops.revenue", "rd.rd_intensity", "domain_ops.gross_margin",
                               "main.labor_productivity"),
}

COL_NAME, COL_TYPE, COL_DOMAIN, COL_NARRATIVE, COL_NOTE = "单位名称", "申报类别", "申报领域", "工作方案得分（分）", "备注"
_ALIASES: dict[str, tuple[str, ...]] = {
    COL_NAME: ("单位名称", "名称", "申报单位名称", "园区名称", "企业名称", "name"),
    COL_TYPE: ("申报类别", "类别", "type"),
    COL_DOMAIN: ("申报领域", "申报创建领域", "领域", "domain"),
    COL_NARRATIVE: ("工作方案得分（分）", "工作方案得分", "narrative"),
    COL_NOTE: ("备注", "说明", "note"),
}
_MISSING = {"", "—", "–", "-", "--", "/", "na", "n/a", "nan", "none", "null", "无", "缺", "空", "未填", "无数据"}


class BenchmarkError(ValueError):
    """No comparison possible (message in Chinese)."""


# ---------------------------------------------------------------------------------------------------------------
# peers


@dataclass
class Peer:
    name: str
    type: ApplicantType
    domain: Domain
    values: dict[str, Optional[float]] = field(default_factory=dict)  # metric key -> value
    narrative: Optional[float] = None  # 工作方案得分 0–100
    row: Optional[int] = None  # CSV row (header = row 1)


class CsvIssue(BaseModel):
    row: int = Field(description="CSV 行号（表头为第 1 行）")
    column: str
    value: str = ""
    message: str

    @property
    def text(self) -> str:
        where = f"第 {self.row} 行" + (f"，“{self.column}”列" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class PeerSet:
    kind: SourceKind
    peers: list[Peer]
    issues: list[CsvIssue] = field(default_factory=list)  # rows left out, with row and column
    warnings: list[str] = field(default_factory=list)  # e.g. unknown columns (ignored)
    origin: str = ""  # file name(s)

    @property
    def simulated(self) -> bool:
        return self.kind == "simulated"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.kind]

    @property
    def bad_rows(self) -> list[int]:
        return sorted({i.row for i in self.issues})


def rubric_metric_keys(app_type: ApplicantType | str, rubric: Optional[IndicatorRubric] = None) -> list[str]:
    """Metrics used by the indicator rubric, in rubric order."""
    rubric = rubric or load_indicator_rubric(app_type)
    out: list[str] = []
    for d in rubric.dimensions:
        for i in d.indicators:
            if i.metric not in out:
                out.append(i.metric)
    return out


def trend_keys(app_type: ApplicantType | str) -> list[str]:
    return [f"{s}.{yk}" for s in TREND_SERIES[as_type(app_type)] for yk in YEAR_KEYS]


def csv_metric_keys(app_type: ApplicantType | str, narrative: bool = False) -> list[str]:
    """Metric columns of the peer table of a type: the rubric's metrics, then the years of the trend indicators."""
    keys = rubric_metric_keys(app_type)
    keys += [k for k in trend_keys(app_type) if k not in keys]
    return keys


def _col_label(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit else label


def csv_header(app_type: ApplicantType | str, keys: Sequence[str], narrative: bool = False) -> list[str]:
    cat = metric_catalog(app_type)
    head = [COL_NAME, COL_TYPE, COL_DOMAIN] + [_col_label(*cat[k]) for k in keys]
    return head + [COL_NARRATIVE] if narrative else head


def csv_template(app_type: ApplicantType | str) -> bytes:
    """A header-only peer table for a type (UTF-8 with BOM so that Excel shows the Chinese headers)."""
    t = ApplicantType.parse(app_type)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(csv_header(t, csv_metric_keys(t), narrative=True))
    return buf.getvalue().encode("utf-8-sig")


def _norm(s: str) -> str:
    """Header/cell comparison form: NFKC (full-width → half-width), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", s).split()).lower()


def _column_map() -> dict[str, str]:
    """Normalised header -> column id (metric key, or one of the fixed columns)."""
    m: dict[str, str] = {}
    for col, aliases in _ALIASES.items():
        for a in aliases:
            m[_norm(a)] = col
    for t in ApplicantType:
        cat = metric_catalog(t)
        for k, (label, unit) in cat.items():
            m.setdefault(_norm(k), k)
            m.setdefault(_norm(_col_label(label, unit)), k)
            m.setdefault(_norm(label), k)
        for d in load_indicator_rubric(t).dimensions:
            for i in d.indicators:
                m.setdefault(_norm(_col_label(i.label, i.unit or cat[i.metric][1])), i.metric)
                m.setdefault(_norm(i.label), i.metric)
    return m


def metric_bounds(key: str, unit: str) -> tuple[Optional[float], Optional[float]]:
    """Plausible range of a metric (as the form's fields allow): growth ≥ −100, margins ±100, shares 0–100, else ≥ 0."""
    if "growth" in key or key.endswith(".cagr"):
        return -100.0, None
    if "gross_margin" in key:
        return -100.0, 100.0
    if unit == "%":
        return 0.0, 100.0
    return 0.0, None


def as_type(v: object) -> ApplicantType:
    return cast(ApplicantType, ApplicantType.parse(v))  # type: ignore[arg-type]


def _domain(v: object) -> Domain:
    return cast(Domain, Domain.parse(v))  # type: ignore[arg-type]


def _parse_number(raw: str) -> tuple[Optional[float], Optional[str]]:
    """(value, None), (None, None) for an empty/missing cell, or (None, Chinese reason)."""
    s = unicodedata.normalize("NFKC", raw).strip()
    if _norm(s) in _MISSING:
        return None, None
    s = s.replace(",", "").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    try:
        v = float(s)
    except ValueError:
        return None, "不是数字"
    if not math.isfinite(v):
        return None, "不是有限的数字"
    return v, None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for enc in ("utf-8-sig", "gb18030"):  # Excel saves 「CSV UTF-8」 with a BOM, plain 「CSV」 as GBK on Chinese Windows
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise BenchmarkError("文件编码无法识别：请另存为“CSV UTF-8（逗号分隔）”")


def _bounded_rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows of a CSV reader; a field over the limit or a malformed row ends the file with a Chinese reason."""
    rowno = 0
    while True:
        rowno += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise BenchmarkError(f"第 {rowno} 行无法读取：字段过长（上限 {LIMITS.csv_field_chars:,} 字）"
                                 "或引号不成对") from None
        if any(len(c) > LIMITS.csv_field_chars for c in cells):
            raise BenchmarkError(f"第 {rowno} 行：字段过长（上限 {LIMITS.csv_field_chars:,} 字）")
        if any(strip_bad_chars(c) != c for c in cells):
            cells = [strip_bad_chars(c) for c in cells]
        yield cells


def parse_peer_csv(data: bytes | str, kind: SourceKind = "csv", origin: str = "",
                   max_rows: int = MAX_CSV_ROWS) -> PeerSet:
    """Read a peer table. Rows with a bad cell are reported (row, column, reason) and left out; good rows are kept.

    Row numbers are those a spreadsheet shows: the header is row 1, the first data row is row 2.
    Raises :class:`BenchmarkError` when the file as a whole cannot be used (encoding, no header, missing columns).
    """
    if len(data) > LIMITS.csv_bytes:
        raise BenchmarkError(f"文件过大（上限 {LIMITS.csv_bytes // (1024 * 1024)} MB）")
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delim = "\t" if first.count("\t") > first.count(",") else ","
    reader = _bounded_rows(csv.reader(io.StringIO(text), delimiter=delim))
    try:
        header = next(reader)
    except StopIteration:
        raise BenchmarkError("文件为空：第 1 行应为表头（可下载模板）") from None
    colmap = _column_map()
    cols: list[Optional[str]] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        cid = colmap.get(_norm(h)) if h.strip() else None
        if h.strip() and cid is None:
            warnings.append(f"第 1 行：未识别的列“{h.strip()}”，已忽略")
        if cid is not None and cid in seen:
            warnings.append(f"第 1 行：列“{h.strip()}”与第 {seen[cid] + 1} 列重复，只使用第一列")
            cid = None
        if cid is not None:
            seen[cid] = j
        cols.append(cid)
    missing_cols = [c for c in (COL_TYPE, COL_DOMAIN) if c not in seen]
    if missing_cols:
        raise BenchmarkError("表头缺少必需的列：" + "、".join(f"“{c}”" for c in missing_cols) + "（可下载模板对照）")
    if not any(c not in (COL_NAME, COL_TYPE, COL_DOMAIN, COL_NOTE, None) for c in cols):
        raise BenchmarkError("表头中没有可识别的指标列（可下载模板对照）")

    cats = {t: metric_catalog(t) for t in ApplicantType}
    peers: list[Peer] = []
    issues: list[CsvIssue] = []
    for idx, cells in enumerate(reader):
        rowno = idx + 2
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(peers) + len({i.row for i in issues}) >= max_rows:
            warnings.append(f"超过 {max_rows} 行，第 {rowno} 行起未读取")
            break
        row_issues: list[CsvIssue] = []
        cell = {cid: (cells[j] if j < len(cells) else "") for j, cid in enumerate(cols) if cid is not None}
        t: Optional[ApplicantType] = None
        dom: Optional[Domain] = None
        try:
            t = as_type(cell[COL_TYPE]) if cell[COL_TYPE].strip() else None
            if t is None:
                row_issues.append(CsvIssue(row=rowno, column=header[seen[COL_TYPE]].strip(), message="缺少申报类别"))
        except ValueError as e:
            row_issues.append(CsvIssue(row=rowno, column=header[seen[COL_TYPE]].strip(), value=cell[COL_TYPE],
                                       message=str(e)))
        try:
            dom = _domain(cell[COL_DOMAIN]) if cell[COL_DOMAIN].strip() else None
            if dom is None:
                row_issues.append(CsvIssue(row=rowno, column=header[seen[COL_DOMAIN]].strip(), message="缺少申报领域"))
        except ValueError as e:
            row_issues.append(CsvIssue(row=rowno, column=header[seen[COL_DOMAIN]].strip(), value=cell[COL_DOMAIN],
                                       message=str(e)))
        values: dict[str, Optional[float]] = {}
        narrative: Optional[float] = None
        for cid, raw in cell.items():
            if cid in (COL_NAME, COL_TYPE, COL_DOMAIN, COL_NOTE):
                continue
            colname = header[seen[cid]].strip()
            v, err = _parse_number(raw)
            if err:
                row_issues.append(CsvIssue(row=rowno, column=colname, value=raw.strip(), message=f"“{raw.strip()}”{err}"))
                continue
            if v is None:
                continue
            lo: Optional[float]
            hi: Optional[float]
            if cid == COL_NARRATIVE:
                lo, hi = 0.0, 100.0
            else:
                unit = (cats[t] if t else cats[ApplicantType.PARK] | cats[ApplicantType.ENTERPRISE]).get(cid, ("", ""))[1]
                lo, hi = metric_bounds(cid, unit)
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                rng = f"{lo:g}—{hi:g}" if hi is not None else f"不小于 {lo:g}"
                row_issues.append(CsvIssue(row=rowno, column=colname, value=raw.strip(),
                                           message=f"{v:g} 超出合理范围（应{rng}）"))
                continue
            if cid == COL_NARRATIVE:
                narrative = v
            elif t is not None and cid not in cats[t]:
                continue  # a column of the other applicant type: not used for this row
            else:
                values[cid] = v
        if row_issues:
            issues.extend(row_issues)
            continue
        assert t is not None and dom is not None
        _fill_averages(values, t)
        if not any(v is not None for v in values.values()) and narrative is None:
            warnings.append(f"第 {rowno} 行没有任何指标数值，已忽略")
            continue
        name = cell.get(COL_NAME, "").strip() or f"第 {rowno} 行"
        peers.append(Peer(name=name, type=t, domain=dom, values=values, narrative=narrative, row=rowno))
    return PeerSet(kind=kind, peers=peers, issues=issues, warnings=warnings, origin=origin)


def _fill_averages(values: dict[str, Optional[float]], t: ApplicantType) -> None:
    """An empty 近三年平均值 column is computed from three year columns when all three are given."""
    for series in TREND_SERIES[t]:
        avg = f"{series}.avg"
        yv = [values.get(f"{series}.{yk}") for yk in YEAR_KEYS]
        if values.get(avg) is None and all(v is not None for v in yv):
            values[avg] = sum(v for v in yv if v is not None) / 3.0
