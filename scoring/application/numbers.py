"""Numbers as people type them into a form: the text is read as a number or refused with a Chinese reason.

"约5亿元" is not 5: a unit, a word or an estimate inside a number field is refused, and the page keeps the text so
the applicant can correct it. Accepted: full-width digits (５.２), thousands separators (1,234.5 or 1，234), a leading
minus and surrounding spaces.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, Optional, Union

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class NotANumber(ValueError):
    """The text is not a number; ``str(e)`` is the Chinese reason."""


def not_a_number_message(text: str, unit: str = "") -> str:
    shown = text if len(text) <= 30 else text[:29] + "…"
    where = f"（单位已是“{unit}”，不用再写）" if unit else "（单位见栏目名称）"
    return f"“{shown}”不是数字，未保存：请只填写数字{where}，如 5 或 5.2；不要写“约”“亿元”等文字"


def parse_number(value: Any, unit: str = "") -> Optional[float]:
    """None for an empty cell; a float for a number or numeric text; NotANumber (Chinese) for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(not_a_number_message(str(value), unit))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    raw = str(value)
    text = unicodedata.normalize("NFKC", raw).strip().replace("，", ",").replace(" ", "")
    if not text:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        raise NotANumber(not_a_number_message(raw.strip(), unit))
    number = float(text)
    if not math.isfinite(number):
        raise NotANumber(not_a_number_message(raw.strip(), unit))
    return number


def number_text(value: Union[float, int, None]) -> str:
    """A saved number as the text of its cell: ``30.2``, ``5``; empty for None (never "None")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value)) if isinstance(value, float) else str(value)
