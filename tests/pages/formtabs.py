"""Page tests under AppTest: a new session with an application (``start``), and tabs: 填报 and 创建工作方案 draw only their open tab (pages.shared.tabs), so a test opens the tab a
field is on, as a user clicks it (the tabs' state is ``st.session_state["form_tab"]`` / ``["wp_tab"]``)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable, Optional

APP = str(Path(__file__).resolve().parents[2] / "app.py")

FORM_TAB = "form_tab"
REQUIRED = " :red[*]"


WORKPLAN_TAB = "wp_tab"


def open_tab(at: Any, title: str, key: str = FORM_TAB) -> None:
    """Open a tab as a click does (the tabs' state; 填报's by default, 创建工作方案's with ``WORKPLAN_TAB``)."""
    at.session_state[key] = title
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def open_expanders(at: Any, *keys: str) -> None:
    """Open expanders that draw their content only while open (pages.shared.tabs.lazy_expander), as clicks do."""
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def find(at: Any, kind: str, match: Callable[[Any], bool], what: str) -> Any:
    """The first ``at.<kind>`` widget for which ``match`` holds: on the open tab, else on the first tab that has it
    (which is then open)."""
    found = [w for w in getattr(at, kind) if match(w)]
    if found:
        return found[0]
    for title in [t.label for t in at.tabs]:
        open_tab(at, title)
        found = [w for w in getattr(at, kind) if match(w)]
        if found:
            return found[0]
    raise AssertionError(f"no {kind} {what} on any tab: {[t.label for t in at.tabs]}; {[w.label for w in getattr(at, kind)]}")


def by_label(at: Any, kind: str, label: str) -> Any:
    return find(at, kind, lambda w: str(w.label).removesuffix(REQUIRED) == label, f"labelled {label!r}")


def start(data: Optional[dict] = None, page: Optional[str] = None, timeout: float = 120) -> Any:
    """A new session of the app (AppTest); optionally with an application in session state, as the pages keep it,
    and on ``page``."""
    from streamlit.testing.v1 import AppTest

    import pages.shared.state as state
    from scoring.application.models import dump_application, parse_application

    at = AppTest.from_file(APP, default_timeout=timeout)
    if data is not None:
        app = parse_application(copy.deepcopy(data))
        at.session_state[state.K_MODEL] = app
        at.session_state[state.K_JSON] = dump_application(app)
        at.session_state[state.K_GEN] = 1
        at.session_state[state.K_REJECTED] = {}
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def copy_pack(tmp_path: Path, monkeypatch: Any, source: str, new_id: str) -> tuple[Path, dict]:
    """A copy of the pack ``source`` as another, newer call ``new_id`` (示例省, notice 2027-03-01, deadline
    2027-06-30) under ``tmp_path/packs``, found through ``SFJD_PACKS_DIR``. Returns its folder and its pack.yaml as a
    dict, already written; a test edits and writes more with ``write_yaml``."""
    import shutil

    import yaml

    from scoring.programme.packs import get_pack

    dst = tmp_path / "packs" / new_id
    shutil.copytree(get_pack(source).directory, dst)
    info = yaml.safe_load((dst / "pack.yaml").read_text(encoding="utf-8"))
    info.update(id=new_id, name="示例省2027年国家新兴产业发展示范基地（第一批）", province="示例省", year=2027)
    info["notice_date"].update(date="2027-03-01", text="2027年3月1日")
    info["deadline"].update(date="2027-06-30", text="2027年6月30日")
    write_yaml(dst / "pack.yaml", info)
    monkeypatch.setenv("SFJD_PACKS_DIR", str(tmp_path / "packs"))
    return dst, info


def write_yaml(path: Path, data: dict) -> None:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
