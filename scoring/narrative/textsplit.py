"""Split Chinese narrative text into sentence-sized spans that keep their offsets.

The spans are what gets embedded and compared with the evaluation points, and
their ``(start, end)`` offsets let the UI highlight the evidence in the
applicant's own text: ``text[span.start:span.end] == span.text`` always holds.

Rules of ``split_sentences``:

* a sentence ends after 。！？；!?; (a run of them, plus any closing quotes or
  brackets right after) and at every line break;
* a new sentence starts before a numbered item marker -- 一、 二、 （一） (二)
  1. 2． 1、 1) （1） ① ⑴ ⒈ -- when it really starts an item: circled /
  parenthesised-digit characters (①, ⑴, ⒈) always do; the others do when they
  follow the start of the text, whitespace or punctuation, and (except 一、-style,
  which is too easily a word ending such as 统一、) also when the neighbouring
  number of the same style occurs in order (n-1 before it or n+1 after it), e.g.
  "…如下1.加强学习2.提高能力"; the marker stays with its item; a piece that is
  only a marker (a marker followed by a line break) is joined to the next piece;
* whitespace around pieces is stripped; pieces without any letter, digit or
  CJK character are dropped;
* a sentence longer than ``MAX_SENTENCE_CHARS`` (120) is cut after ，、,：: into
  chunks of roughly 60-120 characters (a single clause without such
  punctuation is left whole).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "MAX_SENTENCE_CHARS",
    "Span",
    "make_windows",
    "segments",
    "split_sentences",
]

MAX_SENTENCE_CHARS = 120
MIN_CHUNK_CHARS = 60


@dataclass(frozen=True)
class Span:
    """A piece of the source text and its character offsets ``[start, end)``."""

    text: str
    start: int
    end: int


# --- sentence ends ---------------------------------------------------------
_CLOSERS = "”’\"'」』》〉）)】］]"
_TERMINATOR_RE = re.compile(rf"[。！？；!?;]+[{re.escape(_CLOSERS)}]*")
_LINEBREAK_RE = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")

# --- numbered item markers -------------------------------------------------
_CN_NUM = "一二三四五六七八九十"
# digits and Latin letters (ASCII and full-width): a number glued to them is not an item marker
_ALNUM = r"0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A_"
# characters after which a marker is taken to start an item
_BOUNDARY_CHARS = set("。！？；;：:，,、…—-–*·•●○■□◆◇►▶→>|" + _CLOSERS)

# (style, pattern, needs_context); the first group is the number.
_MARKER_STYLES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    # circled ①-⑳, parenthesised ⑴-⒇, full-stop ⒈-⒛: always item markers
    ("circled", re.compile(r"([\u2460-\u2473\u2474-\u2487\u2488-\u249B\u3251-\u325F\u32B1-\u32BF])"), False),
    # （一） (二)
    ("paren_cn", re.compile(rf"[（(]([{_CN_NUM}]{{1,3}})[）)]"), True),
    # 一、 二. 三．
    ("cn", re.compile(rf"(?<![{_CN_NUM}第])([{_CN_NUM}]{{1,3}})[、.．]"), True),
    # （1） (2)
    ("paren_num", re.compile(r"[（(](\d{1,2})[）)]"), True),
    # 1) 2）  (not the tail of "(1)")
    ("rparen", re.compile(rf"(?<![{_ALNUM}.．(（])(\d{{1,2}})[)）]"), True),
    # 1. 2． (not 3.5, v1., 1.1.)
    ("dot", re.compile(rf"(?<![{_ALNUM}.．])(\d{{1,2}})[.．](?![\d.．])"), True),
    # 1、 2、 (not 2、3个)
    ("dun", re.compile(rf"(?<![{_ALNUM}.．])(\d{{1,2}})、(?!\d)"), True),
)
# styles that may also be accepted because a neighbouring number of the same style exists
_SEQUENCE_STYLES = {"paren_cn", "paren_num", "rparen", "dot", "dun"}

_WORD_RE = re.compile(r"\w")
_CLAUSE_END_RE = re.compile(r"[，、：:]+|,(?!\d)|(?<!\d),")


def _cn_to_int(s: str) -> int | None:
    digits = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
    if s == "十":
        return 10
    if len(s) == 1:
        return digits.get(s)
    if len(s) == 2 and s[0] == "十":
        return 10 + digits.get(s[1], 0) if s[1] in digits else None
    if len(s) == 2 and s[1] == "十" and s[0] in digits:
        return digits[s[0]] * 10
    if len(s) == 3 and s[1] == "十" and s[0] in digits and s[2] in digits:
        return digits[s[0]] * 10 + digits[s[2]]
    return None


def _circled_to_int(c: str) -> int:
    o = ord(c)
    for lo, hi, first in ((0x2460, 0x2473, 1), (0x2474, 0x2487, 1), (0x2488, 0x249B, 1),
                          (0x3251, 0x325F, 21), (0x32B1, 0x32BF, 36)):
        if lo <= o <= hi:
            return first + o - lo
    return 0


def _at_boundary(text: str, pos: int) -> bool:
    if pos == 0:
        return True
    prev = text[pos - 1]
    return prev.isspace() or prev in _BOUNDARY_CHARS


def _item_markers(text: str) -> dict[int, int]:
    """Start -> end of every numbered-item marker that starts an item."""
    candidates: list[tuple[str, int, int, int, bool]] = []  # style, n, start, end, needs_context
    content_end = len(text.rstrip())
    for style, pattern, needs_context in _MARKER_STYLES:
        for m in pattern.finditer(text):
            raw = m.group(1)
            if style == "circled":
                n = _circled_to_int(raw)
            elif style in ("cn", "paren_cn"):
                n = _cn_to_int(raw) or 0
            else:
                n = int(raw)
            if n <= 0:
                continue
            if m.end() >= content_end:  # nothing follows: not an item
                continue
            candidates.append((style, n, m.start(), m.end(), needs_context))
    positions: dict[tuple[str, int], list[int]] = {}
    for style, n, start, _end, _ctx in candidates:
        positions.setdefault((style, n), []).append(start)
    markers: dict[int, int] = {}
    for style, n, start, end, needs_context in candidates:
        ok = (not needs_context) or _at_boundary(text, start)
        if not ok and style in _SEQUENCE_STYLES:
            # part of a run: the previous number comes before it, or the next one after it
            ok = any(p < start for p in positions.get((style, n - 1), ())) or any(
                p > start for p in positions.get((style, n + 1), ()))
        if ok and start not in markers:
            markers[start] = end
    return markers


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) after clause punctuation into chunks of about 60-120 characters."""
    length = end - start
    if length <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    cuts = [m.end() + start for m in _CLAUSE_END_RE.finditer(text[start:end])]
    clauses: list[tuple[int, int]] = []
    prev = start
    for c in cuts:
        if c > prev:
            clauses.append((prev, c))
            prev = c
    if prev < end:
        clauses.append((prev, end))
    if len(clauses) <= 1:
        return [(start, end)]
    target = max(MIN_CHUNK_CHARS, length / math.ceil(length / MAX_SENTENCE_CHARS))
    chunks: list[tuple[int, int]] = []
    cur_start, cur_end = clauses[0]
    for c_start, c_end in clauses[1:]:
        cur_len = cur_end - cur_start
        if cur_len >= target or cur_len + (c_end - c_start) > MAX_SENTENCE_CHARS:
            chunks.append((cur_start, cur_end))
            cur_start = c_start
        cur_end = c_end
    chunks.append((cur_start, cur_end))
    # a tiny tail reads badly on its own: give it to the previous chunk if that stays short enough
    if len(chunks) >= 2:
        (a, b), (c, d) = chunks[-2], chunks[-1]
        if d - c < MIN_CHUNK_CHARS / 2 and d - a <= MAX_SENTENCE_CHARS:
            chunks[-2:] = [(a, d)]
    out = []
    for a, b in chunks:
        a, b = _strip(text, a, b)
        if a < b:
            out.append((a, b))
    return out


def split_sentences(text: str | None) -> list[Span]:
    """Sentences (and item pieces) of ``text``, in order, with exact offsets."""
    if not text:
        return []
    markers = _item_markers(text)
    cuts = {0, len(text)}
    cuts.update(m.end() for m in _TERMINATOR_RE.finditer(text))
    for m in _LINEBREAK_RE.finditer(text):
        cuts.add(m.start())
        cuts.add(m.end())
    cuts.update(markers)
    bounds = sorted(cuts)

    pieces: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        a, b = _strip(text, a, b)
        if a < b and _WORD_RE.search(text, a, b):
            pieces.append((a, b))

    # join a piece that is only an item marker ("一、" then a line break) to the next piece
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        j = i
        while j + 1 < len(pieces) and _is_marker_only(pieces[j], markers):
            j += 1
        merged.append((pieces[i][0], pieces[j][1]))
        i = j + 1

    spans: list[Span] = []
    for a, b in merged:
        for c, d in _split_long(text, a, b):
            spans.append(Span(text[c:d], c, d))
    return spans


def _is_marker_only(piece: tuple[int, int], markers: dict[int, int]) -> bool:
    a, b = piece
    return a in markers and b <= markers[a]


def make_windows(spans: Sequence[Span], size: int = 2, source: str | None = None) -> list[Span]:
    """Windows of ``size`` consecutive spans, for evidence that spans sentences.

    Each window runs from the first span's start to the last span's end. With
    ``source`` (the text the spans came from) its text is ``source[start:end]``;
    without it, the spans' texts are concatenated (the whitespace between them
    is dropped, which suits Chinese). Fewer than ``size`` spans -> no windows.
    """
    if size < 1:
        raise ValueError("size must be >= 1")
    out: list[Span] = []
    for i in range(len(spans) - size + 1):
        group = spans[i:i + size]
        start, end = group[0].start, group[-1].end
        body = source[start:end] if source is not None else "".join(s.text for s in group)
        out.append(Span(body, start, end))
    return out


def segments(text: str | None, window: int = 2) -> list[Span]:
    """Sentences followed by windows of ``window`` consecutive sentences, without duplicate offsets."""
    if not text:
        return []
    sentences = split_sentences(text)
    return _dedupe([*sentences, *(make_windows(sentences, window, source=text) if window > 1 else [])])


def _dedupe(spans: Iterable[Span]) -> list[Span]:
    seen: set[tuple[int, int]] = set()
    out: list[Span] = []
    for s in spans:
        key = (s.start, s.end)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
