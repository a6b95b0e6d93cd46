"""示范基地自评台: Streamlit entry point (``streamlit run app.py``).

Pages are listed in PAGES; adding a page is one line. The page scripts live in ``pages/`` and share
``pages/shared/`` (current application in session state, saving, samples, formatting).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `from pages.shared.common import ...` and `import scoring` from any working directory
    sys.path.insert(0, str(ROOT))

from pages.shared.common import PAGE_ICON, PAGE_TITLE  # noqa: E402

st.set_page_config(page_title=PAGE_TITLE, page_icon=PAGE_ICON, layout="wide")

from pages.shared import role  # noqa: E402

PAGES = [
    st.Page("pages/home.py", title="首页", icon=":material/home:", default=True),
    st.Page("pages/form.py", title="填报", icon=":material/edit_note:"),
    st.Page("pages/workplan.py", title="创建工作方案", icon=":material/article:"),
    st.Page("pages/result.py", title="自评结果", icon=":material/fact_check:"),
    st.Page("pages/benchmark.py", title="对标分析", icon=":material/leaderboard:"),
    st.Page("pages/drafts.py", title="我的申报", icon=":material/folder_open:"),
    st.Page("pages/ranking.py", title="遴选排序", icon=":material/format_list_numbered:"),
]

role.load()  # the remembered role (workspace store) decides the order of the navigation from the first run on
if role.is_official():  # 设区市工信局: its own work first, the applicant's pages below for looking at an application
    page = st.navigation({"遴选工作": [PAGES[0], PAGES[-1]], "查看申报": PAGES[1:-1]})
else:
    page = st.navigation(PAGES)
page.run()  # each page renders the sidebar (current application) via pages.shared.common.page_setup/render_sidebar
