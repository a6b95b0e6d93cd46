"""The filing rules of a call (通知三) where people act on them: who may apply and when, what is submitted, how many
copies, to whom and by when — and how many days are left, or that the deadline has passed.

Everything comes from the pack's ``pack.yaml`` (:class:`scoring.programme.packs.PackInfo`), each part with its
source in the notice; today's date is :func:`scoring.programme.packs.today_date` (``$SFJD_TODAY`` in tests) unless
given. The pages draw :class:`FilingRules` (``pages/shared/filing.py``); nothing here is worded by the tool except
the deadline state and the labels of the parts.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from pydantic import BaseModel, ConfigDict

from .packs import PackInfo, active_pack, today_date


class Quote(BaseModel):
    """A sentence of the notice and where it is."""

    model_config = ConfigDict(frozen=True)
    text: str
    source: str


class FilingRules(BaseModel):
    """What the notice says about filing, and where today stands against the deadline."""

    model_config = ConfigDict(frozen=True)
    pack_id: str
    pack_name: str
    today: date
    deadline: date
    deadline_text: str
    days_left: int
    """0 on the day itself, negative after it."""
    passed: bool
    state: str
    """``还剩 N 天`` / ``今天截止`` / ``已截止（已过 N 天）``."""
    status: str
    """One sentence with the date and the state: ``报送截止：2026年4月4日（已截止，已过 241 天）``."""
    submission: Quote
    by: str = ""
    materials: tuple[str, ...] = ()
    copies: str = ""
    manner: str = ""
    to: str = ""
    precondition: Optional[Quote] = None
    recommender: Quote
    contact: Optional[Quote] = None
    note: str = ""

    @property
    def checklist(self) -> list[tuple[str, str]]:
        """(what, the notice's words) for the 设区市工信局: 报送材料, 份数, 方式, 报送单位, 截止."""
        rows = [("报送材料", "；".join(self.materials)), ("份数", self.copies),
                ("方式", f"{self.manner}{self.to}" if self.manner and self.to else self.manner),
                ("报送单位", self.by), ("截止", f"{self.deadline_text}前（{self.state}）")]
        return [(k, v) for k, v in rows if v]


def deadline_state(days_left: int) -> str:
    if days_left < 0:
        return f"已截止，已过 {-days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"还剩 {days_left} 天"


def filing_rules(pack: Optional[PackInfo] = None, today: Optional[date] = None) -> FilingRules:
    """The filing rules of ``pack`` (default: the pack in use) as of ``today`` (default: :func:`today_date`)."""
    p = pack or active_pack()
    day = today or today_date()
    n = p.days_left(day)
    state = deadline_state(n)
    s = p.submission
    contact = None
    if p.contact is not None and (p.contact.person or p.contact.phone):
        who = f"{p.contact.office}{p.contact.person}"
        contact = Quote(text="，".join(x for x in (who, p.contact.phone) if x), source=p.contact.source)
    return FilingRules(
        pack_id=p.id, pack_name=p.name, today=day, deadline=p.deadline.date, deadline_text=p.deadline.text,
        days_left=n, passed=n < 0, state=state, status=f"报送截止：{p.deadline.text}（{state}）",
        submission=Quote(text=s.text, source=s.source), by=s.by, materials=tuple(s.materials), copies=s.copies,
        manner=s.manner, to=s.to,
        precondition=None if p.precondition is None else Quote(text=p.precondition.text, source=p.precondition.source),
        recommender=Quote(text=p.recommender.text, source=p.recommender.source), contact=contact, note=p.note)
