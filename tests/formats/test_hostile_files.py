"""Small files that claim (or hold) huge content: each is refused with a Chinese reason or read, in bounded time
and memory, through the CLI in a fresh process (peak memory measured with RUSAGE_CHILDREN)."""

from __future__ import annotations

import re

import pytest

from tests import hostile as h

MAX_SECONDS = 5.0
MAX_MB = 500.0
CHINESE = re.compile(r"[\u4e00-\u9fff]")

CASES = {
    "100 sheets of 1 MB that compress 1000 times": ("xlsx", lambda: h.xlsx_many_sheets(100, dense=False)),
    "50 sheets of 1 MB, never read": ("xlsx", lambda: h.xlsx_many_sheets(50)),
    "a cell at XFD1048576 on every sheet": ("xlsx", h.xlsx_far_cell),
    "document.xml of 20 MB": ("docx", lambda: h.docx_big_document(20)),
    "document.xml of 7.5 MB": ("docx", lambda: h.docx_big_document(7.5)),
    "100 MB of zeros": ("xlsx", lambda: h.zip_bomb("xlsx", 100)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_package_is_bounded(case, tmp_path):
    kind, build = CASES[case]
    src = tmp_path / f"in.{kind}"
    src.write_bytes(build())
    res, seconds, peak = h.measure(["convert", str(src), str(tmp_path / "out.json")])
    print(f"{case}: exit {res.returncode}, {seconds:.2f} s CPU, {peak:.0f} MB")
    assert res.returncode in (0, 2), res.stderr
    assert "Traceback" not in res.stderr
    if res.returncode == 2:
        assert CHINESE.search(res.stderr) and not (tmp_path / "out.json").exists()
    assert seconds < MAX_SECONDS and peak < MAX_MB, (case, seconds, peak)


def test_batch_template_declaring_the_whole_sheet_is_bounded(tmp_path):
    src = tmp_path / "batch.xlsx"
    src.write_bytes(h.batch_template_far())
    out = tmp_path / "rank.xlsx"
    res, seconds, peak = h.measure(["rank", str(src), "--out", str(out), "--no-narrative", "--no-robustness"])
    print(f"batch template A1:XFD1048576: exit {res.returncode}, {seconds:.2f} s CPU, {peak:.0f} MB")
    assert res.returncode == 0, res.stderr
    assert out.exists()
    assert seconds < MAX_SECONDS and peak < MAX_MB


def test_the_app_import_refuses_the_same_files_as_the_cli():
    from scoring.formats.common import ImportProblem, check_upload

    for data, kind in ((h.zip_bomb("docx", 100), "docx"), (h.docx_big_document(20), "docx")):
        with pytest.raises(ImportProblem) as e:
            check_upload(f"a.{kind}", data, ("json", "xlsx", "docx"))
        assert CHINESE.search(e.value.reasons[0])
