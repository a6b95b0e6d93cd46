"""The two kinds of AI enterprise (Annex 5, 人工智能): which points are each kind's, read from the annex itself, and
the loader that gives an enterprise of a kind only its own and the common points."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from scoring.application.ids import AiKind
from scoring.programme.points import EvalPoint, kind_specific_points, load_points_file, points_for

from test_point_sources import SEED, _annex, _norm, _paragraphs, needs_seed  # noqa: E402 (beside this file)

KIND_OF_SENTENCE = {"针对创新型企业": AiKind.INNOVATIVE, "针对应用型企业": AiKind.APPLICATION}
KIND_IN_PARENS = {"（创新型企业）": AiKind.INNOVATIVE, "（应用型企业）": AiKind.APPLICATION}


def _expected_kinds(section_text: str, source: str) -> set[AiKind]:
    """The kind the annex addresses a source to: the sentence it is in starts with 针对X型企业, or it names the kind in
    parentheses (开源开放(创新型企业)); otherwise none (common to both)."""
    src = _norm(source)
    for mark, kind in KIND_IN_PARENS.items():
        if src.endswith(mark):
            return {kind}
    for sentence in re.split("。", section_text):
        if src in sentence:
            return {k for mark, k in KIND_OF_SENTENCE.items() if sentence.startswith(mark)}
    raise AssertionError(f"source not in the annex: {source}")


@needs_seed
def test_the_kinds_of_the_ai_enterprise_points_follow_the_annex_sentence_by_sentence():
    paragraphs = {sec: text for sec, dom, text in _paragraphs(_annex(SEED.read_text(encoding="utf-8"), 5))
                  if dom == "ai"}
    points = [p for p in load_points_file("enterprise").points if p.domain == "ai"]
    for p in points:
        assert set(p.kinds) == _expected_kinds(paragraphs[p.section.value], p.source), p.id
    # every section with kind-specific wording has points of both kinds, and common points remain
    for sec in ("basis", "approach", "tasks"):
        kinds = {k for p in points if p.section.value == sec for k in p.kinds}
        assert kinds == {AiKind.INNOVATIVE, AiKind.APPLICATION}, sec
    assert {p.id for p in points if not p.kinds} >= {"enterprise.ai.basis.business_model",
                                                     "enterprise.ai.tasks.open_source",
                                                     "enterprise.ai.tasks.international"}


def test_an_enterprise_of_a_kind_gets_its_own_and_the_common_points_only():
    every = points_for("enterprise", "ai")
    innovative = points_for("enterprise", "ai", ai_kind="创新型")
    application = points_for("enterprise", "ai", ai_kind=AiKind.APPLICATION)
    assert not [p.id for p in innovative if AiKind.APPLICATION in p.kinds]
    assert not [p.id for p in application if AiKind.INNOVATIVE in p.kinds]
    common = [p.id for p in every if not p.kinds]
    assert [p.id for p in innovative if not p.kinds] == common == [p.id for p in application if not p.kinds]
    # not chosen: both kinds, each point marked with its kind
    assert {p.id for p in every} == {p.id for p in innovative} | {p.id for p in application}
    assert "enterprise.ai.approach.open_source" in {p.id for p in innovative}
    assert "enterprise.ai.approach.application_empowerment" in {p.id for p in application}
    marked = {p.id: p.domain_label for p in kind_specific_points("enterprise", "ai")}
    assert marked["enterprise.ai.basis.innovative_tech"] == "人工智能（创新型企业）"
    assert marked["enterprise.ai.tasks.scale_reuse"] == "人工智能（应用型企业）"
    # one section at a time, the same filter
    assert [p.id for p in points_for("enterprise", "ai", "approach", ai_kind="application") if p.domain == "ai"] == \
        ["enterprise.ai.approach.application_empowerment"]


@pytest.mark.parametrize("app_type,domain", [("park", "ai"), ("enterprise", "software"), ("enterprise", "robot")])
def test_parks_and_other_domains_have_no_kinds(app_type, domain):
    assert kind_specific_points(app_type, domain) == []
    assert points_for(app_type, domain, ai_kind="innovative") == points_for(app_type, domain)


def test_a_kind_on_a_point_outside_ai_is_refused():
    base = dict(section="basis", title="t", source="s")
    with pytest.raises(ValidationError, match="只有人工智能领域"):
        EvalPoint(id="enterprise.robot.basis.x", domain="robot", kinds=["创新型"], **base)
    assert EvalPoint(id="enterprise.ai.basis.x", domain="ai", kinds=["应用型企业"], **base).kinds == (AiKind.APPLICATION,)
