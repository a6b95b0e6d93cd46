"""Applicant text is never markup: an application whose names are Markdown (bold, an image that the browser would
fetch, a link) is opened from the store as a user would, and every page that shows it is searched for that markup.

Element values are what Streamlit hands to its Markdown renderer: they must hold the escaped form (``\\*\\*粗体\\*\\*``),
never the raw ``**粗体**``, ``![x](`` or ``[链接](``. The one exception is an HTML block (the highlight view of
创建工作方案), where CommonMark shows text literally up to the first blank line: there the text must be HTML-escaped
and the block must have no blank line.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pages` is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import formtabs  # noqa: E402

from scoring.application.models import parse_application  # noqa: E402
from scoring.store.drafts import Store  # noqa: E402
from scoring.store.workspace import local_workspace  # noqa: E402

APP = str(ROOT / "app.py")
SAMPLE = json.loads((ROOT / "data" / "samples" / "park_ai.json").read_text(encoding="utf-8"))

BOLD = "**粗体**"
IMAGE = "![x](http://127.0.0.1:9/x.png)"
LINK = "[链接](http://127.0.0.1:9)"
RAW = (BOLD, "![x](", "[链接](", "](http")
ESCAPED_BOLD = "\\*\\*粗体\\*\\*"
ESCAPED_IMAGE = "\\!\\[x\\]\\("
ESCAPED_LINK = "\\[链接\\]\\("

PAGES = {"首页": None, "填报": "pages/form.py", "自评结果": "pages/result.py", "创建工作方案": "pages/workplan.py",
         "我的申报": "pages/drafts.py"}

TEXT_ELEMENTS = ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success",
                 "exception")
LABELLED = ("expander", "tabs", "button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input",
            "text_area", "number_input", "date_input", "metric", "select_slider", "slider")


def _hostile() -> dict:
    data = copy.deepcopy(SAMPLE)
    data["meta"] = {}
    data["basic"]["park_name"] = BOLD
    data["applicant_name"] = IMAGE
    data["basic"]["management_body"] = IMAGE  # quoted by the 园区管理机构 rule on 自评结果
    data["status"]["catalog_name"] = LINK  # quoted by the 目录 rule on 自评结果
    data["work_plan"]["basis"] = f"园区建成公共服务平台{LINK}，服务企业三百家。\n" + data["work_plan"]["basis"]
    return data


def _rendered(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) of everything on the page that Streamlit renders as Markdown, sidebar included."""
    out: list[tuple[str, str]] = []
    for kind in TEXT_ELEMENTS:
        for e in getattr(at, kind):
            out.append((kind, str(e.value)))
    for kind in LABELLED:
        for w in getattr(at, kind):
            for attr in ("label", "help"):
                v = getattr(w, attr, None)
                if isinstance(v, str) and v:
                    out.append((f"{kind}.{attr}", v))
            if kind == "radio":  # radio options are Markdown too
                out.extend((f"{kind}.option", str(o)) for o in w.options)
    return out


def _html_block(text: str) -> bool:
    return text.lstrip().startswith("<")


def test_applicant_markup_is_shown_as_typed_on_every_page():
    store = Store(Path(os.environ["SFJD_DATA_DIR"]) / "sfjd.sqlite3")  # the store the app opens (tests/conftest.py)
    store.create(local_workspace(store).id, parse_application(_hostile()))

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()  # a new session reopens the workspace's last application: this one
    seen_image = seen_link = seen_sentence = False
    for title, page in PAGES.items():
        if page:
            at.switch_page(page).run()
        assert not at.exception, (title, [e.value for e in at.exception])
        if page == "pages/workplan.py":  # 逐项核对 (radio options quote sentences) and the highlight view
            formtabs.open_expanders(at, "wp_claims.basis", "wp_marks.basis")
        rendered = _rendered(at)
        for where, text in rendered:
            if _html_block(text):
                assert "\n\n" not in text, (title, where, text[:300])  # a blank line would end the HTML block
                assert "<img" not in text and "<a " not in text, (title, where, text[:300])
            else:
                assert not any(r in text for r in RAW), (title, where, text[:300])
        sidebar = " ".join(str(m.value) for m in at.sidebar.markdown)
        assert ESCAPED_BOLD in sidebar, (title, sidebar[:300])
        seen_image |= any(ESCAPED_IMAGE in t for _, t in rendered)
        seen_link |= any(ESCAPED_LINK in t for _, t in rendered)
        seen_sentence |= any("园区建成公共服务平台" in t for _, t in rendered)
        if title == "自评结果":
            assert any(ESCAPED_IMAGE in t for _, t in rendered), "the 园区管理机构 rule quotes the body"
            assert any(ESCAPED_LINK in t for _, t in rendered), "the 目录 rule quotes the catalog name"
        if title == "我的申报":
            assert any(ESCAPED_BOLD in t for k, t in rendered if k != "markdown"), "the record's name, escaped"
    assert seen_image and seen_link and seen_sentence
