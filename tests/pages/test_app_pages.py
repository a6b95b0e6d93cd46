"""UI tests of the Streamlit app (streamlit.testing.v1.AppTest) and of the form layout (scoring.application.formspec).

The application used here is built by hand; expected computed values are worked out in the comments:
- 全员劳动生产率 2025 = 50 亿元 × 10000 ÷ 10000 人 = 50 万元/人
- 主导产业占比 2025 = 30 ÷ 50 × 100 = 60 %
- 总营业收入增长率 2025 = (50 ÷ 40 − 1) × 100 = 25 %
- 有效发明专利加权数量 = 10 件（无金奖、银奖时每件记 1，与权重无关）
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pages` is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import formtabs  # noqa: E402
import pages.shared.common as common  # noqa: E402
import pages.shared.state as state  # noqa: E402
from pages.shared.display import fmt_points, score_bars_html  # noqa: E402
from scoring.assessment.engine import score_application  # noqa: E402
from scoring.application.formspec import DerivedValue, FieldSpec, ListTable, SeriesTable, form_spec  # noqa: E402
from scoring.application.models import parse_application  # noqa: E402
from scoring.programme.rubric import load_indicator_rubric  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 60

PARK = {
    "type": "park",
    "domain": "robot",
    "city": "fuzhou",
    "applicant_name": "测试园区管理委员会",
    "attestations": {"no_major_accident": False, "no_env_incident": True, "no_adverse_event": True,
                     "materials_truthful": True},
    "status": {"in_catalog": True, "catalog_name": "测试高新技术产业开发区", "is_sub_park": False},
    "basic": {"park_name": "测试高新区", "management_body": "测试园区管理委员会", "planned_area": 1200.0},
    "main": {
        "total_revenue": {"y2023": 30.0, "y2024": 40.0, "y2025": 50.0},
        "employees": {"y2023": 8000, "y2024": 9000, "y2025": 10000},
    },
    "lead": {"revenue": {"y2023": 15.0, "y2024": 20.0, "y2025": 30.0}, "above_scale_firms": 40},
    "platforms": {"key_lab": 2, "pilot_platform": 1, "national_lab": 0, "mfg_innovation_center": 0,
                  "tech_innovation_center": 0, "emerging_innovation_center": 0, "engineering_center": 0,
                  "science_facility": 0},
    "patents": {"invention": 10, "gold": 0, "silver": 0},
}

ENTERPRISE = {
    "type": "enterprise",
    "domain": "software",
    "applicant_name": "测试软件股份有限公司",
    "basic": {"name": "测试软件股份有限公司", "credit_code": "91350100MA34567890"},
    "main": {"total_revenue": {"y2023": 10.0, "y2024": 12.0, "y2025": 15.0}},
}


# ---------------------------------------------------------------------------------------------------------------
# helpers


@pytest.fixture(autouse=True, params=["navigation", "pages_folder"])
def run_mode(request, monkeypatch):
    """Run each UI test in both ways Streamlit may execute the app.

    navigation: app.py runs on every rerun and st.navigation runs the page (a server's normal state).
    pages_folder: because the page scripts live in a folder named ``pages/``, Streamlit runs a requested page
    script directly, without app.py (a fresh server opened on a page's URL; AppTest after its first run).
    """
    if request.param == "navigation":
        original = PagesManager.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            PagesManager.uses_pages_directory = False

        monkeypatch.setattr(PagesManager, "__init__", init)
    return request.param


def _start(data: dict | None = None, page: str | None = None) -> AppTest:
    """Run the app; optionally put an application in session state (as the pages do) and switch page."""
    return formtabs.start(data, page, timeout=TIMEOUT)


def _field(at: AppTest, kind: str, label: str):
    """A widget of 填报 by its label, on whichever tab it is (the tab is opened)."""
    return formtabs.by_label(at, kind, label)


def _by_label(widgets, label: str):
    found = [w for w in widgets if w.label.removesuffix(" :red[*]") == label]
    assert found, f"no widget labelled {label!r}: {[w.label for w in widgets]}"
    return found[0]


def _cell(at: AppTest, row_label: str, year: str):
    """The text box of one cell of a 近三年 table (labelled “<row> · <year>”)."""
    return _field(at, "text_input", f"{row_label} · {year}")


def _save_cells(at: AppTest, cells: dict[tuple[str, str], str]) -> None:
    """Type cells of a 近三年 table and press its “保存本表”."""
    for (row, year), value in cells.items():
        _cell(at, row, year).set_value(value)
    next(b for b in at.button if b.label == "保存本表").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _editor_key(at: AppTest, table: str) -> str:
    """Key of the data_editor of a top-10 / top-5 list (keys are ed<generation>.<table>.<seq>)."""
    pat = re.compile(rf"^ed\d+\.{re.escape(table)}\.\d+$")
    formtabs.find(at, "data_editor", lambda e: bool(e.key and pat.match(e.key)), f"of {table}")
    keys = [e.key for e in at.data_editor if e.key and pat.match(e.key)]
    assert len(keys) == 1, [e.key for e in at.data_editor]
    return keys[0]


def _summary_table(at: AppTest, row_label: str):
    """The read-only summary table that has a row labelled ``row_label`` (its tab is opened)."""
    def has_row(df) -> bool:
        v = df.value
        return df.editing_mode == "read_only" and "指标" in v.columns and row_label in list(v["指标"])

    return formtabs.find(at, "dataframe", has_row, f"with row {row_label!r}").value.set_index("指标")


def _metric(at: AppTest, label: str) -> str:
    return formtabs.find(at, "metric", lambda m: m.label == label, f"labelled {label!r}").value


def _saved(at: AppTest) -> dict:
    return at.session_state[state.K_JSON]


def _edit(at: AppTest, key: str, row: int, col: str, value) -> None:
    at.session_state[key] = {"edited_rows": {row: {col: value}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]


# ---------------------------------------------------------------------------------------------------------------
# start, home page, samples


def test_app_starts_on_home_with_disclaimer():
    at = _start()
    assert [t.value for t in at.title] == ["示范基地自评台"]
    text = " ".join(m.value for m in at.markdown)
    assert "闽工信函产业〔2026〕132号" in text
    assert "不是官方评审" in text and "参考值" in text
    assert [r.label for r in at.radio][:2] == ["使用身份", "申报类别"]
    assert _field(at, "radio", "使用身份").options == ["申报单位", "设区市工信局", "培训演示"]
    # ten domains with their Chinese names (通知“二、创建领域”)
    assert _field(at, "selectbox", "申报创建领域").options == [
        "人工智能", "智能网联新能源汽车", "新型储能制造", "清洁低碳氢", "生物制造", "智能机器人", "低空装备", "商业航天",
        "安全应急装备", "软件"]
    assert any("尚未开始" in c.value for c in at.sidebar.caption)


def test_new_application_from_home_opens_empty_form():
    at = _start()
    _field(at, "radio", "申报类别").set_value("enterprise")
    _field(at, "selectbox", "申报创建领域").set_value("software")
    _field(at, "button", "新建申报").click()
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["填报"]
    saved = _saved(at)
    assert saved["type"] == "enterprise" and saved["domain"] == "software"
    # missing values stay empty (None), not 0
    assert _field(at, "number_input", "有效发明专利数量（件）").value is None
    assert saved["patents"]["invention"] is None
    at.switch_page("pages/result.py").run()
    at.switch_page("pages/form.py").run()
    assert _saved(at)["patents"]["invention"] is None
    assert _field(at, "number_input", "有效发明专利数量（件）").value is None


def test_empty_or_broken_samples_folder_is_handled(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "SAMPLES_DIR", tmp_path)
    at = _start()
    assert any("暂无可用的示例" in i.value for i in at.info)
    (tmp_path / "park_ai.json").write_text("{not json", encoding="utf-8")
    at.run()
    assert not at.exception
    assert any("park_ai.json" in w.value and "无法使用" in w.value for w in at.warning)


def test_load_sample_marks_it_and_shows_its_values():
    samples = [s for s in state.list_samples() if not s.error]
    if not samples:
        pytest.skip("no sample in data/samples yet")
    sample = samples[0]
    expected = parse_application(state._read_json(sample.path, Path(sample.path).stat().st_mtime))
    at = _start()
    at.selectbox(key="home_sample").set_value(sample.path)
    _field(at, "button", "载入示例").click()
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["填报"]
    app = at.session_state[state.K_MODEL]
    assert app.meta.is_sample is True
    assert app.display_name == expected.display_name
    sidebar_text = " ".join(m.value for m in at.sidebar.markdown)
    assert "示例" in sidebar_text and expected.display_name in sidebar_text
    name_label = "园区名称" if expected.type == "park" else "企业名称"
    assert _field(at, "text_input", name_label).value == expected.display_name


# ---------------------------------------------------------------------------------------------------------------
# form page


def test_form_shows_values_computed_rows_and_weighted_counts():
    at = _start(PARK, "pages/form.py")
    assert _field(at, "text_input", "园区名称").value == "测试高新区"
    assert _field(at, "number_input", "规划面积（公顷）").value == 1200.0
    assert _field(at, "number_input", "有效发明专利数量（件）").value == 10
    # the form's own row label under 主导产业近三年发展情况 (the model's title is 主导产业企业数量)
    firms = _field(at, "number_input", "企业数量（个）")
    assert firms.key.endswith(".lead.firms") and firms.value is None  # not filled: empty, not 0

    # the input table holds what was typed
    assert _cell(at, "总营业收入（亿元）", "2025年").value == "50"
    assert _cell(at, "规模以上企业数量（个）", "2025年").value == ""  # not filled: an empty cell, never "None"
    rows = [w.label.rsplit(" · ", 1)[0] for w in at.text_input if w.label.endswith(" · 2023年")]
    assert rows[:3] == ["总营业收入（亿元）", "规模以上企业数量（个）", "年末从业人员数量（人）"]

    # computed rows, read-only
    summary = _summary_table(at, "全员劳动生产率（万元/人）")
    assert summary.loc["全员劳动生产率（万元/人）", "2025年"] == "50"
    assert summary.loc["总营业收入增长率（%）", "2025年"] == "25"
    assert summary.loc["总营业收入（亿元）", "近三年平均值"] == "40"  # (30 + 40 + 50) / 3
    assert summary.loc["规模以上企业数量（个）", "2025年"] == "—"  # missing is shown as —, not None
    lead = _summary_table(at, "占园区总营业收入比重（%）")  # the form's row under 主导产业近三年发展情况
    assert lead.loc["占园区总营业收入比重（%）", "2025年"] == "60"

    # weighted counts with their formula
    assert _metric(at, "有效发明专利加权数量（件）（计算值）") == "10"
    w = load_indicator_rubric("park").weights["platforms"]
    expected = 2 * w["key_lab"] + 1 * w["pilot_platform"]  # the other platform counts are 0
    assert _metric(at, "国家级创新平台加权数量（个）（计算值）") == f"{expected:g}"
    captions = " ".join(c.value for c in at.caption)
    assert "计算方法：国家级创新平台加权数量 = " in captions
    # 优质企业加权数量 lacks its components: shown as — with the reason, not 0
    assert _metric(at, "优质企业加权数量（个）（计算值）") == "—"
    captions = " ".join(c.value for c in at.caption)  # on the tab that metric is on
    assert "缺少分项" in captions


def test_entered_values_update_state_and_survive_page_switch():
    at = _start(PARK, "pages/form.py")
    _field(at, "number_input", "其中，获得中国专利奖金奖数量（件）").set_value(1)
    at.run()
    assert _saved(at)["patents"]["gold"] == 1
    gold_w = load_indicator_rubric("park").weights["patents"]["gold"]
    # 10 patents, one of which gold: 9 × 1 + 1 × gold weight
    assert _metric(at, "有效发明专利加权数量（件）（计算值）") == f"{9 + gold_w:g}"

    # a cell of the 近三年 table: 2024 revenue 40 -> 45 changes the computed 2025 growth to (50/45 − 1) × 100
    _save_cells(at, {("总营业收入（亿元）", "2024年"): "45"})
    assert _saved(at)["main"]["total_revenue"]["y2024"] == 45.0
    assert _summary_table(at, "总营业收入增长率（%）").loc["总营业收入增长率（%）", "2025年"] == "11.11"

    at.switch_page("pages/result.py").run()
    assert not at.exception
    assert _saved(at)["patents"]["gold"] == 1
    assert _saved(at)["main"]["total_revenue"]["y2024"] == 45.0
    at.switch_page("pages/form.py").run()
    assert _field(at, "number_input", "其中，获得中国专利奖金奖数量（件）").value == 1
    assert _cell(at, "总营业收入（亿元）", "2024年").value == "45"


def test_negative_cell_is_rejected_in_chinese_and_other_data_kept():
    at = _start(PARK, "pages/form.py")
    _field(at, "text_input", "园区名称").set_value("新名称园区")
    at.run()
    _save_cells(at, {("总营业收入（亿元）", "2024年"): "-5"})
    errors = " ".join(e.value for e in at.error)
    assert "总营业收入" in errors and "2024年" in errors and "不能为负数" in errors
    saved = _saved(at)
    assert saved["main"]["total_revenue"] == {"y2023": 30.0, "y2024": 40.0, "y2025": 50.0, "avg": None}
    assert saved["basic"]["park_name"] == "新名称园区"  # entered before: kept
    assert saved["patents"]["invention"] == 10
    # the refused entry stays in its cell to be corrected (the saved value is unchanged); the sidebar counts it
    assert _cell(at, "总营业收入（亿元）", "2024年").value == "-5"
    assert any("1 处输入未通过校验" in w.value for w in at.sidebar.warning)
    # a valid value afterwards is accepted and clears the rejection
    _save_cells(at, {("总营业收入（亿元）", "2024年"): "42"})
    assert _saved(at)["main"]["total_revenue"]["y2024"] == 42.0
    assert not any("不能为负数" in e.value for e in at.error)
    assert at.session_state[state.K_REJECTED] == {}


def test_malformed_credit_code_is_rejected_and_other_fields_kept():
    at = _start(ENTERPRISE, "pages/form.py")
    _field(at, "text_input", "注册地址").set_value("福州市鼓楼区测试路1号")
    at.run()
    _field(at, "text_input", "统一社会信用代码").set_value("12345")
    at.run()
    errors = " ".join(e.value for e in at.error)
    assert "统一社会信用代码" in errors and "格式不正确" in errors and "12345" in errors
    saved = _saved(at)
    assert saved["basic"]["credit_code"] == "91350100MA34567890"
    assert saved["basic"]["address"] == "福州市鼓楼区测试路1号"
    assert saved["main"]["total_revenue"]["y2025"] == 15.0


def test_yes_no_and_date_inputs_reach_the_result_page():
    at = _start(ENTERPRISE, "pages/form.py")
    radio = _field(at, "radio", "近三年未发生较大及以上生产安全事故")
    assert radio.value == "未填"  # not stated yet: no default answer
    radio.set_value("否")
    _field(at, "date_input", "成立日期").set_value(dt.date(2016, 5, 1))
    at.run()
    saved = _saved(at)
    assert saved["attestations"]["no_major_accident"] is False
    assert saved["basic"]["founded"] == "2016-05-01"
    at.switch_page("pages/result.py").run()
    assert any(m.value.startswith("❌") and "安全事故" in m.value for m in at.markdown)


def test_role_choice_is_kept_and_shown_in_sidebar():
    at = _start()
    _field(at, "radio", "使用身份").set_value("培训演示")
    at.run()
    at.switch_page("pages/result.py").run()
    at.switch_page("pages/home.py").run()
    assert _field(at, "radio", "使用身份").value == "培训演示"
    assert any(c.value == "身份：培训演示" for c in at.sidebar.caption)


def test_top_list_rows_are_saved_and_negative_revenue_rejected():
    at = _start(PARK, "pages/form.py")
    key = _editor_key(at, "lead.top10")
    at.session_state[key] = {"edited_rows": {0: {"企业名称": "甲公司", "营业收入（亿元）": 12.5}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    top = _saved(at)["lead"]["top10"]
    assert top == [{"name": "甲公司", "revenue": 12.5, "main_business": ""}]
    _edit(at, _editor_key(at, "lead.top10"), 1, "营业收入（亿元）", -1.0)
    assert any("不能为负数" in e.value for e in at.error)
    assert _saved(at)["lead"]["top10"] == top


def test_form_still_works_without_rubric_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SFJD_RUBRIC_DIR", str(tmp_path))  # an empty rubric folder
    at = _start(PARK, "pages/form.py")
    # series need no rubric: still computed
    summary = _summary_table(at, "全员劳动生产率（万元/人）")
    assert summary.loc["全员劳动生产率（万元/人）", "2025年"] == "50"
    # weighted counts need the rubric's weights: not shown as a number, and the reason is given
    assert _metric(at, "有效发明专利加权数量（件）（计算值）") == "—"
    assert any("评分规则文件暂不可用" in c.value for c in at.caption)
    at.switch_page("pages/result.py").run()
    assert not at.exception
    assert any("评分规则文件有误或缺失" in e.value for e in at.error)


# ---------------------------------------------------------------------------------------------------------------
# result page


def test_result_page_shows_eligibility_and_indicator_score():
    at = _start(PARK, "pages/result.py")
    assert [t.value for t in at.title] == ["自评结果"]
    md = [m.value for m in at.markdown]
    # no_major_accident = False: the safety rule is not met
    assert any(m.startswith("❌") and "安全事故" in m and "不满足" in m for m in md)
    assert any(m.startswith("✅") and "限报1个创建领域" in m for m in md)
    assert any("有资格条件不满足" in e.value for e in at.error)
    expected = score_application(parse_application(copy.deepcopy(PARK)), narrative=False).indicator
    assert _metric(at, "指标得分") == f"{expected.score:.1f} / 100"
    # one table of every indicator, dimension by dimension: Chinese headers, no raw None, missing data as 未填
    dims = [d.value for d in at.dataframe if "得分/满分" in d.value.columns]
    assert len(dims) == 1
    assert list(dims[0].columns) == ["维度", "指标", "数值", "得分/满分", "规则", "依据", "状态", "说明", "出处"]
    assert list(dims[0]["维度"]) == [d.label for d in expected.dimensions for _ in d.indicators]
    assert list(dims[0]["指标"]) == [ln.label for d in expected.dimensions for ln in d.indicators]
    assert not dims[0].isna().any().any() and "None" not in dims[0].to_string()
    values = [v for d in dims for v in d["数值"]]
    assert "未填" in values  # e.g. 融资额 is not filled in PARK
    bars = [h.proto.body for h in at.get("html") if "各维度指标得分" in h.proto.body]
    assert len(bars) == 1 and bars[0].count('role="listitem"') == len(expected.dimensions)
    for d in expected.dimensions:
        assert f"{d.label}</span>" in bars[0] and f"{fmt_points(d.points, d.max_points)} 分" in bars[0]
    assert expected.missing and any("缺少的数据" == s.value for s in at.subheader)


def test_score_bars_share_one_axis_and_escape_their_text():
    out = score_bars_html("得分<图>", [("甲<b>", 10.0, 20.0, "10 / 20 分"), ("乙", 30.0, 40.0, "30 / 40 分"),
                                        ("丙", 5.0, 0.0, "—")])
    assert "<b>" not in out and "甲&lt;b&gt;" in out and 'aria-label="得分&lt;图&gt;"' in out
    widths = re.findall(r"width:([0-9.]+)%", out)
    # 甲: track 20/40 of the axis, half filled; 乙: the whole axis, three quarters; 丙 (no full mark): empty
    assert widths == ["50.0", "50.0", "100.0", "75.0", "0.0", "0.0"]


def test_result_page_quotes_the_notice_for_a_check_only_when_opened():
    at = _start(PARK, "pages/result.py")
    res = score_application(parse_application(copy.deepcopy(PARK)), narrative=False)
    safety = next(i for i, c in enumerate(res.eligibility) if "安全事故" in c.title)
    quote = f"> {res.eligibility[safety].basis}"
    assert not any(m.value == quote for m in at.markdown)
    assert any(e.label == f"通知原文 · {res.eligibility[safety].ref}" for e in at.expander)
    formtabs.open_expanders(at, f"res_basis.{safety}.{res.eligibility[safety].key}")
    assert any(m.value == quote for m in at.markdown)


def test_result_page_without_application_points_home():
    at = _start(None, "pages/result.py")
    assert any("尚未开始填报" in i.value for i in at.info)


# ---------------------------------------------------------------------------------------------------------------
# form layout from the models


def test_formspec_follows_annex_2_order_and_units():
    spec = form_spec("park")
    assert [t.title for t in spec.tabs][0] == "基本信息"
    main = next(it for it in spec.items() if isinstance(it, SeriesTable) and it.key == "main")
    # Annex 2, 近三年主要发展指标, in the form's order
    assert [r.label for r in main.rows] == ["总营业收入（亿元）", "总营业收入增长率（%）", "规模以上企业数量（个）",
                                            "年末从业人员数量（人）", "全员劳动生产率（万元/人）"]
    growth = main.rows[1]
    assert growth.computed_years == ("y2024", "y2025") and growth.typed_years == ("y2023",)
    assert main.rows[4].computed_years == ("y2023", "y2024", "y2025")
    counts = [f.title for f in spec.fields() if f.path.startswith("platforms.")]
    assert counts[0] == "国家实验室数量" and len(counts) == 8
    assert all(spec.get_field(f"platforms.{n}").kind == "int" for n in ("national_lab", "pilot_platform"))
    derived = [d.label for d in spec.items() if isinstance(d, DerivedValue)]
    assert "国家级创新平台加权数量（个）" in derived and "智能工厂占比（%）" in derived
    top10 = next(it for it in spec.items() if isinstance(it, ListTable))
    assert top10.max_rows == 10 and [c.label for c in top10.columns] == ["企业名称", "营业收入（亿元）", "主营业务和主要产品"]


def test_formspec_enterprise_fields():
    spec = form_spec("enterprise")
    cc = spec.get_field("basic.credit_code")
    assert isinstance(cc, FieldSpec) and cc.kind == "text" and cc.pattern
    assert spec.get_field("basic.ownership").options == (("state", "国有"), ("private", "民营"), ("joint", "合资"),
                                                       ("other", "其他"))
    assert spec.get_field("attestations.no_major_accident").kind == "tristate"
    assert spec.get_field("basic.founded").kind == "date"
    top5 = next(it for it in spec.items() if isinstance(it, ListTable))
    assert top5.max_rows == 5
    plans = [f.title for f in spec.fields() if f.path.startswith("work_plan.")]
    assert plans == ["发展基础", "总体思路", "重点任务", "进度安排", "保障措施"]


@pytest.mark.parametrize("app_type", ["park", "enterprise"])
def test_formspec_covers_every_field_of_the_model_once(app_type):
    from pydantic import BaseModel

    from scoring.application.models import EnterpriseApplication, ParkApplication

    cls = ParkApplication if app_type == "park" else EnterpriseApplication
    expected = set()
    for name, f in cls.model_fields.items():
        if name in ("schema_version", "type", "meta", "coverage_claims"):  # the tool's own data, not the form's
            continue
        if name in ("materials", "recommender_opinion", "award_entries", "standard_entries"):
            continue  # 三、附件清单 and 四、推荐单位意见: their own tab (pages/shared/materials_form.py, tested there)
        sub = f.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel) and not (f.json_schema_extra or {}).get("series"):
            expected.update(f"{name}.{n}" for n in sub.model_fields)
        else:
            expected.add(name)
    spec = form_spec(app_type)
    shown = []
    for it in spec.items():
        if isinstance(it, SeriesTable):
            shown.extend(r.path for r in it.rows)
        else:
            shown.append(it.path)
    assert len(shown) == len(set(shown))  # nothing twice
    assert set(shown) == expected


def test_text_in_a_number_cell_is_refused_and_kept_in_its_cell():
    at = _start(PARK, "pages/form.py")
    _save_cells(at, {("总营业收入（亿元）", "2024年"): "约5亿元"})
    errors = " ".join(e.value for e in at.error)
    assert "约5亿元" in errors and "不是数字" in errors
    assert _saved(at)["main"]["total_revenue"]["y2024"] == 40.0  # not silently 5
    assert _cell(at, "总营业收入（亿元）", "2024年").value == "约5亿元"  # the text stays where it was typed, to be corrected
    _save_cells(at, {("总营业收入（亿元）", "2024年"): "４５"})  # full-width digits are a number
    assert _saved(at)["main"]["total_revenue"]["y2024"] == 45.0
    assert at.session_state[state.K_REJECTED] == {}


def test_a_whole_table_is_saved_at_once_each_value_in_its_cell():
    at = _start(PARK, "pages/form.py")
    row = "规模以上企业数量（个）"
    _save_cells(at, {(row, "2023年"): "30.2", (row, "2024年"): "29.5", (row, "2025年"): "28.8"})
    assert [_cell(at, row, y).value for y in ("2023年", "2024年", "2025年")] == ["30.2", "29.5", "28.8"]
    saved = _saved(at)["main"]["above_scale_firms"]
    assert (saved["y2023"], saved["y2024"], saved["y2025"]) == (30.2, 29.5, 28.8)


def test_cleared_required_name_is_an_error_and_listed():
    at = _start(PARK, "pages/form.py")
    _field(at, "text_input", "申报单位").set_value("")  # the cover's 申报单位; messages name it 申报单位名称 (Annex 1)
    at.run()
    errors = " ".join(e.value for e in at.error)
    assert "“申报单位名称”为必填项" in errors and "必填内容未填" in errors
    at.switch_page("pages/result.py").run()
    assert not at.exception
    assert not any("各项资格条件均满足" in s.value for s in at.success)
    assert any("申报单位名称" in e.value for e in at.error)


def test_domain_change_says_the_work_plan_is_judged_on_the_new_domain():
    at = _start(PARK, "pages/form.py")
    _field(at, "selectbox", "申报领域").set_value("ai")
    at.run()
    text = " ".join(w.value for w in at.warning)
    assert "按“人工智能”领域的评价要点评分" in text and "不再计分" in text


KIND_LABEL = "企业类型（人工智能领域）"


def _by_path(widgets, path: str):
    """The widget of a model path (keys are f<generation>.<path>), whatever the form calls it."""
    found = [w for w in widgets if w.key and w.key.split(".", 1)[-1] == path]
    assert found, f"no widget for {path!r}: {[w.key for w in widgets]}"
    return found[0]


def _kind_asked(at: AppTest) -> bool:
    return any(w.key and w.key.endswith(".ai_kind") or w.label == KIND_LABEL for w in at.selectbox)


def test_the_kind_of_ai_enterprise_is_asked_only_of_ai_enterprises_and_a_change_warns():
    at = _start(ENTERPRISE, "pages/form.py")  # a software enterprise: no such question
    assert not _kind_asked(at)
    _by_path(at.selectbox, "domain").set_value("ai")
    at.run()
    kind = _by_path(at.selectbox, "ai_kind")
    assert kind.label == KIND_LABEL and kind.value is None and list(kind.options) == ["创新型企业", "应用型企业"]
    assert any("请选择企业类型" in w.value for w in at.warning)
    kind.set_value("innovative")
    at.run()
    assert _saved(at)["ai_kind"] == "innovative"
    assert not any("企业类型已由" in w.value for w in at.warning)  # a first choice changes nothing already judged
    _by_path(at.selectbox, "ai_kind").set_value("application")
    at.run()
    assert _saved(at)["ai_kind"] == "application"
    text = " ".join(w.value for w in at.warning)
    assert "企业类型已由“创新型企业”改为“应用型企业”" in text and "不再评价“创新型企业”的要点" in text
    _by_path(at.selectbox, "domain").set_value("robot")  # another domain: the question goes, the kind too
    at.run()
    assert not _kind_asked(at) and _saved(at)["ai_kind"] is None
    assert not any("企业类型已由" in w.value for w in at.warning)
    park = _start({**PARK, "domain": "ai"}, "pages/form.py")  # parks have no kind
    assert not _kind_asked(park)


# ---------------------------------------------------------------------------------------------------------------
# dropdown texts in a real browser (the CSS of pages.shared.display)


@pytest.fixture
def _web(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    import test_e2e_browser as e2e

    yield e2e


@pytest.mark.e2e
def test_dropdown_search_without_match_and_emptied_search_box_read_in_chinese(_web, tmp_path, run_mode):
    if run_mode != "navigation":
        pytest.skip("one browser run is enough")
    server = _web.server.__wrapped__(tmp_path)
    url = next(server)
    browser_gen = _web.browser.__wrapped__()
    browser = next(browser_gen)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
        page.goto(url, wait_until="networkidle")
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text="申报创建领域").first
        box.wait_for(timeout=30000)
        search = box.locator("input")
        search.click()
        search.fill("不存在的领域")
        listbox = page.locator('[role="listbox"][data-empty="true"]')
        listbox.wait_for(timeout=10000)
        span = listbox.locator('[role="option"] > span')
        assert span.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # Streamlit's "No results" is not seen
        assert span.evaluate("e => getComputedStyle(e, '::after').content") == '"没有匹配的选项"'
        page.screenshot(path=str(tmp_path / "no_match.png"))
        search.fill("")  # the emptied search box shows the Chinese placeholder instead of "Choose an option"
        group = box.locator('[role="group"]')
        assert search.evaluate("e => getComputedStyle(e, '::placeholder').color") == "rgba(0, 0, 0, 0)"
        assert group.evaluate("e => getComputedStyle(e, '::before').content") == '"请选择（可输入文字搜索）"'
    finally:
        for gen in (browser_gen, server):
            with contextlib.suppress(StopIteration):
                next(gen)
