from __future__ import annotations

import pytest

from scoring.narrative.textsplit import MAX_SENTENCE_CHARS, Span, make_windows, segments, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def assert_exact_offsets(text: str, spans: list[Span]) -> None:
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text


def test_splits_on_chinese_and_ascii_terminators() -> None:
    text = "我负责部门预算。今年完成了三项工作！你知道吗？是的；没错!really?yes;"
    assert texts(text) == ["我负责部门预算。", "今年完成了三项工作！", "你知道吗？", "是的；", "没错!", "really?", "yes;"]


def test_commas_and_decimals_do_not_split_short_sentences() -> None:
    text = "园区成立于2015年，面积12.5平方公里，坚持统一、规范、高效的原则。版本v1.2已发布。"
    assert texts(text) == ["园区成立于2015年，面积12.5平方公里，坚持统一、规范、高效的原则。", "版本v1.2已发布。"]


def test_closing_quote_stays_with_its_sentence() -> None:
    assert texts("他说：“我们一定完成任务。”然后离开了。") == ["他说：“我们一定完成任务。”", "然后离开了。"]


def test_line_breaks_split_and_whitespace_is_stripped() -> None:
    text = "  第一行没有句号\r\n第二行\n\n   第三行。  \n"
    spans = split_sentences(text)
    assert [s.text for s in spans] == ["第一行没有句号", "第二行", "第三行。"]
    assert_exact_offsets(text, spans)
    assert spans[0].start == 2


def test_empty_and_punctuation_only_input() -> None:
    assert split_sentences("") == []
    assert split_sentences(None) == []
    assert split_sentences("   \n\n  。。  \n——") == []
    assert segments("") == []


def test_parenthesised_chinese_numbers() -> None:
    text = "主要工作如下：（一）加强制度建设，完善管理体系；（二）强化队伍建设。（三）推进数字化转型"
    assert texts(text) == ["主要工作如下：", "（一）加强制度建设，完善管理体系；", "（二）强化队伍建设。", "（三）推进数字化转型"]


def test_parenthesised_items_without_any_punctuation_between_them() -> None:
    assert texts("（一）加强学习（二）提高能力(三)改进作风") == ["（一）加强学习", "（二）提高能力", "(三)改进作风"]


def test_arabic_numbered_list_with_headings() -> None:
    text = "一、基本情况\n园区成立于2015年。\n二、主要成效\n1. 产值增长3.5倍\n2. 引进企业20家"
    spans = split_sentences(text)
    assert [s.text for s in spans] == ["一、基本情况", "园区成立于2015年。", "二、主要成效", "1. 产值增长3.5倍", "2. 引进企业20家"]
    assert_exact_offsets(text, spans)


def test_numbered_items_run_together_in_one_line() -> None:
    assert texts("工作内容1.负责预算编制2.负责成本控制3.组织培训") == [
        "工作内容", "1.负责预算编制", "2.负责成本控制", "3.组织培训"]
    assert texts("做法：1、建立台账2、定期检查") == ["做法：", "1、建立台账", "2、定期检查"]


def test_circled_numbers() -> None:
    assert texts("措施包括①加强学习②提高能力③改进作风。") == ["措施包括", "①加强学习", "②提高能力", "③改进作风。"]


def test_mixed_marker_styles() -> None:
    text = "一、工作成效（一）项目管理：1.完成立项；2.通过验收。（二）人才培养①引进博士3名②培训员工200人次"
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        "一、工作成效", "（一）项目管理：", "1.完成立项；", "2.通过验收。", "（二）人才培养", "①引进博士3名", "②培训员工200人次"]
    assert_exact_offsets(text, spans)


def test_other_marker_forms() -> None:
    assert texts("(1)第一条 (2)第二条；1)甲 2）乙；１．丙 ２．丁") == ["(1)第一条", "(2)第二条；", "1)甲", "2）乙；", "１．丙", "２．丁"]


def test_numbers_that_are_not_item_markers() -> None:
    # a word ending in 一 before 、, "2、3个", decimals, a lone reference number
    assert texts("坚持统一、规范的原则，工期共计2、3个月，增长1.5倍。") == ["坚持统一、规范的原则，工期共计2、3个月，增长1.5倍。"]
    assert texts("附件（2）已提交。见公式(1)。") == ["附件（2）已提交。", "见公式(1)。"]
    assert texts("共有1、2两种方案") == ["共有1、2两种方案"]


def test_marker_alone_on_its_line_is_kept_with_its_item() -> None:
    text = "一、\n加强领导\n二、\n（一）\n完善制度"
    spans = split_sentences(text)
    assert [s.text for s in spans] == ["一、\n加强领导", "二、\n（一）\n完善制度"]
    assert_exact_offsets(text, spans)


def test_long_sentence_is_cut_on_commas_into_bounded_chunks() -> None:
    text = (
        "园区坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，围绕高质量发展主题，"
        "持续深化供给侧结构性改革，加快构建现代化产业体系，大力推进科技创新和产业创新深度融合，积极培育新质生产力，"
        "推动传统产业转型升级、新兴产业发展壮大、未来产业前瞻布局，不断提升园区综合竞争力和可持续发展能力，"
        "为区域经济社会发展作出了积极贡献。下一句很短。"
    )
    spans = split_sentences(text)
    assert_exact_offsets(text, spans)
    assert spans[-1].text == "下一句很短。"
    chunks = spans[:-1]
    assert len(chunks) >= 2
    assert all(len(c.text) <= MAX_SENTENCE_CHARS for c in chunks)
    assert all(len(c.text) >= 30 for c in chunks)
    assert all(c.text[-1] in "，、。" for c in chunks)  # cut only after clause punctuation
    # the chunks cover the long sentence exactly, in order
    assert "".join(c.text for c in chunks) == text[: text.index("下一句")]


def test_long_clause_without_commas_is_left_whole() -> None:
    text = "甲" * 200 + "。"
    assert texts(text) == [text]


def test_offsets_slice_back_exactly_on_messy_text() -> None:
    text = "\u3000\u3000一、基本情况：\n\t园区面积12.5平方公里，（一）企业数量：120家；（二）产值：\n 1、 2023年 产值 50 亿元！\r\n②其他。 \n"
    spans = split_sentences(text)
    assert spans
    assert_exact_offsets(text, spans)
    assert all(s.text == s.text.strip() for s in spans)
    starts = [s.start for s in spans]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))  # no overlap


def test_make_windows_joins_consecutive_sentences() -> None:
    text = "第一句。\n第二句。第三句。"
    spans = split_sentences(text)
    wins = make_windows(spans, size=2)
    assert [(w.text, w.start, w.end) for w in wins] == [("第一句。第二句。", 0, 9), ("第二句。第三句。", 5, 13)]
    exact = make_windows(spans, size=2, source=text)
    assert [w.text for w in exact] == ["第一句。\n第二句。", "第二句。第三句。"]
    assert_exact_offsets(text, exact)
    assert [w.text for w in make_windows(spans, size=3)] == ["第一句。第二句。第三句。"]
    assert make_windows(spans[:1], size=2) == []
    with pytest.raises(ValueError):
        make_windows(spans, size=0)


def test_segments_are_sentences_then_windows_without_duplicates() -> None:
    text = "第一句。第二句。第三句。"
    segs = segments(text)
    assert [s.text for s in segs] == ["第一句。", "第二句。", "第三句。", "第一句。第二句。", "第二句。第三句。"]
    assert_exact_offsets(text, segs)
    assert len({(s.start, s.end) for s in segs}) == len(segs)
    assert [s.text for s in segments("只有一句。")] == ["只有一句。"]
