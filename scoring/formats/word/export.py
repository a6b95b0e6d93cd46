"""Export of the filled 创建申请书 with python-docx: cover page, 一、基本情况 with the form's tables, 二、创建工作方案,
三、附件清单 (the rule pack's items in the form's words, each with its status and note; an enterprise's awards and
standards with its place among the participants) and 四、推荐单位意见 (the 推荐单位's opinion and date when given, beside
the form's [章]), plus the application's full data as a custom XML part.

Values the form asks for but the tool computes (近三年平均值, growth rates, shares, 加权数量) are filled with the
computed value when the applicant did not type one. Chinese fonts are set on the Normal style and on every run.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any, Optional

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from lxml import etree

from ...application.derived import YEAR_KEYS, DerivedResult
from ...application.formspec import get_in
from ...application.ids import ApplicantType, Section
from ..common import fmt_exact, xml_safe_text
from ..json_io import export_json
from ...application.models import SCHEMA_VERSION, AnyApplication
from .layout import (SECTION_GUIDANCE, Block, CHECKED, FONT_BODY, FONT_HEADING, FONT_LATIN, FONT_SUBHEADING, FONT_TABLE,
                     FORM_TITLE, HEADER_ROW, H_ATTACH, H_BASIC, H_OPINION, H_PLAN, PLACEHOLDER, SECTION_NUMERALS,
                     SUBTITLE, UNCHECKED, _align, _derivable_paths, _derive, _setup_styles, _shown, blocks_for,
                     set_font)


# ---------------------------------------------------------------------------------------------------------------
# export


def _para(container: Any, text: str = "", *, font: str = FONT_BODY, size: float = 16, bold: bool = False,
          align: Optional[Any] = None, indent: bool = False, style: Optional[str] = None,
          latin: Optional[str] = FONT_LATIN, space_before: float = 0, space_after: float = 0,
          line: Optional[float] = None) -> Any:
    p = container.add_paragraph(style=style) if style else container.add_paragraph()
    pf = p.paragraph_format
    pf.first_line_indent = Pt(size * 2) if indent else Pt(0)
    pf.space_before, pf.space_after = Pt(space_before), Pt(space_after)
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    if align is not None:
        p.alignment = align
    if text:
        r = p.add_run(xml_safe_text(text))
        set_font(r, font, size, bold, latin=latin)
    return p


def _run(p: Any, text: str, font: str = FONT_BODY, size: float = 16, bold: bool = False,
         underline: bool = False, latin: Optional[str] = FONT_LATIN) -> Any:
    r = p.add_run(xml_safe_text(text))
    set_font(r, font, size, bold, latin=latin)
    if underline:
        r.font.underline = True
    return r


def _cell_write(cell: Any, text: str, *, bold: bool = False, align: Any = WD_ALIGN_PARAGRAPH.LEFT,
                size: float = 10.5) -> None:
    """Replace a cell's content with ``text`` (one paragraph per line), table font, single spacing."""
    tc = cell._tc
    for p in list(tc.xpath("./w:p")):
        tc.remove(p)
    lines = text.split("\n") if text else [""]
    for line in lines:
        p = cell.add_paragraph()
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_before = pf.space_after = Pt(1)
        p.alignment = align
        if line:
            parts = re.split(f"([{CHECKED}{UNCHECKED}])", line)
            for part in parts:
                if not part:
                    continue
                _run(p, part, FONT_TABLE, size, bold, latin=FONT_TABLE if part in (CHECKED, UNCHECKED) else FONT_LATIN)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _no_split(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = parse_xml(f'<w:cantSplit {nsdecls("w")}/>')
    trpr.append(el)


def _repeat_header(row: Any) -> None:
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _keep_with_next(row: Any) -> None:
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


TEXT_WIDTH_CM = 15.6


def _widths(block: Block) -> list[float]:
    if block.kind == "list":
        return [w for _, _, w in block.list_cols]
    if block.ncols == 5:
        return [5.4, 2.4, 2.4, 2.4, 3.0]
    if block.ncols == 4:
        return [4.4, 3.4, 4.4, 3.4]
    return [TEXT_WIDTH_CM]


def _add_table(doc: Any, block: Block) -> Any:
    widths = _widths(block)
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    tblpr.append(layout)
    for col, w in zip(table.columns, widths):
        col.width = Cm(w)
    return table


def _new_row(table: Any, widths: list[float]) -> Any:
    row = table.add_row()
    for cell, w in zip(row.cells, widths):
        cell.width = Cm(w)
    return row


def _merged(row: Any, a: int, b: int) -> Any:
    return row.cells[a] if a == b else row.cells[a].merge(row.cells[b])


def _title_row(table: Any, widths: list[float], title: str) -> None:
    row = _new_row(table, widths)
    cell = _merged(row, 0, len(widths) - 1)
    _cell_write(cell, title, bold=True)
    _shade(cell, "F2F2F2")
    _keep_with_next(row)
    _no_split(row)


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _write_block(doc: Any, block: Block, t: ApplicantType, data: dict[str, Any], derived: DerivedResult,
                 computed: set[str]) -> None:
    widths = _widths(block)
    table = _add_table(doc, block)
    _title_row(table, widths, block.title)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if block.kind == "list":
        row = _new_row(table, widths)
        for j, (label, _, _) in enumerate(block.list_cols):
            _cell_write(row.cells[j], label, bold=True, align=center)
        _keep_with_next(row)
        _no_split(row)
        _repeat_header(row)
        items = get_in(data, block.list_path) or []
        for i in range(max(block.list_rows, len(items))):
            row = _new_row(table, widths)
            _no_split(row)
            for j, (_, name, _) in enumerate(block.list_cols):
                v = get_in(data, f"{block.list_path}.{i}.{name}") if i < len(items) else None
                text = "" if v is None else (fmt_exact(v) if isinstance(v, (int, float)) else str(v))
                _cell_write(row.cells[j], xml_safe_text(text), align=center if j else WD_ALIGN_PARAGRAPH.LEFT)
        return
    if block.kind == "text":
        row = _new_row(table, widths)
        text = get_in(data, block.rows[0].cells[0][1]) or ""
        _cell_write(row.cells[0], xml_safe_text(text) if text else PLACEHOLDER, size=12)
        return
    if block.header:
        row = _new_row(table, widths)
        for j, h in enumerate(HEADER_ROW):
            _cell_write(row.cells[j], h, bold=True, align=center)
        _keep_with_next(row)
        _no_split(row)
    n = block.ncols
    for spec in block.rows:
        row = _new_row(table, widths)
        _no_split(row)
        if spec.kind == "series":
            label, path = spec.cells[0]
            _cell_write(row.cells[0], label)
            for j, yk in enumerate((*YEAR_KEYS, "avg"), start=1):
                p = f"{path}.{yk}"
                _cell_write(row.cells[j], _shown(data, derived, p, p in computed), align=center)
        elif spec.kind == "pair":
            (l1, p1), (l2, p2) = spec.cells
            _cell_write(row.cells[0], l1)
            _cell_write(row.cells[1], _shown(data, derived, p1, p1 in computed), align=_align(t, p1))
            if n == 5:
                _cell_write(_merged(row, 2, 3), l2)
                _cell_write(row.cells[4], _shown(data, derived, p2, p2 in computed), align=_align(t, p2))
            else:
                _cell_write(row.cells[2], l2)
                _cell_write(row.cells[3], _shown(data, derived, p2, p2 in computed), align=_align(t, p2))
        elif spec.kind == "wide":
            label, path = spec.cells[0]
            _cell_write(row.cells[0], label)
            _cell_write(_merged(row, 1, n - 1), _shown(data, derived, path, False))
        elif spec.kind == "single":
            label, path = spec.cells[0]
            _cell_write(_merged(row, 0, n - 2), label)
            _cell_write(row.cells[n - 1], _shown(data, derived, path, path in computed), align=center)
        elif spec.kind == "choice":
            label, path = spec.cells[0]
            value = get_in(data, path)
            _cell_write(row.cells[0], label)
            other = get_in(data, spec.other_path) or ""
            parts = [f"{CHECKED if value == v else UNCHECKED}{lab}" + (f" {other or '＿＿＿＿'}" if v == "other" else "")
                     for v, lab in spec.options]
            _cell_write(_merged(row, 1, n - 1), "　".join(parts))
        elif spec.kind == "checks":
            for j, (label, path) in enumerate(spec.cells):
                mark = CHECKED if get_in(data, path) else UNCHECKED
                _cell_write(_merged(row, 2 * j, 2 * j + 1), f"{mark}{label}")
        elif spec.kind == "check_other":
            label, path = spec.cells[0]
            other = get_in(data, path) or ""
            mark = CHECKED if other.strip() else UNCHECKED
            _cell_write(_merged(row, 0, n - 1), f"{mark}{label} {other or '＿＿＿＿＿＿'}")


def _page_number_footer(section: Any) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", FONT_TABLE, 12)
    r = p.add_run()
    set_font(r, FONT_TABLE, 12, latin=FONT_LATIN)
    r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    r2 = p.add_run()
    r2._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
    r3 = p.add_run()
    r3._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    _run(p, " —", FONT_TABLE, 12)


def _setup_page(doc: Any) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.different_first_page_header_footer = True  # no page number on the cover
    _page_number_footer(sec)


COVER_WIDTHS = (3.6, 8.8, 3.0)


def _cover(doc: Any, app: AnyApplication, t: ApplicantType) -> None:
    _para(doc, FORM_TITLE, font=FONT_HEADING, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=90,
          line=36, latin=None)
    _para(doc, SUBTITLE[t], font=FONT_HEADING, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=70,
          line=36, latin=None)
    d = app.fill_date
    date_text = f"{d.year} 年 {d.month} 月 {d.day} 日" if d else "　　　　年　　月　　日"
    fields = (("申报单位：", app.applicant_name, "（盖章）"),
              ("申报领域：", app.domain.label, ""),
              ("推荐单位：", app.recommender, "（盖章）"),
              ("填报日期：", date_text, ""))
    table = doc.add_table(rows=0, cols=3)  # no style: no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    for col, w in zip(table.columns, COVER_WIDTHS):
        col.width = Cm(w)
    for label, value, tail in fields:
        row = _new_row(table, list(COVER_WIDTHS))
        _no_split(row)
        for cell, text in zip(row.cells, (label, xml_safe_text(value), tail)):
            _cell_write(cell, text, size=16)
            for p in cell.paragraphs:
                p.paragraph_format.space_before = Pt(8)
                p.paragraph_format.space_after = Pt(2)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        for r in row.cells[0].paragraphs[0].runs + row.cells[2].paragraphs[0].runs + row.cells[1].paragraphs[0].runs:
            set_font(r, FONT_BODY, 16, latin=FONT_LATIN)
        row.cells[1]._tc.get_or_add_tcPr().append(parse_xml(
            f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            f'</w:tcBorders>'))
    p = _para(doc, "工业和信息化部制", font=FONT_BODY, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=120,
              latin=None)
    p.runs[0].add_break(WD_BREAK.PAGE)


def _heading(doc: Any, text: str, level: int = 1, page_break: bool = False) -> Any:
    p = doc.add_paragraph(style="Heading 1" if level == 1 else "Heading 2")
    r = p.add_run(text)
    set_font(r, FONT_HEADING if level == 1 else FONT_SUBHEADING, 16, bold=level != 1)
    p.paragraph_format.page_break_before = page_break
    return p


def _spacer(doc: Any) -> None:
    _para(doc, "", size=6, line=8)


def _plan_sections(doc: Any, app: AnyApplication, t: ApplicantType) -> None:
    _heading(doc, H_PLAN, 1, page_break=True)
    for i, sec in enumerate(Section):
        _heading(doc, f"（{SECTION_NUMERALS[i]}）{sec.label}", 2)
        text = getattr(app.work_plan, sec.value)
        if text:
            for line in text.split("\n"):
                _para(doc, line, indent=True)
        else:  # an empty section shows what the form asks for there (the reader skips it again)
            _para(doc, SECTION_GUIDANCE[t][sec], indent=True)


ATTACH_WIDTHS = [9.8, 1.8, 4.0]
RANK_WIDTHS = [1.2, 6.6, 4.2, 3.6]
RANK_TITLES = {"award_entries": ("科技奖励清单", "奖励项目名称", "奖励类别及等级"),
               "standard_entries": ("标准清单", "标准名称及编号", "标准类别")}


def _grid(doc: Any, widths: list[float], headers: tuple[str, ...]) -> Any:
    table = _add_table(doc, Block("", "list", len(widths), list_cols=tuple(("", "", w) for w in widths)))
    row = _new_row(table, widths)
    for cell, h in zip(row.cells, headers):
        _cell_write(cell, h, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(row)
    _no_split(row)
    return table


def _rank_table(doc: Any, app: AnyApplication, which: str, number: int) -> None:
    """An enterprise's awards or standards with its place among all participants (附件清单 3 and 5)."""
    title, name_head, kind_head = RANK_TITLES[which]
    entries = list(getattr(app, which, []) or [])
    _para(doc, f"{title}（附件清单第{number}项，需要明确企业在所有参与单位中的排序）：", indent=True)
    table = _grid(doc, RANK_WIDTHS, ("序号", name_head, kind_head, "本企业排序"))
    center = WD_ALIGN_PARAGRAPH.CENTER
    for i, e in enumerate(entries, 1):
        row = _new_row(table, RANK_WIDTHS)
        _no_split(row)
        for j, text in enumerate((str(i), e.name, e.kind_label, e.rank_text)):
            _cell_write(row.cells[j], xml_safe_text(text), align=center if j != 1 else WD_ALIGN_PARAGRAPH.LEFT)
    if not entries:
        row = _new_row(table, RANK_WIDTHS)
        _cell_write(_merged(row, 0, len(RANK_WIDTHS) - 1), "（未填写）", align=center)
    _spacer(doc)


def _attachments(doc: Any, app: AnyApplication, t: ApplicantType) -> None:
    """三、附件清单: the pack's items in the form's words, each with its status and note; for an enterprise the awards
    and standards with its place among the participants."""
    from ...programme.materials import load_materials
    from ...programme.rubric import RubricError

    _heading(doc, H_ATTACH, 1, page_break=True)
    try:
        rubric = load_materials()
    except RubricError:  # a pack without materials.yaml: the form's heading, the application's entries by id
        _para(doc, "有关说明或证明材料，包括但不限于：", indent=True)
        for key, entry in app.materials.items():
            _para(doc, f"{key}：{entry.status_label}" + (f"（{entry.note}）" if entry.note else ""), indent=True)
        return
    _para(doc, rubric.intro, indent=True)
    table = _grid(doc, ATTACH_WIDTHS, ("附件", "状态", "说明（文件名或理由）"))
    center = WD_ALIGN_PARAGRAPH.CENTER
    items = rubric.for_type(t)
    for i, m in enumerate(items):
        entry = app.materials.get(m.id)
        status = entry.status_label if entry is not None else "尚未附"
        row = _new_row(table, ATTACH_WIDTHS)
        _no_split(row)
        _cell_write(row.cells[0], m.label + ("。" if i == len(items) - 1 else "；"))  # the form's line
        _cell_write(row.cells[1], status, align=center)
        _cell_write(row.cells[2], xml_safe_text(entry.note) if entry is not None else "")
    _spacer(doc)
    for m in items:
        if m.ranks:
            _rank_table(doc, app, m.ranks, m.number)


def _opinion(doc: Any, app: AnyApplication) -> None:
    """四、推荐单位意见: blank for the 推荐单位 to write and stamp, or its opinion when it was given (遴选排序)."""
    op = app.recommender_opinion
    _heading(doc, H_OPINION, 1, page_break=False)
    table = doc.add_table(rows=1, cols=1)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = table.rows[0].cells[0]
    cell.width = Cm(TEXT_WIDTH_CM)
    _cell_write(cell, "推荐意见：", size=14)
    lines = [ln for ln in op.text.split("\n")] if op.text.strip() else []
    for line in lines:
        p = cell.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        _run(p, xml_safe_text(line), FONT_BODY, 14)
    for _ in range(max(2, 7 - len(lines))):
        cell.add_paragraph()
    date_text = op.date_text if op.date else "年　　月　　日"  # as Annex 2/3 print it
    for text in ("[章]", date_text):
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Cm(1.5)
        _run(p, text, FONT_BODY, 14)
    cell.add_paragraph()


# -- hidden data ---------------------------------------------------------------------------------------------------

DATA_NS = "urn:sfjd:application"
_ITEM_ID = "{5F6A1D2C-3B4E-4C8A-9D7E-2A1B0C9D8E7F}"


def _embed_data(doc: Any, app: AnyApplication) -> None:
    root = etree.Element(f"{{{DATA_NS}}}application", nsmap={None: DATA_NS})
    root.set("schemaVersion", str(SCHEMA_VERSION))
    root.text = export_json(app)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = doc.part.package
    partname = package.next_partname("/customXml/item%d.xml")
    part = Part(PackURI(partname), "application/xml", blob, package)
    doc.part.relate_to(part, RT.CUSTOM_XML)
    props = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
             f'<ds:datastoreItem ds:itemID="{_ITEM_ID}" '
             f'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
             f'<ds:schemaRefs><ds:schemaRef ds:uri="{DATA_NS}"/></ds:schemaRefs></ds:datastoreItem>').encode()
    props_name = partname.replace("/item", "/itemProps")
    props_part = Part(PackURI(props_name), "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                      props, package)
    part.relate_to(props_part, RT.CUSTOM_XML_PROPS)


def _embedded_data(doc: Any) -> Optional[dict[str, Any]]:
    for rel in doc.part.rels.values():
        if rel.reltype != RT.CUSTOM_XML or rel.is_external:
            continue
        try:
            root = etree.fromstring(rel.target_part.blob, parser=etree.XMLParser(resolve_entities=False,
                                                                                  no_network=True))
        except etree.XMLSyntaxError:
            continue
        if root.tag == f"{{{DATA_NS}}}application" and root.text:
            try:
                data = json.loads(root.text)
            except json.JSONDecodeError:
                return None
            return data if isinstance(data, dict) else None
    return None


def export_application_docx(app: AnyApplication, embed_data: bool = True) -> bytes:
    """The filled 创建申请书 (Annex 2 park / Annex 3 enterprise) as .docx bytes.

    ``embed_data`` stores the whole application (including what the form does not show: 设区市, 资格信息, 承诺事项,
    备注) in a custom XML part so that the file imports back exactly; pass False for a copy to hand out that
    carries only what is visible.
    """
    t = ApplicantType.parse(app.type)
    derived = _derive(app)
    data = app.model_dump(mode="json")
    year_level, avgs = _derivable_paths(t)
    computed = year_level | avgs
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    cp = doc.core_properties
    cp.title = f"{FORM_TITLE}{SUBTITLE[t]}"
    cp.subject = app.display_name or ""
    cp.author = app.applicant_name or "示范基地自评台"
    cp.last_modified_by = "示范基地自评台"
    cp.comments = "由示范基地自评台导出"
    # the default template's body holds one empty paragraph: reuse nothing, start clean
    body = doc.element.body
    for p in list(body.xpath("./w:p")):
        body.remove(p)
    _cover(doc, app, t)
    _heading(doc, H_BASIC, 1)
    for block in blocks_for(t):
        _write_block(doc, block, t, data, derived, computed)
        _spacer(doc)
    _plan_sections(doc, app, t)
    _attachments(doc, app, t)
    _opinion(doc, app)
    if embed_data:
        _embed_data(doc, app)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


