"""The current application in session state, and the samples it can be opened from.

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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import streamlit as st
from pydantic import ValidationError

from scoring.application.errors import format_validation_error
from scoring.application.formspec import get_in, set_in
from scoring.application.ids import ApplicantType
from scoring.application.models import AnyApplication, dump_application, parse_application

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = ROOT / "data" / "samples"

K_JSON = "app_json"
K_MODEL = "app_model"
K_REJECTED = "app_rejected"
K_GEN = "app_gen"
K_SOURCE = "app_source"
K_ROLE = "role"

ROLES: tuple[str, ...] = ("申报单位", "设区市工信局", "培训演示")



def disclaimer() -> str:
    """What the tool is not, citing the notice of the rule pack in use."""
    from scoring.programme.packs import active_pack
    from scoring.programme.rubric import RubricError

    try:
        notice = active_pack().citation
    except RubricError:
        notice = "所选申报批次的通知"
    return (
        f"本工具依据{notice}及其附件2—5做自我检查，**不是官方评审**，结果不代表评审意见。"
        "《国家新兴产业发展示范基地创建活动工作方案》中的考评指标、创建基本条件的具体数值和各“加权数量”的权重均未公开："
        "标注为 **参考值** 的阈值和权重是本工具参照类似方案暂定的，仅供参考。"
    )


def _nothing(*args: Any) -> None:
    return None


@dataclass
class Hooks:
    """What happens around a change of the current application, decided by the helpers above this module and wired
    in by :mod:`pages.shared.common`: 演示模式 hands the user's own state back before another application is opened
    or the current one closed, and the store saves after a change (never the demo sample). Callbacks, so that this
    module imports neither of them and they can import it."""

    before_set: Callable[[], None] = _nothing
    after_set: Callable[[AnyApplication, str, Optional[tuple[str, int]]], None] = _nothing
    before_clear: Callable[[], None] = _nothing
    after_clear: Callable[[], None] = _nothing
    after_edit: Callable[[], None] = _nothing


HOOKS = Hooks()


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
    now as a new one of the workspace, and a sample only on its first edit (pages.shared.persist, through HOOKS)."""
    HOOKS.before_set()
    st.session_state[K_MODEL] = app
    st.session_state[K_JSON] = dump_application(app)
    st.session_state[K_REJECTED] = {}
    st.session_state[K_GEN] = generation() + 1
    st.session_state[K_SOURCE] = source
    HOOKS.after_set(app, source, saved)


def clear_app() -> None:
    HOOKS.before_clear()
    for k in (K_MODEL, K_JSON, K_SOURCE):
        st.session_state.pop(k, None)
    st.session_state[K_REJECTED] = {}
    st.session_state[K_GEN] = generation() + 1
    HOOKS.after_clear()


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
    if st.session_state.get(K_BATCH) is not None:
        st.session_state[K_BATCH] = True
    else:
        HOOKS.after_edit()
    return []


K_BATCH = "_edit_batch"


@contextmanager
def batch_edits() -> Iterator[None]:
    """Several changes that belong together (a whole table): saved once, after the last one."""
    st.session_state[K_BATCH] = False
    try:
        yield
    finally:
        changed = bool(st.session_state.pop(K_BATCH, False))
        if changed:
            HOOKS.after_edit()


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
