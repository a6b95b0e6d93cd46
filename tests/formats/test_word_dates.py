"""Dates in the Word 申请书 are written as the forms write them (2012年8月19日) and read back to the same date."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import docx

from scoring.application.models import parse_application
from scoring.formats.word import export_application_docx, import_application_docx

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "enterprise_ai.json"


def test_dates_are_chinese_in_the_form_and_read_back(tmp_path):
    app = parse_application(json.loads(SAMPLE.read_text(encoding="utf-8")))
    app.basic.founded = dt.date(2012, 8, 19)
    out = tmp_path / "a.docx"
    out.write_bytes(export_application_docx(app, embed_data=False))  # read the tables, not the embedded copy
    cells = [c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells]
    assert "2012年8月19日" in cells
    assert not any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.strip()) for c in cells)
    back, problems = import_application_docx(out.read_bytes())
    assert back is not None, problems
    assert back.basic.founded == dt.date(2012, 8, 19)


def test_an_empty_section_prints_its_guidance_and_the_opinion_has_the_forms_stamp(tmp_path):
    app = parse_application(json.loads(SAMPLE.read_text(encoding="utf-8")))
    app.work_plan.schedule = ""
    doc = docx.Document(__import__("io").BytesIO(export_application_docx(app)))
    paras = [p.text for p in doc.paragraphs]
    i = paras.index("（四）进度安排")
    assert paras[i + 1] == "创建期内落实各项重点任务的时间节点安排。"  # Annex 3's guidance for this section
    opinion = doc.tables[-1].rows[0].cells[0].text
    assert "推荐意见" in opinion and "[章]" in opinion
