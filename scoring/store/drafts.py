"""Saved applications and their versions in SQLite (standard library ``sqlite3``).

The database is ``<data dir>/sfjd.sqlite3``; the data dir is ``$SFJD_DATA_DIR`` or ``data/local/`` of the
repository. It runs in WAL mode so that several browser sessions (threads of one Streamlit server) read while one
writes. Each call opens its own connection: nothing is shared between threads.

Tables:

- ``workspaces``: one row per workspace (the local one, one per passphrase, one per signed-in user); passphrase
  workspaces hold only a salt and a hash (see :mod:`scoring.store.workspace`);
- ``applications``: id, workspace, name, type, domain, created, updated, current version;
- ``versions``: the history of an application (number, time, the application's JSON text, a short Chinese
  summary, ``kept``): each explicit save is a version; autosaved edits without a pause are one version.

Every method that touches an application takes the workspace id and filters on it: an application of another
workspace is reported exactly like one that does not exist (:class:`NotFoundError`), whatever id is given.

Saving is optimistic: :meth:`Store.save` takes the version the editor started from and raises
:class:`ConflictError` when someone else saved in between; a save that changes nothing creates no version.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from pydantic import ValidationError

from ..application.errors import format_validation_error
from ..application.ids import ApplicantType, Domain
from ..application.models import AnyApplication, dump_application, parse_application
from .changes import Change, diff_data, display_value, summarize_changes  # noqa: F401 - re-exported

ENV_DATA_DIR = "SFJD_DATA_DIR"
DB_FILE = "sfjd.sqlite3"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "local"
STORE_SCHEMA_VERSION = 1

LOCAL_WORKSPACE_ID = "local"
LOCAL_WORKSPACE_NAME = "本地"
UNNAMED = "（未命名）"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``explicit``, else ``$SFJD_DATA_DIR``, else ``data/local/`` of the repository."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR, "").strip()
    return Path(env).expanduser() if env else DEFAULT_DATA_DIR


def db_path(directory: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(directory) / DB_FILE


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="microseconds")


VERSION_PAUSE_SECONDS = 120.0
"""Autosaved edits closer together than this make one version of the history (see :meth:`Store.save`)."""


def _age_seconds(iso: str) -> float:
    try:
        return (dt.datetime.now().astimezone() - dt.datetime.fromisoformat(iso)).total_seconds()
    except (TypeError, ValueError):
        return float("inf")


def format_time(iso: str) -> str:
    """``2026-03-01 14:05:09`` in the server's local time (stored times carry their offset)."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


# ---------------------------------------------------------------------------------------------------------------
# errors


class StoreError(Exception):
    """A problem of the saved data, with a Chinese message."""


class NotFoundError(StoreError):
    def __init__(self, what: str = "申报") -> None:
        super().__init__(f"找不到这份{what}（可能已被删除，或不属于当前工作区）。")


class ConflictError(StoreError):
    """Someone saved the application after this editor loaded it."""

    def __init__(self, current_version: int, base_version: Optional[int], updated: str = "") -> None:
        self.current_version = current_version
        self.base_version = base_version
        self.updated = updated
        when = f"（{format_time(updated)}）" if updated else ""
        base = f"第 {base_version} 版" if base_version else "较早的版本"
        super().__init__(
            f"这份申报已在其他窗口或由其他人保存为第 {current_version} 版{when}，而本窗口是从{base}开始修改的。"
            "为避免覆盖对方的修改，本次更改尚未保存：请选择载入最新版本，或用本窗口的内容覆盖（对方的版本仍保留在版本记录中）。"
        )


class WorkspaceExistsError(StoreError):
    def __init__(self) -> None:
        super().__init__("该工作区名称已被使用，请换一个名称。")


# ---------------------------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class WorkspaceRow:
    id: str
    kind: str  # local | passphrase | oidc
    name: str
    salt: Optional[bytes] = None
    secret_hash: Optional[bytes] = None
    kdf: str = ""
    failed_attempts: int = 0
    locked_until: str = ""


@dataclass(frozen=True)
class AppRecord:
    id: str
    workspace: str
    name: str
    type: str
    domain: str
    is_sample: bool
    created: str
    updated: str
    current_version: int
    n_versions: int = 0

    @property
    def type_label(self) -> str:
        return ApplicantType.parse(self.type).label

    @property
    def domain_label(self) -> str:
        try:
            return Domain.parse(self.domain).label
        except ValueError:
            return self.domain


@dataclass(frozen=True)
class VersionInfo:
    app_id: str
    version: int
    created: str
    summary: str
    kept: bool = True
    """False for the version autosave is still adding to (edits without a pause of VERSION_PAUSE_SECONDS)."""


@dataclass(frozen=True)
class Version(VersionInfo):
    text: str = ""

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.text)

    def application(self) -> AnyApplication:
        return _parse(self.text)


@dataclass(frozen=True)
class SaveResult:
    version: int
    created: bool  # False when the content was unchanged (no new version)
    summary: str = ""


@dataclass(frozen=True)
class Opened:
    record: AppRecord
    app: AnyApplication
    version: int


def _parse(text: str) -> AnyApplication:
    try:
        return parse_application(json.loads(text))
    except (json.JSONDecodeError, ValidationError) as e:
        reasons = format_validation_error(e)[:3] if isinstance(e, ValidationError) else [str(e)]
        raise StoreError("保存的数据无法读取：" + "；".join(reasons)) from e


def app_text(app: AnyApplication) -> str:
    """The stored JSON text of an application (field order of the model, so equal content gives equal text)."""
    return json.dumps(dump_application(app), ensure_ascii=False, separators=(",", ":"))


def default_name(app: AnyApplication) -> str:
    return app.display_name.strip() or UNNAMED


# ---------------------------------------------------------------------------------------------------------------
# the store


_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('local', 'passphrase', 'oidc')),
    name TEXT NOT NULL,
    name_key TEXT,
    salt BLOB,
    secret_hash BLOB,
    kdf TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    last_app_id TEXT,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS workspaces_name_key ON workspaces(name_key) WHERE name_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    workspace TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_custom INTEGER NOT NULL DEFAULT 0,
    type TEXT NOT NULL,
    domain TEXT NOT NULL,
    is_sample INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    current_version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_workspace ON applications(workspace, updated);
CREATE TABLE IF NOT EXISTS versions (
    app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    data TEXT NOT NULL,
    summary TEXT NOT NULL,
    kept INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (app_id, version)
);
"""

_APP_COLS = ("a.id, a.workspace, a.name, a.type, a.domain, a.is_sample, a.created, a.updated, a.current_version, "
             "(SELECT COUNT(*) FROM versions v WHERE v.app_id = a.id) AS n_versions")


def _record(row: sqlite3.Row) -> AppRecord:
    return AppRecord(id=row["id"], workspace=row["workspace"], name=row["name"], type=row["type"],
                     domain=row["domain"], is_sample=bool(row["is_sample"]), created=row["created"],
                     updated=row["updated"], current_version=row["current_version"], n_versions=row["n_versions"])


class Store:
    """The saved applications of all workspaces in one SQLite file; every call is scoped by a workspace id."""

    def __init__(self, path: str | os.PathLike[str] | None = None, timeout: float = 10.0) -> None:
        self.path = Path(path) if path is not None else db_path()
        self.timeout = timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)
            if "kept" not in {r[1] for r in con.execute("PRAGMA table_info(versions)")}:  # a store of before
                con.execute("ALTER TABLE versions ADD COLUMN kept INTEGER NOT NULL DEFAULT 1")
            con.execute("INSERT OR IGNORE INTO store_meta(key, value) VALUES ('schema_version', ?)",
                        (str(STORE_SCHEMA_VERSION),))
            con.commit()

    @classmethod
    def open_default(cls) -> "Store":
        return cls(db_path())

    # -- connections ----------------------------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("PRAGMA busy_timeout=%d" % int(self.timeout * 1000))
            yield con
        finally:
            con.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE: the check and the write of a save cannot interleave)."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # -- workspaces -----------------------------------------------------------------------------------------------

    def ensure_workspace(self, ws_id: str, kind: str, name: str) -> None:
        """Create the workspace row of the local workspace or of a signed-in user if it is missing."""
        if kind not in ("local", "oidc"):
            raise ValueError("only local and oidc workspaces are created implicitly")
        with self._tx() as con:
            con.execute("INSERT OR IGNORE INTO workspaces(id, kind, name, created) VALUES (?, ?, ?, ?)",
                        (ws_id, kind, name, _now()))

    def create_passphrase_workspace(self, ws_id: str, name: str, name_key: str, salt: bytes, secret_hash: bytes,
                                    kdf: str) -> None:
        try:
            with self._tx() as con:
                con.execute(
                    "INSERT INTO workspaces(id, kind, name, name_key, salt, secret_hash, kdf, created) "
                    "VALUES (?, 'passphrase', ?, ?, ?, ?, ?, ?)",
                    (ws_id, name, name_key, salt, secret_hash, kdf, _now()))
        except sqlite3.IntegrityError as e:
            raise WorkspaceExistsError() from e

    def find_passphrase_workspace(self, name_key: str) -> Optional[WorkspaceRow]:
        with self._connect() as con:
            row = con.execute("SELECT * FROM workspaces WHERE kind = 'passphrase' AND name_key = ?",
                              (name_key,)).fetchone()
        if row is None:
            return None
        return WorkspaceRow(id=row["id"], kind=row["kind"], name=row["name"], salt=row["salt"],
                            secret_hash=row["secret_hash"], kdf=row["kdf"], failed_attempts=row["failed_attempts"],
                            locked_until=row["locked_until"])

    def record_login_attempt(self, ws_id: str, ok: bool, lock_until: str = "") -> None:
        with self._tx() as con:
            if ok:
                con.execute("UPDATE workspaces SET failed_attempts = 0, locked_until = '' WHERE id = ?", (ws_id,))
            else:
                con.execute("UPDATE workspaces SET failed_attempts = failed_attempts + 1, locked_until = ? "
                            "WHERE id = ?", (lock_until, ws_id))

    # -- applications ---------------------------------------------------------------------------------------------

    def _get_record(self, con: sqlite3.Connection, ws: str, app_id: str) -> AppRecord:
        row = con.execute(f"SELECT {_APP_COLS} FROM applications a WHERE a.id = ? AND a.workspace = ?",
                          (str(app_id), ws)).fetchone()
        if row is None:
            raise NotFoundError()
        return _record(row)

    def _set_last(self, con: sqlite3.Connection, ws: str, app_id: Optional[str]) -> None:
        con.execute("UPDATE workspaces SET last_app_id = ? WHERE id = ?", (app_id, ws))

    def create(self, ws: str, app: AnyApplication, name: Optional[str] = None, summary: str = "新建") -> AppRecord:
        """A new saved application with its first version; it becomes the workspace's last application."""
        app_id = uuid.uuid4().hex
        now = _now()
        custom = bool(name and name.strip())
        with self._tx() as con:
            if con.execute("SELECT 1 FROM workspaces WHERE id = ?", (ws,)).fetchone() is None:
                raise NotFoundError("工作区")
            con.execute(
                "INSERT INTO applications(id, workspace, name, name_custom, type, domain, is_sample, created, updated,"
                " current_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (app_id, ws, name.strip() if custom and name else default_name(app), int(custom),
                 ApplicantType.parse(app.type).value, app.domain.value, int(app.meta.is_sample), now, now))
            con.execute("INSERT INTO versions(app_id, version, created, data, summary) VALUES (?, 1, ?, ?, ?)",
                        (app_id, now, app_text(app), summary))
            self._set_last(con, ws, app_id)
            return self._get_record(con, ws, app_id)

    def list(self, ws: str) -> list[AppRecord]:
        """The workspace's applications, most recently saved first."""
        with self._connect() as con:
            rows = con.execute(f"SELECT {_APP_COLS} FROM applications a WHERE a.workspace = ? "
                               "ORDER BY a.updated DESC, a.rowid DESC", (ws,)).fetchall()
        return [_record(r) for r in rows]

    def get(self, ws: str, app_id: str) -> AppRecord:
        with self._connect() as con:
            return self._get_record(con, ws, app_id)

    def open(self, ws: str, app_id: str) -> Opened:
        """The current version of an application; it becomes the workspace's last application."""
        with self._tx() as con:
            rec = self._get_record(con, ws, app_id)
            text = con.execute("SELECT data FROM versions WHERE app_id = ? AND version = ?",
                               (rec.id, rec.current_version)).fetchone()["data"]
            self._set_last(con, ws, rec.id)
        return Opened(rec, _parse(text), rec.current_version)

    def last_application(self, ws: str) -> Optional[AppRecord]:
        """The application opened or saved last in the workspace (None if none or deleted)."""
        with self._connect() as con:
            row = con.execute("SELECT last_app_id FROM workspaces WHERE id = ?", (ws,)).fetchone()
            if row is None or not row["last_app_id"]:
                return None
            try:
                return self._get_record(con, ws, row["last_app_id"])
            except NotFoundError:
                return None

    def current_version(self, ws: str, app_id: str) -> int:
        return self.get(ws, app_id).current_version

    def rename(self, ws: str, app_id: str, name: str) -> AppRecord:
        """A name chosen by the user (an empty name goes back to the application's own name)."""
        name = name.strip()
        with self._tx() as con:
            rec = self._get_record(con, ws, app_id)
            if not name:
                text = con.execute("SELECT data FROM versions WHERE app_id = ? AND version = ?",
                                   (rec.id, rec.current_version)).fetchone()["data"]
                con.execute("UPDATE applications SET name = ?, name_custom = 0 WHERE id = ?",
                            (default_name(_parse(text)), rec.id))
            else:
                con.execute("UPDATE applications SET name = ?, name_custom = 1 WHERE id = ?", (name, rec.id))
            return self._get_record(con, ws, rec.id)

    def duplicate(self, ws: str, app_id: str, name: Optional[str] = None) -> AppRecord:
        """A new application with the current content of ``app_id`` (its own history starts at version 1)."""
        with self._connect() as con:
            rec = self._get_record(con, ws, app_id)
            text = con.execute("SELECT data FROM versions WHERE app_id = ? AND version = ?",
                               (rec.id, rec.current_version)).fetchone()["data"]
        return self.create(ws, _parse(text), name or f"{rec.name}（副本）",
                           summary=f"复制自“{rec.name}”第 {rec.current_version} 版")

    def delete(self, ws: str, app_id: str) -> None:
        """Delete an application with all its versions (the UI asks for confirmation first)."""
        with self._tx() as con:
            rec = self._get_record(con, ws, app_id)
            con.execute("DELETE FROM versions WHERE app_id = ?", (rec.id,))
            con.execute("DELETE FROM applications WHERE id = ?", (rec.id,))
            con.execute("UPDATE workspaces SET last_app_id = NULL WHERE id = ? AND last_app_id = ?", (ws, rec.id))

    def save(self, ws: str, app_id: str, app: AnyApplication, base_version: Optional[int], *, force: bool = False,
             summary: Optional[str] = None, auto: bool = False) -> SaveResult:
        """Save ``app`` as a new version if its content changed.

        ``base_version`` is the version the editor started from; if the application was saved since by someone
        else, :class:`ConflictError` is raised and nothing is written, unless ``force`` (an explicit overwrite:
        the other version stays in the history).

        ``auto`` (the app's autosave after each accepted change): the save is as safe as any other, but edits
        made without a pause of :data:`VERSION_PAUSE_SECONDS` become one version in the history, not one per
        field: the version autosave is adding to is replaced by a new one (a new number, so another window's
        save is still a conflict) until a pause, :meth:`keep` (leaving a page, “保存为版本”) or a non-auto save.
        """
        text = app_text(app)
        with self._tx() as con:
            rec = self._get_record(con, ws, app_id)
            cur = rec.current_version
            row = con.execute("SELECT data, created, kept FROM versions WHERE app_id = ? AND version = ?",
                              (rec.id, cur)).fetchone()
            latest = row["data"]
            self._set_last(con, ws, rec.id)
            if latest == text:
                return SaveResult(cur, False)
            if base_version != cur and not force:
                raise ConflictError(cur, base_version, rec.updated)
            if ApplicantType.parse(app.type).value != rec.type:
                raise StoreError("申报类别不能更改：请新建一份申报。")
            merge = auto and not force and not row["kept"] and _age_seconds(row["created"]) < VERSION_PAUSE_SECONDS
            if merge:  # the burst of edits goes on: compare with the version before it
                before = con.execute("SELECT data FROM versions WHERE app_id = ? AND version < ? "
                                     "ORDER BY version DESC LIMIT 1", (rec.id, cur)).fetchone()
                if before is not None:
                    latest = before["data"]
            if summary is None:
                summary = summarize_changes(diff_data(json.loads(latest), json.loads(text)))
                if force and base_version != cur:
                    summary = f"覆盖第 {cur} 版；{summary}"
            new = cur + 1
            now = _now()
            if merge:
                con.execute("DELETE FROM versions WHERE app_id = ? AND version = ?", (rec.id, cur))
            con.execute("INSERT INTO versions(app_id, version, created, data, summary, kept) VALUES (?, ?, ?, ?, ?, ?)",
                        (rec.id, new, now, text, summary, 0 if auto else 1))
            con.execute(
                "UPDATE applications SET current_version = ?, updated = ?, domain = ?, is_sample = ?, "
                "name = CASE WHEN name_custom = 1 THEN name ELSE ? END WHERE id = ?",
                (new, now, app.domain.value, int(app.meta.is_sample), default_name(app), rec.id))
        return SaveResult(new, True, summary)

    def keep(self, ws: str, app_id: str, note: str = "") -> int:
        """Keep the current version in the history as it is (the next autosave starts a new one); ``note`` (for
        instance “手动保存”) is put before its summary. Returns the version's number."""
        with self._tx() as con:
            rec = self._get_record(con, ws, app_id)
            row = con.execute("SELECT summary, kept FROM versions WHERE app_id = ? AND version = ?",
                              (rec.id, rec.current_version)).fetchone()
            summary = row["summary"]
            if note and not summary.startswith(note):
                summary = f"{note}：{summary}"
            if not row["kept"] or summary != row["summary"]:
                con.execute("UPDATE versions SET kept = 1, summary = ? WHERE app_id = ? AND version = ?",
                            (summary, rec.id, rec.current_version))
        return rec.current_version

    # -- versions -------------------------------------------------------------------------------------------------

    def list_versions(self, ws: str, app_id: str) -> list[VersionInfo]:
        """All versions of an application, newest first."""
        with self._connect() as con:
            rec = self._get_record(con, ws, app_id)
            rows = con.execute("SELECT version, created, summary, kept FROM versions WHERE app_id = ? "
                               "ORDER BY version DESC", (rec.id,)).fetchall()
        return [VersionInfo(rec.id, r["version"], r["created"], r["summary"], bool(r["kept"])) for r in rows]

    def get_version(self, ws: str, app_id: str, version: int) -> Version:
        with self._connect() as con:
            rec = self._get_record(con, ws, app_id)
            r = con.execute("SELECT version, created, summary, kept, data FROM versions WHERE app_id = ? "
                            "AND version = ?", (rec.id, int(version))).fetchone()
        if r is None:
            raise NotFoundError(f"第 {version} 版")
        return Version(rec.id, r["version"], r["created"], r["summary"], bool(r["kept"]), text=r["data"])

    def restore_version(self, ws: str, app_id: str, version: int, base_version: Optional[int] = None) -> SaveResult:
        """Make an old version current again by saving a new version equal to it (history is never rewritten).

        With ``base_version`` the restore is refused (ConflictError) if someone saved after that version.
        """
        old = self.get_version(ws, app_id, version)
        app = old.application()
        cur = self.current_version(ws, app_id)
        return self.save(ws, app_id, app, cur if base_version is None else base_version,
                         summary=f"恢复为第 {version} 版")
