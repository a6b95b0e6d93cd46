"""Writing cells so that text from applicants can never become a formula (openpyxl).

openpyxl stores any string that begins with ``=`` as a formula. :func:`put` writes every string as a string cell
(``data_type = "s"``) and, when it begins with a character a spreadsheet may read as the start of a formula
(``= + - @``, tab, carriage return), also sets the cell's *quote prefix*: Excel and WPS then keep it as text even
when the user edits the cell. Characters that the xlsx format cannot hold (control characters) are removed and
over-long text is cut to Excel's limit of 32,767 characters, so one bad value never breaks a whole export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

MAX_CELL_CHARS = 32_767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: str) -> str:
    """Text without the control characters xlsx rejects, cut to the cell limit."""
    t = ILLEGAL_CHARACTERS_RE.sub("", text)
    return t if len(t) <= MAX_CELL_CHARS else t[:MAX_CELL_CHARS - 1] + "…"


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` at (row, column); strings always stay text, numbers stay numbers, None stays empty."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "是" if value else "否"
        cell.data_type = "s"
    elif isinstance(value, (int, float)):
        cell.value = value
    elif isinstance(value, (dt.date, dt.datetime)):
        cell.value = value
    else:
        text = clean_text(str(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def put_row(ws: Worksheet, row: int, values: list[Any], start_column: int = 1) -> list[Cell]:
    return [put(ws, row, start_column + i, v) for i, v in enumerate(values)]
