"""Time every interaction of 遴选排序 in the real browser (Chromium via Playwright, like tests/e2e).

``python bench/page_speed_ranking.py`` starts ``streamlit run app.py`` on a free port with an empty data folder,
loads the demo batch once (scoring, not timed as an interaction), then times from the click or keystroke until the
app is idle again: switching tabs, changing the batch's city, ticking a row of the 推荐名单 editor, writing a reason,
going to 首页 and back, F5, and reopening a saved batch. Prints one line per interaction in seconds.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))


def main() -> int:
    os.environ["SFJD_DATA_DIR"] = tempfile.mkdtemp(prefix="sfjd_bench_")
    import test_e2e_browser as e2e
    from playwright.sync_api import sync_playwright

    import inspect

    gen = inspect.unwrap(e2e.server)(Path(tempfile.mkdtemp()))  # the e2e tests' server fixture, as a generator
    url = next(gen)
    times: list[tuple[str, float]] = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=e2e.CHROMIUM, headless=True, args=e2e.CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")

            def timed(name: str, action) -> None:  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                action()
                e2e.settle(page)
                times.append((name, time.perf_counter() - t - 0.25))  # settle looks twice, 250 ms apart

            page.goto(url + "/")
            e2e.settle(page)
            e2e.nav(page, "遴选排序")
            page.get_by_role("button", name="加载演示批次").click()
            e2e.settle(page, 300_000)
            for tab in ("本市排序", "排序稳健性", "下载", "推荐名单"):
                timed(f"切换到“{tab}”", lambda tab=tab: page.get_by_role("tab", name=tab).first.click())

            def city(name: str):  # type: ignore[no-untyped-def]
                def go() -> None:
                    box = page.get_by_role("combobox", name="本批次所属设区市")
                    box.click()
                    box.fill(name)
                    page.get_by_role("option", name=name, exact=True).click()
                return go

            timed("所属设区市改为泉州", city("泉州"))
            timed("所属设区市改回福州", city("福州"))
            grid = page.locator('[data-testid="stDataFrame"] >> visible=true').first
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            timed("勾选/取消“列入推荐名单”", lambda: grid.click(position={"x": 60 + 220 + 55, "y": 35 + 17}))

            def reason() -> None:
                page.mouse.dblclick(box["x"] + 60 + 220 + 110 + 120, box["y"] + 35 + 17)
                page.wait_for_timeout(400)
                page.keyboard.type("测试理由")
                page.keyboard.press("Enter")
            t = time.perf_counter()
            reason()
            e2e.settle(page)
            times.append(("写入调整理由（提交后）", time.perf_counter() - t - 0.25 - 0.4))
            timed("前往首页", lambda: e2e.nav(page, "首页"))
            timed("回到遴选排序", lambda: e2e.nav(page, "遴选排序"))
            timed("F5 刷新（重新打开保存的批次）", page.reload)
            b.close()
    finally:
        try:
            next(gen)
        except StopIteration:
            pass
    for name, sec in times:
        print(f"{name:<28}{sec:6.2f} s")
    return 0 if all(sec < 1.0 for _, sec in times) else 1


if __name__ == "__main__":
    raise SystemExit(main())
