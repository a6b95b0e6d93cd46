"""演示模式 (pages/shared/workshop.py) under AppTest: start from the home page, step bar, live switching, the user's own
application and its saved versions untouched, and ending the demo.

Expected names are those of the sample files: data/samples/park_ai.json 榕城高新技术产业开发区（示例）,
park_software.json 鹭岛软件产业开发区（示例）, enterprise_software.json 福建榕数基础软件股份有限公司（示例）.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pages` is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import pages.shared.common as common  # noqa: E402
import pages.shared.state as state  # noqa: E402
import pages.shared.persist as persist  # noqa: E402
import pages.shared.workshop as workshop  # noqa: E402
from scoring.application.models import dump_application, parse_application  # noqa: E402
from scoring.store.drafts import Store  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 90
SAMPLES = ROOT / "data" / "samples"
USER = {  # the user's own application (not a sample)
    "type": "park",
    "domain": "robot",
    "applicant_name": "我的园区管理委员会",
    "basic": {"park_name": "我的测试园区", "planned_area": 800.0},
}


@pytest.fixture(autouse=True, params=["navigation", "pages_folder"])
def run_mode(request, monkeypatch):
    """Both ways Streamlit may run a page (see tests/pages/test_app_pages.py): through app.py's st.navigation, or the
    page script directly because the scripts live in a folder named ``pages/``."""
    if request.param == "navigation":
        original = PagesManager.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            PagesManager.uses_pages_directory = False

        monkeypatch.setattr(PagesManager, "__init__", init)
    return request.param


@pytest.fixture(autouse=True)
def _samples_present():
    for name in ("park_ai.json", "park_software.json", "enterprise_software.json"):
        if not (SAMPLES / name).is_file():
            pytest.skip(f"sample {name} missing")


def _sample_name(file: str) -> str:
    return parse_application(json.loads((SAMPLES / file).read_text(encoding="utf-8"))).display_name


def _by_label(widgets, label: str):
    found = [w for w in widgets if w.label.removesuffix(" :red[*]") == label]
    assert found, f"no widget labelled {label!r}: {[w.label for w in widgets]}"
    return found[0]


def _by_key(widgets, pattern: str):
    found = [w for w in widgets if w.key and re.fullmatch(pattern, w.key)]
    assert len(found) == 1, [w.key for w in widgets]
    return found[0]


def _check(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _user_app_saved() -> AppTest:
    """The user's application in the session, edited once (so it is saved: version 1 in the store)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    app = parse_application(json.loads(json.dumps(USER)))
    at.session_state[state.K_MODEL] = app
    at.session_state[state.K_JSON] = dump_application(app)
    at.session_state[state.K_GEN] = 1
    at.session_state[state.K_REJECTED] = {}
    at.run()
    at.switch_page("pages/form.py").run()
    _by_label(at.text_input, "园区地址").set_value("福建省福州市测试路1号").run()
    _check(at)
    assert at.session_state[persist.K_APP_ID] is not None
    assert at.session_state[persist.K_BASE] == 1
    return at


def _store_records(at: AppTest) -> list:
    ws = at.session_state[persist.K_WS]
    return Store(persist.settings().data_dir / "sfjd.sqlite3").list(ws.id)


def _start_demo(at: AppTest, app_type: str = "park", domain: str = "ai") -> AppTest:
    at.switch_page("pages/home.py").run()
    at.radio(key="home_ws_type").set_value(app_type).run()
    at.selectbox(key="home_ws_domain").set_value(domain)
    _by_label(at.button, "开始演示").click()
    at.run()
    _check(at)
    # the home page switched to 填报 (st.switch_page); AppTest reruns the page it was told about, so tell it
    at.switch_page("pages/form.py")
    return at


def _step_line(at: AppTest) -> str:
    lines = [c.value for c in at.caption if re.match(r"第 \d+ / \d+ 步", c.value)]
    assert len(lines) == 1, [c.value for c in at.caption]
    return lines[0]


def _registered_steps() -> list[str]:
    """Step pages that have an st.Page line in app.py (read from the file, independent of the workshop code)."""
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    order = ["pages/form.py", "pages/workplan.py", "pages/result.py", "pages/benchmark.py", "pages/ranking.py"]
    return [p for p in order if re.search(rf'st\.Page\("{re.escape(p)}"', text)]


# ---------------------------------------------------------------------------------------------------------------


def test_demo_starts_on_the_sample_and_leaves_the_saved_application_alone():
    at = _user_app_saved()
    user_id = at.session_state[persist.K_APP_ID]
    user_json = dict(at.session_state[state.K_JSON])
    _start_demo(at, "park", "ai")

    assert [t.value for t in at.title] == ["填报"]
    app = at.session_state[state.K_MODEL]
    assert app.meta.is_sample is True and app.display_name == _sample_name("park_ai.json")
    assert at.session_state[workshop.K_WORKSHOP]["domain"] == "ai"
    assert persist.K_APP_ID not in at.session_state  # the demo has no saved application behind it
    assert at.session_state[state.K_ROLE] == "培训演示"
    assert _step_line(at).startswith(f"第 1 / {len(_registered_steps())} 步")
    sidebar = " ".join(m.value for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)
    assert "演示模式" in sidebar and "不会保存" in sidebar

    # an edit in the demo changes the demo only, and nothing is written to the store
    _by_label(at.text_input, "园区名称").set_value("演示中改过的名称").run()
    _check(at)
    assert at.session_state[state.K_MODEL].display_name == "演示中改过的名称"
    recs = _store_records(at)
    assert [(r.id, r.current_version) for r in recs] == [(user_id, 1)]

    # 我的申报 during the demo: says the demo is not saved, lists only the user's application
    at.switch_page("pages/drafts.py").run()
    _check(at)
    assert any(i.value.startswith("正在演示") and "不保存" in i.value for i in at.info)
    assert any("演示模式进行中" in m.value for m in at.markdown)

    # ending the demo brings back the user's application, its id and version
    _by_label(at.sidebar.button, "退出演示").click()
    at.run()
    at.switch_page("pages/form.py").run()
    _check(at)
    assert workshop.K_WORKSHOP not in at.session_state and workshop.K_STASH not in at.session_state
    assert at.session_state[state.K_JSON] == user_json
    assert at.session_state[persist.K_APP_ID] == user_id and at.session_state[persist.K_BASE] == 1
    assert at.session_state[state.K_ROLE] == "申报单位"
    assert not [c for c in at.caption if re.match(r"第 \d+ / \d+ 步", c.value)]
    assert [(r.id, r.current_version) for r in _store_records(at)] == [(user_id, 1)]

    # and the user's edits are saved again as before
    _by_label(at.text_input, "园区地址").set_value("福建省福州市测试路2号").run()
    _check(at)
    assert at.session_state[persist.K_BASE] == 2


def test_next_and_previous_walk_the_registered_steps():
    steps = _registered_steps()
    titles = {"pages/form.py": "填报", "pages/workplan.py": "创建工作方案", "pages/result.py": "自评结果"}
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    _start_demo(at, "enterprise", "software")
    for i, page in enumerate(steps):
        assert _step_line(at).startswith(f"第 {i + 1} / {len(steps)} 步")
        if page in titles:
            assert titles[page] in [t.value for t in at.title]
        prev, nxt = _by_key(at.button, "ws_prev"), _by_key(at.button, "ws_next")
        assert prev.disabled is (i == 0) and nxt.disabled is (i == len(steps) - 1)
        if i < len(steps) - 1:
            nxt.click()
            at.run()
            _check(at)
            at.switch_page(steps[i + 1])  # where 下一步 went (st.switch_page); AppTest reruns the page it knows
    _by_key(at.button, "ws_prev").click()
    at.run()
    _check(at)
    assert _step_line(at).startswith(f"第 {len(steps) - 1} / {len(steps)} 步")


def test_switching_domain_and_type_live_keeps_the_page():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    _start_demo(at, "park", "ai")
    _by_key(at.button, "ws_next").click()
    at.run()
    assert [t.value for t in at.title] == ["创建工作方案"]
    at.switch_page("pages/workplan.py")

    _by_key(at.sidebar.selectbox, r"ws_domain\d+").set_value("software").run()
    _check(at)
    assert at.session_state[state.K_MODEL].display_name == _sample_name("park_software.json")
    assert [t.value for t in at.title] == ["创建工作方案"]

    _by_key(at.sidebar.radio, r"ws_type\d+").set_value("enterprise").run()
    _check(at)
    app = at.session_state[state.K_MODEL]
    assert app.type == "enterprise" and app.display_name == _sample_name("enterprise_software.json")
    assert at.session_state[workshop.K_WORKSHOP]["type"] == "enterprise"
    assert _step_line(at).startswith("第 2 / ")


def test_creating_an_application_ends_the_demo():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    _start_demo(at, "park", "ai")
    at.switch_page("pages/home.py").run()
    _check(at)
    assert any("演示模式进行中" in m.value for m in at.markdown)
    _by_label(at.button, "新建申报").click()
    at.run()
    _check(at)
    assert workshop.K_WORKSHOP not in at.session_state
    app = at.session_state[state.K_MODEL]
    assert app.meta.is_sample is False and app.display_name == ""
    # the new application is the user's own: saved as usual
    assert at.session_state[persist.K_APP_ID] is not None


def test_demo_benchmark_step_is_compact_cards_and_key_chart_the_rest_in_an_expander(_samples_present):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    _start_demo(at, "park", "ai")
    at.switch_page("pages/benchmark.py").run()
    _check(at)
    assert [t.value for t in at.title] == ["对标分析"]
    assert at.metric and all("百分位" in m.label for m in at.metric)  # the percentile cards
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    more = [e for e in at.expander if e.label.startswith("更多图表")]
    assert len(more) == 1
    inside = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in more[0].get("plotly_chart")]
    shown = [t for t in titles if t not in inside]
    assert shown == ["四个维度得分对比（占该维度满分的百分比）"]  # the one key chart on the page itself
    assert len(inside) >= 3 and any(t.startswith("总分构成") for t in inside)
    assert more[0].dataframe  # the table of percentiles is in there too
