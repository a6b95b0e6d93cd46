"""Peer benchmarks: percentiles, peer groups, the simulated reference set, the peer CSV, charts, page, CLI.

Hand-made peer set used below (enterprise, 人工智能), metric 企业研发投入强度（近三年平均）:
  applicant 5 / 6 / 7 % → average 6.0 %
  peers 4, 6, 6, 8, (missing), 10, 3, 6 → 7 values, 1 missing
  worse than 6: 4, 3 → W = 2; equal: 6, 6, 6 → E = 3; better: 8, 10
  mid-rank percentile = 100 × (2 + 3/2) / 7 = 50.0
  sorted 3 4 6 6 6 8 10: median = x₃ = 6; P75: h = 6 × 0.75 = 4.5 → 6 + 0.5 × (8 − 6) = 7; P90: h = 5.4 → 8 + 0.4 × 2 = 8.8
"""

from __future__ import annotations

import copy
import io
import json
import math
import statistics
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pages` is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from scoring.peers import charts  # noqa: E402
from scoring.peers import (MIN_PEERS, BenchmarkError, Peer, PeerSet, benchmark, csv_template,  # noqa: E402
                               load_simulated, parse_peer_csv, percentile_rank, quantile, score_peer)
from scoring.assessment.engine import score_application  # noqa: E402
from scoring.application.ids import ApplicantType, Domain  # noqa: E402
from scoring.application.models import EnterpriseApplication, dump_application, parse_application  # noqa: E402
from scoring.programme.rubric import load_indicator_rubric  # noqa: E402
from scoring.peers.assumptions import ASSUMPTIONS  # noqa: E402
from scoring.peers.simulate import (N_ENTERPRISES, SEED, SIMULATED_NOTE, check_groups,  # noqa: E402
                              generate_applications, generate_rows, simulated_csv, simulated_path, stale_files)

RD = "rd.rd_intensity.avg"
RD_COL = "研发投入强度（近三年平均值）（%）"
PAT_COL = "有效发明专利加权数量（件）"
E, P = ApplicantType.ENTERPRISE, ApplicantType.PARK


def _applicant() -> EnterpriseApplication:
    return EnterpriseApplication(domain=Domain.AI, applicant_name="本单位",
                                 basic={"name": "本单位"},
                                 rd={"rd_intensity": {"y2023": 5.0, "y2024": 6.0, "y2025": 7.0}})


def _peers(values, domain=Domain.AI, prefix="同行"):
    return [Peer(name=f"{prefix}{i}", type=E, domain=domain, values={RD: v}) for i, v in enumerate(values)]


HAND = [4.0, 6.0, 6.0, 8.0, None, 10.0, 3.0, 6.0]


def _bench(peers, kind="csv", app=None):
    app = app or _applicant()
    res = score_application(app, narrative=False)
    return benchmark(app, PeerSet(kind=kind, peers=peers), res)


def _stat(b, key):
    return next(s for s in b.indicators if s.key == key)


# ---------------------------------------------------------------------------------------------------------------
# percentiles and quantiles


def test_mid_rank_percentile_counts_ties_half():
    assert percentile_rank(2.0, [1.0, 2.0, 2.0, 3.0, 5.0]) == (40.0, 1, 2, 2)  # (1 + 2/2) / 5
    # lower is better: the worse peers are the higher values 3 and 5 → (2 + 1) / 5
    assert percentile_rank(2.0, [1.0, 2.0, 2.0, 3.0, 5.0], higher_is_better=False) == (60.0, 2, 2, 1)
    assert percentile_rank(7.0, [7.0, 7.0, 7.0])[0] == 50.0  # equal to everyone
    assert percentile_rank(9.0, [1.0, 2.0])[0] == 100.0
    assert percentile_rank(0.5, [1.0, 2.0])[0] == 0.0
    assert percentile_rank(1.0, []) == (None, 0, 0, 0)


def test_quantiles_interpolate_linearly():
    xs = [1.0, 2.0, 2.0, 3.0, 5.0]
    assert quantile(xs, 0.5) == 2.0
    assert quantile(xs, 0.75) == 3.0  # h = 4 × 0.75 = 3 → x₃
    assert quantile(xs, 0.9) == pytest.approx(4.2)  # h = 3.6 → 3 + 0.6 × (5 − 3)
    assert quantile([4.0], 0.9) == 4.0
    assert quantile([], 0.5) is None


def test_hand_made_peer_set_ties_and_missing_values():
    b = _bench(_peers(HAND))
    s = _stat(b, RD)
    assert s.value == pytest.approx(6.0)
    assert (s.n, s.n_missing) == (7, 1)
    assert (s.n_worse, s.n_equal, s.n_better) == (2, 3, 2)
    assert s.percentile == 50.0
    assert s.median == 6.0 and s.p75 == pytest.approx(7.0) and s.p90 == pytest.approx(8.8)
    assert s.peer_values == [3.0, 4.0, 6.0, 6.0, 6.0, 8.0, 10.0]
    # exactly 8 peers in the type × domain group: no fallback
    assert not b.group.fallback and b.group.n_used == 8 and b.group.scope == "同领域"
    # a metric the applicant lacks: no percentile, peers still counted (all missing here)
    pat = _stat(b, "patents.weighted")
    assert pat.value is None and pat.percentile is None and pat.n == 0 and pat.n_missing == 8


def test_group_below_minimum_falls_back_to_same_type_across_domains():
    peers = _peers([4.0, 6.0, 6.0, 8.0, 10.0, 3.0, 6.0])  # 7 < 8 in 人工智能
    peers += _peers([1.0, 2.0, 12.0], domain=Domain.ROBOT, prefix="机器人")
    peers += [Peer(name="园区", type=P, domain=Domain.AI, values={RD: 0.5})]  # another type: never compared
    b = _bench(peers)
    g = b.group
    assert g.fallback and g.n_domain == 7 and g.n_used == 10 and g.scope == "全部领域"
    assert "仅 7 家" in g.note and f"少于 {MIN_PEERS} 家" in g.note
    s = _stat(b, RD)
    # 10 values: worse 4, 3, 1, 2 (W = 4); equal 6, 6, 6 (E = 3) → (4 + 1.5) / 10
    assert s.n == 10 and s.percentile == 55.0
    # the charts say so
    fig = charts.radar_chart(b)
    assert "已扩大到全部领域" in fig.layout.title.subtitle.text
    assert "全部领域" in charts.indicator_distribution_chart(b).layout.title.subtitle.text


def test_no_peer_of_the_type_is_an_error():
    with pytest.raises(BenchmarkError, match="没有示范企业"):
        _bench([Peer(name="园区", type=P, domain=Domain.AI, values={RD: 1.0})])


def test_peer_with_the_applicants_name_is_not_compared_with_itself():
    peers = _peers(HAND) + [Peer(name="本单位", type=E, domain=Domain.AI, values={RD: 6.0})]
    b = _bench(peers)
    assert b.group.n_excluded_self == 1 and _stat(b, RD).n == 7
    assert any("同名" in n for n in b.notes)


def _at_rule(ind, full: bool) -> float:
    r = ind.rule
    if r.kind == "linear":
        return r.target if full else r.floor
    lows = sorted(bd.min for bd in r.bands)
    return lows[-1] if full else lows[0] - 1


def test_dimension_scores_count_only_complete_peers():
    rubric = load_indicator_rubric(E)
    metrics = {i.metric: i for d in rubric.dimensions for i in d.indicators}
    full = Peer(name="满分", type=E, domain=Domain.AI, values={k: _at_rule(i, True) for k, i in metrics.items()})
    zero = Peer(name="零分", type=E, domain=Domain.AI, values={k: _at_rule(i, False) for k, i in metrics.items()})
    sc_full = score_peer(full, rubric, (0.6, 0.4))
    sc_zero = score_peer(zero, rubric, (0.6, 0.4))
    assert sc_full.dims == {"product": 25.0, "technology": 25.0, "business": 25.0, "management": 25.0}
    assert sc_full.indicator == 100.0 and sc_zero.indicator == 0.0
    assert sc_full.total is None  # no narrative score: no total

    b = _bench(_peers(HAND) + [full, zero])
    tech = next(d for d in b.dimensions if d.key == "technology")
    # applicant: only R&D intensity 6 % → (6 − 3)/(7 − 3) = 0.75 of that indicator's 25 × 2/9 points = 4.17
    assert tech.value == pytest.approx(25 * 2 / 9 * 0.75, abs=0.01)
    assert (tech.n, tech.n_missing) == (2, 8)  # the 8 peers with only one metric are incomplete: excluded, counted
    assert tech.percentile == 50.0  # above 0, below 25
    ind = next(s for s in b.scores if s.key == "indicator")
    assert ind.n == 2 and ind.peer_values == [0.0, 100.0]


def test_simulated_peers_have_no_narrative_so_only_indicators_are_compared():
    app = parse_application(json.loads((ROOT / "data/samples/enterprise_ai.json").read_text(encoding="utf-8")))
    from scoring.narrative.encoders import get_encoder

    res = score_application(app, encoder=get_encoder())
    b = benchmark(app, load_simulated(E), res)
    assert b.group.simulated and "模拟参照组" in b.group.headline and "虚构" in b.group.headline
    assert [s.key for s in b.scores] == ["indicator"] and not b.narrative_compared
    assert any("工作方案得分和申报总分未作比较" in n for n in b.notes)
    # composition: four dimensions × 0.6 plus the narrative × 0.4 add up to the total
    assert sum(p.applicant for p in b.composition) == pytest.approx(res.total.score, abs=0.05)
    assert next(p for p in b.composition if p.key == "narrative").peer_median is None


# ---------------------------------------------------------------------------------------------------------------
# the simulated reference set


def test_generator_is_deterministic_for_a_seed():
    a = generate_rows(P, seed=SEED)
    assert a == generate_rows(P, seed=SEED)
    other = generate_rows(P, seed=SEED + 1)
    assert [r["lead.revenue.avg"] for r in a] != [r["lead.revenue.avg"] for r in other]
    assert simulated_csv(E) == simulated_csv(E)


def test_shipped_files_are_the_generators_output():
    assert stale_files() == [], "data/peers 与生成脚本不一致：运行 python -m scoring simulate-peers"


def test_groups_are_named_and_marked_simulated():
    assert len(generate_applications(P, Domain.SPACE)) == 6 < MIN_PEERS  # the fallback happens for 商业航天 parks
    assert len(generate_applications(P, Domain.AI)) == 10
    assert len(generate_applications(E, Domain.ROBOT)) == N_ENTERPRISES
    ps = load_simulated(P)
    assert ps.simulated and len(ps.peers) == 10 * 8 + 6 * 2 and not ps.issues and not ps.warnings
    assert all(p.name.startswith("模拟园区·") for p in ps.peers)
    text = simulated_path(E).read_text(encoding="utf-8-sig").splitlines()
    assert text[0].endswith(",备注") and all(line.endswith(SIMULATED_NOTE) for line in text[1:])


def test_enterprise_rd_intensity_median_near_the_assumed_7_percent():
    rows = generate_rows(E)
    others = [r[RD] for r in rows if r["domain"] is not Domain.SOFTWARE]
    software = [r[RD] for r in rows if r["domain"] is Domain.SOFTWARE]
    assert 6.5 <= statistics.median(others) <= 7.5  # assumed 7 % (小巨人 average)
    assert 9.0 <= statistics.median(software) <= 11.0  # assumed 10 % (中国软件名城)


@pytest.mark.parametrize("key", [k for k, a in ASSUMPTIONS.items() if a.metric])
def test_generated_medians_follow_every_written_assumption(key):
    a = ASSUMPTIONS[key]
    rows = generate_rows(a.type)
    for _label, doms in check_groups(a):
        vals = [r[a.metric] for r in rows if r["domain"] in doms and r[a.metric] is not None]
        med, center = statistics.median(vals), a.center_for(doms[0])
        if a.kind == "lognormal":
            assert abs(math.log(med / center)) <= 0.12, (a.label, med, center)
        else:
            assert abs(med - center) <= 0.3 * a.spread, (a.label, med, center)


# ---------------------------------------------------------------------------------------------------------------
# the peer CSV


BAD_CSV = (
    f"单位名称,申报类别,申报领域,{RD_COL},{PAT_COL},不认识的列\n"
    "甲公司,示范企业,人工智能,5.5,30,x\n"          # row 2: good
    "乙公司,企业,ai,abc,20,\n"                      # row 3: not a number
    "丙公司,enterprise,人工智能,150,10,\n"          # row 4: a share above 100 %
    "丁公司,示范企业,火星,5,5,\n"                    # row 5: unknown domain
    ",,,,,\n"                                       # blank line: skipped silently
    "戊公司,示范企业,软件,8%,,\n"                    # row 7: good, patents missing
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_bad_rows_reported_with_row_and_column_good_rows_kept(encoding):
    ps = parse_peer_csv(BAD_CSV.encode(encoding))
    assert [(p.name, p.row, p.domain, p.values) for p in ps.peers] == [
        ("甲公司", 2, Domain.AI, {RD: 5.5, "patents.weighted": 30.0}),
        ("戊公司", 7, Domain.SOFTWARE, {RD: 8.0}),
    ]
    assert ps.bad_rows == [3, 4, 5]
    by_row = {i.row: i for i in ps.issues}
    assert by_row[3].column == RD_COL and "不是数字" in by_row[3].message and by_row[3].value == "abc"
    assert by_row[4].column == RD_COL and "超出合理范围" in by_row[4].message
    assert by_row[5].column == "申报领域" and "火星" in by_row[5].message
    assert by_row[3].text.startswith(f"第 3 行，“{RD_COL}”列")
    assert ps.warnings == ["第 1 行：未识别的列“不认识的列”，已忽略"]


def test_csv_template_is_read_back_without_warnings_and_years_give_the_average():
    for t in ApplicantType:
        ps = parse_peer_csv(csv_template(t))
        assert ps.peers == [] and ps.issues == [] and ps.warnings == []
    text = ("申报类别,申报领域,研发投入强度（2023年）（%）,研发投入强度（2024年）（%）,研发投入强度（2025年）（%）\n"
            "示范企业,人工智能,4,5,9\n")
    (peer,) = parse_peer_csv(text).peers
    assert peer.values[RD] == pytest.approx(6.0)  # (4 + 5 + 9) / 3


def test_csv_without_required_columns_is_refused():
    with pytest.raises(BenchmarkError, match="申报领域"):
        parse_peer_csv(f"申报类别,{RD_COL}\n示范企业,5\n")
    with pytest.raises(BenchmarkError, match="为空"):
        parse_peer_csv(b"")


# ---------------------------------------------------------------------------------------------------------------
# charts


def test_charts_have_chinese_titles_units_and_readings():
    b = _bench(_peers(HAND))
    dist = charts.indicator_distribution_chart(b)
    assert dist.layout.title.text == "各项指标在参照组中的位置（按百分位从高到低）"
    # the strongest comparable indicator first; the reading in the issue's words
    assert charts.reading(dist).startswith("企业研发投入强度（近三年平均）高于同领域50%的参照单位")
    assert "本单位缺数据" in charts.reading(dist)
    heads = [a.text for a in dist.layout.annotations]
    assert heads[0].startswith("<b>企业研发投入强度（近三年平均）</b>（%）") and "第 50 百分位" in heads[0]
    trend = charts.trend_chart(b)
    assert "（%）" in " ".join(a.text for a in trend.layout.annotations)  # subplot titles carry units
    comp = charts.composition_chart(b)
    assert comp.layout.title.text.startswith("指标得分构成")  # scored without narrative
    for fig in (charts.radar_chart(b), dist, trend, comp):
        assert "参照组：真实同行（上传的同行指标表）" in fig.layout.title.subtitle.text
        assert charts.reading(fig)


def _rows_of(fig, part):
    """The rows (y) where the chart draws a bar of the part whose legend name starts with ``part``."""
    return [y for t in fig.data if t.name.startswith(part) for y in t.y]


def test_composition_compares_indicator_part_with_indicator_part_and_work_plan_only_with_real_work_plans():
    from scoring.narrative.encoders import get_encoder

    app = parse_application(json.loads((ROOT / "data/samples/enterprise_ai.json").read_text(encoding="utf-8")))
    res = score_application(app, encoder=get_encoder())
    # simulated peers have no work-plan score: our work plan is drawn alone, never beside a peer median
    sim = charts.composition_chart(benchmark(app, load_simulated(E), res))
    me_ind, peer_ind = "本单位 · 指标部分", "参照组中位数 · 指标部分"
    assert set(_rows_of(sim, "工作方案")) == {"本单位 · 工作方案"}
    for dim in ("产品", "技术"):
        rows = _rows_of(sim, dim)
        assert rows and set(rows) == {me_ind, peer_ind}
    ours = [a.text for a in sim.layout.annotations if a.y == me_ind][0]
    ind_part = sum(p.applicant for p in benchmark(app, load_simulated(E), res).composition if p.key != "narrative")
    assert f"指标部分 {charts._num(ind_part)}" in ours  # our indicator part, not our total
    assert "只比较指标部分" in sim.layout.title.text and "参照组无工作方案得分" in sim.layout.title.text
    assert "不作比较" in sim.layout.title.subtitle.text and "未比较" in charts.reading(sim)
    # real peers with a work-plan score: the work plan is compared with theirs, in its own row
    peers = [Peer(name=f"同行{i}", type=E, domain=Domain.AI, values=dict(p.values), narrative=50.0 + i)
             for i, p in enumerate(load_simulated(E).peers[:8])]
    real = charts.composition_chart(benchmark(app, PeerSet(kind="csv", peers=peers), res))
    assert set(_rows_of(real, "工作方案")) == {"本单位 · 工作方案", "真实同行中位数 · 工作方案"}
    assert "工作方案比有工作方案的真实同行" in real.layout.title.text
    assert "8 家有工作方案的同行" in " ".join(a.text for a in real.layout.annotations)


def test_presentation_mode_enlarges_chart_text():
    b = _bench(_peers(HAND))
    for make in (charts.radar_chart, charts.indicator_distribution_chart, charts.trend_chart,
                 charts.composition_chart):
        small, big = make(b), make(b, big=True)
        assert big.layout.font.size > small.layout.font.size >= 14
        assert big.layout.title.font.size > small.layout.title.font.size
        assert big.layout.height > small.layout.height


def test_coverage_heatmap_cells_follow_point_status():
    app = parse_application(json.loads((ROOT / "data/samples/park_ai.json").read_text(encoding="utf-8")))
    from scoring.narrative.encoders import get_encoder

    nar = score_application(app, encoder=get_encoder()).narrative
    fig = charts.coverage_heatmap(nar)
    points = [p for s in nar.sections for p in s.points]
    heat = fig.data[0]
    cells = [v for row in heat.z for v in row if v is not None]
    code = {"未覆盖": 0, "部分覆盖": 1, "已覆盖": 2}
    assert cells == [code[p.status] for p in points]  # row by row, in section order
    texts = [a.text for a in fig.layout.annotations]
    symbol = {"已覆盖": "✓", "部分覆盖": "◐", "未覆盖": "✗"}
    assert [t.split("</b>")[0] for t in texts] == [f"<b>{symbol[p.status]}" for p in points]  # not colour alone
    n_cov = sum(p.status == "已覆盖" for p in points)
    assert f"共 {len(points)} 个评价要点：已覆盖 {n_cov} 个" in charts.reading(fig)
    assert [t.name for t in fig.data[1:]] == ["✓ 已覆盖", "◐ 部分覆盖", "✗ 未覆盖"]


# ---------------------------------------------------------------------------------------------------------------
# CLI


def _cli(*argv):
    from scoring.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_benchmark_simulated_json():
    code, out, _ = _cli("benchmark", str(ROOT / "data/samples/park_space.json"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["group"]["simulated"] is True and data["group"]["fallback"] is True
    rubric = load_indicator_rubric(P)
    assert [s["key"] for s in data["indicators"]] == [i.metric for d in rubric.dimensions for i in d.indicators]
    assert all(0 <= s["percentile"] <= 100 for s in data["indicators"] if s["percentile"] is not None)


def test_cli_benchmark_with_a_peer_csv_reports_bad_rows(tmp_path):
    f = tmp_path / "peers.csv"
    f.write_text(BAD_CSV, encoding="utf-8")
    app = tmp_path / "app.json"
    app.write_text(json.dumps(dump_application(_applicant()), ensure_ascii=False), encoding="utf-8")
    code, out, err = _cli("benchmark", str(app), "--peers", str(f), "--no-narrative")
    assert code == 0
    assert "3 行有误" in err and f"第 3 行，“{RD_COL}”列" in err
    assert "真实同行（上传的同行指标表）" in out and "全部领域示范企业 2 家" in out  # 1 AI + 1 software: fallback
    code, _, err = _cli("benchmark", str(app), "--peers", str(tmp_path / "none.csv"))
    assert code == 2 and "不存在" in err


def test_cli_simulate_check():
    code, out, _ = _cli("simulate-peers", "--check")
    assert code == 0 and "最新" in out


# ---------------------------------------------------------------------------------------------------------------
# the page


@pytest.fixture(params=["navigation", "pages_folder"])
def run_mode(request, monkeypatch):
    """Both ways Streamlit may run a page (see tests/pages/test_app_pages.py)."""
    from streamlit.runtime.pages_manager import PagesManager

    if request.param == "navigation":
        original = PagesManager.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            PagesManager.uses_pages_directory = False

        monkeypatch.setattr(PagesManager, "__init__", init)
    return request.param


def _page(sample: str):
    from streamlit.testing.v1 import AppTest

    import pages.shared.common as common
    import pages.shared.state as state

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app = parse_application(json.loads((ROOT / "data/samples" / sample).read_text(encoding="utf-8")))
    at.session_state[state.K_MODEL] = app
    at.session_state[state.K_JSON] = dump_application(app)
    at.session_state[state.K_GEN] = 1
    at.session_state[state.K_REJECTED] = {}
    at.run()
    at.switch_page("pages/benchmark.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _charts(at):
    """Every chart of the page: the radar, then each chart tab opened in turn as a user does (only the open tab
    is drawn), back on the first tab at the end."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    if not specs:
        return specs
    seen = {s["layout"]["title"]["text"] for s in specs}
    for title in ("各项指标", "近三年走势", "评价要点覆盖", "总分构成"):
        at.session_state["bm_tab"] = title
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        for c in at.get("plotly_chart"):
            spec = json.loads(c.proto.spec)
            if spec["layout"]["title"]["text"] not in seen:
                seen.add(spec["layout"]["title"]["text"])
                specs.append(spec)
    return specs


TITLES = ["四个维度得分对比（占该维度满分的百分比）", "总分构成：只比较指标部分（参照组无工作方案得分）",
          "各项指标在参照组中的位置（按百分位从高到低）", "关键指标近三年走势：本单位与参照组中位数",
          "创建工作方案评价要点覆盖情况（章节 × 要点）"]


def test_page_renders_every_chart_with_the_simulated_set(run_mode):
    at = _page("park_space.json")
    readings = [m.value for m in at.markdown if m.value.startswith("**解读：**")]
    assert len(readings) == 2  # the radar and the open tab's chart
    specs = _charts(at)
    assert [s["layout"]["title"]["text"] for s in specs] == TITLES
    for s in specs[:4]:
        sub = s["layout"]["title"]["subtitle"]["text"]
        assert "模拟参照组（虚构数据）" in sub and "已扩大到全部领域" in sub  # 商业航天: 6 simulated parks
    assert any("模拟参照组是虚构单位" in w.value for w in at.warning)
    assert specs[0]["layout"]["font"]["size"] == 14
    # 大屏演示: bigger text in every chart
    at.sidebar.toggle(key="_presentation_toggle").set_value(True).run()
    assert not at.exception
    big = _charts(at)
    assert len(big) == 5 and all(s["layout"]["font"]["size"] == 20 for s in big)
    assert at.session_state["presentation"] is True


def test_page_with_an_uploaded_csv_lists_bad_rows_and_compares_with_the_good_ones():
    at = _page("enterprise_ai.json")
    at.radio(key="bm_source").set_value("csv").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0 and any("请上传同行指标表" in i.value for i in at.info)
    rows = [f"同行{i},示范企业,人工智能,{v},{20 + i}\n" for i, v in enumerate([3, 4, 5, 6, 7, 8, 9, 10])]
    text = f"单位名称,申报类别,申报领域,{RD_COL},{PAT_COL}\n" + "".join(rows) + "坏行,示范企业,人工智能,七,5\n"
    at.file_uploader(key="bm_upload_csv").set_value(("peers.csv", text.encode("utf-8"), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    issues = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    assert list(issues["行"]) == [10] and list(issues["列"]) == [RD_COL]
    specs = _charts(at)
    assert len(specs) == 5
    assert "真实同行（上传的同行指标表） · 人工智能领域示范企业 8 家" in specs[0]["layout"]["title"]["subtitle"]["text"]
    assert len(at.get("download_button")) == 1  # the template


def test_page_with_loaded_applications_compares_narrative_too():
    at = _page("enterprise_ai.json")
    at.radio(key="bm_source").set_value("applications").run()
    files = [(n, (ROOT / "data/samples" / n).read_bytes(), "application/json")
             for n in ("enterprise_robot.json", "enterprise_software.json", "enterprise_icv.json")]
    at.file_uploader(key="bm_upload_apps").set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    specs = _charts(at)
    assert len(specs) == 5
    sub = specs[0]["layout"]["title"]["subtitle"]["text"]
    assert "真实同行（已载入的申报）" in sub and "全部领域示范企业 3 家" in sub and "已扩大到全部领域" in sub
    labels = [m.label for m in at.metric]
    assert labels == ["指标得分：百分位（0—100）", "工作方案得分：百分位（0—100）", "申报总分：百分位（0—100）"]


def test_page_with_saved_drafts_chosen_as_peers():
    import os

    from scoring.store.drafts import Store
    from scoring.store.workspace import local_workspace

    store = Store(Path(os.environ["SFJD_DATA_DIR"]) / "sfjd.sqlite3")  # the test's own data folder (conftest)
    ws = local_workspace(store)
    ids = [store.create(ws.id, parse_application(json.loads((ROOT / "data/samples" / n).read_text(encoding="utf-8"))),
                        name=label).id
           for n, label in (("park_robot.json", "草稿甲"), ("park_icv.json", "草稿乙"))]
    at = _page("park_ai.json")
    at.radio(key="bm_source").set_value("applications").run()
    ms = at.multiselect(key="bm_drafts")
    assert set(ms.options) >= {"草稿甲（示范园区 · 智能机器人）", "草稿乙（示范园区 · 智能网联新能源汽车）"}
    ms.set_value(ids).run()
    assert not at.exception, [e.value for e in at.exception]
    specs = _charts(at)
    assert len(specs) == 5
    assert "真实同行（已载入的申报） · 全部领域示范园区 2 家" in specs[0]["layout"]["title"]["subtitle"]["text"]


def test_page_uses_applications_offered_by_other_pages():
    import pages.shared.common as common

    at = _page("enterprise_ai.json")
    offered = {f"候选 {n}": json.loads((ROOT / "data/samples" / n).read_text(encoding="utf-8"))
               for n in ("enterprise_robot.json", "enterprise_space.json")}
    at.session_state[common.K_PEER_APPS] = offered
    at.radio(key="bm_source").set_value("applications").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("其他页面提供的申报 2 份" in c.value for c in at.caption)
    assert "全部领域示范企业 2 家" in _charts(at)[0]["layout"]["title"]["subtitle"]["text"]
