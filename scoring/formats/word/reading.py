"""Reading a filled 申请书 (this tool's export or the official template filled by hand): text of paragraphs and
cells, check marks, tables found by their title rows and row labels (not by position), the cover and the five
sections by their headings. Whatever cannot be read is noted by table and row — never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from docx.oxml.ns import qn

from ...application.derived import YEAR_KEYS
from ...application.formspec import form_spec
from ...application.ids import YEARS, ApplicantType, Section
from ..common import ValueProblem, normalize_text, parse_date, parse_number
from .layout import (Block, CHECKED, FORM_TITLE, PLACEHOLDER, Row, SECTION_GUIDANCE, UNCHECKED, _field_info,
                     _strip_parens, blocks_for)


# ---------------------------------------------------------------------------------------------------------------
# import

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SYM_CHECKED = {"F052", "F053", "F0FE", "F0FD", "F0FC", "F0D6", "F078"}
_SYM_UNCHECKED = {"F0A3", "F0A8", "F06F", "F0A1", "F071", "F0A2"}
_CHECK_MARKS = "☑☒■√✓✔▣⊠"
_UNCHECK_MARKS = "☐□"  # ☐ too: a hand-filled template may use it


def _para_text(p: Any) -> str:
    """All text of a w:p in document order, including content controls; tabs and breaks kept."""
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == qn("w:t"):
            # skip text of deleted revisions (w:delText is a different tag) and of field instructions
            out.append(el.text or "")
        elif tag == qn("w:tab"):
            if el.getparent() is not None and el.getparent().tag == qn("w:r"):
                out.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            if el.get(qn("w:type")) in (None, "textWrapping"):
                out.append("\n")
        elif tag == qn("w:sym"):
            ch = (el.get(qn("w:char")) or "").upper()
            out.append(CHECKED if ch in _SYM_CHECKED else UNCHECKED if ch in _SYM_UNCHECKED else "")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _cell_text(tc: Any) -> str:
    paras = tc.xpath("./w:p | ./w:sdt/w:sdtContent/w:p")
    return "\n".join(_para_text(p) for p in paras)


def _row_cells(tr: Any) -> list[str]:
    cells = []
    for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
        vm = tc.xpath("./w:tcPr/w:vMerge")
        if vm and vm[0].get(qn("w:val")) in (None, "continue"):
            continue  # continuation of a vertically merged cell
        cells.append(_cell_text(tc))
    return cells

_PUNCT = re.compile(r"[\s“”\"'‘’，,、：:。．.；;·/／_＿\-—]+")
def _key(text: str) -> str:
    """Match key of a label: no parenthesised parts (units, notes), no spaces or punctuation, NFKC."""
    return _PUNCT.sub("", _strip_parens(text)).lower()


def _label_aliases(t: ApplicantType) -> dict[str, list[str]]:
    """path → extra labels (the model titles) accepted for a row besides the form's wording."""
    spec = form_spec(t)
    out: dict[str, list[str]] = {}
    for row in spec.series_rows():
        out.setdefault(row.path, []).append(row.title)
    for fs in spec.fields():
        out.setdefault(fs.path, []).append(fs.title)
    for item in spec.items():
        if type(item).__name__ == "DerivedValue":
            out.setdefault(item.path, []).append(item.title)
    return out


@dataclass
class _Where:
    table: str
    row: int
    label: str
    column: str = ""
    raw: str = ""

    def message(self, reason: str) -> str:
        col = self.column
        return f"表「{self.table}」第{self.row}行「{_strip_parens(self.label)}」{col}：{reason}"


@dataclass
class _Found:
    value: Any
    where: _Where


class _Ctx:
    def __init__(self, t: ApplicantType):
        self.t = t
        self.values: dict[str, _Found] = {}
        self.problems: list[str] = []
        self.found_blocks: set[str] = set()
        self.seen_paths: set[str] = set()

    def read(self, path: str, raw: str, where: _Where) -> None:
        info = _field_info(self.t, path)
        self.seen_paths.add(path)
        try:
            value: Any
            if info.kind == "text":
                value = raw
            elif info.kind == "int":
                value = parse_number(raw, info.unit, integer=True)
            elif info.kind == "float":
                value = parse_number(raw, info.unit)
            elif info.kind == "date":
                value = parse_date(raw)
            else:
                value = raw
        except ValueProblem as e:
            self.problems.append(where.message(str(e)))
            self.values[path] = _Found(None if info.kind != "text" else "", where)
            return
        self.values[path] = _Found(value, where)


def _body_elements(doc: Any) -> Iterator[Any]:
    """Body-level w:p and w:tbl in order (also inside block-level content controls)."""
    def walk(parent: Any) -> Iterator[Any]:
        for el in parent:
            if el.tag in (qn("w:p"), qn("w:tbl")):
                yield el
            elif el.tag == qn("w:sdt"):
                content = el.find(qn("w:sdtContent"))
                if content is not None:
                    yield from walk(content)
    yield from walk(doc.element.body)


_H_BASIC_RE = re.compile(r"^一[、.．]\s*基本情况")
_H_PLAN_RE = re.compile(r"^二[、.．]\s*创建工作方案")
_H_END_RE = re.compile(r"^(三[、.．]\s*附件清单|四[、.．]\s*推荐单位意见)")
_SECTION_RE = re.compile(r"^[（(]?\s*([一二三四五])\s*[)）、.．]?\s*(发展基础|总体思路|重点任务|进度安排|保障措施)\s*[:：]?$")
_COVER_RE = {
    "applicant_name": re.compile(r"^申报单位\s*[:：]\s*(.*?)\s*(?:[（(]\s*盖章\s*[)）])?\s*$"),
    "domain": re.compile(r"^申报领域\s*[:：]\s*(.*?)\s*$"),
    "recommender": re.compile(r"^推荐单位\s*[:：]\s*(.*?)\s*(?:[（(]\s*盖章\s*[)）])?\s*$"),
    "fill_date": re.compile(r"^填报日期\s*[:：]\s*(.*?)\s*$"),
}


def _clean_cover(v: str) -> str:
    return v.strip(" \u3000\t_＿")


def _read_blocks(ctx: _Ctx, tables: list[Any]) -> None:
    t = ctx.t
    blocks = blocks_for(t)
    by_key = {_key(b.title): b for b in blocks}
    aliases = _label_aliases(t)
    cur: Optional[Block] = None
    labels: dict[str, tuple[Row, int]] = {}
    col_map: dict[int, str] = {}
    list_cols: dict[int, str] = {}
    data_no = 0
    items: list[dict[str, Any]] = []
    text_done = False

    def finish() -> None:
        if cur is not None and cur.kind == "list":
            ctx.values[cur.list_path] = _Found(items[:], _Where(cur.short, 0, ""))
            ctx.seen_paths.add(cur.list_path)

    for tbl in tables:
        for tr in tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"):
            cells = _row_cells(tr)
            texts = [c for c in cells if c.strip()]
            uniq = list(dict.fromkeys(normalize_text(c) for c in texts))
            if len(uniq) == 1 and _key(uniq[0]) in by_key:
                finish()
                cur = by_key[_key(uniq[0])]
                ctx.found_blocks.add(cur.title)
                labels = {}
                for r in cur.rows:  # the form's wording first, then the model titles
                    for j, (lab, _path) in enumerate(r.cells):
                        labels.setdefault(_key(lab), (r, j))
                for r in cur.rows:
                    for j, (_lab, path) in enumerate(r.cells):
                        for alias in aliases.get(path, []):
                            labels.setdefault(_key(alias), (r, j))
                col_map, list_cols, data_no, items, text_done = {}, {}, 0, [], False
                continue
            if cur is None:
                continue
            if not texts:
                data_no += 1
                if cur.kind == "text" and not text_done:
                    label, path = cur.rows[0].cells[0]
                    ctx.read(path, "", _Where(cur.short, data_no, label))
                    text_done = True
                continue
            first = _key(cells[0]) if cells else ""
            # the 项目/年度 header row of a 近三年 table
            if cur.kind == "grid" and (first in ("项目年度", "项目", "年度") or
                                       sum(1 for c in cells if re.search(r"20(23|24|25)", normalize_text(c))) >= 2):
                if not any(_key(c) in labels for c in cells):
                    col_map = {}
                    for i, c in enumerate(cells):
                        n = normalize_text(c).replace(" ", "")
                        for yk, y in zip(YEAR_KEYS, YEARS):
                            if str(y) in n:
                                col_map[i] = yk
                        if "平均" in n:
                            col_map[i] = "avg"
                    continue
            if cur.kind == "list" and not list_cols:
                keys = [_key(c) for c in cells]
                wanted = {_key(lab): name for lab, name, _ in cur.list_cols}
                if sum(1 for k in keys if k in wanted) >= 2:
                    list_cols = {i: wanted[k] for i, k in enumerate(keys) if k in wanted}
                    continue
            data_no += 1
            if cur.kind == "text":
                if not text_done:
                    label, path = cur.rows[0].cells[0]
                    text = "\n".join(cells) if len(cells) > 1 else cells[0]
                    if _key(text) == _key(PLACEHOLDER):
                        text = ""
                    ctx.read(path, text, _Where(cur.short, data_no, label))
                    text_done = True
                continue
            if cur.kind == "list":
                _read_list_row(ctx, cur, cells, list_cols, items, data_no)
                continue
            _read_grid_row(ctx, cur, cells, labels, col_map, data_no)
    finish()


def _read_list_row(ctx: _Ctx, block: Block, cells: list[str], list_cols: dict[int, str],
                   items: list[dict[str, Any]], data_no: int) -> None:
    mapping = list_cols or {i: name for i, (_, name, _) in enumerate(block.list_cols)}
    if len(items) >= block.list_rows:
        ctx.problems.append(f"表「{block.short}」第{data_no}行：超过 {block.list_rows} 行，未导入。")
        return
    idx = len(items)
    item: dict[str, Any] = {}
    name_col = block.list_cols[0][1]
    row_name = next((cells[i] for i, n in mapping.items() if n == name_col and i < len(cells)), "")
    for i, name in mapping.items():
        raw = cells[i] if i < len(cells) else ""
        label = next(lab for lab, n, _ in block.list_cols if n == name)
        path = f"{block.list_path}.{idx}.{name}"
        where = _Where(block.short, data_no, row_name.strip() or f"第{data_no}项", _strip_parens(label), raw)
        ctx.read(path, raw, where)
        item[name] = ctx.values[path].value
    items.append(item)


def _read_grid_row(ctx: _Ctx, block: Block, cells: list[str], labels: dict[str, tuple[Row, int]],
                   col_map: dict[int, str], data_no: int) -> None:
    i = 0
    matched = False
    while i < len(cells):
        k = _key(cells[i])
        hit = labels.get(k)
        if hit is None and k:
            # a checkbox cell: ☑高新技术企业
            stripped = _key(cells[i].lstrip(_CHECK_MARKS + _UNCHECK_MARKS + " "))
            if stripped != k:
                hit = labels.get(stripped)
            if hit is None and ("其他" in k):
                hit = labels.get(_key("其他"))
        if hit is None:
            i += 1
            continue
        matched = True
        row, j = hit
        label, path = row.cells[j]
        where = _Where(block.short, data_no, label)
        if row.kind == "series":
            positions = col_map or {i + 1: "y2023", i + 2: "y2024", i + 3: "y2025", i + 4: "avg"}
            for pos, yk in positions.items():
                raw = cells[pos] if pos < len(cells) else ""
                head = f"{YEARS[YEAR_KEYS.index(yk)]}年" if yk in YEAR_KEYS else "近三年平均值"
                ctx.read(f"{path}.{yk}", raw, _Where(block.short, data_no, label, head, raw))
            return
        if row.kind == "choice":
            _read_choice(ctx, row, " ".join(cells[i + 1:]), where)
            return
        if row.kind == "checks":
            for lab, p in row.cells:
                _read_check(ctx, p, lab, " ".join(cells), where)
            return
        if row.kind == "check_other":
            text = " ".join(cells)
            m = re.search(r"其他\s*[:：]?\s*(.*)$", text, re.S)
            other = (m.group(1) if m else "").strip(" \u3000\t_＿")
            ctx.seen_paths.add(path)
            ctx.values[path] = _Found(other, where)
            return
        raw = cells[i + 1] if i + 1 < len(cells) else ""
        ctx.read(path, raw, _Where(block.short, data_no, label, "", raw))
        i += 2
    if not matched:
        first = next((c for c in cells if c.strip()), "")
        ctx.problems.append(f"表「{block.short}」第{data_no}行「{_strip_parens(first)[:30]}」：不是申请书中的项目，未导入。")


def _checked_before(text: str, label: str) -> Optional[bool]:
    """Is the checkbox in front of ``label`` ticked? None when the label is not in the text."""
    t = normalize_text(text)
    lab = normalize_text(label)
    pos = t.find(lab)
    if pos < 0:
        lab_k = _key(label)
        # search ignoring punctuation/quotes: compare keys of growing prefixes
        compact = _PUNCT.sub("", t)
        pos2 = compact.find(lab_k)
        if pos2 < 0:
            return None
        before = compact[:pos2].rstrip()
    else:
        before = t[:pos].rstrip()
    if before and before[-1] in _CHECK_MARKS:
        return True
    if before and before[-1] in _UNCHECK_MARKS:
        return False
    return None


def _read_check(ctx: _Ctx, path: str, label: str, text: str, where: _Where) -> None:
    v = _checked_before(text, label)
    ctx.seen_paths.add(path)
    if v is None:
        if _key(label) in _PUNCT.sub("", _key(text)):
            ctx.problems.append(f"表「{where.table}」第{where.row}行「{label}」：无法识别是否勾选（请用 ■ 或 □ 标记）")
        v = False
    ctx.values[path] = _Found(v, _Where(where.table, where.row, label))


def _read_choice(ctx: _Ctx, row: Row, text: str, where: _Where) -> None:
    label, path = row.cells[0]
    ctx.seen_paths.update({path, row.other_path})
    chosen = [v for v, lab in row.options if _checked_before(text, lab)]
    other_text = ""
    m = re.search(r"其他\s*[:：]?\s*(.*)$", text, re.S)
    if m:
        other_text = m.group(1).strip(" \u3000\t_＿")
    if not chosen and not any(ch in text for ch in _CHECK_MARKS + _UNCHECK_MARKS):
        named = [v for v, lab in row.options if lab in normalize_text(text)]
        chosen = named if len(named) == 1 else []
    if len(chosen) > 1:
        ctx.problems.append(where.message("勾选了多个选项，无法确定，未导入"))
        chosen = []
    ctx.values[path] = _Found(chosen[0] if chosen else None, where)
    ctx.values[row.other_path] = _Found(other_text if (chosen and chosen[0] == "other") else "", where)


def _read_cover(ctx: _Ctx, paragraphs: list[str]) -> tuple[Optional[ApplicantType], Optional[str]]:
    t_found: Optional[ApplicantType] = None
    domain_text: Optional[str] = None
    for text in paragraphs:
        n = normalize_text(text)
        original = text.strip(" \u3000\t")
        if "示范园区" in n and FORM_TITLE[:6] in n or n in ("(示范园区)", "（示范园区）"):
            t_found = ApplicantType.PARK
        elif "示范企业" in n and FORM_TITLE[:6] in n or n in ("(示范企业)", "（示范企业）"):
            t_found = ApplicantType.ENTERPRISE
        for key, pat in _COVER_RE.items():
            m = pat.match(original)
            if not m:
                continue
            v = _clean_cover(m.group(1))
            where = _Where("申请书首页", 0, {"applicant_name": "申报单位", "domain": "申报领域",
                                             "recommender": "推荐单位", "fill_date": "填报日期"}[key])
            if key == "domain":
                domain_text = v
            elif key == "fill_date":
                try:
                    ctx.values[key] = _Found(parse_date(v), where)
                except ValueProblem as e:
                    ctx.problems.append(f"申请书首页「填报日期」：{e}")
                    ctx.values[key] = _Found(None, where)
            else:
                ctx.values[key] = _Found(v, where)
    return t_found, domain_text


def _read_sections(ctx: _Ctx, elements: list[Any]) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    current: Optional[Section] = None
    guidance = {_key(v) for g in SECTION_GUIDANCE.values() for v in g.values()}
    for el in elements:
        if el.tag == qn("w:tbl"):
            if current is not None:
                for tr in el.xpath(".//w:tr"):
                    out[current.value].append("\t".join(c.replace("\n", " ") for c in _row_cells(tr)))
            continue
        text = _para_text(el)
        m = _SECTION_RE.match(normalize_text(text).replace(" ", ""))
        if m:
            sec = Section.parse(m.group(2))
            if sec.value not in out:
                current = sec
                out[sec.value] = []
                continue
        if current is None:
            continue
        lines = out[current.value]
        if not lines and _key(text) in guidance:
            continue  # the template's guidance sentence under the heading
        lines.append(text)
    return {k: "\n".join(v) for k, v in out.items()}


