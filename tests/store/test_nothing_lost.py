"""Nothing lost: a hostile upload, refused or read, leaves the saved draft and every one of its versions as they were.

Each file goes through ``pages.shared.uploads.import_as_new``, the function behind 我的申报 → 导入为新申报 (it reads
with ``read_upload``, the same reader as the other upload boxes), against the store the app uses
(``<SFJD_DATA_DIR>/sfjd.sqlite3``, a fresh folder per test: tests/conftest.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pages` is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from pages.shared import persist, uploads  # noqa: E402
from scoring.application.models import dump_application  # noqa: E402
from scoring.store.workspace import local_workspace  # noqa: E402
from tests import hostile as h  # noqa: E402

CHINESE = re.compile(r"[\u4e00-\u9fff]")

REFUSED = {
    "xlsx: 20 MB of zeros": ("a.xlsx", lambda: h.zip_bomb("xlsx", 20)),
    "xlsx: 100 sheets that compress 1000 times": ("a.xlsx", lambda: h.xlsx_many_sheets(100, dense=False)),
    "docx: 20 MB of zeros": ("a.docx", lambda: h.zip_bomb("docx", 20)),
    "docx: document.xml of 9 MB": ("a.docx", lambda: h.docx_big_document(9)),
    "docx: not a package": ("a.docx", lambda: b"PK\x03\x04" + b"\0" * 100),
    **{f"json: {case}": ("a.json", lambda case=case: h.json_bytes(case))
       for case in ("Infinity", "1e999", "5000-digit integer", "nested 2000 deep", "lone surrogate", "NUL in a text",
                    "ANSI escape in the name", "schema_version 999", "not UTF-8")},
}


def _snapshot(store, ws_id: str) -> dict:
    """Everything a user could read back: the list, the last application, each draft and each of its versions."""
    out = {"list": [(r.id, r.name, r.current_version) for r in store.list(ws_id)],
           "last": store.last_application(ws_id).id}
    for rec in store.list(ws_id):
        opened = store.open(ws_id, rec.id)
        out[rec.id] = {"current": (opened.version, dump_application(opened.app)),
                       "versions": [(v.version, v.summary) for v in store.list_versions(ws_id, rec.id)],
                       **{f"v{v.version}": store.get_version(ws_id, rec.id, v.version).data
                          for v in store.list_versions(ws_id, rec.id)}}
    return out


@pytest.fixture
def saved():
    """A draft of the local workspace with two versions, in the store the app opens; (store, workspace id, draft id)."""
    store = persist.get_store()
    ws = local_workspace(store)
    first = h.sample_app().model_copy(update={"meta": h.sample_app().meta.model_copy(update={"is_sample": False})})
    rec = store.create(ws.id, first, summary="新建")
    second = first.model_copy(deep=True)
    second.basic.park_name = "改名后的园区"
    store.save(ws.id, rec.id, second, rec.current_version)
    versions = store.list_versions(ws.id, rec.id)
    assert sorted(v.version for v in versions) == [1, 2]
    assert store.get_version(ws.id, rec.id, 1).data["basic"]["park_name"] != "改名后的园区"
    assert store.get_version(ws.id, rec.id, 2).data["basic"]["park_name"] == "改名后的园区"
    return store, ws.id, rec.id


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_upload_loses_nothing(case, saved):
    store, ws_id, app_id = saved
    before = _snapshot(store, ws_id)
    name, build = REFUSED[case]
    out = uploads.import_as_new(name, build())
    assert out.app is None and out.errors, (case, out.errors, out.warnings)
    assert all(CHINESE.search(e) for e in out.errors), out.errors
    assert not any("文件无法读取（" in e or "Traceback" in e for e in out.errors), out.errors  # a foreseen reason
    after = _snapshot(store, ws_id)
    assert after == before
    assert after[app_id]["v2"]["basic"]["park_name"] == "改名后的园区"


def test_a_hostile_file_that_is_read_is_a_new_application_and_the_draft_is_untouched(saved):
    """A workbook whose every sheet claims A1:XFD1048576 is read (bounded) and saved as a new application."""
    store, ws_id, app_id = saved
    before = _snapshot(store, ws_id)
    out = uploads.import_as_new("far.xlsx", h.xlsx_far_cell())
    assert out.app is not None and not out.errors, out.errors
    after = _snapshot(store, ws_id)
    assert len(after["list"]) == len(before["list"]) + 1
    assert after[app_id] == before[app_id]
