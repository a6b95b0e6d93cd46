"""The 填报 page speaks the form's words: every label the spec marks as on the form, and every note of the form it
carries, is found in the text of its own annex of the notice (Annex 2 for a park, Annex 3 for an enterprise).

Only layout is normalised: spaces and line breaks, full- and half-width brackets and commas (the seed is a
conversion of the printed notice, which writes ``营业收入 （亿元）`` and ``其中, 获得中国专利奖金奖 数量 (件)``).
A label the app makes up is marked ``on_form=False`` in the spec and must then *not* be a row of the annex.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from scoring.application.formspec import (AVG_COLUMN, YEAR_COLUMNS, DerivedValue, FieldSpec, FormSpec, Group,
                                          ListTable, SeriesRow, SeriesTable, form_spec)
from scoring.application.formwords import SECTION_GUIDANCE, section_guidance
from scoring.application.ids import ApplicantType, Section

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_cef241b962ea264f.txt"
pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="the notice's text is not beside the project")

ANNEX = {ApplicantType.PARK: 2, ApplicantType.ENTERPRISE: 3}
_HEADING = re.compile(r"^[#\s]*附件\s*(\d)\s*$", re.M)


def norm(s: str) -> str:
    """Spaces, Markdown marks and HTML tags removed; brackets, commas and colons made full-width."""
    s = re.sub(r"[\s#*]+|<[^>]+>", "", s)
    return s.translate(str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："}))


def annex_text(n: int) -> str:
    """The text of Annex ``n`` of the seed: from its heading line (``附件 2``) to the next annex's."""
    seed = SEED.read_text(encoding="utf-8")
    heads = [(int(m.group(1)), m.start()) for m in _HEADING.finditer(seed)]
    starts = dict(heads)
    assert n in starts, f"附件{n} not found in the seed"
    after = [pos for k, pos in heads if pos > starts[n]]
    return seed[starts[n]:after[0] if after else len(seed)]


_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def cells(annex: str) -> list[list[str]]:
    """The annex as lines of cells (its tables are tab-separated), each normalised and without a leading
    ``一、`` / ``（一）``; empty lines dropped."""
    out = []
    for line in annex.splitlines():
        row = [_ENUM.sub("", norm(c)) for c in re.sub(r"<[^>]+>", "", line).split("\t")]
        row = [c for c in row if c]
        if row:
            out.append(row)
    return out


def names_cell(name: str, cell: str) -> bool:
    """``cell`` is the form's row or heading ``name``: the whole cell, or followed by its bracket (unit, note) or a
    colon (the cover's ``申报单位：（盖章）``)."""
    return cell == name or cell.startswith(name + "（") or cell.startswith(name + "：")


def entries(spec: FormSpec) -> Iterator[tuple[str, Any]]:
    """(what, item) for every labelled thing on the page: groups, fields, 近三年 rows, computed values, lists and
    their columns."""
    for g in spec.groups():
        yield "group", g
        for it in g.items:
            if isinstance(it, SeriesTable):
                for r in it.rows:
                    yield "row", r
            elif isinstance(it, ListTable):
                yield "list", it
                for c in it.columns:
                    yield "column", c
            else:
                yield "field", it


def _form_name(item: Any) -> str:
    """The label as the form writes it, without the unit the app adds."""
    return item.form_title or item.title


def problems(spec: FormSpec, annex: str) -> list[str]:
    """Everything on the page that is not the annex's wording (empty: all is the form's)."""
    lines = cells(annex)
    out: list[str] = []
    for what, item in entries(spec):
        name = norm(_form_name(item))
        where = [i for i, row in enumerate(lines) if any(names_cell(name, c) for c in row)]
        if not item.on_form:
            if where or any(names_cell(norm(item.label), c) for row in lines for c in row):
                out.append(f"{what} “{item.label}” is a row of the form but marked on_form=False")
            continue
        if not where:
            out.append(f"{what} “{_form_name(item)}” is not a row or heading of the annex")
            continue
        mine = [c for i in where for c in lines[i] if names_cell(name, c)]
        unit = norm(getattr(item, "unit", ""))
        if unit and item.unit_on_form and not any(c == f"{name}（{unit}）" or c.startswith(f"{name}（{unit}，")
                                                  for c in mine):
            out.append(f"{what} “{item.label}”: the annex does not write it with （{item.unit}）")
        if item.note:
            note = norm(item.note)
            below = [c for i in where if i + 1 < len(lines) for c in lines[i + 1]]  # 详细描述…, the section hints
            if not any(note in c for c in mine) and not any(c.startswith(note) for c in below):
                out.append(f"{what} “{_form_name(item)}”: the note “{item.note}” is not the annex's on this row")
            shown = getattr(item, "help", None)
            if shown is not None and not shown.startswith(item.note):
                out.append(f"{what} “{_form_name(item)}”: the note is not shown as its help")
    return out


@pytest.mark.parametrize("t", list(ApplicantType), ids=lambda t: t.value)
def test_every_label_on_the_form_is_the_annexs_wording(t: ApplicantType) -> None:
    assert problems(form_spec(t), annex_text(ANNEX[t])) == []


@pytest.mark.parametrize("t", list(ApplicantType), ids=lambda t: t.value)
def test_the_year_columns_are_the_forms(t: ApplicantType) -> None:
    text = norm(annex_text(ANNEX[t]))
    for head in (*YEAR_COLUMNS, AVG_COLUMN, "项目/年度"):
        assert norm(head) in text, head


def test_the_annexes_are_sliced_at_their_headings() -> None:
    park, ent = annex_text(2), annex_text(3)
    assert "国家新兴产业发展示范基地创建申请书 (示范园区)" in park and "示范企业" not in park
    assert "国家新兴产业发展示范基地创建申请书 (示范企业)" in ent and "园区名称" not in ent
    assert "创建工作方案评价要点" not in ent  # Annex 4 begins after it


def test_the_forms_notes_are_on_the_page() -> None:
    """The notes the form writes beside its rows, each attached somewhere on its own form's page."""
    expected = {
        ApplicantType.PARK: ("主导产业相关数据仅限于申报领域，下同", "按2025年末数据排名", "同一企业不重复计算",
                             "依托同一单位建设的不同平台或多家单位参与建设的同一平台不重复计算",
                             "仅统计作为第一完成单位的专利", "同一专利不重复计算", "同一人员不重复计算",
                             "每部分不超过2000字", "详细描述有关情况（不超过2000字）"),
        ApplicantType.ENTERPRISE: ("重点领域相关数据仅限于申报领域，下同", "2025年销售收入占总营收前五位的产品",
                                   "仅统计作为第一完成单位的专利", "同一专利不重复计算", "同一人员不重复计算",
                                   "每部分不超过2000字", "详细描述有关情况（不超过2000字）"),
    }
    for t, notes in expected.items():
        attached = [item.note for _, item in entries(form_spec(t)) if item.note]
        for note in notes:
            assert any(note in n for n in attached), (t.value, note)


def test_labels_that_are_ours_are_marked() -> None:
    park = form_spec("park")
    marked = {item.label for _, item in entries(park) if not item.on_form}
    assert {"申请书首页", "所在设区市", "同时申报的其他领域", "园区资格信息", "承诺事项",
            "近三年研发投入及创新合作情况"} <= marked
    ent = {item.label for _, item in entries(form_spec("enterprise")) if not item.on_form}
    assert {"企业类型（其他）", "其他认定", "企业资格信息"} <= ent
    # the rows under a heading of ours are the form's own
    rd = next(g for g in park.groups() if g.key == "rd")
    assert not rd.on_form and all(r.on_form for r in rd.items[0].rows)  # type: ignore[union-attr]


def test_the_form_relies_on_its_headings_the_files_do_not() -> None:
    """Under 主导产业近三年发展情况 the form writes 规模以上企业营业收入; files and messages keep the full name."""
    park = form_spec("park")
    row = next(r for r in park.series_rows() if r.path == "lead.revenue")
    assert row.label == "规模以上企业营业收入（亿元）"
    assert row.title_label == "主导产业规模以上企业营业收入（亿元）"
    fin = next(g for g in park.groups() if g.key == "financing")
    assert fin.label == "主导产业融资情况" and fin.title == "主导产业融资额"


def test_the_enterprise_safeguards_hint_is_annex_3s() -> None:
    def hint(annex: str) -> str:
        m = re.search(r"（五）保障措施\s*\n+\s*(\S[^\n]*)", annex)
        assert m, "（五）保障措施 not found"
        return m.group(1).strip()

    ent_hint, park_hint = hint(annex_text(3)), hint(annex_text(2))
    assert ent_hint == "主要包括工作基础、要素保障等。" and park_hint != ent_hint
    assert section_guidance("enterprise", Section.SAFEGUARDS) == ent_hint
    assert section_guidance("park", Section.SAFEGUARDS) == park_hint
    for t, hint_ in ((ApplicantType.ENTERPRISE, ent_hint), (ApplicantType.PARK, park_hint)):
        field = form_spec(t).get_field("work_plan.safeguards")
        assert field.help == hint_ and field.note == hint_


def test_every_work_plan_hint_is_its_annexs() -> None:
    for t, n in ANNEX.items():
        text = norm(annex_text(n))
        for sec in Section:
            assert norm(SECTION_GUIDANCE[t][sec]) in text, (t.value, sec.value)
            assert form_spec(t).get_field(f"work_plan.{sec.value}").help == SECTION_GUIDANCE[t][sec]


def doctored(spec: FormSpec, path: str, **changes: Any) -> FormSpec:
    """``spec`` with the item at ``path`` changed (a list's columns and a table's rows included)."""
    def fix(item: Any) -> Any:
        if isinstance(item, SeriesTable):
            return dataclasses.replace(item, rows=tuple(fix(r) for r in item.rows))
        if isinstance(item, ListTable):
            item = dataclasses.replace(item, columns=tuple(fix(c) for c in item.columns))
        return dataclasses.replace(item, **changes) if getattr(item, "path", None) == path else item

    def group(g: Group) -> Group:
        g = dataclasses.replace(g, items=tuple(fix(i) for i in g.items))
        return dataclasses.replace(g, **changes) if g.key == path else g

    return dataclasses.replace(spec, tabs=tuple(dataclasses.replace(tab, groups=tuple(group(g) for g in tab.groups))
                                                for tab in spec.tabs))


def test_a_label_edited_away_from_the_form_is_caught() -> None:
    """The check is not vacuous: a label, a unit, a note or a flag changed away from the seed is reported — a label
    cut short too (``国家自然科学奖特等奖数量`` is inside the form's ``获得国家自然科学奖特等奖数量``)."""
    park, ent = form_spec("park"), form_spec("enterprise")
    a2, a3 = annex_text(2), annex_text(3)
    assert problems(park, a2) == [] and problems(ent, a3) == []

    def caught(spec: FormSpec, annex: str, path: str, needle: str, **changes: Any) -> bool:
        return any(needle in p for p in problems(doctored(spec, path, **changes), annex))

    assert caught(park, a2, "lead.firms", "主导产业企业总数", form_title="主导产业企业总数")
    assert caught(park, a2, "lead.revenue", "主导产业营收", form_title="主导产业营收")
    assert caught(park, a2, "basic.planned_area", "万元", unit="万元")
    assert caught(park, a2, "lead.quality_weighted", "同一企业只算一次", note="同一企业只算一次")
    assert caught(park, a2, "basic.park_name", "on_form=False", on_form=False)
    assert caught(park, a2, "lead", "主导产业发展", form_title="主导产业发展")
    assert caught(park, a2, "lead.top10.name", "企业全称", form_title="企业全称")
    assert caught(ent, a3, "awards.nsa_special", "国家自然科学奖特等奖数量", form_title="国家自然科学奖特等奖数量")
    assert caught(ent, a3, "work_plan.safeguards", "主要包括组织实施机制",
                  note="主要包括组织实施机制、工作基础、要素保障等。")
    # each form is checked against its own annex: the enterprise's wording is not the park form's
    assert any("获得国家自然科学奖" in p for p in problems(ent, a2))


def test_types_of_items_checked() -> None:
    """Each kind of item the page draws is among the entries checked."""
    kinds = {type(item) for _, item in entries(form_spec("park"))}
    assert {Group, FieldSpec, SeriesRow, DerivedValue, ListTable} <= kinds
