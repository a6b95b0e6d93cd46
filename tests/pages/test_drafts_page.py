"""The page 我的申报 and autosave (streamlit.testing.v1.AppTest), on a fresh database per test (tests/conftest.py).

Saved applications are put into the database with scoring.store.drafts directly, as another browser session (or an
earlier run of the app) would have left them; each AppTest is a new browser session.
"""

from __future__ import annotations

import copy
import os
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
import pages.shared.uploads as uploads  # noqa: E402
from scoring.application.models import dump_application, parse_application  # noqa: E402
from scoring.store.drafts import Store  # noqa: E402
from scoring.store.workspace import LOCAL, local_workspace  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 60
DRAFTS = "pages/drafts.py"
FORM = "pages/form.py"

PARK = {
    "type": "park",
    "domain": "robot",
    "applicant_name": "测试园区管理委员会",
    "basic": {"park_name": "甲园区", "planned_area": 1200.0},
    "main": {"total_revenue": {"y2023": 30.0, "y2024": 40.0, "y2025": 50.0}},
}


@pytest.fixture(autouse=True, params=["navigation", "pages_folder"])
def run_mode(request, monkeypatch):
    """Both ways Streamlit may execute the app (see tests/pages/test_app_pages.py)."""
    if request.param == "navigation":
        original = PagesManager.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            PagesManager.uses_pages_directory = False

        monkeypatch.setattr(PagesManager, "__init__", init)
    return request.param


def park(name: str, **basic) -> object:
    data = copy.deepcopy(PARK)
    data["basic"]["park_name"] = name
    data["basic"].update(basic)
    return parse_application(data)


@pytest.fixture
def store() -> Store:
    s = Store(Path(os.environ["SFJD_DATA_DIR"]) / "sfjd.sqlite3")
    local_workspace(s)
    return s


def _session(page: str | None = DRAFTS) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(page).run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _click(at: AppTest, label: str) -> None:
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
    found[0].click()
    at.run()
    _ok(at)


def _list_table(at: AppTest):
    return next(d.value for d in at.dataframe if "版本数" in d.value.columns)


def _current_name(at: AppTest) -> str:
    return at.session_state[state.K_MODEL].basic.park_name


# ---------------------------------------------------------------------------------------------------------------
# the list


def test_page_lists_saved_applications_and_a_new_session_reopens_the_last(store):
    a = store.create(LOCAL.id, park("甲园区"))
    b = store.create(LOCAL.id, park("乙园区"))
    store.save(LOCAL.id, b.id, park("乙园区", planned_area=900.0), 1)  # b: 2 versions, saved last

    at = _session()
    table = _list_table(at)
    assert list(table["名称"]) == ["乙园区", "甲园区"]  # most recently saved first
    assert list(table["版本数"]) == [2, 1]
    assert list(table["类别"]) == ["示范园区", "示范园区"] and list(table["领域"]) == ["智能机器人"] * 2
    # a new browser session continues with the workspace's last application
    assert list(table["当前"]) == ["●", ""]
    assert _current_name(at) == "乙园区" and at.session_state[state.K_MODEL].basic.planned_area == 900.0
    assert at.session_state[persist.K_APP_ID] == b.id and at.session_state[persist.K_BASE] == 2
    assert any("当前打开" in s.value and "乙园区" in s.value and "第 2 版" in s.value for s in at.success)
    assert any(c.value.startswith("已自动保存：第 2 版") for c in at.sidebar.caption)
    assert a.id not in str(table.to_dict())  # no raw ids shown


def test_sidebar_shows_when_the_version_was_saved_not_when_the_page_was_opened(store):
    import sqlite3

    a = store.create(LOCAL.id, park("甲园区"))
    store.save(LOCAL.id, a.id, park("甲园区", planned_area=900.0), 1)
    with sqlite3.connect(Path(os.environ["SFJD_DATA_DIR"]) / "sfjd.sqlite3") as con:  # saved long ago
        con.execute("UPDATE versions SET created = ? WHERE app_id = ? AND version = 2",
                    ("2025-01-02T03:04:05+00:00", a.id))
    at = _session()
    saved = persist.format_time("2025-01-02T03:04:05+00:00")
    assert any(c.value == f"已自动保存：第 2 版（{saved}）" for c in at.sidebar.caption), \
        [c.value for c in at.sidebar.caption]
    # moving to another page does not turn it into the time of that visit
    at.switch_page(FORM).run()
    _ok(at)
    cap = next(c.value for c in at.sidebar.caption if c.value.startswith("已自动保存"))
    assert saved in cap


def test_empty_workspace_says_so():
    at = _session()
    assert any("还没有保存的申报" in i.value for i in at.info)
    assert any("当前没有打开的申报" in i.value for i in at.info)


def test_opening_an_application_makes_it_current(store):
    a = store.create(LOCAL.id, park("甲园区"))
    store.create(LOCAL.id, park("乙园区"))
    at = _session()
    assert _current_name(at) == "乙园区"
    at.selectbox(key="drafts_sel").set_value(a.id).run()
    _click(at, "打开")
    assert _current_name(at) == "甲园区"
    assert at.session_state[persist.K_APP_ID] == a.id and at.session_state[persist.K_BASE] == 1
    assert list(_list_table(at)["当前"]) == ["", "●"]  # 甲 is second in the list (乙 was created later)
    assert any("名称：甲园区" in m.value for m in at.sidebar.markdown)
    # the form shows the opened application
    at.switch_page(FORM).run()
    _ok(at)
    assert next(t for t in at.text_input if t.label.removesuffix(" :red[*]") == "园区名称").value == "甲园区"


def test_delete_needs_confirmation(store):
    a = store.create(LOCAL.id, park("甲园区"))
    b = store.create(LOCAL.id, park("乙园区"))
    at = _session()
    at.selectbox(key="drafts_sel").set_value(a.id).run()
    _click(at, "删除…")
    assert [r.id for r in store.list(LOCAL.id)] == [b.id, a.id]  # not deleted yet
    assert any("确定删除“甲园区”及其全部 1 个版本" in w.value for w in at.warning)
    _click(at, "取消")
    assert len(store.list(LOCAL.id)) == 2
    assert not any("确定删除" in w.value for w in at.warning)

    _click(at, "删除…")
    _click(at, "确认删除")
    assert [r.id for r in store.list(LOCAL.id)] == [b.id]
    assert any("已删除“甲园区”" in s.value for s in at.success)
    assert list(_list_table(at)["名称"]) == ["乙园区"]


def test_deleting_the_open_application_closes_it(store):
    b = store.create(LOCAL.id, park("乙园区"))
    at = _session()
    assert at.session_state[persist.K_APP_ID] == b.id
    _click(at, "删除…")
    _click(at, "确认删除")
    assert store.list(LOCAL.id) == []
    assert state.K_MODEL not in at.session_state
    assert any("当前没有打开的申报" in i.value for i in at.info)


def test_rename_and_duplicate(store):
    a = store.create(LOCAL.id, park("甲园区"))
    at = _session()
    at.text_input(key=f"drafts_rename_{a.id}").set_value("甲园区（第二稿）")
    _click(at, "保存名称")
    assert store.get(LOCAL.id, a.id).name == "甲园区（第二稿）"
    _click(at, "复制")
    names = [r.name for r in store.list(LOCAL.id)]
    assert sorted(names) == ["甲园区（第二稿）", "甲园区（第二稿）（副本）"]
    assert at.session_state[persist.K_APP_ID] == a.id  # copying does not change what is open


# ---------------------------------------------------------------------------------------------------------------
# versions


def test_version_view_shows_differences_and_restore_works(store):
    rec = store.create(LOCAL.id, park("甲园区"))
    store.save(LOCAL.id, rec.id, park("乙园区"), 1)
    store.save(LOCAL.id, rec.id, park("丙园区", planned_area=1500.0), 2)
    at = _session()
    assert _current_name(at) == "丙园区"
    versions = next(d.value for d in at.dataframe if "保存时间" in d.value.columns)
    assert list(versions["版本"]) == ["第 3 版", "第 2 版", "第 1 版"]
    assert list(versions["说明"])[-1] == "新建"
    assert list(versions["说明"])[0] == "修改 2 处：园区基本信息 › 园区名称；园区基本信息 › 规划面积"

    at.selectbox(key="drafts_ver").set_value(1).run()
    _ok(at)
    diff = next(d.value for d in at.dataframe if "该版本" in d.value.columns).set_index("项目")
    assert diff.loc["园区基本信息 › 园区名称", "该版本"] == "甲园区"
    assert diff.loc["园区基本信息 › 园区名称", "当前版本"] == "丙园区"
    assert diff.loc["园区基本信息 › 规划面积", "该版本"] == "1,200"
    assert diff.loc["园区基本信息 › 规划面积", "当前版本"] == "1,500"
    assert len(diff) == 2

    _click(at, "恢复第 1 版")
    assert store.current_version(LOCAL.id, rec.id) == 4
    assert store.open(LOCAL.id, rec.id).app == park("甲园区")
    assert [v.summary for v in store.list_versions(LOCAL.id, rec.id)][0] == "恢复为第 1 版"
    # it was the open application: the session now holds the restored content, based on version 4
    assert _current_name(at) == "甲园区" and at.session_state[persist.K_BASE] == 4
    assert any("已恢复为第 1 版" in s.value and "第 4 版" in s.value for s in at.success)


# ---------------------------------------------------------------------------------------------------------------
# autosave


def test_editing_a_field_saves_a_new_version(store):
    rec = store.create(LOCAL.id, park("甲园区"))
    at = _session(FORM)
    assert at.session_state[persist.K_APP_ID] == rec.id
    next(t for t in at.text_input if t.label.removesuffix(" :red[*]") == "园区名称").set_value("甲园区（改）")
    at.run()
    _ok(at)
    assert store.current_version(LOCAL.id, rec.id) == 2
    assert store.open(LOCAL.id, rec.id).app.basic.park_name == "甲园区（改）"
    assert store.list_versions(LOCAL.id, rec.id)[0].summary == "修改 1 处：园区基本信息 › 园区名称"
    assert at.session_state[persist.K_BASE] == 2
    # an invalid input is not saved
    next(n for n in at.number_input if n.label == "规划面积（公顷）").set_value(-1.0)
    at.run()
    assert store.current_version(LOCAL.id, rec.id) == 2

    # a refresh (new session) continues with the saved content
    again = _session(FORM)
    assert next(t for t in again.text_input if t.label.removesuffix(" :red[*]") == "园区名称").value == "甲园区（改）"


def test_versions_are_taken_on_leaving_a_page_and_with_the_button_not_per_field(store):
    rec = store.create(LOCAL.id, park("甲园区"))
    at = _session(FORM)

    def field(label):
        return next(w for w in [*at.text_input, *at.number_input] if w.label.removesuffix(" :red[*]") == label)

    for label, value in (("园区名称", "甲园区（一）"), ("规划面积（公顷）", 1300.0), ("园区名称", "甲园区（二）")):
        field(label).set_value(value)
        at.run()
        _ok(at)
    # three edits, each saved at once (a refresh keeps them) but one version in the history
    assert store.open(LOCAL.id, rec.id).app.basic.park_name == "甲园区（二）"
    assert [v.version for v in store.list_versions(LOCAL.id, rec.id)] == [4, 1]
    assert store.list_versions(LOCAL.id, rec.id)[0].summary.startswith("修改 2 处")

    # leaving the page keeps that version; the next edit starts a new one
    at.switch_page("pages/result.py").run()
    _ok(at)
    at.switch_page(FORM).run()
    field("园区名称").set_value("甲园区（三）")
    at.run()
    _ok(at)
    assert [v.version for v in store.list_versions(LOCAL.id, rec.id)] == [5, 4, 1]

    # 保存为版本 in the sidebar keeps it with a note, and says so
    next(b for b in at.sidebar.button if b.label == "保存为版本").click()
    at.run()
    _ok(at)
    top = store.list_versions(LOCAL.id, rec.id)[0]
    assert top.version == 5 and top.kept and top.summary.startswith("手动保存：")
    assert any("已保存为第 5 版" in t.value for t in at.toast)


def test_new_application_is_saved_at_once(store):
    at = _session(None)
    next(b for b in at.button if b.label == "新建申报").click()
    at.run()
    _ok(at)
    recs = store.list(LOCAL.id)
    assert len(recs) == 1 and recs[0].current_version == 1
    assert at.session_state[persist.K_APP_ID] == recs[0].id


def test_sample_is_saved_as_a_copy_only_when_edited(store):
    samples = [s for s in state.list_samples() if not s.error and s.type == "park"]
    if not samples:
        pytest.skip("no park sample in data/samples")
    mine = store.create(LOCAL.id, park("我的园区"))
    at = _session(None)
    at.selectbox(key="home_sample").set_value(samples[0].path)
    next(b for b in at.button if b.label == "载入示例").click()
    at.run()
    _ok(at)
    assert [r.id for r in store.list(LOCAL.id)] == [mine.id]  # loading alone saves nothing
    assert any("示例尚未保存" in c.value for c in at.sidebar.caption)

    next(t for t in at.text_input if t.label.removesuffix(" :red[*]") == "园区名称").set_value("示例改写园区")
    at.run()
    _ok(at)
    recs = store.list(LOCAL.id)
    assert len(recs) == 2
    copy_rec = next(r for r in recs if r.id != mine.id)
    assert copy_rec.is_sample and copy_rec.name == "示例改写园区"
    versions = store.list_versions(LOCAL.id, copy_rec.id)
    assert [v.version for v in versions] == [2, 1]
    assert versions[-1].summary == f"由示例 {samples[0].file}复制"
    assert store.get_version(LOCAL.id, copy_rec.id, 1).application().basic.park_name == samples[0].name
    # the user's own draft is untouched
    assert store.get(LOCAL.id, mine.id).current_version == 1
    assert store.open(LOCAL.id, mine.id).app.basic.park_name == "我的园区"


def _load_sample(at: AppTest, path: str) -> None:
    at.selectbox(key="home_sample").set_value(path)
    next(b for b in at.button if b.label == "载入示例").click()
    at.run()
    _ok(at)


def test_a_new_session_reopens_the_sample_until_it_is_edited_or_another_is_opened(store):
    """F5 after loading a sample shows the sample again (not an older draft, not an empty form); once edited, the
    saved copy; after 新建申报, the new application. A sample file that is gone falls back to the last draft."""
    samples = [s for s in state.list_samples() if not s.error and s.type == "park"]
    mine = store.create(LOCAL.id, park("我的园区"))
    at = _session(None)
    _load_sample(at, samples[0].path)

    again = _session(FORM)
    app = again.session_state[state.K_MODEL]
    assert app.meta.is_sample and app.basic.park_name == samples[0].name
    assert again.session_state.get(persist.K_APP_ID) is None
    assert [r.id for r in store.list(LOCAL.id)] == [mine.id]  # still nothing saved

    next(t for t in again.text_input if t.label.removesuffix(" :red[*]") == "园区名称").set_value("示例改写园区")
    again.run()
    _ok(again)
    copy_id = again.session_state[persist.K_APP_ID]
    later = _session(FORM)
    assert _current_name(later) == "示例改写园区" and later.session_state[persist.K_APP_ID] == copy_id

    later.switch_page("pages/home.py").run()
    _load_sample(later, samples[0].path)
    assert _session(FORM).session_state[state.K_MODEL].meta.is_sample  # the sample again, unedited
    later.switch_page("pages/home.py").run()
    _click(later, "新建申报")
    new_id = later.session_state[persist.K_APP_ID]
    assert _session(FORM).session_state[persist.K_APP_ID] == new_id

    persist.batch_store().set_pref(LOCAL.id, persist.PREF_SAMPLE, "no_such_sample.json")
    fallback = _session(FORM)
    assert fallback.session_state[persist.K_APP_ID] == new_id and not fallback.exception


def test_someone_elses_save_gives_a_warning_and_a_choice(store):
    rec = store.create(LOCAL.id, park("甲园区"))
    at = _session(FORM)
    # another session saves version 2 meanwhile
    store.save(LOCAL.id, rec.id, park("别人改的园区"), 1)
    next(t for t in at.text_input if t.label.removesuffix(" :red[*]") == "园区名称").set_value("我改的园区")
    at.run()
    _ok(at)
    assert store.current_version(LOCAL.id, rec.id) == 2
    assert store.open(LOCAL.id, rec.id).app.basic.park_name == "别人改的园区"  # not overwritten
    assert any("第 2 版" in w.value and "尚未保存" in w.value for w in at.sidebar.warning)
    assert _current_name(at) == "我改的园区"  # the edit is kept in this window

    _click(at, "用本窗口的内容覆盖")
    assert store.current_version(LOCAL.id, rec.id) == 3
    assert store.open(LOCAL.id, rec.id).app.basic.park_name == "我改的园区"
    assert store.get_version(LOCAL.id, rec.id, 2).application().basic.park_name == "别人改的园区"
    assert not any("尚未保存" in w.value for w in at.sidebar.warning)
    assert at.session_state[persist.K_BASE] == 3


def test_conflict_reload_takes_the_other_version(store):
    rec = store.create(LOCAL.id, park("甲园区"))
    at = _session(FORM)
    store.save(LOCAL.id, rec.id, park("别人改的园区"), 1)
    next(t for t in at.text_input if t.label.removesuffix(" :red[*]") == "园区名称").set_value("我改的园区")
    at.run()
    _click(at, "载入最新版本（放弃本窗口的修改）")
    assert _current_name(at) == "别人改的园区" and at.session_state[persist.K_BASE] == 2
    assert store.current_version(LOCAL.id, rec.id) == 2
    assert next(t for t in at.text_input if t.label.removesuffix(" :red[*]") == "园区名称").value == "别人改的园区"


# ---------------------------------------------------------------------------------------------------------------
# several users


def test_several_users_mode_asks_for_a_workspace_and_hides_other_data(store, monkeypatch):
    store.create(LOCAL.id, park("本地的园区"))
    monkeypatch.setenv("SFJD_MULTIUSER", "1")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    _ok(at)
    assert [t.value for t in at.title] == ["进入工作区"]
    assert state.K_MODEL not in at.session_state  # nothing opened before sign-in

    at.text_input(key="ws_new_name").set_value("甲单位")
    at.text_input(key="ws_new_pass").set_value("jia-danwei-2026")
    at.text_input(key="ws_new_pass2").set_value("jia-danwei-2026")
    next(b for b in at.button if b.label == "新建并进入").click()
    at.run()
    _ok(at)
    ws = at.session_state[persist.K_WS]
    assert ws.kind == "passphrase" and ws.name == "甲单位"
    at.switch_page(DRAFTS).run()
    _ok(at)
    assert any("还没有保存的申报" in i.value for i in at.info)  # the local workspace's application is not shown
    assert "本地的园区" not in " ".join(str(d.value) for d in at.dataframe)

    # a wrong passphrase in a new session opens nothing
    other = AppTest.from_file(APP, default_timeout=TIMEOUT)
    other.run()
    other.text_input(key="ws_in_name").set_value("甲单位")
    other.text_input(key="ws_in_pass").set_value("wrong-passphrase")
    next(b for b in other.button if b.label == "进入").click()
    other.run()
    _ok(other)
    assert any("工作区名称或口令不正确" in e.value for e in other.error)
    assert persist.K_WS not in other.session_state


# ---------------------------------------------------------------------------------------------------------------
# reading uploaded files (pages.shared.uploads.read_upload; the readers are scoring.io_*)


def test_read_upload_rejects_a_broken_file_and_reads_an_export():
    bad = uploads.read_upload("坏.json", b'{"type": "park", "domain": ')
    assert bad.app is None and bad.errors and all(isinstance(e, str) for e in bad.errors)
    assert "JSON" in " ".join(bad.errors)
    wrong = uploads.read_upload("说明.txt", b"hello")
    assert wrong.app is None and wrong.errors
    try:
        from scoring.formats.json_io import export_json
    except ImportError:
        pytest.skip("scoring.formats.json_io not available")
    app = parse_application(copy.deepcopy(PARK))
    ok = uploads.read_upload("甲.json", export_json(app).encode("utf-8"))
    assert ok.errors == [] and dump_application(ok.app) == dump_application(app)


def test_downloads_of_the_current_application_are_offered(store, monkeypatch):
    store.create(LOCAL.id, park("甲园区"))
    at = _session()
    labels = [b.label for b in at.get("download_button")]
    available = {"JSON 数据文件": "scoring.formats.json_io", "Excel 工作簿": "scoring.formats.excel", "Word 申请书": "scoring.formats.word"}
    for label, module in available.items():
        try:
            __import__(module)
        except ImportError:
            continue
        ext = {"JSON 数据文件": "json", "Excel 工作簿": "xlsx", "Word 申请书": "docx"}[label]
        assert f"下载 {label}（.{ext}）" in labels
    assert any(b.label == "生成自评报告（Word）" for b in at.button)
    # a writer that is not available: said so in Chinese, no button
    monkeypatch.setitem(sys.modules, "scoring.formats.word", None)
    at.run()
    _ok(at)
    assert "下载 Word 申请书（.docx）" not in [b.label for b in at.get("download_button")]
    assert any(c.value == "Word 申请书下载暂不可用。" for c in at.caption)
