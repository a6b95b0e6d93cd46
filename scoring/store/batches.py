"""Saved selection batches of a city's 工信局, and small per-workspace preferences, in the drafts' SQLite file.

A batch is what the 遴选排序 page works on: the scored candidates (:class:`scoring.selection.ranking.CandidateScore`,
with their full results), the conflicts between them, the import report (problems and files), the city the batch is
ranked for, and the official's decisions — for every candidate whose row was touched, whether it is included and the
reason written, kept as typed even before it is complete (an exclusion whose reason is still empty stays an
exclusion to finish, not a lost edit) — and the 推荐单位意见 written per candidate (text and date, section 四 of the
申请书; printed in the candidate's Word 申请书 and the score workbook). Reopening a batch needs no re-scoring.

Like :mod:`scoring.store.drafts`, every call takes the workspace id and filters on it: a batch of another workspace
is reported exactly like one that does not exist. Tables (created next to the drafts' tables):

- ``batches``: id, workspace, name, city, origin, created, updated, candidate count, the scored data (JSON), the
  decisions (JSON) and the opinions (JSON; the column is added to a store made before it existed);
- ``workspace_prefs``: (workspace, key) -> value, e.g. the chosen role and the last opened batch.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from pydantic import TypeAdapter, ValidationError

from ..application.attachments import RecommenderOpinion
from ..selection.batch import BatchProblem, FileReport
from ..selection.conflicts import Conflict
from ..selection.ranking import CandidateScore
from .drafts import NotFoundError, Store, StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    workspace TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    city TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    n_candidates INTEGER NOT NULL,
    data TEXT NOT NULL,
    decisions TEXT NOT NULL DEFAULT '{}',
    opinions TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS batches_workspace ON batches(workspace, updated);
CREATE TABLE IF NOT EXISTS workspace_prefs (
    workspace TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (workspace, key)
);
"""

PREF_LAST_BATCH = "last_batch"
MAX_REASON_CHARS = 300

_SCORES = TypeAdapter(list[CandidateScore])
_OPINIONS = TypeAdapter(dict[str, RecommenderOpinion])
_CONFLICTS = TypeAdapter(list[Conflict])


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="microseconds")


@dataclass(frozen=True)
class RowDecision:
    """The official's word on one candidate: included or not, and the reason as typed (may still be empty)."""

    include: bool
    reason: str = ""


Decisions = dict[str, RowDecision]
"""candidate id -> the official's decision."""

Opinions = dict[str, RecommenderOpinion]
"""candidate id -> the 推荐单位意见 written for it (text and date)."""


@dataclass
class BatchData:
    scores: list[CandidateScore]
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[BatchProblem] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    encoder_warning: Optional[str] = None
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    """candidate id -> the application's JSON dict (offered to 对标分析 as real peers)."""
    pack: str = ""
    """id of the rule pack the batch was scored with ("" in batches saved before packs existed)."""


@dataclass(frozen=True)
class BatchRecord:
    id: str
    workspace: str
    name: str
    city: str
    origin: str
    created: str
    updated: str
    n_candidates: int


@dataclass
class SavedBatch:
    record: BatchRecord
    data: BatchData
    decisions: Decisions
    opinions: Opinions = field(default_factory=dict)


def _dump(data: BatchData) -> str:
    return json.dumps({
        "scores": _SCORES.dump_python(data.scores, mode="json"),
        "conflicts": _CONFLICTS.dump_python(data.conflicts, mode="json"),
        "problems": [asdict(p) for p in data.problems],
        "files": [asdict(f) for f in data.files],
        "encoder_warning": data.encoder_warning,
        "apps": data.apps,
        "pack": data.pack,
    }, ensure_ascii=False, separators=(",", ":"))


def _load(text: str) -> BatchData:
    try:
        raw = json.loads(text)
        return BatchData(scores=_SCORES.validate_python(raw["scores"]),
                         conflicts=_CONFLICTS.validate_python(raw.get("conflicts", [])),
                         problems=[BatchProblem(**p) for p in raw.get("problems", [])],
                         files=[FileReport(**f) for f in raw.get("files", [])],
                         encoder_warning=raw.get("encoder_warning"), apps=dict(raw.get("apps") or {}),
                         pack=str(raw.get("pack") or ""))
    except (json.JSONDecodeError, KeyError, TypeError, ValidationError) as e:
        raise StoreError("保存的批次无法读取（可能由较早或较新的版本保存），请重新载入申报文件。") from e


def dump_decisions(decisions: Decisions) -> str:
    return json.dumps({cid: {"include": d.include, "reason": d.reason} for cid, d in sorted(decisions.items())},
                      ensure_ascii=False, separators=(",", ":"))


def load_decisions(text: str) -> Decisions:
    try:
        raw = json.loads(text or "{}")
        return {str(cid): RowDecision(bool(d["include"]), str(d.get("reason") or "")[:MAX_REASON_CHARS])
                for cid, d in raw.items()}
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        return {}


def dump_opinions(opinions: Opinions) -> str:
    """Every opinion written, an emptied one too (it says the 推荐单位 cleared what the file carried)."""
    return json.dumps(_OPINIONS.dump_python(dict(sorted(opinions.items())), mode="json"), ensure_ascii=False,
                      separators=(",", ":"))


def load_opinions(text: str) -> Opinions:
    """The saved opinions; an unreadable entry is left out (the rest are kept)."""
    try:
        raw = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    if not isinstance(raw, dict):
        return {}
    out: Opinions = {}
    for cid, op in raw.items():
        try:
            out[str(cid)] = RecommenderOpinion.model_validate(op)
        except ValidationError:
            continue
    return out


def _record(row: sqlite3.Row) -> BatchRecord:
    return BatchRecord(id=row["id"], workspace=row["workspace"], name=row["name"], city=row["city"],
                       origin=row["origin"], created=row["created"], updated=row["updated"],
                       n_candidates=row["n_candidates"])


_COLS = "id, workspace, name, city, origin, created, updated, n_candidates"


class BatchStore:
    """Batches and preferences of all workspaces, in the same SQLite file as ``store`` (its workspaces)."""

    def __init__(self, store: Store) -> None:
        self.path = store.path
        self.timeout = store.timeout
        self._connect = store._connect  # the same file, opened the same way (foreign keys, busy timeout)
        with self._connect() as con:
            con.executescript(_SCHEMA)
            cols = {r[1] for r in con.execute("PRAGMA table_info(batches)").fetchall()}
            if "opinions" not in cols:  # a store made before the opinions were saved
                try:
                    con.execute("ALTER TABLE batches ADD COLUMN opinions TEXT NOT NULL DEFAULT '{}'")
                except sqlite3.OperationalError as e:  # another process added it just now
                    if "duplicate column" not in str(e):
                        raise

    # -- batches ----------------------------------------------------------------------------------------------------

    def create(self, ws: str, name: str, data: BatchData, city: str = "", origin: str = "",
               decisions: Optional[Decisions] = None) -> BatchRecord:
        now = _now()
        bid = uuid.uuid4().hex
        with self._connect() as con:
            con.execute(
                "INSERT INTO batches(id, workspace, name, city, origin, created, updated, n_candidates, data, decisions)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (bid, ws, name.strip() or "未命名批次", city, origin, now, now, len(data.scores), _dump(data),
                 dump_decisions(decisions or {})))
        self.set_pref(ws, PREF_LAST_BATCH, bid)
        return self.get(ws, bid)

    def list(self, ws: str) -> list[BatchRecord]:
        with self._connect() as con:
            rows = con.execute(f"SELECT {_COLS} FROM batches WHERE workspace = ? ORDER BY updated DESC",
                               (ws,)).fetchall()
        return [_record(r) for r in rows]

    def get(self, ws: str, batch_id: str) -> BatchRecord:
        with self._connect() as con:
            row = con.execute(f"SELECT {_COLS} FROM batches WHERE workspace = ? AND id = ?", (ws, batch_id)).fetchone()
        if row is None:
            raise NotFoundError("批次")
        return _record(row)

    def open(self, ws: str, batch_id: str) -> SavedBatch:
        with self._connect() as con:
            row = con.execute(f"SELECT {_COLS}, data, decisions, opinions FROM batches WHERE workspace = ? AND id = ?",
                              (ws, batch_id)).fetchone()
        if row is None:
            raise NotFoundError("批次")
        self.set_pref(ws, PREF_LAST_BATCH, batch_id)
        return SavedBatch(_record(row), _load(row["data"]), load_decisions(row["decisions"]),
                          load_opinions(row["opinions"]))

    def _update(self, ws: str, batch_id: str, sql: str, args: tuple[Any, ...]) -> None:
        with self._connect() as con:
            cur = con.execute(f"UPDATE batches SET {sql}, updated = ? WHERE workspace = ? AND id = ?",
                              (*args, _now(), ws, batch_id))
            if cur.rowcount == 0:
                raise NotFoundError("批次")

    def set_decisions(self, ws: str, batch_id: str, decisions: Decisions) -> None:
        self._update(ws, batch_id, "decisions = ?", (dump_decisions(decisions),))

    def set_opinions(self, ws: str, batch_id: str, opinions: Opinions) -> None:
        self._update(ws, batch_id, "opinions = ?", (dump_opinions(opinions),))

    def set_city(self, ws: str, batch_id: str, city: str) -> None:
        self._update(ws, batch_id, "city = ?", (city,))

    def rename(self, ws: str, batch_id: str, name: str) -> None:
        if not name.strip():
            raise StoreError("批次名称不能为空。")
        self._update(ws, batch_id, "name = ?", (name.strip()[:80],))

    def delete(self, ws: str, batch_id: str) -> None:
        with self._connect() as con:
            cur = con.execute("DELETE FROM batches WHERE workspace = ? AND id = ?", (ws, batch_id))
            if cur.rowcount == 0:
                raise NotFoundError("批次")
            con.execute("DELETE FROM workspace_prefs WHERE workspace = ? AND key = ? AND value = ?",
                        (ws, PREF_LAST_BATCH, batch_id))

    def last(self, ws: str) -> Optional[BatchRecord]:
        """The batch this workspace opened last (None when there is none or it was deleted)."""
        bid = self.get_pref(ws, PREF_LAST_BATCH)
        if not bid:
            return None
        try:
            return self.get(ws, bid)
        except NotFoundError:
            return None

    # -- preferences ------------------------------------------------------------------------------------------------

    def get_pref(self, ws: str, key: str) -> Optional[str]:
        with self._connect() as con:
            row = con.execute("SELECT value FROM workspace_prefs WHERE workspace = ? AND key = ?", (ws, key)).fetchone()
        return None if row is None else str(row["value"])

    def set_pref(self, ws: str, key: str, value: str) -> None:
        with self._connect() as con:
            con.execute("INSERT INTO workspace_prefs(workspace, key, value) VALUES (?, ?, ?) "
                        "ON CONFLICT(workspace, key) DO UPDATE SET value = excluded.value", (ws, key, value))
