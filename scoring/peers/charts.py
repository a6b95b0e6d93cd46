"""Plotly charts of the peer benchmark and the narrative coverage. Pure functions: data in, figure out.

Every chart has a Chinese title, units on its axes, the peer group it compares with in its subtitle (always naming
模拟参照组 when the peers are simulated, and the fallback to all domains when it happened), and a one-line reading
in ``fig.layout.meta["reading"]`` (see :func:`reading`) that the page shows under it.

Colours: the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), used with a second cue
everywhere — line dash and marker shape for applicant / median / top quartile, bar patterns in the composition chart,
and a symbol plus the word in every cell and legend entry of the coverage map — and dark enough to survive a
washed-out projector (no pale yellow on white). ``big=True`` (大屏演示) enlarges every text, marker and line so a room
can read the chart at 1280×720.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .benchmark import BenchmarkResult, CompositionPart, Stat
from ..application.derived import fmt
from ..narrative.workplan import NarrativeResult

# Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO: dict[str, str] = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
APPLICANT = OKABE_ITO["blue"]
MEDIAN = "#4D4D4D"
TOP = OKABE_ITO["orange"]
P90_COLOR = OKABE_ITO["vermillion"]
PEER_DOTS = "#8C8C8C"
GRID = "#D9D9D9"
TEXT = "#1A1A1A"
# composition parts: chosen so that four dimensions stay apart also under deuteranopia/protanopia (checked on a
# simulated screenshot: blue / yellow / light blue / olive), the narrative in dark grey; each part has its own pattern
PART_COLORS = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"],
               OKABE_ITO["reddish_purple"], OKABE_ITO["bluish_green"]]
PART_PATTERNS = ["", "/", "x", "\\", "+", "-"]
NARRATIVE_COLOR, NARRATIVE_PATTERN = "#4D4D4D", "."
DARK_FILLS = {OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["reddish_purple"], OKABE_ITO["bluish_green"],
              NARRATIVE_COLOR, OKABE_ITO["black"]}
# status -> (fill, text colour, symbol). 未覆盖 is Okabe–Ito vermillion darkened (#D55E00 → #A63D00): on a simulated
# washed-out screenshot seen with deuteranopia/protanopia, plain vermillion came too close to the orange of 部分覆盖;
# the darker shade keeps the three apart by lightness (orange light, blue and brown dark, and blue vs brown by hue)
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "已覆盖": (OKABE_ITO["blue"], "#FFFFFF", "✓"),
    "部分覆盖": (OKABE_ITO["orange"], "#000000", "◐"),
    "未覆盖": ("#A63D00", "#FFFFFF", "✗"),
}
FONT_FAMILY = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", '
               '"DejaVu Sans", sans-serif')


@dataclass(frozen=True)
class Sizes:
    base: int
    title: int
    subtitle: int
    tick: int
    note: int
    marker: int
    small_marker: int
    line: float
    scale: float  # heights

    @staticmethod
    def of(big: bool) -> "Sizes":
        if big:
            return Sizes(base=20, title=28, subtitle=18, tick=18, note=19, marker=18, small_marker=9, line=4.5,
                         scale=1.4)
        return Sizes(base=14, title=19, subtitle=13, tick=13, note=13, marker=13, small_marker=6, line=2.5, scale=1.0)


def reading(fig: go.Figure) -> str:
    """The one-line reading of a chart made here."""
    meta = fig.layout.meta
    return str(meta.get("reading", "")) if isinstance(meta, dict) else ""


def _layout(fig: go.Figure, title: str, subtitle: str, sz: Sizes, height: float, read: str,
            legend_bottom: bool = False, top: int = 0, bottom: int = 0, left: int = 0, right: int = 0) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        font=dict(family=FONT_FAMILY, size=sz.base, color=TEXT),
        title=dict(text=title, x=0.0, xref="container", xanchor="left", y=0.985, yanchor="top",
                   pad=dict(l=int(10 * sz.scale)), font=dict(size=sz.title),
                   subtitle=dict(text=subtitle, font=dict(size=sz.subtitle, color="#333333"))),
        height=int(height),
        margin=dict(l=left or int(16 * sz.scale), r=right or int(24 * sz.scale), t=top or int(92 * sz.scale),
                    b=bottom or int(40 * sz.scale)),
        paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=sz.base)),
        legend=dict(orientation="h", x=0.0, xanchor="left", font=dict(size=sz.base),
                    **({"y": -0.02, "yanchor": "top"} if legend_bottom else {"y": 1.0, "yanchor": "bottom"})),
        meta={"reading": read},
    )
    return fig


def _num(v: Optional[float], unit: str = "", digits: int = 1) -> str:
    if v is None:
        return "—"
    if abs(v) >= 100:
        digits = 0
    r = round(v, digits)
    s = fmt(r, digits)
    return f"{s}{unit}"


def _pct(p: Optional[float]) -> str:
    return "—" if p is None else f"{p:.0f}%"


def scope_word(b: BenchmarkResult) -> str:
    return "同领域" if not b.group.fallback else f"全部领域{b.group.type_label}中"


def group_text(b: BenchmarkResult) -> str:
    """The peer group in one line (for text outside a chart)."""
    return group_subtitle(b).replace("<br>", "；")


def group_subtitle(b: BenchmarkResult) -> str:
    """Which peers a chart compares with; a fallback to all domains is said on a second line."""
    g = b.group
    s = g.headline
    if g.fallback:
        few = f"仅 {g.n_domain} 家，不足 {g.min_size} 家" if g.n_domain else "没有参照单位"
        s += f"<br>{g.domain_label}领域{few}，已扩大到全部领域的{g.type_label}"
    elif g.small:
        s += f"<br>参照单位不足 {g.min_size} 家，结果仅供参考"
    return s


def _sub_lines(b: BenchmarkResult) -> int:
    return 2 if (b.group.fallback or b.group.small) else 1


# ---------------------------------------------------------------------------------------------------------------
# 1. radar of the dimension scores


def radar_chart(b: BenchmarkResult, big: bool = False) -> go.Figure:
    """Dimension scores as a share of each dimension's maximum: applicant, peer median, peer top quartile (P75)."""
    sz = Sizes.of(big)
    dims = b.dimensions
    labels = [d.label for d in dims]

    def rate(v: Optional[float], d: Stat) -> Optional[float]:
        return None if v is None or not d.max_value else round(100.0 * v / d.max_value, 1)

    theta = labels + labels[:1]
    fig = go.Figure()
    series = [
        ("参照组前25%分位（P75）", [rate(d.p75, d) for d in dims], TOP, "dot", "square", None),
        ("参照组中位数", [rate(d.median, d) for d in dims], MEDIAN, "dash", "diamond", None),
        ("本单位", [rate(d.value, d) for d in dims], APPLICANT, "solid", "circle", "rgba(0,114,178,0.18)"),
    ]
    for name, r, color, dash, symbol, fill in series:
        fig.add_trace(go.Scatterpolar(
            r=r + r[:1], theta=theta, name=name, mode="lines+markers",
            line=dict(color=color, width=sz.line, dash=dash), marker=dict(size=sz.marker, symbol=symbol, color=color),
            fill="toself" if fill else "none", fillcolor=fill,
            hovertemplate="%{theta}：%{r:.0f}%<extra>" + name + "</extra>"))
    fig.update_layout(polar=dict(
        domain=dict(x=[0.0, 1.0], y=[0.0, 0.86]),
        radialaxis=dict(range=[0, 100], ticksuffix="%", tickfont=dict(size=sz.tick - 1, color="#555555"),
                        gridcolor=GRID, angle=45, tickangle=45, tickvals=[25, 50, 75, 100]),
        angularaxis=dict(tickfont=dict(size=sz.base + 1), gridcolor=GRID, direction="clockwise", rotation=90),
        bgcolor="#FFFFFF"))
    diffs = [(d, d.value - d.median) for d in dims if d.value is not None and d.median is not None]
    gaps = [(d, d.value - d.p75) for d in dims if d.value is not None and d.p75 is not None]
    read = "暂无可比较的维度得分。"
    if diffs:
        best, bd = max(diffs, key=lambda x: x[1])
        if bd >= 0:
            parts = [f"“{best.label}”最突出（{_num(best.value)}分，参照组中位数{_num(best.median)}分）"]
        else:
            parts = [f"各维度均低于参照组中位数，差距最小的是“{best.label}”（{_num(best.value)}分，"
                     f"中位数{_num(best.median)}分）"]
        below = [x for x in gaps if x[1] < 0]
        if below:
            worst, _ = min(below, key=lambda x: x[1])
            parts.append(f"“{worst.label}”与前25%差距最大（{_num(worst.value)}分，P75为{_num(worst.p75)}分）")
        else:
            parts.append("各维度均达到参照组前25%水平")
        read = "；".join(parts) + "。"
    title = "四个维度得分对比（占该维度满分的百分比）" if len(dims) == 4 else "各维度得分对比（占该维度满分的百分比）"
    top = int((64 + 22 * _sub_lines(b)) * sz.scale)
    h = top + 520 * sz.scale
    _layout(fig, title, group_subtitle(b), sz, h, read, top=top, bottom=int(36 * sz.scale), left=int(40 * sz.scale),
            right=int(40 * sz.scale))
    fig.update_layout(legend=dict(y=1.0, yanchor="top", x=0.0, xanchor="left"))
    return fig


# ---------------------------------------------------------------------------------------------------------------
# 2. per-indicator distribution, sorted by percentile


def _sorted_indicators(b: BenchmarkResult) -> list[Stat]:
    return sorted(b.indicators, key=lambda s: (s.percentile is None, -(s.percentile or 0.0), s.label))


def _pct_phrase(p: Optional[float]) -> str:
    if p is None:
        return "无法比较"
    if p >= 99.95:
        return "高于全部参照单位"
    if p <= 0.05:
        return "低于全部参照单位"
    return f"高于{p:.0f}%的参照单位"


def indicator_distribution_chart(b: BenchmarkResult, big: bool = False, limit: Optional[int] = None) -> go.Figure:
    """One strip per indicator: the peers' values (dots and box), the applicant (diamond) and P90, sorted by
    the applicant's percentile so strengths come first and gaps last. Each strip has its own axis in its unit."""
    sz = Sizes.of(big)
    stats = _sorted_indicators(b)
    if limit is not None:
        stats = stats[:limit]
    n = max(1, len(stats))
    # pixel layout of one strip: header line above, the strip, tick labels below, a gap
    head_lines = 2 if big else 1  # 大屏演示: label on one line, figures on the next (one line would overflow)
    plot_px, gap_px = 34 * sz.scale, (head_lines * (sz.note + 6) + sz.tick + 28) * (1.1 if big else 1.0)
    inner = n * plot_px + (n - 1) * gap_px
    fig = make_subplots(rows=n, cols=1, vertical_spacing=(gap_px / inner) if n > 1 else 0.0)
    heads: list[dict] = []
    for i, s in enumerate(stats, start=1):
        vals = list(s.peer_values)
        first = i == 1
        y = [s.label] * len(vals)
        if vals:
            fig.add_trace(go.Box(x=vals, y=y, orientation="h", name="参照单位", legendgroup="peers", showlegend=first,
                                 boxpoints="all", jitter=0.7, pointpos=0, whiskerwidth=0.3,
                                 marker=dict(color=PEER_DOTS, size=sz.small_marker, opacity=0.75),
                                 line=dict(color=MEDIAN, width=max(1.5, sz.line / 2)), fillcolor="rgba(0,0,0,0.05)",
                                 hovertemplate="参照单位：%{x}" + s.unit + "<extra></extra>"), row=i, col=1)
        if s.p90 is not None:
            fig.add_trace(go.Scatter(x=[s.p90], y=[s.label], mode="markers", name="参照组P90", legendgroup="p90",
                                     showlegend=first,
                                     marker=dict(symbol="line-ns-open", size=plot_px * 0.9, color=P90_COLOR,
                                                 line=dict(width=sz.line, color=P90_COLOR)),
                                     hovertemplate="P90：%{x}" + s.unit + "<extra></extra>"), row=i, col=1)
        if s.value is not None:
            fig.add_trace(go.Scatter(x=[s.value], y=[s.label], mode="markers", name="本单位", legendgroup="me",
                                     showlegend=first,
                                     marker=dict(symbol="diamond", size=sz.marker * 1.5, color=APPLICANT,
                                                 line=dict(width=2, color="#FFFFFF")),
                                     hovertemplate="本单位：%{x}" + s.unit + "<extra></extra>"), row=i, col=1)
        pool = vals + ([s.value] if s.value is not None else [])
        log = bool(pool) and min(pool) > 0 and max(pool) / min(pool) > 30
        axis: dict = dict(type="log" if log else "linear", tickfont=dict(size=sz.tick - 1), gridcolor=GRID,
                          zeroline=False, ticksuffix="%" if s.unit == "%" else "", nticks=8)
        if log:
            ticks = _log_ticks(min(pool), max(pool))
            axis.update(tickvals=ticks, ticktext=[fmt(t) for t in ticks])
        fig.update_xaxes(row=i, col=1, **axis)
        fig.update_yaxes(row=i, col=1, showticklabels=False, showgrid=False)
        pct = "本单位缺数据" if s.value is None else (
            "无可比数据" if s.percentile is None else f"第 {s.percentile:.0f} 百分位")
        unit = f"（{s.unit}{'，对数刻度' if log else ''}）" if s.unit else ("（对数刻度）" if log else "")
        head = (f"<b>{s.label}</b>{unit}{'<br>' if big else '　'}<span style='color:{APPLICANT}'><b>{pct}</b></span>"
                f"　本单位 {_num(s.value, s.unit, 2)}　中位数 {_num(s.median, s.unit, 2)}"
                + (f"　缺 {s.n_missing} 家" if s.n_missing else ""))
        dom = fig.layout[f"yaxis{'' if i == 1 else i}"].domain
        heads.append(dict(text=head, xref="paper", yref="paper", x=0.0, xanchor="left", y=dom[1], yanchor="bottom",
                          yshift=2, showarrow=False, font=dict(size=sz.note), align="left"))
    # added at once: one add_annotation per row re-checks all earlier ones (a second for 24 rows)
    fig.update_layout(annotations=[*fig.layout.annotations, *heads])
    strong = [s for s in stats if s.percentile is not None]
    read = "暂无可比较的指标。"
    if strong:
        top, low = strong[0], strong[-1]
        read = f"{top.label}{_pct_phrase(top.percentile).replace('高于', '高于' + scope_word(b), 1)}（最突出）"
        if low is not top:
            read += f"；{low.label}{_pct_phrase(low.percentile)}（差距最大）"
        read += "。"
    missing_me = [s.label for s in stats if s.value is None]
    if missing_me:
        read += f"本单位缺数据：{'、'.join(missing_me)}。"
    legend_px = sz.base + 16
    top_px = int((86 + 22 * _sub_lines(b)) * sz.scale + head_lines * (sz.note + 6) + 10 + legend_px)
    bottom_px = int(sz.tick + 18)
    height = top_px + inner + bottom_px
    _layout(fig, "各项指标在参照组中的位置（按百分位从高到低）", group_subtitle(b), sz, height, read,
            top=top_px, bottom=bottom_px)
    fig.update_layout(legend=dict(y=1.0 + (head_lines * (sz.note + 6) + 10) / inner, yanchor="bottom", x=0.0,
                                  xanchor="left"))
    return fig


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1–2–5 ticks of a log axis between lo and hi (plus the decade below and above)."""
    out = []
    k = math.floor(math.log10(lo))
    while 10 ** k <= hi * 10:
        for m in (1, 2, 5):
            v = m * 10 ** k
            if lo / 2 <= v <= hi * 2:
                out.append(round(v, 10))
        k += 1
    return out


# ---------------------------------------------------------------------------------------------------------------
# 3. three-year trends against the peer median


def trend_chart(b: BenchmarkResult, big: bool = False) -> go.Figure:
    sz = Sizes.of(big)
    trends = b.trends
    cols = 2
    rows = max(1, math.ceil(len(trends) / cols))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[f"{t.label}（{t.unit}）" for t in trends],
                        vertical_spacing=0.22 if rows > 1 else 0.1, horizontal_spacing=0.1)
    years = [f"{y}年" for y in (trends[0].years if trends else [])]
    above: list[str] = []
    compared = 0
    for i, t in enumerate(trends):
        r, c = i // cols + 1, i % cols + 1
        first = i == 0
        if any(v is not None for v in t.peer_p75):
            fig.add_trace(go.Scatter(x=years, y=t.peer_p75, mode="lines", line=dict(width=0), showlegend=False,
                                     hoverinfo="skip", legendgroup="band"), row=r, col=c)
            fig.add_trace(go.Scatter(x=years, y=t.peer_p25, mode="lines", line=dict(width=0), fill="tonexty",
                                     fillcolor="rgba(77,77,77,0.14)", name="参照组中间50%（P25–P75）",
                                     legendgroup="band", showlegend=first,
                                     hovertemplate="P25：%{y}" + t.unit + "<extra></extra>"), row=r, col=c)
        fig.add_trace(go.Scatter(x=years, y=t.peer_median, mode="lines+markers", name="参照组中位数",
                                 legendgroup="median", showlegend=first,
                                 line=dict(color=MEDIAN, width=sz.line, dash="dash"),
                                 marker=dict(symbol="square", size=sz.marker, color=MEDIAN),
                                 hovertemplate="中位数：%{y}" + t.unit + "<extra></extra>"), row=r, col=c)
        fig.add_trace(go.Scatter(x=years, y=t.values, mode="lines+markers+text", name="本单位", legendgroup="me",
                                 showlegend=first, line=dict(color=APPLICANT, width=sz.line + 0.5),
                                 marker=dict(symbol="circle", size=sz.marker + 2, color=APPLICANT),
                                 text=[_num(v, "", 1) if v is not None else "" for v in t.values],
                                 textposition="top center", textfont=dict(size=sz.tick, color=APPLICANT),
                                 cliponaxis=False,
                                 hovertemplate="本单位：%{y}" + t.unit + "<extra></extra>"), row=r, col=c)
        fig.update_xaxes(row=r, col=c, tickfont=dict(size=sz.tick), gridcolor=GRID)
        seen = [v for v in [*t.values, *t.peer_p75, *t.peer_p25, *t.peer_median] if v is not None]
        yr = None
        if seen:  # headroom above the highest point for its value label and the subplot title
            lo, hi = min(0.0, min(seen)), max(0.0, max(seen))
            yr = [lo - 0.05 * (hi - lo) if lo < 0 else 0.0, hi + 0.2 * (hi - lo or 1.0)]
        fig.update_yaxes(row=r, col=c, tickfont=dict(size=sz.tick - 1), gridcolor=GRID, range=yr,
                         ticksuffix="%" if t.unit == "%" else "")
        if t.values[-1] is not None and t.peer_median[-1] is not None:
            compared += 1
            if t.values[-1] > t.peer_median[-1]:
                above.append(t.label)
    for ann in fig.layout.annotations:  # subplot titles
        ann.font = dict(size=sz.base + 1, family=FONT_FAMILY, color=TEXT)
    if compared:
        last = trends[0].years[-1] if trends else ""
        read = f"{last}年，本单位有 {len(above)}/{compared} 项关键指标高于参照组中位数"
        read += f"（{'、'.join(above)}）。" if above else "。"
    else:
        read = "本单位或参照组缺少近三年数据，无法比较趋势。"
    top = int((110 + 22 * _sub_lines(b)) * sz.scale)
    height = top + (70 + 300 * rows) * sz.scale
    _layout(fig, "关键指标近三年走势：本单位与参照组中位数", group_subtitle(b), sz, height, read,
            legend_bottom=True, top=top, bottom=int(70 * sz.scale))
    fig.update_layout(legend=dict(y=-40 * sz.scale / height, yanchor="top"))
    return fig


# ---------------------------------------------------------------------------------------------------------------
# 4. score composition


def composition_chart(b: BenchmarkResult, big: bool = False) -> go.Figure:
    """What each dimension (and the narrative) adds to the total, compared like with like: the indicator part of
    the applicant's score beside the peers' indicator part (per-dimension medians), and the work-plan part beside
    the median of the peers that have a work-plan score — or alone when none has one (e.g. simulated peers)."""
    sz = Sizes.of(big)
    parts: Sequence[CompositionPart] = b.composition
    nar = next((p for p in parts if p.key == "narrative"), None)
    dims = [p for p in parts if p.key != "narrative"]
    nar_compared = nar is not None and nar.peer_median is not None and nar.n > 0
    peer_name = "真实同行中位数" if not b.group.simulated else "参照组中位数"
    me_ind, peer_ind = "本单位 · 指标部分", "参照组中位数 · 指标部分"
    rows = [me_ind, peer_ind]
    me_nar, peer_nar = "本单位 · 工作方案", f"{peer_name} · 工作方案"
    if nar is not None:
        rows.append(me_nar)
        if nar_compared:
            rows.append(peer_nar)
    fig = go.Figure()
    for i, p in enumerate(dims):
        color, pattern = PART_COLORS[i % len(PART_COLORS)], PART_PATTERNS[i % len(PART_PATTERNS)]
        _part_bar(fig, p, [me_ind, peer_ind], [p.applicant, p.peer_median or 0.0],
                  [_num(p.applicant), "" if p.peer_median is None else _num(p.peer_median)], color, pattern, sz)
    if nar is not None:
        ys, xs, texts = [me_nar], [nar.applicant], [_num(nar.applicant)]
        if nar_compared:
            ys.append(peer_nar)
            xs.append(nar.peer_median or 0.0)
            texts.append(_num(nar.peer_median))
        _part_bar(fig, nar, ys, xs, texts, NARRATIVE_COLOR, NARRATIVE_PATTERN, sz)
    ind_me = sum(p.applicant for p in dims)
    ind_peer = sum(p.peer_median for p in dims if p.peer_median is not None)
    ind_max = sum(p.max_points for p in dims)
    labels = [(me_ind, ind_me, "指标部分"), (peer_ind, ind_peer, "各维度中位数之和")]
    if nar is not None:
        labels.append((me_nar, nar.applicant, "工作方案"))
        if nar_compared:
            labels.append((peer_nar, nar.peer_median or 0.0, f"{nar.n} 家有工作方案的同行"))
    for row, tot, what in labels:
        fig.add_annotation(x=tot, y=row, text=f"<b>{what} {_num(tot)}</b>", showarrow=False, xanchor="left",
                           xshift=8, font=dict(size=sz.base + 1))
    fig.update_layout(barmode="stack", bargap=0.3, uniformtext=dict(minsize=sz.base - 2, mode="hide"))
    axis_title = (f"分（指标部分满分 {_num(ind_max)}，工作方案满分 {_num(nar.max_points)}）" if nar is not None
                  else f"分（满分 {_num(ind_max)}）")
    fig.update_xaxes(range=[0, 100 * 1.12], title=dict(text=axis_title, font=dict(size=sz.base)),
                     tickfont=dict(size=sz.tick), gridcolor=GRID, tickvals=[0, 20, 40, 60, 80, 100])
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=sz.base + 1), ticksuffix=" ")
    if nar is None:
        title = "指标得分构成：本单位与参照组中位数，按维度比较"
    elif nar_compared:
        title = "总分构成：指标部分比指标部分，工作方案比有工作方案的真实同行"
    else:
        title = "总分构成：只比较指标部分（参照组无工作方案得分）"
    sub = group_subtitle(b) + "<br>参照组各维度分别取中位数（之和不等于指标得分的中位数）"
    if nar is not None and not nar_compared:
        sub += "；本单位工作方案得分单列，不作比较"
    best = max(parts, key=lambda p: p.applicant) if parts else None
    gaps = [(p, p.applicant - p.peer_median) for p in (parts if nar_compared else dims) if p.peer_median is not None]
    read = f"本单位指标部分 {_num(ind_me)} 分，参照组各维度中位数之和 {_num(ind_peer)} 分"
    if nar is not None:
        read += f"；工作方案 {_num(nar.applicant)} 分，" + (
            f"{nar.n} 家有工作方案的同行中位数 {_num(nar.peer_median)} 分" if nar_compared
            else "参照组无工作方案得分，未比较") + f"；本单位总分 {_num(ind_me + nar.applicant)} 分"
    if best is not None:
        read += f"；贡献最多的是“{best.label}”（{_num(best.applicant)} 分）"
    if gaps:
        worst, gd = min(gaps, key=lambda x: x[1])
        if gd < 0:
            read += f"；“{worst.label}”比参照组中位数少 {_num(-gd)} 分，提升空间最大"
        else:
            read += "；比较的各部分均不低于参照组中位数"
    read += "。"
    legend_rows = 1 if not big else 2
    top = int((92 + 22 * (_sub_lines(b) + 1)) * sz.scale + legend_rows * (sz.base + 14))
    plot = 75 * len(rows) * sz.scale
    bottom = int(60 * sz.scale)
    height = top + plot + bottom
    _layout(fig, title, sub, sz, height, read, top=top, bottom=bottom, left=int(20 * sz.scale))
    fig.update_layout(legend=dict(y=1.0 + 10 / plot, yanchor="bottom", x=0.0, xanchor="left", traceorder="normal"))
    return fig


def _part_bar(fig: go.Figure, p: CompositionPart, ys: list[str], xs: list[float], texts: list[str], color: str,
              pattern: str, sz: Sizes) -> None:
    dark = color in DARK_FILLS
    fig.add_trace(go.Bar(
        y=ys, x=xs, name=f"{p.label}（满分 {_num(p.max_points)}）", orientation="h",
        marker=dict(color=color, line=dict(color="#FFFFFF", width=1.5),
                    pattern=dict(shape=pattern, fgcolor="rgba(255,255,255,0.55)" if dark else "rgba(0,0,0,0.35)",
                                 size=10, solidity=0.25)),
        text=texts, textposition="inside", insidetextanchor="middle", textangle=0,
        textfont=dict(size=sz.base, color="#FFFFFF" if dark else "#000000"),
        hovertemplate="%{y} · " + p.label + "：%{x:.1f} 分<extra></extra>"))


# ---------------------------------------------------------------------------------------------------------------
# 5. coverage heat map: sections × evaluation points


def _wrap(text: str, width: int, lines: int = 2) -> str:
    """Balanced lines of at most ``width`` characters (``…`` when more than ``lines`` lines would be needed)."""
    if len(text) <= width:
        return text
    k = min(lines, math.ceil(len(text) / width))
    per = math.ceil(len(text) / k)
    chunks = [text[i:i + per] for i in range(0, len(text), per)]
    if len(chunks) > lines or len(chunks[-1]) > width:
        chunks = [text[i:i + width] for i in range(0, width * lines, width)]
        chunks[-1] = chunks[-1][:-1] + "…"
    return "<br>".join(chunks)


def coverage_heatmap(nar: NarrativeResult, big: bool = False, max_cols: Optional[int] = None) -> go.Figure:
    """Rows: the work plan's sections (a long section continues on a second row); cells: its evaluation points,
    coloured by status with the status symbol and the point's title in the cell."""
    sz = Sizes.of(big)
    cols = max_cols or (5 if big else 7)
    rows: list[tuple[str, list]] = []
    for sec in nar.sections:
        pts = list(sec.points)
        if not pts:
            rows.append((sec.label, []))
            continue
        for k in range(0, len(pts), cols):
            rows.append((sec.label if k == 0 else f"{sec.label}（续）", pts[k:k + cols]))
    code = {"未覆盖": 0, "部分覆盖": 1, "已覆盖": 2}
    z: list[list[Optional[int]]] = []
    hover: list[list[str]] = []
    for label, pts in rows:
        z.append([code[p.status] for p in pts] + [None] * (cols - len(pts)))
        hover.append([f"{label.replace('（续）', '')} · {p.title}<br>{p.status}（相似度 {p.score:.2f}）" for p in pts]
                     + [""] * (cols - len(pts)))
    ylabels = [r[0] for r in rows]
    x = list(range(1, cols + 1))
    fills = [STATUS_STYLE["未覆盖"][0], STATUS_STYLE["部分覆盖"][0], STATUS_STYLE["已覆盖"][0]]
    scale = [[0.0, fills[0]], [1 / 3, fills[0]], [1 / 3, fills[1]], [2 / 3, fills[1]], [2 / 3, fills[2]],
             [1.0, fills[2]]]
    fig = go.Figure(go.Heatmap(z=z, x=x, y=ylabels, zmin=-0.5, zmax=2.5, colorscale=scale, showscale=False,
                               xgap=4, ygap=4, text=hover, hovertemplate="%{text}<extra></extra>",
                               hoverongaps=False))
    width_chars = 4 if big else 5
    cells = []
    for (label, pts) in rows:
        for j, p in enumerate(pts):
            fill, fg, sym = STATUS_STYLE[p.status]
            cells.append(dict(x=j + 1, y=label, text=f"<b>{sym}</b> {_wrap(p.title, width_chars)}", showarrow=False,
                              font=dict(size=sz.tick - (0 if big else 1), color=fg), align="center"))
    fig.update_layout(annotations=cells)  # at once, not one add_annotation per cell
    for status, (fill, _fg, sym) in STATUS_STYLE.items():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{sym} {status}",
                                 marker=dict(symbol="square", size=sz.marker + 4, color=fill)))
    fig.update_xaxes(visible=False, range=[0.5, cols + 0.5])
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=sz.base), showgrid=False, ticksuffix="  ")
    counts = {s: sum(1 for sec in nar.sections for p in sec.points if p.status == s) for s in STATUS_STYLE}
    total = sum(counts.values())
    miss = {sec.label: sum(1 for p in sec.points if p.status == "未覆盖") for sec in nar.sections}
    worst = max(miss.items(), key=lambda kv: kv[1]) if miss else ("", 0)
    read = (f"共 {total} 个评价要点：已覆盖 {counts['已覆盖']} 个、部分覆盖 {counts['部分覆盖']} 个、"
            f"未覆盖 {counts['未覆盖']} 个")
    read += f"；未覆盖最多的章节是“{worst[0]}”（{worst[1]} 个）。" if worst[1] else "；没有未覆盖的要点。"
    height = (150 + 66 * len(rows)) * sz.scale
    _layout(fig, "创建工作方案评价要点覆盖情况（章节 × 要点）",
            "本单位的工作方案（不与参照组比较），每格一个评价要点", sz, height, read,
            top=int(120 * sz.scale), bottom=int(20 * sz.scale), left=int(10 * sz.scale))
    fig.update_layout(legend=dict(y=1.0 + 8 / height, yanchor="bottom", x=1.0, xanchor="right"))
    return fig
