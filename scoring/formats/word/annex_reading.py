"""Reading 三、附件清单 and 四、推荐单位意见 of a 申请书 exported by this tool (and perhaps edited by hand): the status
table of the attachments, the enterprise's awards and standards with its place among the participants, and the
推荐单位's opinion and date.

Only what is found is returned (``None`` / absent: the part is not in the document, e.g. the official template filled
by hand, which prints the checklist as lines without a status): the importer then keeps what the embedded data says.
A cell that cannot be read is named in a Chinese problem line and left out, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from docx.oxml.ns import qn

from ...application.attachments import AWARD_KINDS, MATERIAL_STATUS_LABELS, STANDARD_KINDS
from ...application.ids import ApplicantType
from ..common import normalize_text
from .reading import _key, _para_text, _row_cells

RANK_HEADS = {"奖励项目名称": "award_entries", "标准名称及编号": "standard_entries"}
_KINDS = {"award_entries": AWARD_KINDS, "standard_entries": STANDARD_KINDS}
_WHAT = {"award_entries": "科技奖励清单", "standard_entries": "标准清单"}
_RANK_RE = re.compile(r"^第\s*(\d+|[？?])?\s*(?:位)?\s*[/／]\s*共\s*(\d+|[？?])?\s*家$")
_DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_BLANK_DATE_RE = re.compile(r"^年\s*月\s*日$")
_LINE_RE = re.compile(r"^(\d+)\s*[.．、]\s*(.*?)\s*[；;。.]?$")
SEAL = "[章]"


@dataclass
class AnnexParts:
    materials: Optional[dict[str, Any]] = None
    ranks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    opinion: Optional[dict[str, Any]] = None
    problems: list[str] = field(default_factory=list)


def _status(text: str) -> Optional[str]:
    t = re.sub(r"\s+", "", normalize_text(text))
    if not t:
        return "pending"
    for key, label in MATERIAL_STATUS_LABELS.items():
        if t in (key, label):
            return key
    return None


def _materials(t: ApplicantType, rows: list[list[str]], hidden: Optional[dict[str, Any]],
               problems: list[str]) -> Optional[dict[str, Any]]:
    from ...programme.materials import load_materials
    from ...programme.rubric import RubricError

    try:
        items = load_materials().for_type(t)
    except RubricError:
        return None
    before = dict((hidden or {}).get("materials") or {})
    out = dict(before)
    by_key = {_key(m.text): m for m in items}
    by_number = {m.number: m for m in items}
    for i, cells in enumerate(rows, 2):
        cells = (cells + ["", "", ""])[:3]
        line, status_text = normalize_text(cells[0]), normalize_text(cells[1])
        note = cells[2].strip()
        lm = _LINE_RE.match(line)
        num, text = (lm.group(1), lm.group(2)) if lm else ("", line)
        m = by_key.get(_key(text)) or (by_number.get(int(num)) if num else None)
        if m is None:
            if text:
                problems.append(f"三、附件清单第{i}行：“{text[:30]}”不是本批次附件清单中的项目，未导入")
            continue
        status = _status(status_text)
        if status is None:
            problems.append(f"三、附件清单第{i}行「{m.number}.{m.text[:20]}」状态：“{status_text}”无法识别"
                            "（应为 已附、尚未附 或 不适用），未导入")
            continue
        entry = {"status": status, "note": note}
        old = before.get(m.id)
        if isinstance(old, dict) and old.get("status", "pending") == status and (old.get("note") or "") == note:
            out[m.id] = old
        elif status == "pending" and not note:
            out.pop(m.id, None)  # an item not set is 尚未附: nothing to keep
        else:
            out[m.id] = entry
    return out


def _place(text: str) -> tuple[Optional[int], Optional[int], bool]:
    t = normalize_text(text).strip()
    if t in ("", "未填"):
        return None, None, True
    m = _RANK_RE.match(t)
    if not m:
        return None, None, False
    rank = int(m.group(1)) if m.group(1) and m.group(1).isdigit() else None
    total = int(m.group(2)) if m.group(2) and m.group(2).isdigit() else None
    return rank, total, True


def _ranks(which: str, rows: list[list[str]], problems: list[str]) -> list[dict[str, Any]]:
    kinds = _KINDS[which]
    out: list[dict[str, Any]] = []
    for i, cells in enumerate(rows, 2):
        cells = (cells + ["", "", "", ""])[:4]
        name = cells[1].strip()
        kind_text, place = normalize_text(cells[2]), normalize_text(cells[3])
        if name.startswith("（未填写）") or not any((name, kind_text, place)):
            continue
        entry: dict[str, Any] = {"name": name, "kind": None, "rank": None, "participants": None}
        kind = next((k for k, lab in kinds.items() if kind_text in (k, lab)), None)
        if kind_text and kind is None:
            problems.append(f"{_WHAT[which]}第{i}行类别：“{kind_text}”无法识别（应为 {'、'.join(kinds.values())}），未导入")
        entry["kind"] = kind
        rank, total, ok = _place(place)
        if not ok:
            problems.append(f"{_WHAT[which]}第{i}行本企业排序：“{place}”无法识别（应写作“第 2 / 共 5 家”），未导入")
        entry["rank"], entry["participants"] = rank, total
        out.append(entry)
    return out


def _opinion(cell_paragraphs: list[str], problems: list[str]) -> dict[str, Any]:
    """The cell's paragraphs: ``推荐意见：``, the opinion's lines, ``[章]``, the date."""
    first = cell_paragraphs[0]
    after_head = re.sub(r"^\s*推荐意见\s*[：:]?", "", first)
    body = [after_head] if after_head.strip() else []  # the opinion may start on the heading's line
    rest = cell_paragraphs[1:]
    seal = next((i for i, ln in enumerate(rest) if ln.strip() == SEAL), len(rest))
    body += rest[:seal]
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    date: Optional[str] = None
    for ln in rest[seal + 1:]:
        t = re.sub(r"\s+", "", normalize_text(ln))
        if not t or _BLANK_DATE_RE.match(t):
            continue
        m = _DATE_RE.match(t)
        try:
            date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat() if m else None
        except ValueError:
            date = None
        if date is None:
            problems.append(f"四、推荐单位意见的日期：“{ln.strip()}”无法识别（应写作“2026 年 3 月 30 日”），未导入")
        break
    return {"text": "\n".join(ln.strip() for ln in body), "date": date}


def read_annex_parts(t: ApplicantType, elements: list[Any], hidden: Optional[dict[str, Any]]) -> AnnexParts:
    """Sections 三 and 四 from the body elements after the heading 三、附件清单."""
    out = AnnexParts()
    for el in elements:
        if el.tag != qn("w:tbl"):
            continue
        trs = el.xpath("./w:tr")
        if not trs:
            continue
        head = [re.sub(r"\s+", "", normalize_text(c)) for c in _row_cells(trs[0])]
        rows = [_row_cells(tr) for tr in trs[1:]]
        if len(head) >= 2 and head[0] == "附件" and head[1] == "状态":
            out.materials = _materials(t, rows, hidden, out.problems)
        elif len(head) >= 4 and head[1] in RANK_HEADS and head[3] == "本企业排序":
            if t is ApplicantType.ENTERPRISE:
                out.ranks[RANK_HEADS[head[1]]] = _ranks(RANK_HEADS[head[1]], rows, out.problems)
        elif len(trs) == 1 and len(head) == 1:
            tcs = trs[0].xpath("./w:tc")
            if not tcs:
                continue
            paras = [_para_text(p) for p in tcs[0].xpath("./w:p")]
            if paras and re.sub(r"\s+", "", normalize_text(paras[0])).startswith("推荐意见"):
                out.opinion = _opinion(paras, out.problems)
    return out


__all__ = ["AnnexParts", "read_annex_parts"]
