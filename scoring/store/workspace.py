"""Workspaces: whose saved applications a browser session sees.

Modes (:func:`load_settings`):

- **single user** (default): one local workspace “本地” (id ``local``);
- **several users** (``SFJD_MULTIUSER=1`` in the environment, or ``SFJD_MULTIUSER = true`` / ``[sfjd]
  multiuser = true`` in ``.streamlit/secrets.toml``):

  - when an OIDC provider is configured in the ``[auth]`` section of the secrets, each person signs in with
    ``st.login``; the workspace id is a hash of the provider's user identifier (issuer + subject, else e-mail);
  - otherwise each workspace has a name and a passphrase; the database keeps only a random per-workspace salt and
    the scrypt hash of the passphrase, compared in constant time; repeated wrong passphrases lock that name for
    that client (a minute, then twice as long after each further failure), counted atomically, and an unknown
    name answers exactly like a known one.

A workspace id is only ever put into a session by this module after a successful sign-in (never read from a URL
or typed), and every :class:`scoring.store.drafts.Store` call filters on it, so no id or guess opens another's data.
This module is pure Python: the Streamlit side (``st.login``, the forms) lives in ``pages/persist.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets as _secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from .drafts import LOCAL_WORKSPACE_ID, LOCAL_WORKSPACE_NAME, Store, WorkspaceExistsError, data_dir

ENV_MULTIUSER = "SFJD_MULTIUSER"
MIN_PASSPHRASE_CHARS = 8
MAX_NAME_CHARS = 40
MAX_FAILURES = 5  # consecutive wrong passphrases before each further failure locks the workspace
LOCK_SECONDS = 60

# scrypt with n = 2^14, r = 8, p = 1 (16 MiB, tens of milliseconds); pbkdf2 only where OpenSSL lacks scrypt
_SCRYPT = (2 ** 14, 8, 1)
_PBKDF2_ITERATIONS = 600_000


class WorkspaceError(Exception):
    """Sign-in or workspace creation failed; the message is Chinese and safe to show."""


BAD_CREDENTIALS = "工作区名称或口令不正确。"


# ---------------------------------------------------------------------------------------------------------------
# settings


def _truthy(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("1", "true", "yes", "on", "是")


def oidc_providers(auth: Mapping[str, Any] | None) -> tuple[Optional[str], ...]:
    """Providers configured in the ``[auth]`` section: ``None`` for the unnamed default, else the names.

    A provider counts when it has ``client_id`` and ``server_metadata_url``, and the section has the shared
    ``redirect_uri`` and ``cookie_secret`` that ``st.login`` needs.
    """
    if not auth or not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return ()
    found: list[Optional[str]] = []
    if auth.get("client_id") and auth.get("server_metadata_url"):
        found.append(None)
    for k, v in auth.items():
        if isinstance(v, Mapping) and v.get("client_id") and v.get("server_metadata_url"):
            found.append(str(k))
    return tuple(found)


@dataclass(frozen=True)
class Settings:
    multiuser: bool = False
    oidc_providers: tuple[Optional[str], ...] = ()
    data_dir: Path = Path(".")

    @property
    def mode(self) -> str:
        """``local`` (one workspace), ``oidc`` (st.login) or ``passphrase``."""
        if not self.multiuser:
            return "local"
        return "oidc" if self.oidc_providers else "passphrase"


def load_settings(env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> Settings:
    """Settings from the environment (first) and the Streamlit secrets (a plain mapping here)."""
    env = os.environ if env is None else env
    secrets = secrets or {}
    section = secrets.get("sfjd") if isinstance(secrets.get("sfjd"), Mapping) else {}
    if env.get(ENV_MULTIUSER, "").strip():
        multi = _truthy(env[ENV_MULTIUSER])
    elif ENV_MULTIUSER in secrets:
        multi = _truthy(secrets[ENV_MULTIUSER])
    else:
        multi = _truthy(section.get("multiuser", False))
    explicit = env.get("SFJD_DATA_DIR", "").strip() or str(section.get("data_dir", "") or "").strip() or None
    auth = secrets.get("auth") if isinstance(secrets.get("auth"), Mapping) else None
    return Settings(multiuser=multi, oidc_providers=oidc_providers(auth), data_dir=data_dir(explicit))


# ---------------------------------------------------------------------------------------------------------------
# workspaces


@dataclass(frozen=True)
class Workspace:
    id: str
    kind: str  # local | passphrase | oidc
    name: str


LOCAL = Workspace(LOCAL_WORKSPACE_ID, "local", LOCAL_WORKSPACE_NAME)


def local_workspace(store: Store) -> Workspace:
    store.ensure_workspace(LOCAL.id, LOCAL.kind, LOCAL.name)
    return LOCAL


def user_key(claims: Mapping[str, Any]) -> str:
    """The stable identifier of a signed-in user: issuer + subject when given, else the e-mail address."""
    sub = str(claims.get("sub") or "").strip()
    iss = str(claims.get("iss") or "").strip()
    if sub:
        return f"{iss}|{sub}"
    email = str(claims.get("email") or "").strip().lower()
    return f"email|{email}" if email else ""


def oidc_workspace_id(key: str) -> str:
    return "oidc-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def oidc_workspace(store: Store, claims: Mapping[str, Any]) -> Workspace:
    """The workspace of a user signed in through OIDC (created at first sign-in)."""
    key = user_key(claims)
    if not key:
        raise WorkspaceError("登录信息中没有用户标识（sub 或 email），无法确定工作区。")
    name = str(claims.get("email") or claims.get("name") or "已登录用户")
    ws = Workspace(oidc_workspace_id(key), "oidc", name)
    store.ensure_workspace(ws.id, ws.kind, ws.name)
    return ws


# -- passphrases ------------------------------------------------------------------------------------------------


def _kdf_default() -> str:
    if hasattr(hashlib, "scrypt"):
        n, r, p = _SCRYPT
        return f"scrypt:{n}:{r}:{p}"
    return f"pbkdf2_sha256:{_PBKDF2_ITERATIONS}"


def _derive(passphrase: str, salt: bytes, kdf: str) -> bytes:
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    name, *params = kdf.split(":")
    if name == "scrypt":
        n, r, p = (int(x) for x in params)
        return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)
    if name == "pbkdf2_sha256":
        return hashlib.pbkdf2_hmac("sha256", secret, salt, int(params[0]), dklen=32)
    raise WorkspaceError("工作区口令的加密方式无法识别。")


def hash_passphrase(passphrase: str, salt: Optional[bytes] = None,
                    kdf: Optional[str] = None) -> tuple[bytes, bytes, str]:
    """(salt, hash, kdf): a random 16-byte salt unless given."""
    salt = salt if salt is not None else _secrets.token_bytes(16)
    kdf = kdf or _kdf_default()
    return salt, _derive(passphrase, salt, kdf), kdf


def verify_passphrase(passphrase: str, salt: bytes, expected: bytes, kdf: str) -> bool:
    return hmac.compare_digest(_derive(passphrase, salt, kdf), expected)


def name_key(name: str) -> str:
    """Names compare without case and width differences or repeated spaces (“Ａ组” = “a组”)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_new_workspace(name: str, passphrase: str, confirm: Optional[str] = None) -> list[str]:
    problems = []
    n = name.strip()
    if not n:
        problems.append("请填写工作区名称。")
    elif len(n) > MAX_NAME_CHARS:
        problems.append(f"工作区名称不能超过 {MAX_NAME_CHARS} 个字符。")
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        problems.append(f"口令至少 {MIN_PASSPHRASE_CHARS} 个字符。")
    if confirm is not None and passphrase != confirm:
        problems.append("两次输入的口令不一致。")
    return problems


def create_passphrase_workspace(store: Store, name: str, passphrase: str, confirm: Optional[str] = None) -> Workspace:
    problems = check_new_workspace(name, passphrase, confirm)
    if problems:
        raise WorkspaceError("".join(problems))
    salt, digest, kdf = hash_passphrase(passphrase)
    ws = Workspace("pw-" + _secrets.token_hex(16), "passphrase", name.strip())
    try:
        store.create_passphrase_workspace(ws.id, ws.name, name_key(name), salt, digest, kdf)
    except WorkspaceExistsError as e:
        raise WorkspaceError(str(e)) from e
    return ws


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


MAX_LOCK_SECONDS = 3600
"""The lock grows with each further failure (60 s, 120 s, 240 s …) up to an hour."""

_THROTTLE_TABLE = """CREATE TABLE IF NOT EXISTS login_throttle (
    key TEXT PRIMARY KEY, failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT NOT NULL DEFAULT '')"""


def _throttle_key(name: str, client: str) -> str:
    """One counter per workspace name *and* client: a guesser elsewhere cannot lock the owner out, and an unknown
    name is counted like a known one (so the answers do not tell which names exist)."""
    return hashlib.sha256(f"{name_key(name)}\0{client}".encode("utf-8", "backslashreplace")).hexdigest()


def _reserve_attempt(store: Store, key: str, now: dt.datetime) -> None:
    """Count an attempt *before* checking it, in one write transaction: parallel guesses cannot all pass a
    read-then-write check. Raise the wait message when the key is locked."""
    with store._tx() as con:
        con.execute(_THROTTLE_TABLE)
        row = con.execute("SELECT failures, locked_until FROM login_throttle WHERE key = ?", (key,)).fetchone()
        failures, locked = (int(row[0]), str(row[1])) if row else (0, "")
        if locked:
            until = dt.datetime.fromisoformat(locked)
            if now < until:
                wait = max(1, int((until - now).total_seconds() + 0.999))
                raise WorkspaceError(f"口令错误次数过多，请 {wait} 秒后再试。")
        failures += 1
        lock = ""
        if failures >= MAX_FAILURES:
            seconds = min(MAX_LOCK_SECONDS, LOCK_SECONDS * 2 ** (failures - MAX_FAILURES))
            lock = (now + dt.timedelta(seconds=seconds)).isoformat()
        con.execute("INSERT INTO login_throttle (key, failures, locked_until) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
                    (key, failures, lock))


def _clear_attempts(store: Store, key: str) -> None:
    with store._tx() as con:
        con.execute(_THROTTLE_TABLE)
        con.execute("DELETE FROM login_throttle WHERE key = ?", (key,))


def open_passphrase_workspace(store: Store, name: str, passphrase: str,
                              now: Optional[dt.datetime] = None, client: str = "") -> Workspace:
    """Sign in to a passphrase workspace; a wrong name or passphrase gives the same message.

    Attempts are counted per name and ``client`` (the UI passes a hash of the browser's address) atomically and
    before the check; after :data:`MAX_FAILURES` the pair is locked for a growing time. Unknown names take the
    same path, the same scrypt work and get the same answers as known ones.
    """
    now = now or _now()
    key = _throttle_key(name, client)
    _reserve_attempt(store, key, now)
    row = store.find_passphrase_workspace(name_key(name))
    if row is None or row.salt is None or row.secret_hash is None:
        hash_passphrase(passphrase, b"\0" * 16)  # same work as a real check: the answer time does not tell
        raise WorkspaceError(BAD_CREDENTIALS)
    if verify_passphrase(passphrase, row.salt, row.secret_hash, row.kdf):
        _clear_attempts(store, key)
        store.record_login_attempt(row.id, ok=True)
        return Workspace(row.id, "passphrase", row.name)
    raise WorkspaceError(BAD_CREDENTIALS)
