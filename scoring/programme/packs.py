"""Rule packs: everything that belongs to one call of the programme lives in one folder under ``rubrics/``.

A pack folder holds ``pack.yaml`` (the call's identity: the notice, its issuer and date, the deadline, how and to
whom the applications are submitted, the contact, the domains of the call — each with its source in the notice) and
the rubric files every loader reads (indicators, eligibility, points, quotas, ranking, conflicts, evidence,
narrative, coverage). A new call is a copied folder with edited data; no code changes.

Where packs are found: every folder with a ``pack.yaml`` directly under ``rubrics/`` and under each folder listed
in ``$SFJD_PACKS_DIR`` (several separated by ``os.pathsep``; a listed folder may also be a pack itself).

Which pack is used:

* the pack chosen for the current context (:func:`use_pack`, :func:`activate`) — a :class:`contextvars.ContextVar`,
  so that two sessions of one Streamlit server (each page run in its own thread) never see each other's choice;
* otherwise the pack the app says the session running in this thread has chosen (:func:`set_context_resolver`:
  the app registers a function reading its session state, so widget callbacks, which run before the page script,
  use the session's pack too);
* otherwise ``$SFJD_RUBRIC_DIR``, a rubric folder (for instance a copy of a pack with other weights);
* otherwise the default pack: ``$SFJD_PACK`` if set, else the newest call (latest notice date).

Every loader that caches keys its cache on the file's path (and modification time), so switching packs never
returns another pack's data.
"""

from __future__ import annotations

import contextlib
import os
import re
from contextvars import ContextVar, Token
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from ..application.ids import Domain
from .yamlio import RubricError, read_yaml

PACKS_ROOT = Path(__file__).resolve().parents[2] / "rubrics"
PACK_FILE = "pack.yaml"
ENV_PACKS = "SFJD_PACKS_DIR"
ENV_RUBRIC_DIR = "SFJD_RUBRIC_DIR"
ENV_DEFAULT = "SFJD_PACK"
ENV_TODAY = "SFJD_TODAY"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class PackNotFound(RubricError):
    """No pack has the asked id (message in Chinese, lists the packs there are)."""


class _P(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Notice(_P):
    title: str
    number: str = Field(description="文号")
    source: str


class Issuer(_P):
    name: str
    source: str


class Dated(_P):
    date: date
    text: str = Field(description="the date as the notice writes it")
    source: str


class Submission(_P):
    text: str = Field(description="the notice's sentence, verbatim")
    source: str
    by: str = Field(default="", description="who submits (the notice's words)")
    materials: tuple[str, ...] = Field(default=(), description="what is submitted, each in the notice's words")
    copies: str = Field(default="", description="how many copies, in the notice's words")
    manner: str = Field(default="", description="how it is sent, in the notice's words")
    to: str = Field(default="", description="to whom (the 我厅 of the sentence, by name)")


class Quoted(_P):
    text: str = Field(description="the notice's sentence, verbatim")
    source: str


class Recommender(_P):
    name: str = Field(description="what the applicant writes as 推荐单位 on the form's cover")
    text: str = Field(description="the notice's sentence, verbatim")
    source: str


class Contact(_P):
    office: str = ""
    person: str = ""
    phone: str = ""
    source: str


class Domains(_P):
    ids: tuple[Domain, ...]
    source: str


class PackInfo(_P):
    """The identity of one call (``pack.yaml``)."""

    id: str
    name: str
    province: str
    year: int = Field(ge=2000, le=2100)
    batch: str
    notice: Notice
    issuer: Issuer
    notice_date: Dated
    deadline: Dated
    submission: Submission
    precondition: Optional[Quoted] = Field(
        default=None, description="what must come before filling in the 申请书 (通知三（一）: 经所在地工信部门确认……)")
    recommender: Recommender
    contact: Optional[Contact] = None
    domains: Domains
    note: str = ""
    _directory: Path = PrivateAttr(default=PACKS_ROOT)

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"规则包编号“{v}”只能由小写字母、数字和连字符组成（例如 fujian-2026-1）")
        return v

    @property
    def directory(self) -> Path:
        return self._directory

    def days_left(self, today: Optional[date] = None) -> int:
        """Days from ``today`` (default: :func:`today_date`) to the deadline (0 on the day, negative after it)."""
        return (self.deadline.date - (today or today_date())).days

    def deadline_passed(self, today: Optional[date] = None) -> bool:
        return self.days_left(today) < 0

    def deadline_status(self, today: Optional[date] = None) -> str:
        """``已截止（2026年4月4日）``, ``今天截止``, ``还剩 N 天（截止 …）``."""
        n = self.days_left(today)
        when = self.deadline.text
        if n < 0:
            return f"已截止（{when}）"
        if n == 0:
            return f"今天截止（{when}）"
        return f"还剩 {n} 天（截止 {when}）"

    @property
    def citation(self) -> str:
        """``《…通知》（闽工信函产业〔2026〕132号）``."""
        return f"《{self.notice.title}》（{self.notice.number}）"

    @property
    def label(self) -> str:
        """The pack as a chooser shows it: its name and the deadline's date."""
        return f"{self.name}（{self.deadline.text}截止）"


def today_date() -> date:
    """Today, or the date in ``$SFJD_TODAY`` (``2026-12-01``; for tests and rehearsals of a call)."""
    raw = os.environ.get(ENV_TODAY, "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError as e:
        raise RubricError(f"环境变量 {ENV_TODAY} 应为日期，例如 2026-12-01，而不是“{raw}”") from e


# ---------------------------------------------------------------------------------------------------------------
# finding packs


@lru_cache(maxsize=32)
def _load_info(path: str, mtime: float) -> PackInfo:
    try:
        info = PackInfo.model_validate(read_yaml(Path(path)) or {})
    except ValidationError as e:
        raise RubricError(f"规则包说明文件内容有误：{path}\n{e}") from e
    info._directory = Path(path).parent
    return info


def load_pack_info(directory: Path) -> PackInfo:
    """The ``pack.yaml`` of a folder (cached by path and modification time)."""
    p = Path(directory) / PACK_FILE
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到规则包说明文件：{p}") from e
    return _load_info(str(p), mtime)


def pack_roots() -> list[Path]:
    """``rubrics/`` and the folders of ``$SFJD_PACKS_DIR``."""
    extra = [Path(x) for x in os.environ.get(ENV_PACKS, "").split(os.pathsep) if x.strip()]
    return [PACKS_ROOT, *extra]


def _pack_dirs(root: Path) -> list[Path]:
    if (root / PACK_FILE).is_file():
        return [root]
    try:
        return sorted(d for d in root.iterdir() if (d / PACK_FILE).is_file())
    except OSError:  # a listed folder that does not exist or cannot be read holds no pack
        return []


def _env_dir() -> Optional[Path]:
    env = os.environ.get(ENV_RUBRIC_DIR)
    return Path(env) if env else None


def _packs() -> dict[str, PackInfo]:
    found: dict[str, PackInfo] = {}
    for root in pack_roots():
        for d in _pack_dirs(root):
            info = load_pack_info(d)
            if info.id in found and found[info.id].directory.resolve() != d.resolve():
                raise RubricError(f"规则包编号“{info.id}”重复：{found[info.id].directory} 与 {d}")
            found[info.id] = info
    env = _env_dir()
    if env is not None and (env / PACK_FILE).is_file():  # $SFJD_RUBRIC_DIR names its pack: it replaces that id
        info = load_pack_info(env)
        found[info.id] = info
    return found


def _newest_first(p: PackInfo) -> tuple[int, str]:
    return (-p.notice_date.date.toordinal(), p.id)


def list_packs() -> list[PackInfo]:
    """Every pack, the newest call first (by notice date, then id)."""
    return sorted(_packs().values(), key=_newest_first)


def _unknown(pack_id: str, packs: dict[str, PackInfo]) -> PackNotFound:
    there = "；".join(f"{p.id}（{p.name}）" for p in sorted(packs.values(), key=_newest_first)) or "（没有规则包）"
    return PackNotFound(f"没有编号为“{pack_id}”的规则包。可选：{there}")


def get_pack(pack_id: str) -> PackInfo:
    packs = _packs()
    key = str(pack_id).strip()
    if key not in packs:
        raise _unknown(key, packs)
    return packs[key]


def default_pack() -> PackInfo:
    """``$SFJD_PACK``; else the pack of ``$SFJD_RUBRIC_DIR`` (if it has a ``pack.yaml``); else the newest call."""
    packs = _packs()
    pinned = os.environ.get(ENV_DEFAULT, "").strip()
    if pinned:
        if pinned not in packs:
            raise _unknown(pinned, packs)
        return packs[pinned]
    env = _env_dir()
    if env is not None and (env / PACK_FILE).is_file():
        return load_pack_info(env)
    if not packs:
        raise RubricError(f"找不到任何规则包（{'、'.join(str(r) for r in pack_roots())} 下没有含 {PACK_FILE} 的文件夹）")
    return min(packs.values(), key=_newest_first)


# ---------------------------------------------------------------------------------------------------------------
# the active pack


_ACTIVE: ContextVar[Optional[PackInfo]] = ContextVar("sfjd_active_pack", default=None)
_RESOLVER: list[Callable[[], Optional[str]]] = []


def set_context_resolver(resolver: Optional[Callable[[], Optional[str]]]) -> None:
    """Register how the app tells the pack chosen by the session whose code runs in this thread (an id, or
    ``None``: no choice). Consulted only when no pack was chosen with :func:`use_pack`/:func:`activate`."""
    _RESOLVER[:] = [resolver] if resolver is not None else []


def activate(pack: Union[str, PackInfo, None]) -> Token[Optional[PackInfo]]:
    """Make a pack the active one in the current context (``None``: no choice, the default applies).

    Returns the token for :func:`reset`. Raises :class:`PackNotFound` for an unknown id.
    """
    if isinstance(pack, PackInfo):
        return _ACTIVE.set(pack)
    return _ACTIVE.set(get_pack(pack) if pack else None)


def reset(token: Token[Optional[PackInfo]]) -> None:
    """Undo :func:`activate` (the choice before it applies again)."""
    _ACTIVE.reset(token)


@contextlib.contextmanager
def use_pack(pack: Union[str, PackInfo, None]) -> Iterator[PackInfo]:
    """``with use_pack("fujian-2026-1"): ...`` — every loader inside reads that pack's files."""
    token = activate(pack)
    try:
        yield active_pack()
    finally:
        reset(token)


def chosen_pack() -> Optional[PackInfo]:
    """The pack chosen for the current context (or by the app's session), ``None`` when nothing was chosen."""
    chosen = _ACTIVE.get()
    if chosen is not None or not _RESOLVER:
        return chosen
    pack_id = _RESOLVER[0]()
    if not pack_id:
        return None
    try:
        return get_pack(pack_id)
    except PackNotFound:  # a pack removed while a session had it chosen: the default applies (the app says so)
        return None


def active_pack() -> PackInfo:
    """The pack in use: the chosen one, else the default (:func:`default_pack`)."""
    return chosen_pack() or default_pack()


def rubric_dir() -> Path:
    """The rubric folder in use: the chosen pack's, else ``$SFJD_RUBRIC_DIR``, else the default pack's."""
    chosen = chosen_pack()
    if chosen is not None:
        return chosen.directory
    return _env_dir() or default_pack().directory


def pack_key() -> str:
    """A cache key for everything read from the rubrics: the folder in use."""
    return str(rubric_dir())
