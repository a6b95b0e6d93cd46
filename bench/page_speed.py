"""Time the applicant's interactions on every page in the real browser (Chromium via Playwright, like tests/e2e).

``python bench/page_speed.py`` starts ``streamlit run app.py`` on a free port with an empty data folder, loads a
sample, visits every page once to warm up (the first visit loads the sentence encoder and scores: printed, but a
one-time cost of the server, not an interaction), then times from the click or keystroke until the app is idle again:
going to each page, a tab of 填报, a field typed and committed, 保存本表, a section of 创建工作方案 edited, 保存为版本,
F5 on every page, and the 遴选排序 page's first view. Each round is done ``--repeat`` times (default 3); prints one
line per interaction, its median and its slowest time in seconds, and exits 1 when a median is 1 s or more
(bench/browser_timing.py says why the median). 遴选排序's own interactions: bench/page_speed_ranking.py.
"""

from __future__ import annotations

import re
import time

from browser_timing import Session, repeat_arg

PAGES = ("填报", "创建工作方案", "自评结果", "对标分析", "我的申报", "首页", "遴选排序")


def main(argv: list[str] | None = None) -> int:
    repeat = repeat_arg(argv, __doc__ or "")
    with Session() as sess:
        page, e2e, timed = sess.page, sess.e2e, sess.timed
        page.goto(sess.url + "/")
        sess.settle()
        t = time.time()
        page.get_by_role("button", name="载入示例").click()
        sess.settle(300_000)
        for title in PAGES:  # warm-up: the encoder, the first scoring and each page's caches
            e2e.nav(page, title)
        print(f"{'首次载入示例并打开每一页（预热，不计）':<34}{time.time() - t:6.2f} s")

        for i in range(repeat):
            e2e.nav(page, "首页")
            timed("载入示例（首页 → 填报）", page.get_by_role("button", name="载入示例").click)
            timed("填报：切换到“主要发展指标”", lambda: page.get_by_role("tab", name="主要发展指标").click())
            # typing is the user's time: only the keystroke or click that commits is timed
            cell = page.get_by_role("textbox", name="总营业收入（亿元） · 2024年")
            cell.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(f"36.{i + 1}")
            save = cell.locator("xpath=ancestor::*[@data-testid='stForm'][1]").get_by_role("button", name="保存本表")
            timed("填报：改一格后点“保存本表”", save.click)
            timed("填报：切换到“基本信息”", lambda: page.get_by_role("tab", name="基本信息").click())
            name = page.get_by_role("textbox", name=re.compile("^园区名称"))
            name.fill(f"榕城高新区（计时{i + 1}）")
            timed("填报：改园区名称后按 Tab（自动保存）", lambda: name.press("Tab"))
            timed("保存为版本", lambda: page.get_by_role("button", name="保存为版本").click())
            for title in PAGES[1:]:
                timed(f"前往“{title}”", lambda title=title: e2e.nav(page, title))
            e2e.nav(page, "创建工作方案")
            area = page.locator('[data-testid="stTextArea"] textarea').first
            area.click()
            page.keyboard.press("End")
            page.keyboard.type(f"建设公共技术服务平台{i + 1}。")
            timed("创建工作方案：改一段后按 Tab（重新评分）", lambda: area.press("Tab"))
            for title in PAGES:
                e2e.nav(page, title)
                timed(f"F5 刷新“{title}”", page.reload)
    return sess.report()


if __name__ == "__main__":
    raise SystemExit(main())
