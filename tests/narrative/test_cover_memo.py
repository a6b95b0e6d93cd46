"""cover_points remembers its last inputs: the same texts are not analysed twice, any change is analysed again,
and a caller changing a returned verdict does not change what the next caller gets."""

from __future__ import annotations

from scoring.application.ids import ApplicantType
from scoring.narrative.coverage import Doc, cover_points
from scoring.programme.points import points_for

TEXT = ("园区已建成人工智能公共算力平台，算力规模达到500P；到2027年，力争集聚人工智能核心企业100家，"
        "建设国家级创新平台3个，形成“算力+模型+应用”的产业生态。")


class Counting:
    """The real encoder, counting how many texts it is asked to embed."""

    def __init__(self, enc):
        self.enc, self.name, self.texts = enc, enc.name, 0

    def encode(self, texts):
        self.texts += len(texts)
        return self.enc.encode(texts)

    def __getattr__(self, name):
        return getattr(self.enc, name)


def test_the_same_texts_are_not_analysed_twice(enc, model):
    pts = points_for(ApplicantType.PARK, "ai")
    counting = Counting(enc)
    first = cover_points(pts, [Doc("work_plan.basis", "文本", TEXT)], counting, model)
    asked = counting.texts
    assert asked > 0
    again = cover_points(pts, [Doc("work_plan.basis", "文本", TEXT)], counting, model)
    assert counting.texts == asked  # nothing embedded, nothing analysed
    assert [c.model_dump() for c in again] == [c.model_dump() for c in first]

    # a verdict changed by a caller is not what the next caller gets
    again[0].status = "已覆盖" if again[0].status != "已覆盖" else "未覆盖"
    third = cover_points(pts, [Doc("work_plan.basis", "文本", TEXT)], counting, model)
    assert third[0].status == first[0].status

    # one character more: analysed again
    changed = cover_points(pts, [Doc("work_plan.basis", "文本", TEXT + "建设人工智能开源社区。")], counting, model)
    assert counting.texts > asked
    assert len(changed) == len(first)
