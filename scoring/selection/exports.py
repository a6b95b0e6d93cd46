"""Exports of a city's ranking: Annex 1 and the score workbook (.xlsx, openpyxl).

* :func:`annex1_bytes` — 附件1 国家新兴产业发展示范基地创建对象推荐汇总表: the heading, 推荐单位（盖章）: the city's
  工信局, and exactly the columns 序号、申报单位名称、园区/企业名称、申报类别（园区/企业）、申报创建领域, one row per
  candidate of the final recommendation list (parks first, then enterprises, each in rank order).
* :func:`score_workbook_bytes` — a 汇总 sheet (every candidate with its scores, places, eligibility, conflicts and
  the recommendation decision), sheets for the recommendation list, the conflicts and the robustness analysis, and
  one sheet per candidate with the breakdown (eligibility checks, indicator lines, work-plan sections, and for each
  evaluation point who decided it: 系统判定 or the applicant's own 本人确认 / 本人否定 / 不适用) and the suggestions.
  Points settled by the applicant are counted in their own columns, labelled as the applicant's claim. The
  推荐单位意见 written on 遴选排序 (if any) is on the recommendation list and each candidate's sheet; Annex 1 keeps
  exactly the official columns and has no place for it.

Every cell is written with :func:`scoring.selection.batch_template.put` (→ :func:`scoring.formats.common.safe_cell`): text from
applicants is always a string cell and can never become a formula.
"""

from __future__ import annotations

import io
import re
from typing import Any, Mapping, Optional, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..application.attachments import RecommenderOpinion
from .batch_template import put
from .ranking import CandidateScore, Proposal, Ranking
from .robustness import RobustnessResult

ANNEX1_TITLE = "国家新兴产业发展示范基地创建对象推荐汇总表"
ANNEX1_HEADERS: tuple[str, ...] = ("序号", "申报单位名称", "园区/企业名称", "申报类别（园区/企业）", "申报创建领域")
ANNEX1_RECOMMENDER = "推荐单位（盖章）："
ANNEX1_LABEL = "附件1"
DISCLAIMER = ("本表由示范基地自评台生成，仅供设区市工信局遴选参考，不是官方评审结果。指标权重、阈值和工作方案评分规则中"
              "标为“参考值”“假设”的部分均为本工具暂定。")
CLAIMED_HEADER = "本人确认要点（申报单位自述）"
NOT_APPLICABLE_HEADER = "不适用要点（申报单位自述）"
CLAIMS_NOTE = ("“本人确认要点”“不适用要点”是申报单位本人对评价要点的意见，不是本工具的判定：本人确认的要点按“已覆盖”"
               "计入工作方案得分（证据句由申报单位选定），标为不适用的要点不计分。排序不另行使用这两个数，"
               "请在各候选对象的明细工作表中按“判定来源”核实。")

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F2")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _table(ws: Worksheet, row: int, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           widths: Optional[Sequence[int]] = None) -> int:
    """A bordered table with a header row at ``row``; returns the next free row."""
    for j, h in enumerate(headers, 1):
        c = put(ws, row, j, h)
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.border = _BORDER
        c.alignment = _CENTER
    for i, values in enumerate(rows, row + 1):
        for j, v in enumerate(values, 1):
            c = put(ws, i, j, v)
            c.border = _BORDER
            c.alignment = _WRAP
    if widths:
        for j, w in enumerate(widths, 1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, w)
    return row + len(rows) + 1


# ---------------------------------------------------------------------------------------------------------------
# Annex 1


def annex1_rows(proposal: Proposal) -> list[tuple[int, str, str, str, str]]:
    """The rows of Annex 1: (序号, 申报单位名称, 园区/企业名称, 申报类别, 申报创建领域)."""
    out = []
    for i, r in enumerate(proposal.included(), 1):
        short = "园区" if r.type == "park" else "企业"
        out.append((i, r.applicant_name or r.name, r.name, short, r.domain_label))
    return out


def annex1_workbook(proposal: Proposal) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐汇总表"
    put(ws, 1, 1, ANNEX1_LABEL).font = _BOLD
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(ANNEX1_HEADERS))
    c = put(ws, 2, 1, ANNEX1_TITLE)
    c.font = Font(bold=True, size=16)
    c.alignment = _CENTER
    ws.row_dimensions[2].height = 32
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(ANNEX1_HEADERS))
    put(ws, 3, 1, f"{ANNEX1_RECOMMENDER}{proposal.recommender}")
    end = _table(ws, 4, ANNEX1_HEADERS, annex1_rows(proposal), widths=(8, 36, 36, 20, 24))
    for r in range(5, end):
        ws.cell(row=r, column=1).alignment = _CENTER
        ws.cell(row=r, column=4).alignment = _CENTER
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "4:4"
    return wb


def annex1_bytes(proposal: Proposal) -> bytes:
    return _bytes(annex1_workbook(proposal))


# ---------------------------------------------------------------------------------------------------------------
# score workbook


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def sheet_title(cid: str, name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\')."""
    base = _BAD_SHEET_CHARS.sub("", f"{cid} {name}").strip()[:31] or cid
    title, k = base, 2
    while title in taken:
        suffix = f"~{k}"
        title = base[:31 - len(suffix)] + suffix
        k += 1
    taken.add(title)
    return title


def _num(v: Optional[float]) -> Any:
    return "—" if v is None else round(v, 2)


def _claims(s: CandidateScore, n: int) -> Any:
    return "—" if s.narrative is None else n


def _home(s: CandidateScore) -> str:
    """本市 / 非本市 (the application names another city than the batch's) / — (no batch city)."""
    if s.out_of_city:
        return "非本市"
    return "本市" if s.city else "—"


def _decision(rk: Ranking, cid: str) -> tuple[str, str]:
    for p in rk.proposals:
        for r in p.rows:
            if r.cid == cid:
                reason = r.override_reason if r.decision in ("人工纳入", "人工排除") else r.tool_reason
                return r.decision, reason
    return "—", ""


def _summary_sheet(wb: Workbook, rk: Ranking, titles: dict[str, str]) -> None:
    ws = wb.active
    ws.title = "汇总"
    city = rk.city_label or "（多个设区市）"
    put(ws, 1, 1, f"遴选排序汇总：{city}").font = Font(bold=True, size=14)
    put(ws, 2, 1, DISCLAIMER)
    put(ws, 3, 1, "并列处理：" + " → ".join(rk.tie_rule))
    put(ws, 4, 1, CLAIMS_NOTE)
    city_rank = {r.cid: r.rank for t in rk.by_city for r in t.rows}
    dom_rank = {r.cid: r.rank for t in rk.by_type_domain for r in t.rows}
    conf: dict[str, list[str]] = {}
    for c in rk.conflicts:
        for cid in c.cids:
            conf.setdefault(cid, []).append(f"{c.label}（{c.shared_value}）")
    headers = ("编号", "名称", "申报单位", "申报类别", "申报创建领域", "所在设区市", "是否本市", "资格", "总分", "指标得分",
               "工作方案得分", CLAIMED_HEADER, NOT_APPLICABLE_HEADER, "本市同类名次", "本领域名次", "推荐状态", "理由", "不满足/待确认的规则", "冲突",
               "导入提示", "来源文件", "明细工作表")
    order = sorted(rk.scores, key=lambda s: (s.type != "park", s.out_of_city, s.eligible is False, city_rank.get(s.cid, 10 ** 6),
                                             s.cid))
    rows: list[tuple[Any, ...]] = []
    for s in order:
        dec, reason = _decision(rk, s.cid)
        rules = s.failed + s.pending
        rows.append((s.cid, s.name, s.applicant_name, s.type_label, s.domain_label, s.app_city_label,
                     _home(s), s.eligibility_label, _num(s.total), _num(s.indicator), _num(s.narrative),
                     _claims(s, s.claimed), _claims(s, s.not_applicable), city_rank.get(s.cid, "—"), dom_rank.get(s.cid, "—"), dec, reason, "\n".join(rules) or "—",
                     "\n".join(conf.get(s.cid, [])) or "—", "\n".join(s.notes) or "—", s.source, titles[s.cid]))
    _table(ws, 5, headers, rows, widths=(8, 30, 30, 10, 16, 10, 10, 8, 8, 8, 10, 14, 14, 10, 10, 10, 36, 48, 36, 30, 28, 20))
    ws.freeze_panes = "C6"


def _opinion_text(opinions: Mapping[str, RecommenderOpinion], cid: str) -> str:
    op = opinions.get(cid)
    if op is None or op.is_empty:
        return "—"
    return op.text.strip() + (f"（{op.date_text}）" if op.date else "")


def _proposal_sheet(wb: Workbook, rk: Ranking, opinions: Mapping[str, RecommenderOpinion]) -> None:
    ws = wb.create_sheet("推荐名单")
    r = 1
    for p in rk.proposals:
        put(ws, r, 1, f"{p.city_label}：建议推荐名单（推荐单位：{p.recommender or '—'}）").font = _BOLD
        r += 1
        for q in p.quota:
            put(ws, r, 1, f"{q.type_label}名额 {q.quota_text}：{q.state}。{q.message}")
            r += 1
        for note in p.notes:
            put(ws, r, 1, note)
            r += 1
        rows = [(x.cid, x.name, x.type_label, x.domain_label, x.rank or "—", _num(x.total), x.eligibility,
                 "是" if x.proposed else "否", x.tool_reason, "是" if x.included else "否", x.decision,
                 x.override_reason or "—", "\n".join(x.flags) or "—", _opinion_text(opinions, x.cid)) for x in p.rows]
        r = _table(ws, r + 1, ("编号", "名称", "申报类别", "申报创建领域", "本市同类名次", "总分", "资格",
                               "本工具建议", "本工具的理由", "列入推荐名单", "决定", "人工调整理由", "提示", "推荐单位意见"),
                   rows, widths=(8, 30, 10, 16, 10, 8, 8, 10, 40, 10, 10, 30, 40, 40)) + 1


def _conflict_sheet(wb: Workbook, rk: Ranking) -> None:
    ws = wb.create_sheet("冲突")
    if not rk.conflicts:
        put(ws, 1, 1, "未发现候选对象之间的冲突。")
        return
    rows: list[tuple[Any, ...]] = []
    for c in rk.conflicts:
        rows.append((c.label, c.severity, "、".join(f"{m.cid} {m.name}" for m in c.candidates), c.shared_value,
                     c.message, c.ref))
    r = _table(ws, 1, ("冲突类型", "程度", "涉及的候选对象", "共同的值", "说明", "依据"), rows,
               widths=(22, 8, 48, 30, 60, 14)) + 1
    passages = [(c.label, p.a_cid, p.a_field, p.a_text, p.b_cid, p.b_field, p.b_text, p.chars, p.jaccard, p.cosine)
                for c in rk.conflicts for p in c.passages]
    if passages:
        put(ws, r, 1, "雷同段落").font = _BOLD
        _table(ws, r + 1, ("冲突类型", "编号A", "位置A", "文字A", "编号B", "位置B", "文字B", "字数",
                           "字面重合度（最低）", "语义相似度（最低）"), passages,
               widths=(22, 8, 20, 60, 8, 20, 60, 8, 12, 12))


def _robustness_sheet(wb: Workbook, rob: RobustnessResult) -> None:
    ws = wb.create_sheet("排序稳健性")
    put(ws, 1, 1, f"权重扰动 ±{rob.spread:.0%}，抽样 {rob.draws} 次，随机种子 {rob.seed}（{rob.basis}）").font = _BOLD
    put(ws, 2, 1, "扰动的权重：" + "；".join(rob.weights))
    put(ws, 3, 1, rob.source)
    r = 5
    for g in rob.groups:
        put(ws, r, 1, f"{g.title}（建议名额 {g.size}）").font = _BOLD
        rows = [(x.cid, x.name, x.domain_label, x.base_rank, f"{x.rank_min}–{x.rank_max}", f"{x.rank_p5}–{x.rank_p95}",
                 f"{x.total_min}–{x.total_max}",
                 "—" if x.in_quota_share is None else f"{x.in_quota_share:.0%}", x.verdict) for x in g.rows]
        r = _table(ws, r + 1, ("编号", "名称", "申报创建领域", "名次", "名次范围（最好–最差）", "名次（5%–95%）",
                               "总分范围", "入围频率", "判断"), rows,
                   widths=(8, 30, 16, 8, 16, 14, 14, 10, 14)) + 1


def _candidate_sheet(wb: Workbook, s: CandidateScore, title: str, rk: Ranking,
                     opinions: Mapping[str, RecommenderOpinion]) -> None:
    ws = wb.create_sheet(title)
    res = s.result
    put(ws, 1, 1, f"{s.name}（{s.type_label} · {s.domain_label}）").font = Font(bold=True, size=13)
    if s.is_sample:
        put(ws, 1, 5, "示例数据")
    dec, reason = _decision(rk, s.cid)
    info = [("编号", s.cid), ("申报单位", s.applicant_name or "—"), ("来源文件", s.source),
            ("所在设区市", s.app_city_label), ("是否本市", _home(s)), ("资格", s.eligibility_label), ("总分", _num(s.total)),
            ("指标得分", _num(s.indicator)), ("工作方案得分", _num(s.narrative)),
            (CLAIMED_HEADER, _claims(s, s.claimed)), (NOT_APPLICABLE_HEADER, _claims(s, s.not_applicable)),
            ("推荐状态", dec), ("理由", reason), ("推荐单位意见", _opinion_text(opinions, s.cid))]
    r = _table(ws, 3, ("项目", "内容"), info) + 1
    put(ws, r, 1, "一、资格条件").font = _BOLD
    rows: list[tuple[Any, ...]] = [(c.title, c.status, c.kind, c.message, c.ref) for c in res.eligibility]
    r = _table(ws, r + 1, ("规则", "结果", "类型", "说明", "出处"), rows) + 1
    put(ws, r, 1, "二、指标得分").font = _BOLD
    rows = []
    for d in res.indicator.dimensions:
        for ln in d.indicators:
            val = "不考查" if ln.status == "不考查" else ("未填" if ln.value is None else round(ln.value, 4))
            rows.append((d.label, ln.label, val, ln.unit, ln.points, ln.max_points, ln.status, ln.basis, ln.rule))
    r = _table(ws, r + 1, ("维度", "指标", "数值", "单位", "得分", "满分", "状态", "依据", "评分规则"), rows) + 1
    if res.narrative is not None:
        put(ws, r, 1, "三、创建工作方案").font = _BOLD
        rows = []
        for sec in res.narrative.sections:
            counted = [p for p in sec.points if p.decided_by != "不适用"]
            cov = sum(1 for p in counted if p.status == "已覆盖")
            part = sum(1 for p in counted if p.status == "部分覆盖")
            rows.append((sec.label, sec.chars, f"{sec.score:.0%}", len(sec.points), cov, part,
                         "；".join(f"{'✔' if x.passed else '✘'} {x.title}" for x in sec.rules) or "—"))
        r = _table(ws, r + 1, ("章节", "字数", "得分率", "评价要点数", "已覆盖", "部分覆盖", "章节规则"), rows) + 1
        put(ws, r, 1, "评价要点及判定来源").font = _BOLD
        put(ws, r + 1, 1, CLAIMS_NOTE)
        r = _table(ws, r + 2, ("章节", "评价要点", "判定来源", "说明", "计分状态", "系统判定", "类别"),
                   [_point_row(sec.label, p) for sec in res.narrative.sections for p in sec.points]) + 1
        put(ws, r, 1, "四、改进建议（按可提升的总分排序）").font = _BOLD
        rows = [(sg.kind, sg.text, sg.status, sg.gain_total) for sg in res.narrative.suggestions]
        r = _table(ws, r + 1, ("类型", "建议", "现状", "约可提升总分"), rows or [("—", "暂无建议", "—", 0)]) + 1
    checks = [w.message for w in res.consistency] + [m.message for m in res.mismatches]
    if checks or s.notes:
        put(ws, r, 1, "五、数据提示").font = _BOLD
        _table(ws, r + 1, ("提示",), [(x,) for x in checks + s.notes])
    for j, w in enumerate((22, 34, 14, 48, 14, 10, 10, 10, 40), 1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _point_row(section: str, p: Any) -> tuple[Any, ...]:
    status = "不适用（不计分）" if p.decided_by == "不适用" else p.status
    note = p.claim_note or ("请人工核对" if p.status == "部分覆盖" else "")
    if p.cap:
        note = "；".join(x for x in (note, f"最多部分覆盖：{p.cap}") if x)
    return (section, p.title, p.decided_by, note or "—", status, p.machine_status, p.domain_label)


def score_workbook(rk: Ranking, robustness: Optional[RobustnessResult] = None,
                   opinions: Optional[Mapping[str, RecommenderOpinion]] = None) -> Workbook:
    """The score workbook; ``opinions`` (candidate id -> 推荐单位意见 written on 遴选排序) are shown with the proposal and
    on each candidate's sheet."""
    ops = opinions or {}
    wb = Workbook()
    taken = {"汇总", "推荐名单", "冲突", "排序稳健性"}
    titles = {s.cid: sheet_title(s.cid, s.name, taken) for s in rk.scores}
    _summary_sheet(wb, rk, titles)
    _proposal_sheet(wb, rk, ops)
    _conflict_sheet(wb, rk)
    if robustness is not None:
        _robustness_sheet(wb, robustness)
    for s in rk.scores:
        _candidate_sheet(wb, s, titles[s.cid], rk, ops)
    return wb


def score_workbook_bytes(rk: Ranking, robustness: Optional[RobustnessResult] = None,
                         opinions: Optional[Mapping[str, RecommenderOpinion]] = None) -> bytes:
    return _bytes(score_workbook(rk, robustness, opinions))
