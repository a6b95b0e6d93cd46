"""The 三、附件清单 of one application against the rule pack's checklist: what is attached, what is still missing,
what does not apply, and (enterprises) whether every award and standard states the enterprise's place among all
participants, as Annex 3 asks.

A missing attachment is a 待办 (to do before submitting), never a failed eligibility rule: the notice asks the city's
工信部门 to check the materials' completeness (通知三（二）), it sets no rule on them. ``check_materials`` returns a
:class:`Checklist` used by 自评结果, the 自评报告 and the Word 申请书.
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict

from ..application.attachments import MATERIAL_STATUS_LABELS, MaterialEntry
from ..application.ids import ApplicantType
from ..application.models import AnyApplication, EnterpriseApplication
from ..programme.materials import Material, MaterialsRubric, load_materials

STATUS_ORDER: tuple[str, ...] = tuple(MATERIAL_STATUS_LABELS.values())  # 已附 尚未附 不适用


class _C(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChecklistRow(_C):
    id: str
    number: int
    text: str
    status: str
    status_label: str
    note: str = ""
    ranks: Optional[str] = None
    """``award_entries`` / ``standard_entries`` when the item asks for the enterprise's place among participants."""
    todo: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.number}.{self.text}"


class Checklist(_C):
    type: ApplicantType
    title: str
    intro: str
    source: str
    rows: tuple[ChecklistRow, ...]
    unknown: tuple[str, ...] = ()
    """Ids the application holds that this pack does not list (kept as they are)."""
    rank_todos: tuple[str, ...] = ()

    def count(self, status_label: str) -> int:
        return sum(1 for r in self.rows if r.status_label == status_label)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in STATUS_ORDER}

    @property
    def missing(self) -> tuple[ChecklistRow, ...]:
        return tuple(r for r in self.rows if r.status == "pending")

    @property
    def todos(self) -> tuple[str, ...]:
        """Every 待办 in the form's order: items still to attach, notes to write, places to state."""
        out = [f"{r.label}：{t}" for r in self.rows for t in r.todo]
        return tuple(out) + self.rank_todos

    @property
    def summary(self) -> str:
        """``已附 5 项，尚未附 2 项，不适用 1 项``."""
        return "，".join(f"{s} {n} 项" for s, n in self.counts.items())


def _awards_total(app: EnterpriseApplication) -> int:
    a = app.awards
    return sum(int(getattr(a, k) or 0) for k in type(a).model_fields if k != "weighted")


def _standards_total(app: EnterpriseApplication) -> int:
    s = app.standards
    return sum(int(v or 0) for v in (s.international, s.national, s.industry))


def rank_todos(app: AnyApplication) -> list[str]:
    """What Annex 3 (附件清单 3 and 5) still wants: each award and standard with the enterprise's place."""
    if not isinstance(app, EnterpriseApplication):
        return []
    out: list[str] = []
    for what, entries, total, item in (("科技奖励", app.award_entries, _awards_total(app), 3),
                                       ("标准", app.standard_entries, _standards_total(app), 5)):
        incomplete = [e.name or f"第{i}行" for i, e in enumerate(entries, 1) if not e.rank_complete]
        if incomplete:
            out.append(f"{what}清单中 {len(incomplete)} 项未填齐本企业排序和参与单位总数："
                       + "、".join(incomplete[:5]) + ("等" if len(incomplete) > 5 else ""))
        if total and not entries:
            out.append(f"已填{what} {total} 个，{what}清单中尚未逐项列出（附件清单第{item}项需要明确企业在所有参与单位中的排序）")
        elif total > len(entries) > 0:
            out.append(f"已填{what} {total} 个，{what}清单只列出 {len(entries)} 项")
    return out


def _row(m: Material, entry: Optional[MaterialEntry]) -> ChecklistRow:
    e = entry or MaterialEntry()
    todo: list[str] = []
    if e.status == "pending":
        todo.append("尚未附")
    elif e.status == "not_applicable" and not e.note.strip():
        todo.append("标为不适用，请写明理由")
    return ChecklistRow(id=m.id, number=m.number, text=m.text, status=e.status, status_label=e.status_label,
                        note=e.note, ranks=m.ranks, todo=tuple(todo))


def check_materials(app: AnyApplication, rubric: Optional[MaterialsRubric] = None) -> Checklist:
    """The application's checklist against the pack's items (:class:`~scoring.programme.rubric.RubricError` when
    the pack has no ``materials.yaml``)."""
    r = rubric or load_materials()
    t = ApplicantType.parse(app.type)
    items = r.for_type(t)
    known = {m.id for m in items}
    rows = tuple(_row(m, app.materials.get(m.id)) for m in items)
    return Checklist(type=t, title=r.title, intro=r.intro, source=r.source, rows=rows,
                     unknown=tuple(k for k in app.materials if k not in known), rank_todos=tuple(rank_todos(app)))


__all__ = ["Checklist", "ChecklistRow", "STATUS_ORDER", "check_materials", "rank_todos"]
