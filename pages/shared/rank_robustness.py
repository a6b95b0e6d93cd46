"""排序稳健性 of 遴选排序: the ranks recomputed with every weight of the rule pack perturbed, computed once per batch,
city and pack when first asked for (also outside a script run: the score workbook's download calls it when clicked),
and the chart and table that show it. Logic in :mod:`scoring.selection.robustness`; this view only draws.
"""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import streamlit as st

from pages.shared.common import presentation_mode
from pages.shared.display import md_escape as _md
from scoring.programme.packs import pack_key
from scoring.selection.ranking import Ranking

K_ROBUST = "rk_robust"        # (gen, city, rule pack) -> RobustnessResult


def robustness_later(base: Ranking, gen: int, city: str) -> Callable[[], Any]:
    """The robustness of the ranks, computed once per batch and city when first asked for (also outside a script
    run: the workbook's download calls it when clicked)."""
    cache = st.session_state.setdefault(K_ROBUST, {})
    key = (gen, city, pack_key())  # the weights perturbed are the rule pack's

    def get() -> Any:
        from scoring.selection.robustness import analyse

        if key not in cache:
            cache[key] = analyse(base)
        return cache[key]
    return get


def render_robustness(base: Ranking, rob: Any) -> None:
    from scoring.selection.robustness import robustness_figure

    st.caption(_md(f"把评分中的各项权重（{'；'.join(rob.weights)}）各自随机放大或缩小至多 {rob.spread:.0%}，抽样 {rob.draws} 次"
                   f"（随机种子 {rob.seed}，结果可复现），每次重新排序并按名额提出建议。名次范围窄、入围频率接近 100% 或 0% 的，"
                   "位次已定；入围频率居中的，名次取决于权重的设定，需要设区市工信局重点斟酌。"
                   "图中粗线为 5%–95% 的抽样名次，细线为最好至最差名次，圆点为按现行权重的名次。"))
    if rob.max_deviation > 0.05:
        st.warning(f"按现行权重重算的总分与评分结果最多相差 {rob.max_deviation:.2f} 分，请重新评分后再看本分析。", icon="⚠️")
    big = presentation_mode()
    for g in rob.groups:
        if not g.rows:
            continue
        st.plotly_chart(robustness_figure(g, rob.draws, rob.spread, big=big), width="stretch",
                        config={"displayModeBar": False}, key=f"rk_chart_{g.key}")
        st.dataframe(pd.DataFrame([{"编号": r.cid, "名称": r.name, "名次": r.base_rank,
                                    "名次范围": f"{r.rank_min}–{r.rank_max}", "名次（5%–95%）": f"{r.rank_p5}–{r.rank_p95}",
                                    "总分范围": f"{r.total_min:.2f}–{r.total_max:.2f}",
                                    "入围频率": r.in_quota_share, "判断": r.verdict, "说明": r.note or "—"}
                                   for r in g.rows],
                                  columns=["编号", "名称", "名次", "判断", "入围频率", "说明", "名次范围", "名次（5%–95%）",
                                           "总分范围"]),
                     hide_index=True, width="stretch",
                     column_config={"编号": st.column_config.TextColumn("编号", width=60),
                                    "名称": st.column_config.TextColumn("名称", width=200),
                                    "名次": st.column_config.NumberColumn("名次", width=50),
                                    "说明": st.column_config.TextColumn("说明", width="large"),
                                    "入围频率": st.column_config.ProgressColumn(
                         "入围频率", format="percent", min_value=0.0, max_value=1.0,
                         help="被本工具建议推荐的抽样比例；待确认者不自动建议，显示为空")})
    st.caption(_md(f"依据：{rob.basis}。{rob.source}"))
