"""Bounded reading of a workbook: only the sheets that are needed are handed to openpyxl.

openpyxl (even in read-only mode) scans every worksheet of a package on opening when the sheet does not declare
its dimension, so a small file with many large sheets costs minutes. :func:`prune_workbook` replaces every sheet
that will not be read with an empty one and gives the others a dimension, before openpyxl sees the file. The
package has passed :func:`scoring.formats.common.check_zip` (member sizes are capped), and what is read of the kept
sheets is bounded by :data:`scoring.limits.LIMITS` (rows and columns), never by what the file declares.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Callable

from lxml import etree

_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1"/><sheetData/></worksheet>')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_HAS_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → member path of a package's worksheets (from xl/workbook.xml and its relationships)."""
    wb = etree.fromstring(zf.read("xl/workbook.xml"), _PARSER)
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), _PARSER)
    targets: dict[str, str] = {}
    for rel in rels:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id") or ""] = path
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id") or ""
        if rid in targets:
            out[sheet.get("name") or ""] = targets[rid]
    return out


def prune_workbook(data: bytes, wanted: Callable[[str], bool]) -> bytes:
    """The package with the sheets not ``wanted(name)`` emptied and the wanted ones given a dimension.

    A package that cannot be understood here is returned unchanged (openpyxl then reports it as broken).
    """
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        members = sheet_members(zin)
    except Exception:  # not a workbook we can prune: let the reader say what is wrong
        return data
    keep = {path for name, path in members.items() if wanted(name)}
    drop = set(members.values()) - keep
    out = io.BytesIO()
    with zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            name = info.filename
            if name in drop:
                zout.writestr(name, _EMPTY_SHEET)
                continue
            content = zin.read(name)
            if name in keep and not _HAS_DIMENSION.search(content[:4096]):
                m = _SHEET_DATA.search(content)
                if m:  # a dimension saves openpyxl a scan of the whole sheet
                    content = content[:m.start()] + b'<dimension ref="A1"/>' + content[m.start():]
            zout.writestr(name, content)
    return out.getvalue()
