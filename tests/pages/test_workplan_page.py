"""The 创建工作方案 page through AppTest: coverage per section, counters, limits, escaping, total on 自评结果."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import pages.shared.common as common  # noqa: E402
import pages.shared.state as state  # noqa: E402
from scoring.application.models import dump_application, parse_application  # noqa: E402

APP = str(ROOT / "app.py")
SAMPLE = json.loads((ROOT / "data" / "samples" / "park_icv.json").read_text(encoding="utf-8"))


def _start(data: dict, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    app = parse_application(copy.deepcopy(data))
    at.session_state[state.K_MODEL] = app
    at.session_state[state.K_JSON] = dump_application(app)
    at.session_state[state.K_GEN] = 1
    at.session_state[state.K_REJECTED] = {}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_page_shows_score_sections_points_and_suggestions():
    at = _start(SAMPLE, "pages/workplan.py")
    assert [t.value for t in at.title] == ["创建工作方案"]
    assert _metric(at, "工作方案得分").endswith("/ 100")
    assert [t.label for t in at.tabs][:5] == ["发展基础", "总体思路", "重点任务", "进度安排", "保障措施"]
    tables = [d.value for d in at.dataframe if "评价要点" in d.value.columns]
    assert len(tables) == 5  # one coverage table per section
    statuses = {s.split(" ", 1)[1] for t in tables for s in t["状态"]}
    assert statuses <= {"已覆盖", "部分覆盖", "未覆盖"} and "已覆盖" in statuses
    assert all("None" not in t.to_string() for t in tables)
    # icv points are listed with their Chinese category, never the raw id
    assert any("智能网联新能源汽车" in set(t["类别"]) for t in tables)
    assert not any("park.icv" in t.to_string() for t in tables)
    counters = [c.value for c in at.caption if c.value.startswith("字数 ")]
    assert len(counters) >= 5


def test_editing_a_section_rescores_and_over_limit_keeps_text():
    data = copy.deepcopy(SAMPLE)
    data["work_plan"]["safeguards"] = ""
    at = _start(data, "pages/workplan.py")
    before = _metric(at, "工作方案得分")
    box = next(t for t in at.text_area if t.label.endswith("保障措施"))
    text = ("成立由管委会主任任组长的创建工作领导小组，设立工作专班，建立月调度机制。保障新增用地500亩，"
            "设立20亿元产业基金，落实人才公寓和算力券。")
    box.set_value(text).run()
    assert not at.exception
    assert at.session_state[state.K_JSON]["work_plan"]["safeguards"] == text
    assert float(_metric(at, "工作方案得分").split()[0]) > float(before.split()[0])
    assert any("✅" in m.value and "组织实施机制" in m.value for m in at.markdown)
    long = "发" * 2001
    box = next(t for t in at.text_area if t.label.endswith("保障措施"))
    box.set_value(long).run()
    assert at.session_state[state.K_JSON]["work_plan"]["safeguards"] == long  # kept
    assert any("超出 1 字" in e.value for e in at.error)


def test_user_text_is_escaped_in_the_highlight_view():
    data = copy.deepcopy(SAMPLE)
    data["work_plan"]["basis"] = ("<script>alert(1)</script>园区集聚智能网联汽车整车及零部件企业126家，"
                                  "其中整车企业3家、核心零部件企业48家。")
    at = _start(data, "pages/workplan.py")
    html_blocks = [m.value for m in at.markdown if "<mark" in m.value or "&lt;script&gt;" in m.value]
    assert html_blocks and all("<script>" not in b for b in html_blocks)
    assert any("&lt;script&gt;" in b for b in html_blocks)


def test_result_page_shows_total_and_narrative():
    at = _start(SAMPLE, "pages/result.py")
    assert _metric(at, "总分").endswith("/ 100")
    assert any(m.label.startswith("工作方案得分") for m in at.metric)
    assert any("章节规则" in d.value.columns for d in at.dataframe)
