"""Clean values at the model boundary: text that every export can hold, and finite numbers of plausible size.

The application models (:mod:`scoring.application.models`) call :func:`check_text` on every text value and use
:data:`NUMBER_CAPS` for the upper bound of every number, so a value that would break an export (a control
character, a lone surrogate, a name longer than a document property) or the scoring (infinity, 10³⁰⁰) is refused
with one Chinese message that names the field (:func:`scoring.application.errors.format_validation_error`).
"""

from __future__ import annotations

import re
from typing import Any

from ..limits import LIMITS

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
"""Characters XML (hence .xlsx/.docx) cannot hold, DEL and ANSI escapes (ESC), and lone surrogates."""

NAME_FIELDS = frozenset({"park_name", "name", "applicant_name", "recommender", "catalog_name", "parent_name",
                         "management_body", "approval_authority", "legal_rep", "head", "contact", "phone",
                         "credit_code", "parent_credit_code", "ownership_other"})
"""Short text fields (names): at most :attr:`~scoring.limits.Limits.name_chars` characters."""

NUMBER_CAPS: dict[str, float] = {
    "亿元": 1e6,       # 100 万亿元: more than any park's or company's revenue
    "万元/公顷": 1e7,
    "万元/人": 1e5,
    "公顷": 1e6,
    "人": 1e8,
    "个": 1e7,
    "件": 1e7,
    "%": 1e4,          # growth rates: a hundredfold growth at most (shares are capped at 100 by their field)
}
"""Largest plausible value per unit; a unit not listed is capped at :data:`DEFAULT_CAP`."""
DEFAULT_CAP = 1e9
SERIES_CAP = 1e9
"""Upper bound of a 近三年 series value (amounts, counts and people share one series model)."""
RATE_CAP = 1e4
"""Upper bound of a growth rate in % (a rate is not 10³⁰⁰%)."""
COUNT_CAP = 10**9
"""Upper bound of a count (an integer field)."""


def number_cap(unit: str) -> float:
    return NUMBER_CAPS.get(unit, DEFAULT_CAP)


def _char_name(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"不成对的代理字符 U+{code:04X}"
    if code == 0x1B:
        return "终端转义字符 ESC（U+001B）"
    return f"控制字符 U+{code:04X}"


def check_text(value: str, field: str = "") -> str:
    """``value`` if it is clean; ValueError with a Chinese reason otherwise (the caller names the field)."""
    m = _BAD_CHARS.search(value)
    if m:
        raise ValueError(f"含有不允许的{_char_name(m.group())}（第 {m.start() + 1} 个字符），请删除后再保存")
    cap = LIMITS.name_chars if field in NAME_FIELDS else LIMITS.text_chars
    if len(value) > cap:
        raise ValueError(f"文字过长（{len(value):,} 字），上限 {cap:,} 字")
    return value


def check_value(value: Any, field: str = "") -> Any:
    """Check every text inside ``value`` (a string, or the keys and items of a list or dict)."""
    if isinstance(value, str):
        return check_text(value, field)
    if isinstance(value, dict):
        for k in value:
            if isinstance(k, str):
                check_text(k, "name")
    return value


def strip_bad_chars(text: str) -> str:
    """``text`` without the characters :func:`check_text` refuses (for text shown back to the user)."""
    return _BAD_CHARS.sub("", text)
