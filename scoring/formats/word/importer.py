"""Import of a filled 申请书: the visible form always wins; the embedded data (when the file was exported by this
tool) only supplies what the form does not show and tells a computed value apart from a typed one, so an exported
申请书 imports back equal to the original. The result is validated; problems are listed in Chinese.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from typing import Any, Optional

from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from pydantic import ValidationError

from ...application.errors import _message as _validation_message
from ...application.formspec import get_in, set_in
from ...application.ids import ApplicantType, Domain, Section
from ..common import delete_in, MAX_UPLOAD_BYTES, ImportProblem, check_zip, normalize_text
from ...application.models import SCHEMA_VERSION, AnyApplication, parse_application
from .layout import SECTION_NUMERALS, _derivable_paths, _derive, _model_cls, blocks_for
from .annex_reading import read_annex_parts
from .export import _embedded_data
from .reading import (_Ctx, _H_BASIC_RE, _H_END_RE, _H_PLAN_RE, _body_elements, _key, _para_text, _read_blocks,
                      _read_cover, _read_sections, _row_cells)


def import_application_docx(data: bytes) -> tuple[Optional[AnyApplication], list[str]]:
    """Read a filled 申请书 (.docx) back into an application; ``(None, reasons)`` when it is not one.

    The second element lists what could not be read (table, row and reason); those fields are left empty.
    A file that is not a readable .docx at all raises :class:`ImportProblem`.
    """
    if len(data) > MAX_UPLOAD_BYTES["docx"]:
        raise ImportProblem([f"文件过大，Word 文档上限 {MAX_UPLOAD_BYTES['docx'] // (1024 * 1024)} MB。"])
    check_zip(data, "docx", "Word 文档")
    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise ImportProblem([f"Word 文档已损坏或格式不正确，无法读取（{type(e).__name__}）。"]) from None
    except Exception as e:  # python-docx raises many kinds on malformed packages
        raise ImportProblem([f"Word 文档无法读取（{type(e).__name__}: {e}）。"]) from None

    hidden = _embedded_data(doc)
    notes: list[str] = []
    if hidden is not None and hidden.get("schema_version") != SCHEMA_VERSION:
        notes.append(f"文档内嵌的数据格式版本为 {hidden.get('schema_version')}，本工具支持版本 {SCHEMA_VERSION}："
                     "只读取文档中的表格和文字。")
        hidden = None

    # split the body into regions by the form's headings
    elements = list(_body_elements(doc))
    cover_paras: list[str] = []
    basic_tables: list[Any] = []
    plan_elements: list[Any] = []
    end_elements: list[Any] = []  # 三、附件清单 and 四、推荐单位意见
    region = "cover"
    for el in elements:
        if el.tag == qn("w:p"):
            text = normalize_text(_para_text(el)).replace(" ", "")
            if _H_BASIC_RE.match(text):
                region = "basic"
                continue
            if _H_PLAN_RE.match(text):
                region = "plan"
                continue
            if _H_END_RE.match(text):
                region = "end"
                continue
            if region == "cover":
                cover_paras.append(_para_text(el))
            elif region == "plan":
                plan_elements.append(el)
            elif region == "end":
                end_elements.append(el)
        else:
            if region == "cover":  # a cover laid out as a table: each row reads like a line
                cover_paras.extend("".join(_row_cells(tr)) for tr in el.xpath(".//w:tr"))
            if region in ("cover", "basic"):
                basic_tables.append(el)
            elif region == "plan":
                plan_elements.append(el)
            elif region == "end":
                end_elements.append(el)

    # which form: the title, else the tables, else the embedded data
    probe = _Ctx(ApplicantType.PARK)
    t, domain_text = _read_cover(probe, cover_paras)
    if t is None:
        keys = {_key(" ".join(_row_cells(tr))) for tbl in basic_tables for tr in tbl.xpath("./w:tr")}
        if _key("园区基本信息") in keys:
            t = ApplicantType.PARK
        elif _key("企业基本信息") in keys:
            t = ApplicantType.ENTERPRISE
        elif hidden is not None:
            try:
                t = ApplicantType.parse(hidden.get("type", ""))
            except ValueError:
                t = None
    if t is None:
        return None, [*notes, "不是国家新兴产业发展示范基地创建申请书：找不到申请书标题（示范园区/示范企业）"
                              "或“园区基本信息”“企业基本信息”表。"]

    ctx = _Ctx(t)
    _read_cover(ctx, cover_paras)
    problems = ctx.problems
    problems[:0] = notes

    domain: Optional[str] = None
    if domain_text:
        try:
            domain = Domain.parse(domain_text).value
        except ValueError:
            problems.append(f"申请书首页「申报领域」：无法识别“{domain_text}”")
    if domain is None and hidden is not None and hidden.get("domain"):
        domain = str(hidden["domain"])
        if domain_text is not None:
            problems.append(f"申请书首页「申报领域」：沿用文档内嵌数据中的“{_domain_label(domain)}”")
    if domain is None:
        return None, [*problems, "申请书首页缺少可识别的“申报领域”（如：人工智能），无法导入。"]

    _read_blocks(ctx, basic_tables)
    for block in blocks_for(t):
        if block.title not in ctx.found_blocks:
            problems.append(f"未找到表「{block.short}」，其中各项未导入。")
    sections = _read_sections(ctx, plan_elements)
    for i, sec in enumerate(Section):
        if sec.value not in sections:
            problems.append(f"二、创建工作方案：未找到“（{SECTION_NUMERALS[i]}）{sec.label}”标题，该部分未导入。")

    # assemble: the visible form wins; the embedded data fills what the form does not show
    base: dict[str, Any] = copy.deepcopy(hidden) if hidden is not None and hidden.get("type") == t.value else {}
    base["type"] = t.value
    base["domain"] = domain
    base["schema_version"] = SCHEMA_VERSION
    year_level, avgs = _derivable_paths(t)
    candidates: dict[str, Any] = {}
    for path, found in ctx.values.items():
        if re.search(r"\.\d+\.", path):
            continue
        if path in year_level or path in avgs:
            candidates[path] = found.value
            set_in(base, path, None)
        else:
            set_in(base, path, found.value)
    for key, text in sections.items():
        set_in(base, f"work_plan.{key}", text)
    annex = read_annex_parts(t, end_elements, hidden if hidden is not None and hidden.get("type") == t.value else None)
    problems.extend(annex.problems)
    if annex.materials is not None:
        base["materials"] = annex.materials
    base.update(annex.ranks)
    if annex.opinion is not None:
        base["recommender_opinion"] = annex.opinion

    # a shown value equal to the computed one was not typed (when the embedded data says so)
    for group in (year_level, avgs):
        app0 = _validated(base, ctx, problems)
        derived = _derive(app0)
        for path in sorted(p for p in candidates if p in group):
            v = candidates[path]
            if v is None:
                continue
            comp = derived.value(path)
            typed_in_hidden = get_in(hidden, path) if hidden is not None else "absent"
            if hidden is not None and typed_in_hidden is None and comp is not None and \
                    abs(float(v) - round(comp, 2)) < 1e-9:
                continue
            set_in(base, path, v)
    app = _validated(base, ctx, problems)
    return app, problems


def _domain_label(value: str) -> str:
    try:
        return Domain.parse(value).label
    except ValueError:
        return value


def _validated(data: dict[str, Any], ctx: _Ctx, problems: list[str]) -> AnyApplication:
    """Validate; a value the model rejects is reported at its table/row and removed (the field stays empty)."""
    for _ in range(50):
        try:
            return parse_application(data)
        except ValidationError as e:
            removed = False
            for err in e.errors():
                loc = [p for p in err.get("loc", ()) if p not in ("park", "enterprise")]
                path = ".".join(str(p) for p in loc)
                found = ctx.values.get(path)
                msg = _validation_message(err)
                line = found.where.message(msg) if found is not None else f"{_path_label(ctx.t, loc)}：{msg}"
                if line not in problems:
                    problems.append(line)
                if delete_in(data, loc):
                    removed = True
            if not removed:
                raise ImportProblem(["文档内容无法组成一份有效的申报数据：", *problems]) from None
    raise ImportProblem(["文档中无效的内容过多，未导入。", *problems[:50]])


def _path_label(t: ApplicantType, loc: list[Any]) -> str:
    from ...application.errors import field_label

    return field_label(tuple(loc), _model_cls(t))


