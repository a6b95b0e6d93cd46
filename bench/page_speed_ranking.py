"""Time every interaction of 遴选排序 in the real browser (Chromium via Playwright, like tests/e2e).

``python bench/page_speed_ranking.py`` starts ``streamlit run app.py`` on a free port with an empty data folder,
loads the demo batch once (scoring, not timed as an interaction), then times from the click or keystroke until the
app is idle again: switching views, changing the batch's city, ticking a row of the 推荐名单 editor, writing a reason,
going to 首页 and back and F5, ``--repeat`` times (default 3). Prints one line per interaction: its median and its
slowest time in seconds; exits 1 when a median is 1 s or more.

The page tells its state in ``data-test-script-state``; a script in the page logs the moment of every change. An
interaction is timed up to the end of the last run it caused. An action that causes no run (the browser answers by
itself) is timed up to the end of the action: no wait is added to it.
"""

from __future__ import annotations

from browser_timing import Session, repeat_arg


def switch(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Show one view of the page: the view switch (a radio), or a tab in versions of the page that had tabs."""
    radio = page.locator('[data-testid="stRadio"]').filter(has_text="排序稳健性")
    if radio.count():
        radio.first.get_by_text(title, exact=True).click()
    else:
        page.get_by_role("tab", name=title).first.click()


def main(argv: list[str] | None = None) -> int:
    repeat = repeat_arg(argv, __doc__ or "")
    with Session() as sess:
        page, e2e, timed = sess.page, sess.e2e, sess.timed
        page.goto(sess.url + "/")
        sess.settle()
        e2e.nav(page, "遴选排序")
        page.get_by_role("button", name="加载演示批次").click()
        sess.settle(300_000)
        def city(name: str):  # type: ignore[no-untyped-def]
            def go() -> None:
                box = page.get_by_role("combobox", name="本批次所属设区市")
                box.click()
                box.fill(name)
                page.get_by_role("option", name=name, exact=True).click()
            return go

        for i in range(repeat):
            for view in ("本市排序", "排序稳健性", "下载", "推荐名单"):
                timed(f"切换到“{view}”", lambda view=view: switch(page, view))
            timed("所属设区市改为泉州", city("泉州"))
            timed("所属设区市改回福州", city("福州"))
            grid = page.locator('[data-testid="stDataFrame"] >> visible=true').first
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            timed("勾选/取消“列入推荐名单”", lambda: grid.click(position={"x": 60 + 220 + 65, "y": 35 + 17}))

            page.mouse.dblclick(box["x"] + 60 + 220 + 130 + 120, box["y"] + 35 + 17)
            page.wait_for_timeout(400)  # the cell editor opens
            page.keyboard.press("Control+A")
            page.keyboard.type(f"测试理由{i + 1}")
            timed("写入调整理由（提交后）", lambda: page.keyboard.press("Enter"))
            timed("前往首页", lambda: e2e.nav(page, "首页"))
            timed("回到遴选排序", lambda: e2e.nav(page, "遴选排序"))
            timed("F5 刷新（重新打开保存的批次）", page.reload)
    return sess.report()


if __name__ == "__main__":
    raise SystemExit(main())
