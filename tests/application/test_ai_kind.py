"""企业类型（人工智能领域）: the kind of an AI enterprise in the model and in every file format.

Only AI enterprises have a kind. For another domain it is cleared (not refused): a change of domain on the form or a
file from elsewhere never fails on a field the applicant of that domain is not shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from scoring.application.ids import AiKind
from scoring.application.models import dump_application, parse_application
from scoring.formats.excel import export_xlsx, import_xlsx
from scoring.formats.json_io import export_json, import_json
from scoring.formats.word import export_application_docx, import_application_docx

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _ai(kind=None, domain="ai") -> dict:
    d = {"type": "enterprise", "domain": domain, "applicant_name": "测试智能科技有限公司",
         "basic": {"name": "测试智能科技有限公司"}}
    if kind is not None:
        d["ai_kind"] = kind
    return d


@pytest.mark.parametrize("given,kind", [("innovative", AiKind.INNOVATIVE), ("创新型", AiKind.INNOVATIVE),
                                        ("创新型企业", AiKind.INNOVATIVE), ("应用型", AiKind.APPLICATION),
                                        ("application", AiKind.APPLICATION), (None, None), ("", None)])
def test_the_kind_is_read_by_id_or_chinese_name_and_stored_as_its_id(given, kind):
    app = parse_application(_ai(given))
    assert app.ai_kind is kind
    assert dump_application(app)["ai_kind"] == (kind.value if kind else None)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError):
        parse_application(_ai("大型企业"))


def test_the_kind_is_cleared_outside_ai_and_parks_have_none():
    assert parse_application(_ai("创新型", domain="robot")).ai_kind is None
    app = parse_application(_ai("应用型"))
    app.domain = "software"  # a change of domain (the form re-validates the whole application the same way)
    assert app.ai_kind is None
    with pytest.raises(ValidationError):  # parks: no such field
        parse_application({"type": "park", "domain": "ai", "ai_kind": "innovative"})


@pytest.mark.parametrize("kind", ["innovative", "application"])
def test_the_kind_round_trips_through_json_excel_and_word(kind):
    app = parse_application(_ai(kind))
    assert import_json(export_json(app)).ai_kind is AiKind(kind)
    assert json.loads(export_json(app))["ai_kind"] == kind
    back, problems = import_xlsx(export_xlsx(app))
    assert back.ai_kind is AiKind(kind), problems
    back, problems = import_application_docx(export_application_docx(app))
    assert back is not None and back.ai_kind is AiKind(kind), problems


def test_the_ai_enterprise_sample_is_an_innovative_one():
    for path in (SAMPLES / "enterprise_ai.json", SAMPLES / "batch_fuzhou" / "enterprise_ai.json"):
        app = parse_application(json.loads(path.read_text(encoding="utf-8")))
        assert app.ai_kind is AiKind.INNOVATIVE, path
        assert "创新型" in app.meta.note or "enterprise_ai.json" in app.meta.note


def test_a_kind_typed_by_hand_in_the_workbook_is_read_by_its_short_name():
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(export_xlsx(parse_application(_ai()))))
    ws = wb["基本信息"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "ai_kind")
    assert ws.cell(row, 2).value == "企业类型（人工智能领域）"
    ws.cell(row, 3).value = "应用型"
    buf = io.BytesIO()
    wb.save(buf)
    back, problems = import_xlsx(buf.getvalue())
    assert back.ai_kind is AiKind.APPLICATION and not problems


def test_a_change_of_kind_reads_in_chinese_in_the_version_view():
    from scoring.store.changes import display_value

    assert display_value("application", "ai_kind") == "应用型企业"
    assert display_value("innovative", "ai_kind") == "创新型企业"
