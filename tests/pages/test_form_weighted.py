"""填报 page: the de-duplicated 加权数量 and 智能工厂占比 are typed, and the typed value is what is scored.

park_ai (the AI park sample): 优质企业 540×1 + 398×1 + 126×2 + 18×6 + 3×10 = 1,328 with the shipped weights; nothing
typed, so 1,328 is an estimate (not de-duplicated, an upper bound) until a value is typed.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pages` is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import formtabs  # noqa: E402
import pages.shared.state as state  # noqa: E402

APP = str(ROOT / "app.py")
AI_PARK = json.loads((ROOT / "data" / "samples" / "park_ai.json").read_text(encoding="utf-8"))
QUALITY_IN = "优质企业加权数量（个）（填报值）"
QUALITY_COMPUTED = "优质企业加权数量（个）（计算值）"


def _start(data: dict, page: str) -> AppTest:
    return formtabs.start(data, page, timeout=120)


def _input(at: AppTest, label: str):
    formtabs.find(at, "number_input", lambda w: w.label == label, label)  # opens the tab it is on
    found = [w for w in at.number_input if w.label == label]
    assert len(found) == 1, [w.label for w in at.number_input]
    return found[0]


def _texts(at: AppTest) -> str:
    return " ".join([c.value for c in at.caption] + [i.value for i in at.info] + [w.value for w in at.warning])


def test_quality_count_is_typed_and_the_sum_is_shown_as_an_estimate():
    at = _start(AI_PARK, "pages/form.py")
    assert _input(at, QUALITY_IN).value is None
    assert next(m.value for m in at.metric if m.label == QUALITY_COMPUTED) == "1,328"
    assert "未填报：评分暂用计算值（按分类数量估算（未去重，为上限））" in _texts(at)

    _input(at, QUALITY_IN).set_value(600.0)
    at.run()
    assert not at.exception
    assert at.session_state[state.K_JSON]["lead"]["quality_weighted"] == 600.0
    texts = _texts(at)
    assert "评分使用填报值 600个" in texts and "为上限（未去重）" in texts
    assert "不一致" not in " ".join(w.value for w in at.warning if "优质企业" in w.value)
    assert not any("高于按各分类数量加权合计" in w.value for w in at.warning)

    # the result page scores the typed value, not the sum
    at.switch_page("pages/result.py").run()
    assert not at.exception
    rows = [r for df in at.dataframe for _, r in df.value.iterrows()
            if "指标" in df.value.columns and r["指标"] == "优质企业加权数量"]
    assert len(rows) == 1 and rows[0]["数值"].startswith("600") and "估算" not in rows[0]["数值"]


def test_a_typed_quality_count_above_the_sum_is_warned_about():
    data = copy.deepcopy(AI_PARK)
    data["lead"]["quality_weighted"] = 1400
    at = _start(data, "pages/form.py")
    assert _input(at, QUALITY_IN).value == 1400.0
    assert any("高于按各分类数量加权合计的1,328个" in w.value for w in at.warning)


def test_ai_park_types_its_smart_factory_share_and_weighted_count():
    at = _start(AI_PARK, "pages/form.py")
    _input(at, "智能工厂占比（%）（填报值）").set_value(3.0)
    _input(at, "智能工厂加权数量（个）（填报值）").set_value(9.0)
    at.run()
    assert not at.exception
    saved = at.session_state[state.K_JSON]["factories"]
    assert saved["share"] == 3.0 and saved["weighted"] == 9.0
    assert "为本工具假设口径的估算" in _texts(at)
