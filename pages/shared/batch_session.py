"""The open selection batch of 遴选排序: kept in session state for speed, written to the workspace store on every
change (new batch, city, each include/exclude decision and its reason, each 推荐单位意见), so that it survives
navigation, F5 and a restart. A new session reopens the workspace's last batch.

The store is :class:`scoring.store.batches.BatchStore`; the session holds an :class:`OpenBatch`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Callable, Optional

import streamlit as st

from pages.shared import role
from scoring.application.attachments import RecommenderOpinion
from scoring.application.ids import City
from scoring.store.batches import BatchData, BatchRecord, Decisions, Opinions
from scoring.store.drafts import StoreError

K_OPEN = "rk_open"
K_OPEN_REQUEST = "rk_open_request"  # a batch id chosen on another page (首页) to open here
K_TRIED = "_rk_reopen_tried_for"
K_ERROR = "_rk_store_error"


@dataclass
class OpenBatch:
    id: str
    name: str
    origin: str
    city: str
    data: BatchData
    decisions: Decisions = field(default_factory=dict)
    updated: str = ""
    gen: int = 0
    """Changes when another batch is opened: widget keys of the batch's editors include it."""
    opinions: Opinions = field(default_factory=dict)
    """candidate id -> the 推荐单位意见 written for it."""

    @property
    def city_label(self) -> str:
        return City.parse(self.city).label if self.city else ""


def pack_mismatch(ob: OpenBatch) -> Optional[str]:
    """A warning when the batch was scored with another rule pack than the one chosen now (None otherwise)."""
    from pages.shared.pack_choice import current
    from scoring.programme.packs import get_pack
    from scoring.programme.rubric import RubricError

    cur = current()
    if not ob.data.pack or cur is None or cur.id == ob.data.pack:
        return None
    try:
        then = get_pack(ob.data.pack).name
    except RubricError:
        then = f"规则包“{ob.data.pack}”（已不存在）"
    return (f"本批次是按“{then}”评分的，当前选择的政策/申报批次是“{cur.name}”：名额和推荐单位按当前批次计算，"
            "得分仍是原来的。可切换回原批次，或点击“按当前批次重新评分”（另存为新批次，人工调整需重新填写）。")


def stored_files(ob: OpenBatch) -> list[tuple[str, bytes]]:
    """The batch's applications as JSON files, to score them again."""
    import json

    return [(f"{cid}.json", json.dumps(app, ensure_ascii=False).encode("utf-8")) for cid, app in ob.data.apps.items()]


def _error(e: Exception, what: str) -> None:
    st.session_state[K_ERROR] = f"{what}：{e}"


def pop_error() -> Optional[str]:
    return st.session_state.pop(K_ERROR, None)


def current() -> Optional[OpenBatch]:
    ob = st.session_state.get(K_OPEN)
    return ob if isinstance(ob, OpenBatch) else None


def _publish(ob: Optional[OpenBatch]) -> None:
    if ob is None:
        st.session_state.pop(K_OPEN, None)
        role.set_open_batch(None)
        return
    st.session_state[K_OPEN] = ob
    role.set_open_batch(ob.id, ob.name, ob.city_label, len(ob.data.scores), ob.updated)


def _next_gen() -> int:
    gen = int(st.session_state.get("_rk_gen", 0)) + 1
    st.session_state["_rk_gen"] = gen
    return gen


def open_batch(batch_id: str) -> bool:
    ws = role.workspace_id()
    if ws is None:
        return False
    try:
        sb = role.batch_store().open(ws, batch_id)
    except (StoreError, sqlite3.Error, OSError) as e:
        _error(e, "批次无法打开")
        return False
    r = sb.record
    _publish(OpenBatch(r.id, r.name, r.origin, r.city, sb.data, dict(sb.decisions), r.updated, _next_gen(),
                       dict(sb.opinions)))
    return True


def ensure_open() -> Optional[OpenBatch]:
    """The open batch; a batch requested from another page, else (once per session) the workspace's last one."""
    ss = st.session_state
    req = ss.pop(K_OPEN_REQUEST, None)
    if req and (current() is None or current().id != req):  # type: ignore[union-attr]
        open_batch(req)
    ws = role.workspace_id()
    if current() is None and ws is not None and ss.get(K_TRIED) != ws:
        ss[K_TRIED] = ws
        try:
            rec = role.batch_store().last(ws)
        except (StoreError, sqlite3.Error, OSError) as e:
            _error(e, "上次的批次无法打开")
            rec = None
        if rec is not None:
            open_batch(rec.id)
    return current()


def create(name: str, data: BatchData, city: str, origin: str) -> None:
    """A newly scored batch becomes the open one and is saved at once (unsaved only if the store fails)."""
    ws = role.workspace_id()
    ob = OpenBatch("", name, origin, city, data, {}, "", _next_gen())
    if ws is not None:
        try:
            rec = role.batch_store().create(ws, name, data, city=city, origin=origin)
            ob.id, ob.updated = rec.id, rec.updated
        except (StoreError, sqlite3.Error, OSError) as e:
            _error(e, "批次未能保存（关闭页面后将丢失）")
    _publish(ob)


def _touch(ob: OpenBatch) -> None:
    if not ob.id:
        return
    try:
        ob.updated = role.batch_store().get(role.workspace_id() or "", ob.id).updated
    except (StoreError, sqlite3.Error, OSError):
        return
    _publish(ob)


def _write(ob: OpenBatch, write: Callable[[str, str], None], failure: str) -> None:
    """Save one change of the open batch (``write(workspace, batch id)``); a batch not saved yet keeps it in the
    session only. A store error is shown as ``failure``."""
    ws = role.workspace_id()
    if ob.id and ws:
        try:
            write(ws, ob.id)
        except (StoreError, sqlite3.Error, OSError) as e:
            _error(e, failure)
            return
    _touch(ob)


def set_city(city: str) -> None:
    ob = current()
    if ob is None or ob.city == city:
        return
    ob.city = city
    _write(ob, lambda ws, bid: role.batch_store().set_city(ws, bid, city), "所属设区市未能保存")


def save_decisions(decisions: Decisions) -> None:
    ob = current()
    if ob is None or decisions == ob.decisions:
        return
    ob.decisions = dict(decisions)
    _write(ob, lambda ws, bid: role.batch_store().set_decisions(ws, bid, ob.decisions), "调整未能保存")


def save_opinion(cid: str, opinion: RecommenderOpinion) -> None:
    """One candidate's 推荐单位意见, saved with the batch at once."""
    ob = current()
    if ob is None or ob.opinions.get(cid) == opinion:
        return
    ob.opinions = {**ob.opinions, cid: opinion}
    _write(ob, lambda ws, bid: role.batch_store().set_opinions(ws, bid, ob.opinions), "推荐单位意见未能保存")


def saved() -> list[BatchRecord]:
    ws = role.workspace_id()
    if ws is None:
        return []
    try:
        return role.batch_store().list(ws)
    except (StoreError, sqlite3.Error, OSError) as e:
        _error(e, "已保存的批次无法列出")
        return []


def rename(batch_id: str, name: str) -> None:
    ws = role.workspace_id()
    if ws is None:
        return
    try:
        role.batch_store().rename(ws, batch_id, name)
    except (StoreError, sqlite3.Error, OSError) as e:
        _error(e, "未能重命名")
        return
    ob = current()
    if ob is not None and ob.id == batch_id:
        ob.name = name.strip()[:80]
        _touch(ob)


def delete(batch_id: str) -> None:
    ws = role.workspace_id()
    if ws is None:
        return
    try:
        role.batch_store().delete(ws, batch_id)
    except (StoreError, sqlite3.Error, OSError) as e:
        _error(e, "未能删除")
        return
    ob = current()
    if ob is not None and ob.id == batch_id:
        _publish(None)
