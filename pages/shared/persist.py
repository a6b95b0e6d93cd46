"""Streamlit side of saving: the session's workspace, autosave of the current application, conflicts.

The logic is in :mod:`scoring.store.drafts` (SQLite) and :mod:`scoring.store.workspace` (modes, passphrases, ids); this module
keeps, per browser session (``st.session_state``):

- ``ws``: the signed-in :class:`scoring.store.workspace.Workspace` (set here only after a successful sign-in);
- ``app_store_id`` / ``app_base_version``: which saved application is open and the version this session last
  loaded or saved (the base of optimistic concurrency);
- ``app_store_conflict``: the Chinese message when a save was refused (someone else saved, or it was deleted);
- ``app_store_original``: an unsaved sample as loaded: on the first edit the sample is saved as the user's own
  copy (first version = the sample, second = the edit), never over one of their drafts. Until then the
  workspace's preference ``open_sample`` names the sample, so that F5 or a restart reopens it (not an older draft).

:mod:`pages.shared.common` calls :func:`gate` (page start), :func:`on_set_app` (a new/loaded/imported application),
:func:`autosave` (every accepted change), :func:`forget` and the sidebar renderers.
"""

from __future__ import annotations


import datetime as dt
import os
import sqlite3
import threading
from typing import Any, Optional

import streamlit as st

from scoring.store.drafts import ConflictError, NotFoundError, Store, StoreError, format_time
from scoring.store.workspace import (Settings, Workspace, WorkspaceError, create_passphrase_workspace, load_settings,
                               local_workspace, oidc_workspace, open_passphrase_workspace)

from pages.shared.exports import exporters, safe_file_stem  # noqa: F401 - used as persist.<name>
from pages.shared import display, state

K_WS = "ws"
K_APP_ID = "app_store_id"
K_BASE = "app_base_version"
K_CONFLICT = "app_store_conflict"  # (kind, message): kind conflict | deleted
K_SAVED_AT = "app_store_saved_at"
K_SAVE_ERROR = "app_store_error"
K_ORIGINAL = "app_store_original"
K_STARTED = "app_store_started_for"

PREF_SAMPLE = "open_sample"  # the sample file open and not yet edited ("" when a saved application is open)

_STORES: dict[str, Store] = {}
_BATCH_STORES: dict[str, Any] = {}
_LOCK = threading.Lock()


# ---------------------------------------------------------------------------------------------------------------
# settings, store, workspace


def _secrets() -> dict[str, Any]:
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return st.secrets.to_dict()
    except Exception:  # an unreadable secrets file: run as if there were none
        return {}


def settings() -> Settings:
    return load_settings(os.environ, _secrets())


def get_store() -> Store:
    """The store of the configured data folder (one Store object per database file)."""
    path = settings().data_dir / "sfjd.sqlite3"
    key = str(path.resolve())
    with _LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = Store(path)
        return store


def batch_store() -> Any:
    """The batch store next to the drafts (one object per database file); it also keeps the workspace's
    preferences (the role, the open sample)."""
    from scoring.store.batches import BatchStore

    store = get_store()
    key = str(store.path)
    with _LOCK:
        bs = _BATCH_STORES.get(key)
        if bs is None:
            bs = _BATCH_STORES[key] = BatchStore(store)
        return bs


def remember_sample(file: str) -> None:
    """Name the open, unedited sample in the workspace ("" = none), so that a new session reopens it; a store that
    cannot be written only loses this convenience."""
    ws = workspace()
    if ws is None:
        return
    try:
        bs = batch_store()
        if (bs.get_pref(ws.id, PREF_SAMPLE) or "") != file:
            bs.set_pref(ws.id, PREF_SAMPLE, file)
    except (StoreError, sqlite3.Error, OSError):
        pass


def _reopen_sample(ws_id: str) -> bool:
    """A new session: reopen the sample the workspace had open (unedited); False when there is none."""
    file = batch_store().get_pref(ws_id, PREF_SAMPLE) or ""
    info = next((s for s in state.list_samples() if s.file == file), None) if file else None
    if info is None:
        return False
    try:
        app = state.load_sample(info.path)
    except Exception:  # a sample being replaced or broken: fall back to the last saved application
        return False
    state.set_app(app, source=f"示例 {info.file}")
    return True


def _user_claims() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict()) if st.user.is_logged_in else {}
    except Exception:
        return {}


def workspace() -> Optional[Workspace]:
    """The session's workspace, or None while nobody is signed in (several-users mode)."""
    cfg = settings()
    ss = st.session_state
    if cfg.mode == "local":
        ws = ss.get(K_WS)
        if not isinstance(ws, Workspace) or ws.kind != "local":
            ws = ss[K_WS] = local_workspace(get_store())
        return ws
    if cfg.mode == "oidc":
        claims = _user_claims()
        if not claims:
            _drop_workspace()
            return None
        ws = ss.get(K_WS)
        if not isinstance(ws, Workspace) or ws.kind != "oidc":
            ws = ss[K_WS] = oidc_workspace(get_store(), claims)
        return ws
    ws = ss.get(K_WS)
    return ws if isinstance(ws, Workspace) and ws.kind == "passphrase" else None


def _drop_workspace() -> None:

    if st.session_state.get(K_WS) is not None:
        state.clear_app()
    st.session_state.pop(K_WS, None)
    st.session_state.pop(K_STARTED, None)


# ---------------------------------------------------------------------------------------------------------------
# sign-in (several-users mode)


def _client_id() -> str:
    """The browser's address, for the per-client lockout (never a header the client could set itself)."""
    try:
        return st.context.ip_address or ""
    except Exception:  # no request context (tests, bare mode)
        return ""


def _on_sign_in() -> None:
    ss = st.session_state
    try:
        ws = open_passphrase_workspace(get_store(), ss.get("ws_in_name", ""), ss.get("ws_in_pass", ""),
                                       client=_client_id())
    except WorkspaceError as e:
        ss["_ws_error"] = str(e)
        return
    finally:
        ss["ws_in_pass"] = ""
    ss[K_WS] = ws


def _on_create_workspace() -> None:
    ss = st.session_state
    try:
        ws = create_passphrase_workspace(get_store(), ss.get("ws_new_name", ""), ss.get("ws_new_pass", ""),
                                         ss.get("ws_new_pass2", ""))
    except (WorkspaceError, StoreError) as e:
        ss["_ws_error"] = str(e)
        return
    finally:
        ss["ws_new_pass"] = ss["ws_new_pass2"] = ""
    ss[K_WS] = ws


def _render_sign_in(cfg: Settings) -> None:
    st.title("进入工作区")
    st.caption("本站由多人共用：每位用户只能看到自己工作区中的申报。")
    if cfg.mode == "oidc":
        try:
            import authlib  # noqa: F401  (st.login needs Authlib)
        except ImportError:
            st.error("已配置统一身份登录，但服务器缺少 Authlib 组件（pip install \"Authlib>=1.3.2\"），暂无法登录。"
                     "请联系管理员。")
            return
        for p in cfg.oidc_providers:
            label = "登录" if p is None else f"使用 {p} 登录"
            st.button(label, key=f"ws_login_{p or 'default'}", type="primary", icon=":material/login:",
                      on_click=st.login, args=(p,) if p else ())
        return
    err = st.session_state.pop("_ws_error", None)
    if err:
        st.error(err)
    enter, new = st.tabs(["进入已有工作区", "新建工作区"])
    with enter:
        with st.form("ws_sign_in"):
            st.text_input("工作区名称", key="ws_in_name")
            st.text_input("口令", type="password", key="ws_in_pass")
            st.form_submit_button("进入", type="primary", on_click=_on_sign_in)
    with new:
        with st.form("ws_create"):
            st.text_input("工作区名称", key="ws_new_name", help="例如单位简称；他人可看到名称是否已被占用，看不到内容。")
            st.text_input("口令（至少 8 个字符）", type="password", key="ws_new_pass")
            st.text_input("再次输入口令", type="password", key="ws_new_pass2")
            st.form_submit_button("新建并进入", on_click=_on_create_workspace)
        st.caption("口令只以加盐散列的形式保存，无法找回；请妥善保管。刷新浏览器后需要重新输入口令。")


def _on_sign_out() -> None:
    _drop_workspace()


def gate() -> Optional[Workspace]:
    """Start of every page: the workspace (several-users mode: sign in first, the page stops until then); a new
    session reopens the workspace's last application."""
    cfg = settings()
    try:
        ws = workspace()
    except (StoreError, sqlite3.Error, OSError) as e:
        st.error(f"保存数据的数据库无法打开：{e}。填写的内容不会被保存。")
        return None
    if ws is None:
        _render_sign_in(cfg)
        st.stop()
    ss = st.session_state
    if ss.get(K_STARTED) != ws.id:
        ss[K_STARTED] = ws.id

        if state.get_app() is None:
            try:
                rec = None if _reopen_sample(ws.id) else get_store().last_application(ws.id)
                if rec is not None:
                    open_saved(rec.id, source="上次打开的申报")
            except (StoreError, sqlite3.Error, OSError) as e:
                ss[K_SAVE_ERROR] = f"上次的申报无法打开：{e}"
    if ss.get(K_CONFLICT):
        st.warning("本窗口最近的修改尚未保存（其他窗口或他人已修改这份申报）。请在左侧栏选择如何处理。", icon="⚠️")
    return ws


# ---------------------------------------------------------------------------------------------------------------
# the current application


def current_id() -> Optional[str]:
    return st.session_state.get(K_APP_ID)


def base_version() -> Optional[int]:
    return st.session_state.get(K_BASE)


def _saved(app_id: str, version: int) -> None:
    ss = st.session_state
    ss[K_APP_ID] = app_id
    ss[K_BASE] = version
    ss.pop(K_SAVED_AT, None)  # the time shown is the stored version's (see _saved_time), filled on first display
    for k in (K_CONFLICT, K_SAVE_ERROR, K_ORIGINAL):
        ss.pop(k, None)


def _saved_time(ws_id: str, rec: Any, version: Optional[int]) -> str:
    """When the version this window is on was saved (the store's timestamp, not when the page was opened): the time
    alone when it was today, else date and time. Remembered per version so the sidebar does not query every run."""
    ss = st.session_state
    cached = ss.get(K_SAVED_AT)
    if isinstance(cached, tuple) and cached[0] == (rec.id, version):
        return cached[1]
    try:  # the version's own time: the record's ``updated`` also moves on a rename
        iso = get_store().get_version(ws_id, rec.id, version or rec.current_version).created
    except (StoreError, sqlite3.Error, OSError):
        return ""
    when = format_time(iso)
    if when[:10] == dt.date.today().isoformat():
        when = when[-8:]
    ss[K_SAVED_AT] = ((rec.id, version), when)
    return when


def forget() -> None:
    for k in (K_APP_ID, K_BASE, K_CONFLICT, K_SAVED_AT, K_SAVE_ERROR, K_ORIGINAL):
        st.session_state.pop(k, None)


def on_set_app(app: Any, source: str, saved: Optional[tuple[str, int]]) -> None:
    """A new current application: opened from the store (``saved``), a sample (saved on its first edit), or
    new/imported (saved now as a new application of the workspace)."""
    forget()
    ss = st.session_state
    if saved is not None:
        remember_sample("")
        _saved(*saved)
        return
    if app.meta.is_sample:  # the caller names the sample file (remember_sample)
        ss[K_ORIGINAL] = (app, source)
        return
    remember_sample("")
    ws = workspace()
    if ws is None:
        return
    try:
        rec = get_store().create(ws.id, app, summary=source or "新建")
    except (StoreError, sqlite3.Error, OSError) as e:
        ss[K_SAVE_ERROR] = f"自动保存失败：{e}"
        return
    _saved(rec.id, rec.current_version)


def autosave() -> None:
    """Save the current application (after an accepted change); a refused save leaves a conflict to resolve."""

    app = state.get_app()
    ws = workspace()
    if app is None or ws is None:
        return
    ss = st.session_state
    store = get_store()
    try:
        app_id = ss.get(K_APP_ID)
        if app_id is None:  # an edited sample (or an application not yet saved): a new application of the user
            original = ss.get(K_ORIGINAL)
            if original is not None:
                rec = store.create(ws.id, original[0], summary=f"由{original[1] or '示例'}复制")
                res = store.save(ws.id, rec.id, app, rec.current_version, auto=True)
                _saved(rec.id, res.version)
                remember_sample("")  # the user's own copy is the last application now
            else:
                rec = store.create(ws.id, app, summary=str(ss.get(state.K_SOURCE) or "新建"))
                _saved(rec.id, rec.current_version)
            return
        res = store.save(ws.id, app_id, app, ss.get(K_BASE), auto=True)
        _saved(app_id, res.version)
    except ConflictError as e:
        ss[K_CONFLICT] = ("conflict", str(e))
    except NotFoundError:
        ss[K_CONFLICT] = ("deleted", "这份申报已在其他窗口被删除，本窗口的修改尚未保存。可以把本窗口的内容另存为一份新申报。")
    except (StoreError, sqlite3.Error, OSError) as e:
        ss[K_SAVE_ERROR] = f"自动保存失败：{e}"


def open_saved(app_id: str, source: Optional[str] = None) -> None:
    """Make a saved application the current one (raises StoreError if it cannot be opened)."""

    ws = workspace()
    if ws is None:
        raise NotFoundError()
    opened = get_store().open(ws.id, app_id)
    state.set_app(opened.app, source=source or "我的申报",
                   saved=(opened.record.id, opened.version))


# -- conflict choices --------------------------------------------------------------------------------------------


def _on_reload() -> None:
    app_id = current_id()
    if app_id is None:
        return
    try:
        open_saved(app_id, source="已载入最新版本")
    except (StoreError, sqlite3.Error, OSError) as e:
        st.session_state[K_SAVE_ERROR] = f"无法载入：{e}"


def _on_overwrite() -> None:

    app, ws, app_id = state.get_app(), workspace(), current_id()
    if app is None or ws is None or app_id is None:
        return
    try:
        res = get_store().save(ws.id, app_id, app, base_version(), force=True)
    except (StoreError, sqlite3.Error, OSError) as e:
        st.session_state[K_SAVE_ERROR] = f"覆盖失败：{e}"
        return
    _saved(app_id, res.version)


def _on_save_as_new() -> None:

    app, ws = state.get_app(), workspace()
    if app is None or ws is None:
        return
    try:
        rec = get_store().create(ws.id, app, name=f"{app.display_name or '未命名申报'}（本窗口另存）",
                                 summary="另存为新申报")
    except (StoreError, sqlite3.Error, OSError) as e:
        st.session_state[K_SAVE_ERROR] = f"另存失败：{e}"
        return
    _saved(rec.id, rec.current_version)
    st.session_state[state.K_SOURCE] = "另存为新申报"


# ---------------------------------------------------------------------------------------------------------------
# sidebar


def render_workspace() -> None:
    """Workspace line of the sidebar (with 退出 in several-users mode)."""
    ws = st.session_state.get(K_WS)
    if not isinstance(ws, Workspace):
        return
    cfg = settings()
    st.caption(f"工作区：{md_escape(ws.name)}")
    if cfg.mode == "local":
        return
    if cfg.mode == "oidc":
        st.button("退出登录", key="ws_logout", on_click=st.logout, icon=":material/logout:")
    else:
        st.button("退出工作区", key="ws_sign_out", on_click=_on_sign_out, icon=":material/logout:")


K_LAST_PAGE = "_last_page"


def keep_version(note: str = "") -> Optional[int]:
    """Keep the current version in the history (leaving a page, “保存为版本”); None when nothing is saved."""
    app_id, ws = current_id(), workspace()
    if app_id is None or ws is None or st.session_state.get(K_CONFLICT):
        return None
    try:
        return get_store().keep(ws.id, app_id, note)
    except (StoreError, sqlite3.Error, OSError):
        return None


def page_changed(page_id: str) -> None:
    """Called at the start of every page run: leaving a page keeps the version the edits on it made."""
    ss = st.session_state
    last = ss.get(K_LAST_PAGE)
    ss[K_LAST_PAGE] = page_id
    if last is not None and last != page_id:
        keep_version()


def _on_keep_version() -> None:
    v = keep_version("手动保存")
    st.session_state["_kept_toast"] = f"已保存为第 {v} 版，可在“我的申报”中查看和恢复。" if v else ""


def render_save_status() -> None:
    """Whether the current application is saved, and the choices after a refused save."""
    ss = st.session_state
    err = ss.get(K_SAVE_ERROR)
    if err:
        st.error(err, icon="🚫")
    conflict = ss.get(K_CONFLICT)
    if conflict:
        kind, msg = conflict
        st.warning(msg, icon="⚠️")
        if kind == "conflict":
            st.button("载入最新版本（放弃本窗口的修改）", key="store_reload", on_click=_on_reload)
            st.button("用本窗口的内容覆盖", key="store_overwrite", on_click=_on_overwrite)
        st.button("另存为新申报", key="store_save_as", on_click=_on_save_as_new)
        return
    app_id, base = current_id(), base_version()
    if app_id is None:
        if ss.get(K_ORIGINAL) is not None:
            st.caption("示例尚未保存：修改任一项后，将自动另存为您自己的一份申报。")
        else:
            st.caption("尚未保存。")
        return
    ws = workspace()
    try:
        rec = get_store().get(ws.id, app_id) if ws else None
    except NotFoundError:
        st.warning("这份申报已在其他窗口被删除。", icon="⚠️")
        st.button("另存为新申报", key="store_save_as", on_click=_on_save_as_new)
        return
    except (StoreError, sqlite3.Error, OSError):
        return
    if rec is None:
        return
    when = _saved_time(ws.id, rec, base) if ws else ""
    st.caption(f"已自动保存：第 {base} 版" + (f"（{when}）" if when else ""))
    st.button("保存为版本", key="store_keep", on_click=_on_keep_version, icon=":material/bookmark_add:",
              help="把当前内容作为一个历史版本保留（自动保存在离开页面或停顿两分钟后也会留下版本）")
    toast = ss.pop("_kept_toast", None)
    if toast:
        st.toast(toast, icon="✅")
    if base is not None and rec.current_version > base:
        st.info(f"这份申报已在其他窗口更新为第 {rec.current_version} 版。", icon="ℹ️")
        st.button("载入最新版本", key="store_reload_newer", on_click=_on_reload)


UNAVAILABLE = "暂不可用"


def md_escape(text: str) -> str:
    """User text shown inside Markdown: see :func:`pages.shared.display.md_escape`."""
    return display.md_escape(text)
