"""The form's own words that differ between Annex 2 (park) and Annex 3 (enterprise) where the models are shared.

Most of the form's wording lives on the model fields (:mod:`scoring.application.models`: ``title``, and
``json_schema_extra`` keys ``form_label``, ``form_note``, ``on_form``, ``unit_on_form`` — see :func:`form_words`).
A few parts are one model for both forms but worded differently on each: the hints under the five headings of
``二、创建工作方案`` and the park's ``主导产业高水平人才数量``. They are here, per applicant type, verbatim from the
annexes; :mod:`scoring.application.formspec`, the Word 申请书 (:mod:`scoring.formats.word.layout`) and the
创建工作方案 page read them from here. Imports nothing but the ids.
"""

from __future__ import annotations

from typing import Any, Optional

from .ids import ApplicantType, Section

# keys of a model field's json_schema_extra that carry the form's wording
FORM_LABEL = "form_label"
"""The form's row label (without its unit) where it differs from the field's self-contained ``title``: the form
relies on its heading (``主导产业近三年发展情况`` → ``规模以上企业营业收入``) or words the row its own way."""
FORM_NOTE = "form_note"
"""The form's note on the row or heading, verbatim (``同一企业不重复计算``); shown as help or caption."""
ON_FORM = "on_form"
"""``False``: the field is not a row of the form (facts the tool needs, our own split of a field); on a part of the
model shown as one group, its heading is the tool's (two of the form's headings joined), the rows may be the form's."""
ROWS_ON_FORM = "rows_on_form"
"""``False`` on a part of the model: none of its rows is on the form either (eligibility facts, attestations)."""
UNIT_ON_FORM = "unit_on_form"
"""``False``: the form writes no unit on this row (the app shows the model's unit anyway)."""
FORM_GROUP = "form_group"
"""A lone 近三年 row at the root of the model: the heading the form puts above it (``主导产业融资情况``)."""


def form_words(label: Optional[str] = None, note: Optional[str] = None, *, on_form: bool = True,
               unit_on_form: bool = True, group: Optional[str] = None, rows_on_form: bool = True) -> dict[str, Any]:
    """The ``json_schema_extra`` entries for a field's form wording (only what differs from the defaults)."""
    out: dict[str, Any] = {}
    if label:
        out[FORM_LABEL] = label
    if note:
        out[FORM_NOTE] = note
    if not on_form:
        out[ON_FORM] = False
    if not unit_on_form:
        out[UNIT_ON_FORM] = False
    if not rows_on_form:
        out[ROWS_ON_FORM] = False
    if group:
        out[FORM_GROUP] = group
    return out


SECTION_GUIDANCE: dict[ApplicantType, dict[Section, str]] = {
    ApplicantType.PARK: {
        Section.BASIS: "主要包括园区整体发展情况、主导产业发展情况。",
        Section.APPROACH: "主要包括发展定位、创建目标和发展思路。",
        Section.TASKS: "围绕发展定位和目标，下一步拟开展的重点工作。重点任务应包括总结推广和辐射带动相关工作考虑。",
        Section.SCHEDULE: "创建期内落实各项重点任务的时间节点安排。",
        Section.SAFEGUARDS: "主要包括组织实施机制、工作基础、要素保障等。",
    },
    ApplicantType.ENTERPRISE: {
        Section.BASIS: "主要包括企业整体发展情况、重点领域发展情况。",
        Section.APPROACH: "主要包括发展定位、创建目标和发展思路。",
        Section.TASKS: "围绕发展定位和目标，下一步拟开展的重点工作。重点任务应包括总结推广和辐射带动相关工作考虑。",
        Section.SCHEDULE: "创建期内落实各项重点任务的时间节点安排。",
        Section.SAFEGUARDS: "主要包括工作基础、要素保障等。",
    },
}
"""The hint under each heading of ``二、创建工作方案`` (Annex 2 for park, Annex 3 for enterprise), verbatim."""

TYPE_WORDS: dict[ApplicantType, dict[str, dict[str, Any]]] = {
    ApplicantType.PARK: {
        "talent.high_level": form_words("主导产业高水平人才数量"),
        "talent.high_level_share": form_words("主导产业高水平人才占比"),
    },
    ApplicantType.ENTERPRISE: {},
}
"""Form wording of shared model fields that differs by applicant type (model path → ``form_words(...)``, laid over
the field's own entries)."""


def section_guidance(app_type: ApplicantType | str, section: Section | str) -> str:
    """The form's hint under a heading of 创建工作方案 for this type of applicant."""
    return SECTION_GUIDANCE[ApplicantType.parse(app_type)][Section.parse(section)]  # type: ignore[index]


def type_words(app_type: ApplicantType | str) -> dict[str, dict[str, Any]]:
    """Model path → the form's wording for this type (the 创建工作方案 hints included)."""
    t = ApplicantType.parse(app_type)
    out = {p: dict(w) for p, w in TYPE_WORDS[t].items()}  # type: ignore[index]
    for sec, hint in SECTION_GUIDANCE[t].items():  # type: ignore[index]
        out.setdefault(f"work_plan.{sec.value}", {})[FORM_NOTE] = hint
    return out
