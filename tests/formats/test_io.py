"""Import/export: JSON, Excel, the Word 申请书, the 自评报告, upload checks and the CLI.

Expected values are hand-computed from the samples (e.g. park_ai: 总营业收入 500/585/672 亿元 → average 585.67,
growth 2024 = 585/500 − 1 = 17%).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from scoring.formats import common as io_common, report as io_report
from scoring.cli import main
from scoring.formats.common import ImportProblem, check_upload, parse_number, safe_cell
from scoring.formats.excel import export_xlsx, import_xlsx
from scoring.formats.json_io import export_json, import_json
from scoring.formats.word import export_application_docx, import_application_docx
from scoring.application.models import EnterpriseApplication, ParkApplication, parse_application

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
ALL = sorted(p.name for p in SAMPLES.glob("*.json"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def sample(name: str):
    return import_json((SAMPLES / name).read_bytes())


def doc_text(data: bytes) -> str:
    """All text of a .docx: paragraphs and table cells."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def find_row(doc, first_cell: str, after_title: str | None = None):
    """The first table row whose first cell is ``first_cell`` (after the title row ``after_title`` if given)."""
    seen_title = after_title is None
    for t in doc.tables:
        for row in t.rows:
            texts = [c.text for c in row.cells]
            if after_title and texts[0].startswith(after_title):
                seen_title = True
            if seen_title and texts[0] == first_cell:
                return row
    raise AssertionError(f"row {first_cell} not found")


def xlsx_row(ws, path: str) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == path:
            return r
    raise AssertionError(path)


# ---------------------------------------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("name", ALL)
def test_json_round_trip_is_byte_identical(name):
    raw = (SAMPLES / name).read_bytes()
    original = parse_application(json.loads(raw))
    first = export_json(import_json(raw))
    second = export_json(import_json(first.encode("utf-8")))
    assert first == second
    assert import_json(first) == original  # nothing lost against the sample file itself
    assert first.endswith("}\n") and '\n  "schema_version": 1,' in first
    assert "\\u" not in first  # Chinese written as is
    # model field order, not sorted: schema_version, domain, ... then type (a sorted dump would start with 'attestations')
    assert first.index('"schema_version"') < first.index('"domain"') < first.index('"type"')


def test_json_of_another_schema_version_is_refused_in_chinese():
    data = json.loads((SAMPLES / "park_ai.json").read_text(encoding="utf-8"))
    data["schema_version"] = 2
    with pytest.raises(ImportProblem) as e:
        import_json(json.dumps(data).encode())
    text = "\n".join(e.value.reasons)
    assert "数据格式版本为 2" in text and "本工具支持版本 1" in text and "较新版本" in text


def test_broken_json_gives_line_and_column_in_chinese():
    with pytest.raises(ImportProblem) as e:
        import_json(b'{"type": "park", "domain": ')
    assert e.value.reasons[0].startswith("不是有效的 JSON：第 1 行第 28 列：此处缺少值")
    with pytest.raises(ImportProblem) as e:
        import_json("[1, 2]".encode())
    assert "顶层应为一个对象" in e.value.reasons[0]
    with pytest.raises(ImportProblem) as e:
        import_json("申报".encode("gbk"))
    assert "不是 UTF-8" in e.value.reasons[0]


def test_json_with_invalid_values_names_the_fields():
    data = json.loads((SAMPLES / "park_ai.json").read_text(encoding="utf-8"))
    data["basic"]["planned_area"] = -1
    data["main"]["total_revenue"]["y2024"] = "很多"
    with pytest.raises(ImportProblem) as e:
        import_json(json.dumps(data, ensure_ascii=False).encode())
    text = "\n".join(e.value.reasons)
    assert "园区基本信息 › 规划面积：不能为负数" in text
    assert "近三年主要发展指标 › 总营业收入 › 2024年：应为数字" in text


# ---------------------------------------------------------------------------------------------------------- Excel


@pytest.mark.parametrize("name", ALL)
def test_excel_round_trip_equals_the_original(name):
    app = sample(name)
    back, problems = import_xlsx(export_xlsx(app))
    assert problems == []
    assert back == app
    assert export_json(back) == export_json(app)


def test_excel_layout_follows_the_form():
    app = sample("park_ai.json")
    wb = load_workbook(io.BytesIO(export_xlsx(app)))
    assert wb.sheetnames == ["基本信息", "近三年指标", "数量与平台", "前十企业", "文字材料", "说明"]
    ws = wb["近三年指标"]
    assert [ws.cell(3, c).value for c in range(2, 7)] == ["项目", "2023年", "2024年", "2025年",
                                                          "近三年平均值（填报值，可不填）"]
    assert ws.column_dimensions["A"].hidden  # model paths
    r = xlsx_row(ws, "main.total_revenue")
    assert ws.cell(r, 2).value == "总营业收入（亿元）"
    assert [ws.cell(r, c).value for c in (3, 4, 5)] == [500, 585, 672]
    assert ws.cell(r, 7).value == 585.67  # (500 + 585 + 672) / 3, computed at export
    g = xlsx_row(ws, "main.total_revenue_growth")
    auto = [ws.cell(g + 1, c).value for c in range(2, 6)]
    assert "自动计算" in auto[0] and auto[2] == 17.0 and auto[3] == 14.87  # 585/500−1; 672/585−1 = 14.87%
    assert wb["基本信息"].cell(xlsx_row(wb["基本信息"], "type"), 3).value == "示范园区"
    assert wb["基本信息"].cell(xlsx_row(wb["基本信息"], "domain"), 3).value == "人工智能"
    ent = load_workbook(io.BytesIO(export_xlsx(sample("enterprise_ai.json"))))
    assert "前五产品" in ent.sheetnames and "前十企业" not in ent.sheetnames


def test_excel_bad_cells_are_reported_with_sheet_cell_and_reason_and_good_cells_kept():
    app = sample("park_ai.json")
    wb = load_workbook(io.BytesIO(export_xlsx(app)))
    ws = wb["近三年指标"]
    r = xlsx_row(ws, "main.total_revenue")
    ws.cell(r, 4).value = "很多"  # 2024年
    wc = wb["数量与平台"]
    rf = xlsx_row(wc, "lead.firms")
    wc.cell(rf, 3).value = -5
    wbasic = wb["基本信息"]
    wbasic.cell(xlsx_row(wbasic, "basic.planned_area"), 3).value = "1,350 公顷"
    wbasic.cell(xlsx_row(wbasic, "basic.approval_date"), 3).value = "2013年8月19日"
    wbasic.cell(xlsx_row(wbasic, "attestations.no_major_accident"), 3).value = "也许"
    buf = io.BytesIO()
    wb.save(buf)
    back, problems = import_xlsx(buf.getvalue())
    assert f"工作表「近三年指标」单元格 D{r}（总营业收入 2024年）：应为数字（输入值：“很多”）" in problems
    assert any(p.startswith(f"工作表「数量与平台」单元格 C{rf}（主导产业企业数量）：不能为负数") for p in problems)
    assert any("近三年未发生较大及以上生产安全事故" in p and "应为“是”或“否”" in p for p in problems)
    assert len(problems) == 3
    assert back.main.total_revenue.y2024 is None and back.lead.firms is None
    assert back.attestations.no_major_accident is None
    # good cells kept, tolerant reading of the others
    assert back.main.total_revenue.y2023 == 500 and back.main.total_revenue.y2025 == 672
    assert back.basic.planned_area == 1350.0 and back.basic.approval_date == dt.date(2013, 8, 19)
    assert back.work_plan == app.work_plan and back.lead.top10 == app.lead.top10


def test_excel_text_starting_with_a_formula_sign_stays_text():
    app = sample("park_ai.json")
    evil = {"park_name": '=HYPERLINK("http://evil.example","点击")', "address": "+86 福州", "head": "-1+2",
            "contact": "@SUM(A1)"}
    app = app.model_copy(update={"basic": app.basic.model_copy(update=evil)})
    app.narratives.industry_policy = "=1+1\n第二行"
    data = export_xlsx(app)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["基本信息"]
    for key, text in evil.items():
        c = ws.cell(xlsx_row(ws, f"basic.{key}"), 3)
        assert c.value == text and c.data_type == "s"
    c = wb["文字材料"].cell(xlsx_row(wb["文字材料"], "narratives.industry_policy"), 3)
    assert c.value == "=1+1\n第二行" and c.data_type == "s" and c.quotePrefix
    for sheet in wb.worksheets:  # no formula anywhere
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    back, problems = import_xlsx(data)
    assert problems == [] and back == app


def test_safe_cell_sets_string_type_and_quote_prefix():
    from openpyxl import Workbook

    ws = Workbook().active
    c = safe_cell(ws["A1"], "=2*3")
    assert c.value == "=2*3" and c.data_type == "s" and c.quotePrefix
    plain = safe_cell(ws["A2"], "福州")
    assert plain.data_type == "s" and not plain.quotePrefix
    num = safe_cell(ws["A3"], 12.5)
    assert num.value == 12.5 and num.data_type == "n"


def test_excel_of_another_version_or_another_file_is_refused():
    wb = load_workbook(io.BytesIO(export_xlsx(sample("enterprise_ai.json"))))
    ws = wb["说明"]
    ws.cell(xlsx_row(ws, "schema_version"), 3).value = 3
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportProblem) as e:
        import_xlsx(buf.getvalue())
    assert "数据格式版本为 3" in e.value.reasons[0] and "支持版本 1" in e.value.reasons[0]
    from openpyxl import Workbook

    other = Workbook()
    other.active.title = "Sheet1"
    buf = io.BytesIO()
    other.save(buf)
    with pytest.raises(ImportProblem) as e:
        import_xlsx(buf.getvalue())
    assert "找不到「基本信息」工作表" in e.value.reasons[0]


def test_excel_without_the_path_column_is_read_by_labels():
    """An offline editor deleted the hidden column A: rows are matched by their labels, columns by their headers."""
    app = sample("enterprise_ai.json")
    wb = load_workbook(io.BytesIO(export_xlsx(app)))
    for ws in wb.worksheets:
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        ws.delete_cols(1)
    assert wb["近三年指标"].cell(3, 1).value == "项目"
    buf = io.BytesIO()
    wb.save(buf)
    back, problems = import_xlsx(buf.getvalue())
    assert problems == [] and back == app


@pytest.mark.parametrize("blob", [b"not a workbook at all", b"PK\x03\x04broken zip"])
def test_broken_xlsx_raises_import_problem(blob):
    with pytest.raises(ImportProblem) as e:
        import_xlsx(blob)
    assert e.value.reasons and CJK.search(e.value.reasons[0])


def test_truncated_xlsx_and_docx_raise_import_problem():
    x = export_xlsx(sample("park_ai.json"))
    with pytest.raises(ImportProblem):
        import_xlsx(x[: len(x) // 2])
    d = export_application_docx(sample("park_ai.json"))
    with pytest.raises(ImportProblem):
        import_application_docx(d[: len(d) // 2])
    with pytest.raises(ImportProblem) as e:
        import_application_docx(x)  # a workbook is not a Word file
    assert "不是Word 文档" in e.value.reasons[0] and "Excel" in e.value.reasons[0]


# ---------------------------------------------------------------------------------------------------------- Word


def test_word_application_has_the_form_structure_and_values():
    app = sample("park_ai.json")
    data = export_application_docx(app)
    doc = Document(io.BytesIO(data))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads == ["一、基本情况", "二、创建工作方案（每部分不超过 2000 字）", "（一）发展基础", "（二）总体思路",
                     "（三）重点任务", "（四）进度安排", "（五）保障措施", "三、附件清单", "四、推荐单位意见"]
    text = doc_text(data)
    for s in ("国家新兴产业发展示范基地创建申请书", "（示范园区）", "申报单位：", "（盖章）", "工业和信息化部制",
              "人工智能", "福建省工业和信息化厅", "2026 年 3 月 25 日", "1.示范基地空间布局平面图；", "推荐意见"):
        assert s in text, s
    row = find_row(doc, "园区名称")
    assert row.cells[1].text == "榕城高新技术产业开发区（示例）"
    assert find_row(doc, "批复设立日期").cells[1].text == "2012年8月19日"  # as the forms write dates
    head = find_row(doc, "项目/年度", "近三年主要发展指标")
    assert [c.text for c in head.cells] == ["项目/年度", "2023 年", "2024 年", "2025 年", "近三年平均值"]
    rev = find_row(doc, "总营业收入（亿元）")
    assert [c.text for c in rev.cells[1:]] == ["500", "585", "672", "585.67"]
    growth = find_row(doc, "总营业收入增长率（%）")
    assert [c.text for c in growth.cells[1:4]] == ["14.2", "17", "14.87"]  # 2023 typed; 2024/2025 computed
    top = find_row(doc, "福州启衡智算科技有限公司")
    assert [c.text for c in top.cells] == ["福州启衡智算科技有限公司", "58", "智算中心建设运营、算力租赁服务"]
    first_line = app.work_plan.basis.split("\n")[1]
    assert first_line in [p.text for p in doc.paragraphs]


def test_word_fonts_set_east_asian_attribute():
    data = export_application_docx(sample("enterprise_ai.json"))
    doc = Document(io.BytesIO(data))
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    h1 = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert h1.get(qn("w:eastAsia")) == "黑体" and h1.get(qn("w:asciiTheme")) is None
    runs = list(doc.element.body.iter(qn("w:r")))
    cjk_runs = [r for r in runs if CJK.search("".join(t.text or "" for t in r.iter(qn("w:t"))))]
    assert len(cjk_runs) > 100
    for r in cjk_runs:
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) in ("仿宋_GB2312", "宋体", "黑体", "楷体_GB2312")
    # enterprise specifics: ownership checkbox and certifications
    assert "□国有　■民营　□合资　□其他" in doc_text(data)
    assert find_row(doc, "统一社会信用代码").cells[1].text == "91350200EXAMPLE00P"


@pytest.mark.parametrize("name", ["park_ai.json", "park_space.json", "enterprise_ai.json", "enterprise_safety.json"])
def test_exported_application_imports_back_equal(name):
    app = sample(name)
    back, problems = import_application_docx(export_application_docx(app))
    assert problems == []
    assert back == app


def test_word_import_without_embedded_data_reads_the_visible_form():
    """Strip the hidden data part: everything in the form still comes back; computed cells come back as typed."""
    app = sample("enterprise_ai.json")
    data = export_application_docx(app)
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info.filename)
            if info.filename.startswith("customXml/") and b"urn:sfjd:application" in blob:
                blob = b'<?xml version="1.0"?><empty/>'
            zout.writestr(info, blob)
    back, problems = import_application_docx(out.getvalue())
    assert problems == []
    assert back.basic == app.basic and back.work_plan == app.work_plan and back.narratives == app.narratives
    assert back.domain_ops.top5 == app.domain_ops.top5 and back.awards.tia_second == 1
    # shown computed values are read as typed ones: 重点领域 share 2023 = 17.6 / 21.4 = 82.24%
    assert back.domain_ops.share.y2023 == 82.24 and app.domain_ops.share.y2023 is None
    # what the form does not show stays empty (never guessed)
    assert back.city is None and back.attestations.no_major_accident is None


def test_hand_edited_word_lists_unreadable_cells_by_table_and_row():
    app = sample("park_ai.json")
    doc = Document(io.BytesIO(export_application_docx(app)))
    row = find_row(doc, "规模以上企业数量（个）", "近三年主要发展指标")
    row.cells[2].paragraphs[0].runs[0].text = "约30"  # 2024 年
    find_row(doc, "园区名称").cells[1].paragraphs[0].runs[0].text = "新区（改名）"
    area = find_row(doc, "规划面积（公顷）").cells[1].paragraphs[0].runs[0]
    area.text = "１，４００ 公顷"
    buf = io.BytesIO()
    doc.save(buf)
    back, problems = import_application_docx(buf.getvalue())
    assert problems == ["表「近三年主要发展指标」第3行「规模以上企业数量」2024年：无法识别“约30”"]
    assert back.main.above_scale_firms.y2024 is None  # never guessed
    assert back.main.above_scale_firms.y2023 == 412 and back.main.above_scale_firms.y2025 == 465
    assert back.basic.park_name == "新区（改名）" and back.basic.planned_area == 1400.0
    assert back.work_plan == app.work_plan


def _official_template_filled_by_hand() -> bytes:
    """A 申请书 typed into the official layout by hand: one big table, other column order, no embedded data."""
    doc = Document()
    for text in ("附件 2", "国家新兴产业发展示范基地创建申请书 (示范园区)", "申报单位: 闽江新区管委会 (盖章)",
                 "申报领域: 人工智能", "推荐单位: 福建省工业和信息化厅 (盖章)", "填报日期: 2026 年 3 月 30 日",
                 "工业和信息化部制", "一、基本情况"):
        doc.add_paragraph(text)
    rows = [
        ["园区基本信息"],
        ["园区名称", "闽江新区"],
        ["批复设立日期", "2015年6月1日", "批复单位", "福建省人民政府"],
        ["总体情况"],
        ["规划面积（公顷）", "２，５００", "建成面积（公顷）", "1800 公顷"],
        ["近三年主要发展指标"],
        ["项目/年度", "2025 年", "2024 年", "2023 年", "近三年 平均值"],
        ["总营业收入 （亿元）", "330", "300", "270", ""],
        ["总营业收入增长率（%）", "10", "11.1", "9.5", ""],
        ["规模以上企业数量（个）", "120家", "约110", "100", ""],
        ["园区吉祥物数量（个）", "1", "1", "1", ""],
        ["主导产业创新平台建设情况"],
        ["国家实验室数量（个）", "0", "全国重点实验室数量（个）", "2"],
        ["主导产业产业政策情况"],
        ["详细描述有关情况（不超过 2000 字）。"],
    ]
    table = doc.add_table(rows=0, cols=5)
    for values in rows:
        cells = table.add_row().cells
        if len(values) == 1:
            cells[0].merge(cells[4]).text = values[0]
        else:
            for c, v in zip(cells, values):
                c.text = v
    for text in ("二、创建工作方案（每部分不超过 2000 字）", "（一）发展基础",
                 "主要包括园区整体发展情况、主导产业发展情况。", "闽江新区人工智能产业起步于2018年。",
                 "2025年主导产业营业收入150亿元。", "(二) 总体思路", "建设东南沿海人工智能应用高地。",
                 "三、附件清单", "1.示范基地空间布局平面图；"):
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_official_template_filled_by_hand_is_read_by_labels_not_positions():
    app, problems = import_application_docx(_official_template_filled_by_hand())
    assert isinstance(app, ParkApplication)
    assert app.domain.value == "ai" and app.applicant_name == "闽江新区管委会"
    assert app.fill_date == dt.date(2026, 3, 30) and app.recommender == "福建省工业和信息化厅"
    assert app.basic.park_name == "闽江新区" and app.basic.approval_date == dt.date(2015, 6, 1)
    assert app.basic.planned_area == 2500.0 and app.basic.built_area == 1800.0
    # columns found by their headers (2025 first here)
    rev = app.main.total_revenue
    assert (rev.y2023, rev.y2024, rev.y2025, rev.avg) == (270.0, 300.0, 330.0, None)
    assert app.main.total_revenue_growth.y2024 == 11.1  # typed in the form: kept as typed
    firms = app.main.above_scale_firms
    assert (firms.y2023, firms.y2024, firms.y2025) == (100.0, None, 120.0)
    assert app.platforms.key_lab == 2 and app.platforms.national_lab == 0
    assert app.narratives.industry_policy == ""  # the template's placeholder is not content
    assert app.work_plan.basis == "闽江新区人工智能产业起步于2018年。\n2025年主导产业营业收入150亿元。"
    assert app.work_plan.approach == "建设东南沿海人工智能应用高地。"
    assert app.work_plan.tasks == ""
    assert "表「近三年主要发展指标」第3行「规模以上企业数量」2024年：无法识别“约30”" not in problems
    assert "表「近三年主要发展指标」第3行「规模以上企业数量」2024年：无法识别“约110”" in problems
    assert "表「近三年主要发展指标」第4行「园区吉祥物数量」：不是申请书中的项目，未导入。" in problems
    assert "未找到表「主导产业近三年发展情况」，其中各项未导入。" in problems
    assert "二、创建工作方案：未找到“（三）重点任务”标题，该部分未导入。" in problems
    assert app.city is None and app.status.in_catalog is None  # not in the form: not guessed


def test_word_that_is_not_an_application_returns_none_with_reason():
    doc = Document()
    doc.add_paragraph("会议纪要")
    buf = io.BytesIO()
    doc.save(buf)
    app, problems = import_application_docx(buf.getvalue())
    assert app is None and "不是国家新兴产业发展示范基地创建申请书" in problems[-1]


def test_broken_docx_raises_import_problem():
    with pytest.raises(ImportProblem):
        import_application_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ImportProblem):
        import_application_docx(b"hello")


# ---------------------------------------------------------------------------------------------------------- report


class _Encoder:
    """A deterministic stand-in encoder (the report only needs a result; coverage quality is tested elsewhere)."""

    name = "test-hash"

    def encode(self, texts):
        import numpy as np

        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                out[i, ord(ch) % 64] += 1.0
            out[i, 0] += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def scored_park():
    from scoring.assessment.engine import score_application

    app = sample("park_ai.json")
    return app, score_application(app, encoder=_Encoder())


def test_report_contains_eligibility_scores_coverage_and_total(scored_park, monkeypatch):
    monkeypatch.setattr(io_report, "CHART_RENDERER", lambda fig: None)
    app, res = scored_park
    data = io_report.report_docx(app, res, today=dt.date(2026, 3, 31))
    text = doc_text(data)
    assert "国家新兴产业发展示范基地创建自评报告" in text and "生成日期：2026年3月31日" in text
    assert "不是官方评审" in text and "参考值" in text
    for c in res.eligibility:
        assert c.title in text
    assert f"结论：{ {True: '全部满足', False: '存在不满足项', None: '有待确认项'}[res.eligible] }" in text
    assert f"{res.total.score:.1f} / 100" in text
    parts = res.total.parts
    assert f"{parts[0].label} {parts[0].score:.1f} × {parts[0].weight:.0%}" in text
    for dim in res.indicator.dimensions:
        assert f"{dim.label}：{dim.points:.2f} / {dim.max_points:.2f} 分" in text
    for sec in res.narrative.sections:
        for pt in sec.points:
            assert pt.title in text
    for sg in res.narrative.suggestions:
        assert sg.text in text
    assert io_report.CHARTS_IN_APP in text
    fonts = Document(io.BytesIO(data)).styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_report_embeds_charts_when_a_renderer_is_available(scored_park, monkeypatch):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buf, format="PNG")
    calls = []
    monkeypatch.setattr(io_report, "CHART_RENDERER", lambda fig: calls.append(fig.layout.title.text) or buf.getvalue())
    app, res = scored_park
    data = io_report.report_docx(app, res)
    assert calls == ["指标得分（按评价维度）", "创建工作方案各部分得分率"]
    assert len(Document(io.BytesIO(data)).inline_shapes) == 2
    assert io_report.CHARTS_IN_APP not in doc_text(data)


def test_report_without_narrative_says_so():
    from scoring.assessment.engine import score_application

    app = sample("enterprise_ai.json")
    res = score_application(app, narrative=False)
    text = doc_text(io_report.report_docx(app, res))
    assert "本报告未评价创建工作方案" in text and f"{res.indicator.score:.1f} / 100" in text


# ---------------------------------------------------------------------------------------------------------- CLI


def test_cli_convert_chain_is_lossless(tmp_path, capsys):
    src = SAMPLES / "enterprise_safety.json"
    x, d, j = tmp_path / "a.xlsx", tmp_path / "a.docx", tmp_path / "a.json"
    assert main(["convert", str(src), str(x)]) == 0
    assert main(["convert", str(x), str(d)]) == 0
    assert main(["convert", str(d), str(j)]) == 0
    assert j.read_text(encoding="utf-8") == export_json(sample("enterprise_safety.json"))
    assert "已转换" in capsys.readouterr().out


def test_cli_report_writes_a_docx(tmp_path):
    out = tmp_path / "r.docx"
    assert main(["report", str(SAMPLES / "park_robot.json"), "--out", str(out), "--no-narrative"]) == 0
    text = doc_text(out.read_bytes())
    assert "自评报告" in text and "二、申报资格" in text


@pytest.mark.parametrize("name,content", [("bad.json", b'{"type": "park",'), ("bad.xlsx", b"PK\x03\x04xx"),
                                          ("bad.docx", b"not a docx")])
def test_cli_exits_2_on_a_broken_file_and_writes_nothing(tmp_path, capsys, name, content):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.json"
    assert main(["convert", str(src), str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "无法导入" in err and CJK.search(err.split("\n", 1)[1])
    assert main(["report", str(src), "--out", str(tmp_path / "r.docx"), "--no-narrative"]) == 2


def test_cli_strict_refuses_a_file_with_unreadable_cells(tmp_path, capsys):
    wb = load_workbook(io.BytesIO(export_xlsx(sample("park_ai.json"))))
    ws = wb["近三年指标"]
    ws.cell(xlsx_row(ws, "main.employees"), 3).value = "三万"
    src = tmp_path / "p.xlsx"
    wb.save(src)
    assert main(["convert", str(src), str(tmp_path / "p.json")]) == 0
    assert "应为数字（输入值：“三万”）" in capsys.readouterr().err
    assert main(["convert", str(src), str(tmp_path / "q.json"), "--strict"]) == 2
    assert not (tmp_path / "q.json").exists()


# ---------------------------------------------------------------------------------------------------------- upload


def test_upload_extension_size_and_content_checks():
    good = export_json(sample("park_ai.json")).encode()
    assert check_upload("申报.json", good, ["json", "xlsx"]) == "json"
    with pytest.raises(ImportProblem) as e:
        check_upload("申报.exe", good, ["json", "xlsx", "docx"])
    assert "只接受 .json、.xlsx、.docx" in e.value.reasons[0]
    with pytest.raises(ImportProblem) as e:
        check_upload("大.json", b"{" + b" " * (2 * 1024 * 1024), [".json"])
    assert "超过上限 2.0 MB" in e.value.reasons[0]
    with pytest.raises(ImportProblem) as e:
        check_upload("x.json", b"<html></html>", ["json"])
    assert "应以" in e.value.reasons[0]
    docx = export_application_docx(sample("park_ai.json"))
    assert check_upload("a.docx", docx, ["docx"]) == "docx"
    with pytest.raises(ImportProblem) as e:
        check_upload("a.xlsx", docx, ["xlsx"])  # renamed file
    assert "看起来是Word 文档" in e.value.reasons[0]
    with pytest.raises(ImportProblem) as e:
        check_upload("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ["docx"])
    assert "旧版 Office 格式" in e.value.reasons[0]
    with pytest.raises(ImportProblem) as e:
        check_upload("empty.xlsx", b"", ["xlsx"])
    assert "空的" in e.value.reasons[0]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    return buf.getvalue()


def test_upload_rejects_zip_bombs_and_too_many_entries(monkeypatch):
    bomb = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>", "word/big.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024  # 8 MB of zeros compress to a few KB
    with pytest.raises(ImportProblem) as e:
        check_upload("bomb.docx", bomb, ["docx"])
    assert "压缩比异常" in e.value.reasons[0]
    with pytest.raises(ImportProblem):
        import_application_docx(bomb)  # the importer checks on its own too
    many = _zip({"xl/workbook.xml": b"<w/>", **{f"f{i}.xml": b"" for i in range(io_common.ZIP_MAX_ENTRIES + 1)}})
    with pytest.raises(ImportProblem) as e:
        check_upload("many.xlsx", many, ["xlsx"])
    assert "文件数过多" in e.value.reasons[0]
    monkeypatch.setattr(io_common, "ZIP_MAX_UNCOMPRESSED", 1000)
    with pytest.raises(ImportProblem) as e:
        check_upload("a.xlsx", export_xlsx(sample("park_ai.json")), ["xlsx"])
    assert "解压后总大小" in e.value.reasons[0]


@pytest.mark.parametrize("text,unit,integer,expected", [
    ("1,350", "公顷", False, 1350.0), ("１３５０ 公顷", "公顷", False, 1350.0), ("12.5%", "%", False, 12.5),
    ("−3.5", "%", False, -3.5), ("3.72万人", "人", True, 37200), ("30家", "个", True, 30), ("—", "", False, None),
])
def test_parse_number_is_tolerant(text, unit, integer, expected):
    assert parse_number(text, unit, integer) == expected


@pytest.mark.parametrize("text,unit", [("约30", "个"), ("500万元", "亿元"), ("30左右", "个"), ("1.5", "个")])
def test_parse_number_never_guesses(text, unit):
    with pytest.raises(io_common.ValueProblem):
        parse_number(text, unit, integer=unit == "个")


def test_enterprise_and_park_models_are_distinguished_by_every_format():
    ent = sample("enterprise_software.json")
    for back in (import_xlsx(export_xlsx(ent))[0], import_application_docx(export_application_docx(ent))[0]):
        assert isinstance(back, EnterpriseApplication) and back.domain.value == "software"


def _variant_park() -> ParkApplication:
    """park_ai with the less common values: a 园中园, other domains, no city, odd text, typed computed values."""
    app = sample("park_ai.json")
    data = app.model_dump(mode="json")
    data["city"] = None
    data["other_domains"] = ["icv", "robot"]
    data["status"].update(is_sub_park=True, sub_park_manager="local_government", boundary="东至江滨路，西至工业路")
    data["basic"].update(head="  李四（主任） ", address="第一行\n第二行", phone="=0591-1", approval_date=None)
    data["main"]["total_revenue_growth"]["y2024"] = 16.5  # typed, differs from the computed 17
    data["main"]["total_revenue"]["avg"] = 585.67  # typed, equal to the computed one after rounding
    data["lead"]["quality_weighted"] = 1000.0
    data["lead"]["top10"] = data["lead"]["top10"][:3]
    data["lead"]["top10"][1]["revenue"] = None
    data["meta"]["note"] = "内部备注\n第二行"
    data["work_plan"]["schedule"] = "\t缩进的一行\n\n空行之后"
    data["work_plan"]["safeguards"] = ""
    return parse_application(data)


def _variant_enterprise() -> EnterpriseApplication:
    app = sample("enterprise_ai.json")
    data = app.model_dump(mode="json")
    data["basic"].update(ownership="other", ownership_other="混合所有制（国有控股）", cert_champion=True,
                         cert_other="", founded=None)
    data["domain_ops"]["top5"] = data["domain_ops"]["top5"][:2]
    data["domain_ops"]["share"]["y2025"] = 90.0  # typed; computed 86.74
    data["attestations"]["no_env_incident"] = False
    return parse_application(data)


@pytest.mark.parametrize("make", [_variant_park, _variant_enterprise])
def test_less_common_values_survive_every_format(make):
    app = make()
    assert import_json(export_json(app)) == app
    back_x, px = import_xlsx(export_xlsx(app))
    assert px == [] and back_x == app
    back_d, pd_ = import_application_docx(export_application_docx(app))
    assert pd_ == [] and back_d == app


def test_word_export_can_leave_out_the_embedded_data():
    app = _variant_park()
    data = export_application_docx(app, embed_data=False)
    assert b"urn:sfjd:application" not in b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n)
                                                    for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    back, problems = import_application_docx(data)
    assert problems == []
    assert back.meta.note == "" and back.city is None and back.other_domains == []  # not in the form
    assert back.basic.head == app.basic.head and back.work_plan == app.work_plan


def test_estimated_weighted_count_is_not_written_into_the_application_form():
    # park_ai types no 优质企业加权数量: 1,328 is the category sum (not de-duplicated, an upper bound), not the form's figure
    app = sample("park_ai.json")
    label = "优质企业加权数量（个，同一企业不重复计算）"
    row = find_row(Document(io.BytesIO(export_application_docx(app))), label)
    assert {c.text for c in row.cells} == {label, ""}  # the value cell is blank (merged cells repeat the label)
    data = app.model_dump(mode="json")
    data["lead"]["quality_weighted"] = 600.0  # typed, de-duplicated: written, and read back as typed
    typed = parse_application(data)
    out = export_application_docx(typed)
    assert "600" in [c.text for c in find_row(Document(io.BytesIO(out)), label).cells]
    back, problems = import_application_docx(out)
    assert problems == [] and back.lead.quality_weighted == 600.0
    # the Excel file's 自动计算 row beside a typed value shows the estimate and says so
    ws = load_workbook(io.BytesIO(export_xlsx(typed)))["数量与平台"]
    r = xlsx_row(ws, "lead.quality_weighted")
    assert ws.cell(r, 3).value == 600
    assert ws.cell(r + 1, 3).value == 1328 and "按分类数量估算（未去重，为上限）" in ws.cell(r + 1, 5).value
