"""Time every interaction of 遴选排序 in the real browser (Chromium via Playwright, like tests/e2e).

``python bench/page_speed_ranking.py`` starts ``streamlit run app.py`` on a free port with an empty data folder,
loads the demo batch once (scoring, not timed as an interaction), then times from the click or keystroke until the
app is idle again: switching views, changing the batch's city, ticking a row of the 推荐名单 editor, writing a reason,
going to 首页 and back and F5. Prints one line per interaction in seconds.

The page tells its state in ``data-test-script-state``; a script in the page logs the moment of every change. An
interaction is timed up to the end of the last run it caused. An action that causes no run (the browser answers by
itself) is timed up to the end of the action: no wait is added to it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))


WATCH = """
window.__runs = [];
new MutationObserver(ms => {
  for (const m of ms) {
    const state = m.target.getAttribute && m.target.getAttribute('data-test-script-state');
    if (state && m.target.getAttribute('data-testid') === 'stApp') window.__runs.push([state, Date.now()]);
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
"""


def switch(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Show one view of the page: the view switch (a radio), or a tab in versions of the page that had tabs."""
    radio = page.locator('[data-testid="stRadio"]').filter(has_text="排序稳健性")
    if radio.count():
        radio.first.get_by_text(title, exact=True).click()
    else:
        page.get_by_role("tab", name=title).first.click()


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

            page.add_init_script(WATCH)

            def timed(name: str, action) -> None:  # type: ignore[no-untyped-def]
                page.evaluate("window.__runs = []")
                t = time.time() * 1000
                action()
                done = time.time() * 1000
                try:  # a run starts within a second of the action, or the action caused none
                    page.wait_for_function("(window.__runs || []).some(r => r[0] === 'running')", timeout=1000)
                except Exception:
                    pass
                e2e.settle(page)
                runs = page.evaluate("window.__runs || []")
                ends = [ms for state, ms in runs if state == "notRunning"]
                if any(state == "running" for state, _ in runs) and ends:
                    done = max(ends)
                times.append((name, (done - t) / 1000))

            page.goto(url + "/")
            e2e.settle(page)
            e2e.nav(page, "遴选排序")
            page.get_by_role("button", name="加载演示批次").click()
            e2e.settle(page, 300_000)
            for view in ("本市排序", "排序稳健性", "下载", "推荐名单"):
                timed(f"切换到“{view}”", lambda view=view: switch(page, view))

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

            page.mouse.dblclick(box["x"] + 60 + 220 + 110 + 120, box["y"] + 35 + 17)
            page.wait_for_timeout(400)  # the cell editor opens
            page.keyboard.type("测试理由")
            timed("写入调整理由（提交后）", lambda: page.keyboard.press("Enter"))
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
