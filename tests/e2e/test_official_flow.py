"""The city official in a real browser (Chromium, Playwright): role, saved batches, 非本市, a decision with its
reason, navigation and F5.

As 设区市工信局 (chosen on 首页, which lands on 遴选排序): load the demo batch, then upload a mixed-city batch made
here from data/samples/batch_fuzhou (two 福州 files, one relabelled 厦门 and one 三明) and set its city to 福州. The
two other cities' candidates are marked 非本市, are not in Annex 1 and keep their own city in the score workbook
(read back with openpyxl). The 福州 park is excluded with a written reason; after another page and back, and after
F5, the batch, the decision and its reason, the city and the role are all still there (read from the page and from
the workbook downloaded again). Screenshots of 遴选排序 and 首页 (official) at 1280×720 and 1920×1080 go to
tests/e2e/screenshots/official_*.png.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_e2e_browser import (ROOT, SHOTS, SIDEBAR, SIZES, browser, check_page, expect_text, main_text,  # noqa: E402,F401
                              nav, server, settle)

pytestmark = pytest.mark.e2e

DEMO = ROOT / "data" / "samples" / "batch_fuzhou"
REASON = "现场核查发现四至范围有变，暂不推荐"
AWAY = {"enterprise_icv.json": "xiamen", "enterprise_robot.json": "sanming"}


def _mixed_files() -> list[dict]:
    out = []
    for name in ("park_ai.json", "enterprise_software.json", *AWAY):
        d = json.loads((DEMO / name).read_text(encoding="utf-8"))
        if name in AWAY:
            d["city"] = AWAY[name]
        out.append({"name": f"混合_{name}", "mimeType": "application/json",
                    "buffer": json.dumps(d, ensure_ascii=False).encode("utf-8")})
    return out


def _download(page, label: str) -> openpyxl.Workbook:
    with page.expect_download() as dl:
        page.get_by_role("button", name=label).first.click()
    return openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))


def _tab(page, title: str) -> None:
    """Show one view of 遴选排序 with its view switch (only the chosen view is drawn)."""
    page.locator('[data-testid="stRadio"]').filter(has_text="排序稳健性").first.get_by_text(title, exact=True).click()
    settle(page)


def _summary(wb: openpyxl.Workbook) -> dict[str, dict]:
    ws = wb["汇总"]
    head = [c.value for c in ws[5]]
    return {r[2]: dict(zip(head, r)) for r in ws.iter_rows(min_row=6, values_only=True)}  # by 申报单位


def _check_saved_state(page) -> None:
    """The batch, its city, the decision with its reason: from the page and from the workbook downloaded now."""
    expect_text(page.locator(SIDEBAR), "身份：设区市工信局")
    expect_text(page.locator(SIDEBAR), "当前批次")
    expect_text(page.locator(SIDEBAR), "上传的 4 个文件")
    text = main_text(page)
    assert "非本市" in text and "厦门" in text and "三明" in text
    _tab(page, "下载")
    wb = _download(page, "下载评分工作簿")
    assert wb["汇总"]["A1"].value == "遴选排序汇总：福州"  # the batch's city
    rows = _summary(wb)
    decided = [r for r in rows.values() if r["推荐状态"] in ("人工排除", "人工纳入")]
    assert len(decided) == 1 and decided[0]["推荐状态"] == "人工排除" and decided[0]["理由"] == REASON
    assert decided[0]["名称"].startswith("榕城高新")
    _tab(page, "推荐名单")


def test_official_keeps_batches_decisions_city_and_role(server, browser):
    t0 = time.time()
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots: list[str] = []
    page = browser.new_page(viewport={"width": SIZES[0][0], "height": SIZES[0][1]}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    settle(page)

    # the role lands on 遴选排序; load the demo batch, then the mixed-city batch
    page.locator('[data-testid="stRadio"]').filter(has_text="使用身份").get_by_text("设区市工信局").click()
    settle(page)
    assert page.url.rstrip("/").endswith("/ranking"), page.url
    page.get_by_role("button", name="加载演示批次").click()
    settle(page, 180_000)
    expect_text(page.locator(SIDEBAR), "演示批次")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(_mixed_files())
    settle(page)
    assert "已选择 4 个文件" in main_text(page)
    page.get_by_role("button", name="评分并排序").click()
    settle(page, 120_000)
    box = page.get_by_role("combobox", name="本批次所属设区市")
    box.click()
    box.fill("福州")
    page.get_by_role("option", name="福州", exact=True).click()
    settle(page)

    # 非本市: marked, out of Annex 1, their city unchanged in the workbook
    text = main_text(page)
    assert "已标为“非本市”" in text
    _tab(page, "下载")
    rows = _summary(_download(page, "下载评分工作簿"))
    away = {r["名称"]: (r["所在设区市"], r["是否本市"], r["推荐状态"]) for r in rows.values() if r["是否本市"] == "非本市"}
    assert sorted(v[0] for v in away.values()) == ["三明", "厦门"] and all(v[2] == "未建议" for v in away.values())
    annex = _download(page, "下载附件1").active
    names = {c.value for r in annex.iter_rows(min_row=5) for c in r}
    assert names and not names & set(away)
    _tab(page, "推荐名单")

    # exclude the 福州 park (first row) with a reason, typed into the grid as a user does
    grid = page.locator('[data-testid="stDataFrame"] >> visible=true').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row_y = box["y"] + 35 + 17                      # header row, then the first row's middle
    grid.click(position={"x": 60 + 220 + 65, "y": 35 + 17})       # 列入推荐名单 (checkbox toggles on click)
    settle(page)
    page.mouse.dblclick(box["x"] + 60 + 220 + 130 + 120, row_y)     # 调整理由
    page.wait_for_timeout(400)                                       # the cell editor opens
    page.keyboard.type(REASON, delay=20)
    page.keyboard.press("Enter")
    settle(page)
    expect_text(page.locator('[data-testid="stMain"]'), f"理由：{REASON}")

    # another page and back, then F5
    nav(page, "首页")
    text = check_page(page, "official_home", shots)
    assert "已保存的批次（2 个）" in text and "演示批次" in text
    nav(page, "遴选排序")
    _check_saved_state(page)
    page.reload()
    settle(page, 120_000)
    _check_saved_state(page)
    check_page(page, "official_ranking", shots)
    assert not errors, errors
    print(f"official flow: {time.time() - t0:.1f} s")
