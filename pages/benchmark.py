"""对标分析: where the current application stands among peers of the same type and domain, in charts.

Peer sets (chosen at the top; the charts always name the set they compare with):

- 模拟参照组: fictional units from ``data/peers/`` (scoring.peers.simulate), labelled as simulated everywhere;
- 已载入的申报: real peers — drafts of this workspace chosen here, application files uploaded here, and applications
  other pages put in ``st.session_state[pages.shared.common.K_PEER_APPS]`` (e.g. an official's candidates);
- 上传的同行指标表: a CSV of peer indicators (template downloadable); bad rows are listed with row and column.

All computation is in scoring.peers.benchmark, all charts in scoring.peers.charts; this page only chooses, calls and shows.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import pandas as pd
import streamlit as st

from pages.shared import persist, uploads, workshop
from pages.shared.common import (K_PEER_APPS, get_encoder_cached, page_setup, presentation_mode, render_sidebar,
                                 require_app, score_current)
from pages.shared.state import disclaimer
from pages.shared.tabs import is_open, remembered_tabs
from scoring.peers import charts
from scoring.peers import (MIN_PEERS, SOURCE_LABELS, BenchmarkError, BenchmarkResult, PeerSet, Stat, benchmark,
                               csv_template, load_simulated, parse_peer_csv, peer_from_application)
from scoring.application.derived import fmt
from scoring.application.ids import ApplicantType
from scoring.application.models import parse_application_json
from scoring.programme.packs import pack_key

K_SOURCE = "bm_source"
K_CSV = "bm_csv"  # (file name, bytes) of the uploaded peer table, kept across page switches
K_FILES = "bm_files"  # label -> application JSON of uploaded peer files
K_DRAFTS = "bm_drafts"
MAX_UPLOAD = 5 * 1024 * 1024
SOURCES = ("simulated", "applications", "csv")
SOURCE_OPTIONS = {
    "simulated": "模拟参照组（虚构数据）",
    "applications": "已载入的申报（真实同行）",
    "csv": "上传的同行指标表（真实同行）",
}
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


# every cached function below reads the rule pack's metrics: its folder (pack_key()) is part of the cache key


@st.cache_data(show_spinner=False, max_entries=256)
def _peer(app_json: str, with_narrative: bool, rubrics: str) -> Any:
    enc = get_encoder_cached()[0] if with_narrative else None
    return peer_from_application(parse_application_json(app_json), enc)


@st.cache_data(show_spinner=False)
def _simulated(app_type: str, rubrics: str) -> PeerSet:
    return load_simulated(app_type)


@st.cache_data(show_spinner=False, max_entries=16)
def _csv(data: bytes, name: str, rubrics: str) -> tuple[Optional[PeerSet], str]:
    try:
        return parse_peer_csv(data, origin=name), ""
    except BenchmarkError as e:
        return None, str(e)


def _drafts() -> list[Any]:
    """This workspace's saved applications except the one open now ([] when saving is unavailable)."""
    try:
        ws = persist.workspace()
        if ws is None:
            return []
        return [r for r in persist.get_store().list(ws.id) if r.id != persist.current_id()]
    except Exception:  # no store (e.g. read-only disk): the other sources still work
        return []


def _draft_json(record: Any) -> Optional[str]:
    try:
        ws = persist.workspace()
        if ws is None:
            return None
        return persist.get_store().get_version(ws.id, record.id, record.current_version).text
    except Exception:
        return None


def _on_files() -> None:
    files = st.session_state.get("bm_upload_apps") or []
    loaded: dict[str, str] = st.session_state.setdefault(K_FILES, {})
    errors: list[str] = []
    for f in files:
        data = f.getvalue()
        if len(data) > MAX_UPLOAD:
            errors.append(f"{f.name}：文件超过 {MAX_UPLOAD // 1024 // 1024} MB，未载入")
            continue
        out = uploads.read_upload(f.name, data)
        if out.app is None:
            errors.extend(out.errors or [f"{f.name}：无法读取"])
            continue
        loaded[f"{f.name} · {out.app.display_name or '（未命名）'}"] = out.app.model_dump_json()
    st.session_state["_bm_file_errors"] = errors


def _on_csv() -> None:
    f = st.session_state.get("bm_upload_csv")
    if f is None:
        return
    data = f.getvalue()
    if len(data) > MAX_UPLOAD:
        st.session_state["_bm_csv_error"] = f"{f.name}：文件超过 {MAX_UPLOAD // 1024 // 1024} MB，未读取"
        return
    st.session_state[K_CSV] = (f.name, data)
    st.session_state.pop("_bm_csv_error", None)


def _clear(key: str) -> None:
    st.session_state.pop(key, None)


# ---------------------------------------------------------------------------------------------------------------
# peer-set choice


def _simulated_panel(app_type: str) -> PeerSet:
    ps = _simulated(app_type, pack_key())
    with st.expander("模拟参照组是什么、如何生成"):
        st.markdown("按公开统计数据和写明的假设生成的**虚构单位**，不是真实申报单位，只能示意大致位置。"
                    "工作方案（文字材料）没有可供模拟的公开统计，因此只比较指标部分。")
        from scoring.peers.assumptions import ASSUMPTIONS

        t = ApplicantType.parse(app_type)
        rows = [{"变量": a.label, "分布": a.describe(), "来源": a.source} for a in ASSUMPTIONS.values() if a.type is t]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.caption("生成脚本：scoring/simulate.py（python -m scoring simulate-peers，固定随机种子）；"
                   "数据与完整说明：data/peers/。")
    return ps


def _applications_panel(app: Any, with_narrative: bool) -> PeerSet:
    st.caption("真实同行：从“我的申报”中选择已保存的申报，或上传其他单位的申报文件（JSON、Excel 或 Word 申请书）。"
               "当前申报本身不计入。")
    jsons: dict[str, str] = {}
    drafts = _drafts()
    if drafts:
        labels = {r.id: f"{r.name}（{r.type_label} · {r.domain_label}）" for r in drafts}
        chosen = st.multiselect("我的申报中的其他申报", list(labels), format_func=lambda i: labels[i], key=K_DRAFTS,
                                placeholder="选择要作为同行的申报")
        by_id = {r.id: r for r in drafts}
        for i in chosen:
            text = _draft_json(by_id[i]) if i in by_id else None
            if text:
                jsons[f"我的申报 · {labels[i]}"] = text
    st.file_uploader("上传同行的申报文件（可多选）", type=["json", "xlsx", "docx"], accept_multiple_files=True,
                     key="bm_upload_apps", on_change=_on_files)
    for msg in st.session_state.get("_bm_file_errors", []):
        st.error(persist.md_escape(msg))
    files: dict[str, str] = st.session_state.get(K_FILES, {})
    jsons.update(files)
    offered: dict[str, Any] = st.session_state.get(K_PEER_APPS, {}) or {}
    for label, data in offered.items():
        jsons[label] = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    if files:
        c1, c2 = st.columns([4, 1])
        c1.caption("已上传：" + "；".join(persist.md_escape(k) for k in files))
        c2.button("清空上传", on_click=_clear, args=(K_FILES,), key="bm_clear_files")
    if offered:
        st.caption(f"其他页面提供的申报 {len(offered)} 份（如遴选排序中载入的候选单位）。")
    peers = []
    errors = []
    for label, text in jsons.items():
        try:
            peers.append(_peer(text, with_narrative, pack_key()))
        except Exception as e:  # a stored draft from another version: say so, keep the others
            errors.append(f"{persist.md_escape(label)}：无法使用（{type(e).__name__}）")
    for msg in errors:
        st.warning(msg)
    return PeerSet(kind="applications", peers=peers, origin="；".join(jsons))


def _csv_panel(app_type: str) -> PeerSet:
    t = ApplicantType.parse(app_type)
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    with c1:
        st.file_uploader("上传同行指标表（CSV）", type=["csv"], key="bm_upload_csv", on_change=_on_csv,
                         help="每行一个参照单位；表头见模板。可只填部分指标，空格按缺数据处理。")
    with c2:
        st.download_button(f"下载{t.label}同行指标表模板（CSV）", csv_template(t),
                           file_name=f"同行指标表模板_{t.label}.csv", mime="text/csv", icon=":material/download:",
                           key="bm_template")
    st.caption("模板的列：单位名称、申报类别、申报领域、评分所用的各项指标、关键指标的逐年数值（用于趋势图）、"
               "工作方案得分（可空）。近三年平均值一栏为空而三年数值齐全时自动计算。")
    err = st.session_state.get("_bm_csv_error")
    if err:
        st.error(err)
    stored = st.session_state.get(K_CSV)
    if not stored:
        return PeerSet(kind="csv", peers=[])
    name, data = stored
    ps, error = _csv(data, name, pack_key())
    if ps is None:
        st.error(f"{persist.md_escape(name)}：{error}")
        return PeerSet(kind="csv", peers=[])
    msg = f"已读取 {persist.md_escape(name)}：可用 {len(ps.peers)} 行"
    if ps.issues:
        msg += f"，{len(ps.bad_rows)} 行有误未使用（见下表）"
    st.caption(msg)
    if ps.issues:
        st.dataframe(pd.DataFrame([{"行": i.row, "列": i.column, "内容": i.value, "问题": i.message} for i in ps.issues]),
                     hide_index=True, width="stretch")
    for w in ps.warnings:
        st.caption(f"⚠ {persist.md_escape(w)}")
    return ps


# ---------------------------------------------------------------------------------------------------------------
# output


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(kind: str, content: str, big: bool, _data: Any) -> Any:
    """A chart built once per content (building a plotly figure costs about a second on this page; drawing a
    built one costs little). ``content`` is what the chart shows, as JSON (the cache key; the applicant's name is
    not in it: no chart shows it); ``_data`` the model itself. Figures are only read after this, never changed."""
    if kind == "coverage_heatmap":
        return charts.coverage_heatmap(_data, big=big)
    return getattr(charts, kind)(_data, big=big)


def _chart(kind: str, data: Any, big: bool, key: str) -> None:
    exclude = {"summary"} if isinstance(data, BenchmarkResult) else None
    fig = _figure(kind, data.model_dump_json(exclude=exclude), big, data)
    st.plotly_chart(fig, width="stretch", config=CHART_CONFIG, theme=None, key=key)
    st.markdown(f"**解读：** {charts.reading(fig)}")


def _pct_text(s: Stat) -> str:
    if s.value is None:
        return "本单位缺数据"
    if s.percentile is None:
        return "无可比数据"
    return f"第 {s.percentile:.0f} 百分位"


def _val(v: Optional[float], unit: str) -> str:
    return "—" if v is None else f"{fmt(round(v, 2))}{unit}"


def _table(b: BenchmarkResult) -> pd.DataFrame:
    rows = []
    for s in [*b.scores, *b.dimensions, *charts._sorted_indicators(b)]:
        rows.append({"类别": s.kind if s.kind != "指标" else f"指标 · {s.group}", "名称": s.label,
                     "本单位": _val(s.value, s.unit), "百分位": _pct_text(s), "中位数": _val(s.median, s.unit),
                     "P75": _val(s.p75, s.unit), "P90": _val(s.p90, s.unit), "有数据": f"{s.n} 家",
                     "缺数据": f"{s.n_missing} 家" if s.n_missing else "—"})
    return pd.DataFrame(rows)


def _more(b: BenchmarkResult, result: Any, big: bool) -> None:
    """演示模式's expander: every chart after the radar, and the table of percentiles (under a heading: Streamlit
    does not nest expanders)."""
    _chart("composition_chart", b, big, "bm_composition")
    _chart("indicator_distribution_chart", b, big, "bm_indicators")
    _chart("trend_chart", b, big, "bm_trends")
    if result.narrative is not None:
        _chart("coverage_heatmap", result.narrative, big, "bm_coverage")
    else:
        st.caption("工作方案评价要点覆盖图需要文本评价模型，当前不可用。")
    st.markdown("**百分位明细表**")
    st.dataframe(_table(b), hide_index=True, width="stretch")


MORE_TABS = ("总分构成", "各项指标", "近三年走势", "评价要点覆盖", "百分位明细表")


def _more_tabs(b: BenchmarkResult, result: Any, big: bool) -> None:
    """The charts after the radar, one tab each; only the open one is built and drawn (building them all made
    every visit after a change take more than a second)."""
    def coverage() -> None:
        if result.narrative is not None:
            _chart("coverage_heatmap", result.narrative, big, "bm_coverage")
        else:
            st.caption("工作方案评价要点覆盖图需要文本评价模型，当前不可用。")

    draw = (lambda: _chart("composition_chart", b, big, "bm_composition"),
            lambda: _chart("indicator_distribution_chart", b, big, "bm_indicators"),
            lambda: _chart("trend_chart", b, big, "bm_trends"),
            coverage,
            lambda: st.dataframe(_table(b), hide_index=True, width="stretch"))
    for tab, fn in zip(remembered_tabs(MORE_TABS, "bm_tab"), draw):
        if is_open(tab):
            with tab:
                fn()


def render(app: Any, b: BenchmarkResult, result: Any, big: bool, compact: bool = False) -> None:
    g = b.group
    banner = charts.group_text(b)  # names the set (模拟 or 真实) and any fallback to all domains
    if g.simulated:
        st.warning(f"{banner}。模拟参照组是虚构单位，不是真实申报单位。", icon=":material/science:")
    else:
        st.success(banner, icon=":material/groups:")

    cols = st.columns(len(b.scores))
    for c, s in zip(cols, b.scores):  # value kept short: 「第 100 百分位」 was cut off in three columns at 1280×720
        c.metric(f"{s.label}：百分位（0—100）", "—" if s.percentile is None else f"{s.percentile:.0f}",
                 delta=f"本单位 {_val(s.value, '分')}，中位数 {_val(s.median, '分')}", delta_color="off",
                 delta_arrow="off", help=f"{_pct_text(s)}：{s.n} 家参照单位有数据" +
                 (f"，{s.n_missing} 家缺数据" if s.n_missing else ""), border=True)

    # one chart per row: side by side they would be too narrow at 1280×720 (looked at in headless Chromium)
    if compact:  # 演示模式: the cards above and the key chart on one screen; the rest on request
        _chart("radar_chart", b, big, "bm_radar")
        with st.expander("更多图表与百分位明细（总分构成、各项指标、近三年走势、评价要点覆盖）"):
            _more(b, result, big)
    else:
        _chart("radar_chart", b, big, "bm_radar")
        _more_tabs(b, result, big)
    for n in b.notes:
        st.caption(f"※ {n}")
    st.caption(b.method)


sidebar = page_setup()
big = presentation_mode()
st.title("对标分析")
app = require_app(sidebar)
source = st.radio("参照组", SOURCES, format_func=lambda k: SOURCE_OPTIONS[k], key=K_SOURCE, horizontal=True,
                  help=f"同领域参照单位少于 {MIN_PEERS} 家时，自动改用全部领域的同类单位，并在图上注明。")

encoder, enc_warning = None, None
want_narrative = True
try:
    encoder, enc_warning = get_encoder_cached()
except Exception as e:  # the model cannot be loaded at all: indicators only
    want_narrative = False
    enc_warning = f"文本评价模型不可用（{type(e).__name__}），只比较指标部分。"
if enc_warning:
    st.caption(f"⚠ {enc_warning}")

if source == "simulated":
    peer_set = _simulated_panel(app.type.value)
elif source == "applications":
    peer_set = _applications_panel(app, want_narrative)
else:
    peer_set = _csv_panel(app.type.value)

if not peer_set.peers:
    st.info(f"{SOURCE_LABELS[peer_set.kind]}中还没有可比较的单位。" +
            ("请选择或上传同行的申报。" if source == "applications" else "请上传同行指标表（可先下载模板）。"))
    render_sidebar(sidebar)
    st.stop()

from scoring.programme.rubric import RubricError  # noqa: E402

try:
    result = score_current(app, narrative=want_narrative)
    bench = benchmark(app, peer_set, result)
except BenchmarkError as e:
    st.warning(str(e))
    render_sidebar(sidebar)
    st.stop()
except RubricError as e:
    st.error(f"评分规则文件有误或缺失，无法对标：{e}")
    render_sidebar(sidebar)
    st.stop()

render(app, bench, result, big, compact=workshop.active())
st.divider()
st.caption(disclaimer())
render_sidebar(sidebar)
