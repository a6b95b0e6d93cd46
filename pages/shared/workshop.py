"""演示模式 (workshop mode): a trainer walks an audience through a sample application on a projector.

Started from the home page (:func:`start`): the chosen domain's sample becomes the current application and the pages
show a step bar (填报 → 创建工作方案 → 自评结果 → 对标分析 → 遴选排序; steps whose page is not in the app are
skipped) with 上一步/下一步, large type, and in the sidebar a selector to switch domain or applicant live.

The user's own work is never touched: on start, the session keys of the current application and of its saving
(:mod:`pages.shared.persist`) are put aside under ``workshop_stash`` and restored by :func:`stop`; while the demo runs,
:func:`pages.shared.state.update_field` does not autosave (:func:`active`), and any other application being opened or
created (:func:`pages.shared.state.set_app`) ends the demo first.

State (``st.session_state``):

- ``workshop``: ``{"type": ..., "domain": ..., "step": page path}`` while the demo runs (absent otherwise);
- ``workshop_stash``: the user's session keys as they were when the demo started.

The state and saving modules are imported here; :mod:`pages.shared.common` wires this module's :func:`release`
and :func:`stop` into :data:`pages.shared.state.HOOKS`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import streamlit as st

from scoring.application.ids import ApplicantType, Domain

from pages.shared import display, persist
from pages.shared import state as app_state  # this module has its own state(): the demo's

K_WORKSHOP = "workshop"
K_STASH = "workshop_stash"
K_ERROR = "_workshop_error"
_MISSING = object()

PAGES_DIR = Path(__file__).resolve().parents[1]
HOME = "pages/home.py"

STEPS: tuple[tuple[str, str], ...] = (
    ("pages/form.py", "填报"),
    ("pages/workplan.py", "创建工作方案"),
    ("pages/result.py", "自评结果"),
    ("pages/benchmark.py", "对标分析"),
    ("pages/ranking.py", "遴选排序"),
)
"""The guided path: (page script, title). A step whose page is not registered in the app is skipped."""

STEP_HINTS: dict[str, str] = {
    "pages/form.py": "看申请书的各项数据：系统自动计算平均值、增长率、比重和加权数量，并与填报值比对。",
    "pages/workplan.py": "看创建工作方案：每个评价要点是否覆盖、依据的句子，以及按可提升分数排序的改进建议。",
    "pages/result.py": "看自评结果：申报资格、指标得分和工作方案得分，以及缺少的数据。",
    "pages/benchmark.py": "与同领域、同类别的其他申报对比各项指标。",
    "pages/ranking.py": "换成设区市工信局的视角：点击“加载演示批次”，对福州市收到的一批虚构申报评分、排序、提出推荐名单。",
}


# ---------------------------------------------------------------------------------------------------------------
# state


def active() -> bool:
    return isinstance(st.session_state.get(K_WORKSHOP), dict)


def state() -> dict[str, Any]:
    return st.session_state.get(K_WORKSHOP) or {}


def _user_keys() -> tuple[str, ...]:
    """Session keys of the user's own application and of its saving (put aside while the demo runs)."""

    store_keys = tuple(getattr(persist, name) for name in ("K_APP_ID", "K_BASE", "K_CONFLICT", "K_SAVED_AT",
                                                         "K_SAVE_ERROR", "K_ORIGINAL") if hasattr(persist, name))
    return (app_state.K_MODEL, app_state.K_JSON, app_state.K_REJECTED, app_state.K_SOURCE, app_state.K_ROLE, *store_keys)


def sample_index() -> dict[tuple[str, str], Any]:
    """(type, domain) -> the first usable sample of data/samples (park_*.json, enterprise_*.json)."""

    out: dict[tuple[str, str], Any] = {}
    for s in app_state.list_samples():
        if not s.error:
            out.setdefault((s.type, s.domain), s)
    return out


def domains_with_samples(app_type: str) -> list[str]:
    idx = sample_index()
    return [d.value for d in Domain if (app_type, d.value) in idx]


def types_with_samples() -> list[str]:
    idx = sample_index()
    return [t.value for t in ApplicantType if any(k[0] == t.value for k in idx)]


def _load(app_type: str, domain: str) -> Optional[str]:
    """Make the sample of (type, domain) the current application without saving anything; returns an error or None."""

    info = sample_index().get((app_type, domain))
    if info is None:
        return f"没有“{ApplicantType.parse(app_type).label} · {Domain.parse(domain).label}”的示例。"
    try:
        app = app_state.load_sample(info.path)
    except Exception as e:  # a sample being edited by someone may be broken: say so, keep the demo as it was
        return f"示例无法载入：{e}"
    ss = st.session_state
    ss[app_state.K_MODEL] = app
    ss[app_state.K_JSON] = app_state.dump_application(app)
    ss[app_state.K_REJECTED] = {}
    ss[app_state.K_GEN] = app_state.generation() + 1
    ss[app_state.K_SOURCE] = f"演示示例 {info.file}"
    ws = dict(state())
    ws.update(type=app_type, domain=domain)
    ss[K_WORKSHOP] = ws
    return None


def start(app_type: str, domain: str) -> Optional[str]:
    """Start (or re-point) the demo on the sample of (type, domain); returns a Chinese error or None."""

    ss = st.session_state
    fresh = not active()
    if fresh:
        ss[K_STASH] = {k: ss[k] for k in _user_keys() if k in ss}
        ss[K_WORKSHOP] = {"type": app_type, "domain": domain, "step": STEPS[0][0]}
    err = _load(app_type, domain)
    if err and fresh:
        stop()
        return err
    if fresh:
        for k in _user_keys():  # saving state of the user's application must not apply to the demo
            if k not in (app_state.K_MODEL, app_state.K_JSON, app_state.K_REJECTED, app_state.K_SOURCE, app_state.K_ROLE):
                ss.pop(k, None)
        ss[app_state.K_ROLE] = "培训演示"
    return err


def stop(restore: bool = True) -> None:
    """End the demo; the user's own application and saving state come back as they were (``restore``)."""

    ss = st.session_state
    if not active() and K_STASH not in ss:
        return
    stash = ss.pop(K_STASH, None) or {}
    ss.pop(K_WORKSHOP, None)
    if restore:
        for k in _user_keys():
            ss.pop(k, None)
        for k, v in stash.items():
            ss[k] = v
        ss.setdefault(app_state.K_REJECTED, {})
    ss[app_state.K_GEN] = app_state.generation() + 1


def release() -> None:
    """Another application is being opened or created: end the demo first (the user's state comes back, then the
    caller replaces the application as usual)."""
    if active():
        stop(restore=True)


# ---------------------------------------------------------------------------------------------------------------
# steps


def _registered_pages() -> Optional[set[str]]:
    """Resolved script paths of the app's pages, or None when they cannot be read."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        pages = ctx.pages_manager.get_pages() if ctx is not None else None
        if not pages:
            return None
        return {str(Path(p["script_path"]).resolve()) for p in pages.values() if p.get("script_path")}
    except Exception:
        return None


def _abs(page: str) -> str:
    return str((PAGES_DIR.parent / page).resolve())


def steps() -> list[tuple[str, str]]:
    """The steps whose page exists (and is registered in app.py when that can be read)."""
    reg = _registered_pages()
    out = []
    for page, title in STEPS:
        path = _abs(page)
        if not Path(path).is_file():
            continue
        if reg is not None and path not in reg:
            continue
        out.append((page, title))
    return out


def current_page() -> Optional[str]:
    """The page script being run (``pages/x.py``), found from the calling page's ``__file__``."""
    here = {str(Path(__file__).resolve())}
    frame = sys._getframe(1)
    while frame is not None:
        f = frame.f_globals.get("__file__")
        if f:
            p = Path(f).resolve()
            if p.parent == PAGES_DIR and str(p) not in here:
                return f"pages/{p.name}"
        frame = frame.f_back
    return None


# ---------------------------------------------------------------------------------------------------------------
# rendering


def _goto(page: str) -> None:
    ws = state()
    if ws and page in dict(STEPS):
        ws["step"] = page
    st.switch_page(page)


def render_bar() -> None:
    """Top of every page while the demo runs: the step bar (steps, 上一步/下一步) and large type."""
    if not active():
        return

    display.projector_style()
    ws = state()
    page = current_page()
    path = steps()
    pages = [p for p, _ in path]
    if page not in pages:  # home, 我的申报 ...: a compact line back to the demo
        with st.container(border=True):
            c1, c2, c3 = st.columns([6, 2, 2], vertical_alignment="center")
            c1.markdown(f"**演示模式进行中** · {_demo_caption()}")
            back = ws.get("step") if ws.get("step") in pages else (pages[0] if pages else None)
            if back and c2.button("回到演示", key="ws_back", type="primary", icon=":material/slideshow:",
                                  width="stretch"):
                _goto(back)
            c3.button("退出演示", key="ws_exit_top", on_click=stop, icon=":material/close:", width="stretch")
        return
    ws["step"] = page
    i = pages.index(page)
    chips = []
    for j, (_, title) in enumerate(path):
        label = f"{j + 1} {title}"
        chips.append(f":blue-background[**{label}**]" if j == i else f":gray[{label}]")
    with st.container(border=True):
        st.markdown("**演示** · " + " → ".join(chips))
        c1, c2, c3 = st.columns([2, 6, 2], vertical_alignment="center")
        if c1.button("上一步", key="ws_prev", icon=":material/arrow_back:", disabled=i == 0, width="stretch"):
            _goto(pages[i - 1])
        c2.caption(f"第 {i + 1} / {len(path)} 步：{STEP_HINTS.get(page, '')}")
        if c3.button("下一步", key="ws_next", type="primary", icon=":material/arrow_forward:", disabled=i == len(path) - 1,
                     width="stretch"):
            _goto(pages[i + 1])


def render_bottom() -> None:
    """End of a step page: 上一步/下一步 again (the audience has scrolled down)."""
    if not active():
        return
    page = current_page()
    pages = [p for p, _ in steps()]
    if page not in pages:
        return
    i = pages.index(page)
    titles = dict(STEPS)
    st.divider()
    c1, _, c3 = st.columns([3, 4, 3])
    if i > 0 and c1.button(f"上一步：{titles[pages[i - 1]]}", key="ws_prev_bottom", icon=":material/arrow_back:",
                           width="stretch"):
        _goto(pages[i - 1])
    if i < len(pages) - 1 and c3.button(f"下一步：{titles[pages[i + 1]]}", key="ws_next_bottom", type="primary",
                                        icon=":material/arrow_forward:", width="stretch"):
        _goto(pages[i + 1])


def _demo_caption() -> str:

    app = app_state.get_app()
    return display.app_caption(app) if app is not None else "（无示例）"


def _on_switch(gen: int) -> None:
    ss = st.session_state
    t = ss.get(f"ws_type{gen}") or state().get("type")
    d = ss.get(f"ws_domain{gen}") or state().get("domain")
    avail = domains_with_samples(t)
    if d not in avail and avail:  # the other type has no sample of this domain: its first domain
        d = avail[0]
    err = _load(t, d)
    if err:
        ss[K_ERROR] = err


def render_sidebar(slot: Any = None) -> None:
    """The sidebar while the demo runs: switch domain or applicant live, end the demo; no saving controls."""

    ws = state()
    gen = app_state.generation()
    with slot if slot is not None else st.sidebar:
        st.markdown("**演示模式**")
        st.badge("示例数据 · 不保存", icon=":material/science:", color="orange")
        types_ = types_with_samples()
        t = ws.get("type")
        if types_:
            st.radio("申报类别", types_, index=types_.index(t) if t in types_ else 0, horizontal=True,
                     format_func=lambda v: ApplicantType.parse(v).label, key=f"ws_type{gen}", on_change=_on_switch,
                     args=(gen,))
            domains = domains_with_samples(t) if t in types_ else []
            d = ws.get("domain")
            if domains:
                st.selectbox("创建领域", domains, index=domains.index(d) if d in domains else 0,
                             format_func=lambda v: Domain.parse(v).label, key=f"ws_domain{gen}",
                             on_change=_on_switch, args=(gen,), placeholder="请选择领域（可输入文字搜索）")
        err = st.session_state.pop(K_ERROR, None)
        if err:
            st.error(err)
        app = app_state.get_app()
        if app is not None:
            st.caption(f"当前示例：{display.md_escape(app.display_name or '（未命名）')}")
        n = len(app_state.rejected())
        if n:
            st.warning(f"有 {n} 处输入未通过校验，请到“填报”页查看。", icon="⚠️")
        st.caption("演示中的修改只在本窗口有效，不会保存，也不会改动“我的申报”中的任何申报。")
        st.button("退出演示", key="ws_exit", on_click=stop, icon=":material/close:", width="stretch")
    render_bottom()
