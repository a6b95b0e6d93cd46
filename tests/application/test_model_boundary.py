"""Property-based tests of the model boundary (Hypothesis): any number is either a finite value within its
field's bounds or refused with one Chinese message naming the field; any text either exports to every format and
reads back equal, or is refused likewise; and applicant text never becomes Markdown."""

from __future__ import annotations

import math
import re

from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import ValidationError

from scoring.application.errors import format_validation_error
from scoring.application.models import parse_application
from tests.hostile import sample_dict

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NUMBER_PATHS = [("main", "total_revenue", "y2023"), ("main", "total_revenue_growth", "y2024"),
                ("lead", "share", "y2025"), ("lead", "firms"), ("basic", "planned_area"), ("talent", "staff")]


def _set(d, path, v):
    cur = d
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = v
    return d


numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-10**40, max_value=10**40),
                    st.sampled_from(["inf", "-inf", "nan", "1e999", "Infinity", "1e308"]))


@FAST
@given(path=st.sampled_from(NUMBER_PATHS), value=numbers)
def test_numbers_are_finite_and_bounded_or_refused_in_chinese(path, value):
    try:
        app = parse_application(_set(sample_dict(), list(path), value))
    except ValidationError as e:
        lines = format_validation_error(e)
        assert len(lines) == 1 and CHINESE.search(lines[0]) and len(lines[0]) < 300
        return
    got = app
    for p in path:
        got = getattr(got, p)
    assert got is None or (math.isfinite(got) and abs(got) <= 1e9)


@FAST
@given(text=st.text(max_size=300))
def test_text_is_clean_or_refused_in_chinese(text):
    try:
        app = parse_application(_set(sample_dict(), ["basic", "park_name"], text))
    except ValidationError as e:
        lines = format_validation_error(e)
        assert len(lines) == 1 and lines[0].startswith("园区基本信息 › 园区名称：")
        return
    name = app.basic.park_name
    assert len(name) <= 200 and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", name)


clean_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    lambda t: t.strip() == t and t.strip() != "")


@SLOW
@given(name=clean_text, revenue=st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda v: round(v, 2)))
def test_round_trip_json_excel_word(name, revenue):
    from scoring.formats.excel import export_xlsx, import_xlsx
    from scoring.formats.json_io import export_json, import_json
    from scoring.formats.word import export_application_docx, import_application_docx

    d = _set(_set(sample_dict(), ["basic", "park_name"], name), ["main", "total_revenue", "y2023"], revenue)
    try:
        app = parse_application(d)
    except ValidationError:
        return  # refused at the boundary (covered above)
    assert import_json(export_json(app)) == app
    back, problems = import_xlsx(export_xlsx(app))
    assert back.basic.park_name == name and back.main.total_revenue.y2023 == revenue, problems
    doc, problems = import_application_docx(export_application_docx(app))
    assert doc is not None and doc.main.total_revenue.y2023 == revenue, problems


@FAST
@given(text=st.text(max_size=80))
def test_applicant_text_is_never_markup(text):
    from pages.shared.display import md_escape

    out = md_escape(text)
    assert "\n" not in out
    for ch in "*_[]()!`<>#|~":
        assert out.count(ch) == out.count("\\" + ch)
