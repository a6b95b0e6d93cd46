"""An applicant typing from scratch, in Chromium (the server and browser fixtures of test_e2e_browser).

- a year table typed at human speed with Tab between cells (30.2 Tab 29.5 Tab 28.8) and saved with 保存本表: each
  value lands in its own cell and is saved (read back from the store after F5);
- “约5亿元” typed into a number cell is refused with a Chinese message and the text stays in the cell;
- 申报单位名称 cleared: the required-field error on 填报, and 自评结果 does not say all is fine;
- no “None” in any empty editable cell; screenshots of 填报 and 自评结果 at both sizes.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_e2e_browser import (SHOTS, SIDEBAR, SIZES, browser, expect_text, main_text, nav,  # noqa: E402,F401
                              server, settle)

import pytest  # noqa: E402

pytestmark = pytest.mark.e2e


def _shoot(page, name: str) -> None:
    page.mouse.move(1, 1)
    for w, h in SIZES:
        page.set_viewport_size({"width": w, "height": h})
        page.wait_for_timeout(150)
        page.screenshot(path=str(SHOTS / f"applicant_{name}_{w}x{h}.png"))
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})


def _saved_app() -> dict:
    """The current version of the most recently saved application in the server's store."""
    import json
    import os

    from scoring.store.drafts import Store

    store = Store(Path(os.environ["SFJD_DATA_DIR"]) / "sfjd.sqlite3")
    rec = store.last_application("local")
    assert rec is not None
    return json.loads(store.get_version("local", rec.id, rec.current_version).text)


def _cell(page, row: str, year: str):
    return page.get_by_role("textbox", name=f"{row} · {year}")


def _save_table(page, cell) -> None:
    cell.locator("xpath=ancestor::*[@data-testid='stForm'][1]").get_by_role("button", name="保存本表").click()
    settle(page)


def test_applicant_types_a_year_table_with_tab(server, browser):
    from playwright.sync_api import expect

    t0 = time.time()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page.goto(server + "/")
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    page.get_by_role("button", name="载入示例").click()
    settle(page)
    assert page.url.endswith("/form")

    page.get_by_role("tab", name="主要发展指标").click()
    page.wait_for_timeout(500)
    # empty editable cells hold nothing, never "None"
    boxes = page.locator('[data-testid="stForm"] input[type="text"]').filter(visible=True)
    assert boxes.count() >= 9
    assert "None" not in [boxes.nth(i).input_value() for i in range(boxes.count())]

    # 近三年主要发展指标, row 总营业收入: click its 2023年 cell and type the three years with Tab at human speed
    row = "总营业收入（亿元）"
    first = _cell(page, row, "2023年")
    first.scroll_into_view_if_needed()
    first.click()
    page.keyboard.press("Control+A")
    for i, value in enumerate(("30.2", "29.5", "28.8")):
        if i:
            page.keyboard.press("Tab")  # Tab selects the next cell's text: typing replaces it
        page.keyboard.type(value, delay=150)
    page.keyboard.press("Tab")
    # the next Tab lands on the next row's first year, as people expect
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "规模以上企业数量（个） · 2023年", focused
    _save_table(page, first)
    page.screenshot(path=str(SHOTS / "applicant_after_save.png"), full_page=False)
    main = _saved_app()["main"]["total_revenue"]
    assert (main["y2023"], main["y2024"], main["y2025"]) == (30.2, 29.5, 28.8), main
    # still on the same tab after saving, the cells show what was saved
    assert page.get_by_role("tab", name="主要发展指标").get_attribute("aria-selected") == "true"
    assert [_cell(page, row, y).input_value() for y in ("2023年", "2024年", "2025年")] == ["30.2", "29.5", "28.8"]

    # typed fast (no delay between keys): still each value in its own cell
    row2 = "年末从业人员数量（人）"
    _cell(page, row2, "2023年").click()
    page.keyboard.press("Control+A")
    for i, value in enumerate(("1200", "1300", "1400")):
        if i:
            page.keyboard.press("Tab")
        page.keyboard.type(value, delay=0)
    _save_table(page, first)
    staff = _saved_app()["main"]["employees"]
    assert (staff["y2023"], staff["y2024"], staff["y2025"]) == (1200, 1300, 1400), staff

    page.reload()
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    page.get_by_role("tab", name="主要发展指标").click()
    page.wait_for_timeout(500)
    expect(_cell(page, row, "2024年")).to_have_value("29.5", timeout=10_000)  # after F5, from the store
    _shoot(page, "form")

    # text in a number cell: refused, kept in its cell
    cell = _cell(page, row, "2024年")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("约5亿元", delay=60)
    _save_table(page, cell)
    page.screenshot(path=str(SHOTS / "applicant_after_save.png"), full_page=False)
    expect_text(page.locator('[data-testid="stMain"]'), "“约5亿元”不是数字")
    assert _saved_app()["main"]["total_revenue"]["y2024"] == 29.5  # not silently 5
    expect(_cell(page, row, "2024年")).to_have_value("约5亿元", timeout=10_000)

    # 申报单位名称 cleared
    page.get_by_role("tab", name="基本信息").click()
    settle(page)
    page.screenshot(path=str(SHOTS / "applicant_basic_tab.png"), full_page=True)
    box = page.get_by_role("textbox", name=re.compile(r"^申报单位(名称)?( :red\[\*\])?$"))
    box.fill("")
    box.press("Enter")
    settle(page)
    expect_text(page.locator('[data-testid="stMain"]'), re.compile("“申报单位(名称)?”为必填项"))
    nav(page, "自评结果")
    text = main_text(page)
    assert "必填内容未填" in text and "申报单位" in text
    assert "各项资格条件均满足" not in text
    _shoot(page, "result")
    assert time.time() - t0 < 90
