"""首页: what the tool is (and is not), role, new application, load a sample."""

from __future__ import annotations

import streamlit as st

from pages.shared import filing, pack_choice, role, workshop
from pages.shared.common import page_setup, render_sidebar
from pages.shared.display import app_caption
from pages.shared.state import disclaimer, K_ROLE, ROLES, SAMPLES_DIR, get_app, list_samples, load_sample, set_app
from pages.shared.persist import md_escape, remember_sample
from scoring.application.ids import ApplicantType, City, Domain
from scoring.store.drafts import format_time
from scoring.application.models import new_application

_GOTO = "_home_goto"


def _on_role() -> None:
    chosen = st.session_state["home_role"]
    role.set(chosen)
    if chosen == role.OFFICIAL:  # the official's work is on 遴选排序, with its saved batches
        st.session_state[_GOTO] = role.RANKING_PAGE


def _on_open_batch(batch_id: str) -> None:
    from pages.shared.batch_session import K_OPEN_REQUEST

    st.session_state[K_OPEN_REQUEST] = batch_id
    st.session_state[_GOTO] = role.RANKING_PAGE


def render_role() -> None:
    current_role = role.get()
    st.radio("使用身份", ROLES, index=ROLES.index(current_role) if current_role in ROLES else 0, key="home_role",
             horizontal=True, on_change=_on_role,
             help="申报单位：填报本单位的申请书；设区市工信局：遴选排序本市收到的申报；培训演示：用示例数据熟悉工具。"
                  "所选身份保存在本工作区，刷新或重启后仍然有效。")


def render_official_home() -> None:
    """首页 of 设区市工信局: the saved batches and the way to 遴选排序 (no applicant's draft)."""
    from pages.shared import batch_session

    st.subheader("遴选排序（设区市工信局）", anchor=False)
    st.caption("载入本市收到的全部申请书，查看评分、排序、冲突和非本市的候选对象，在名额内调整推荐名单并写明理由，"
               "导出附件1和评分工作簿。批次和每项调整都自动保存在本工作区。")
    st.page_link(role.RANKING_PAGE, label="前往遴选排序", icon=":material/format_list_numbered:")
    recs = batch_session.saved()
    if not recs:
        st.info("还没有保存的批次：请在“遴选排序”页上传申报文件，或先加载演示批次。", icon="ℹ️")
        return
    st.markdown(f"**已保存的批次（{len(recs)} 个）**")
    for r in recs[:10]:
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        city = City.parse(r.city).label if r.city else "按申请书填写的所在设区市"
        c1.markdown(md_escape(r.name))
        c1.caption(f"{city} · {r.n_candidates} 个候选对象 · 保存于 {format_time(r.updated)}")
        c2.button("打开", key=f"home_batch_{r.id}", on_click=_on_open_batch, args=(r.id,),
                  icon=":material/folder_open:")


def render_pack() -> None:
    """The call in use (政策/申报批次): its name, notice, deadline, how to submit and the contact, from pack.yaml."""
    p = pack_choice.current()
    if p is None:
        st.markdown("**国家新兴产业发展示范基地创建申报 · 自评工具**")
        return
    st.markdown(f"**{p.name} · 自评工具**")
    filing.render(filing.OFFICIAL if role.is_official() else filing.APPLICANT, expanded=False,
                  title="本批次的通知与报送要求",
                  extra=[f"- 通知：{p.citation}，{p.issuer.name}{p.notice_date.text}印发",
                         f"- 创建领域（{p.domains.source.split('：', 1)[0]}）："
                         + "、".join(d.label for d in p.domains.ids)],
                  footer=f"规则包：{p.id}（rubrics/{p.directory.name}/）。可在侧栏“政策/申报批次”切换（有多个批次时）。")


def _on_new() -> None:
    t = ApplicantType.parse(st.session_state["home_type"])
    d = Domain.parse(st.session_state["home_domain"])
    set_app(new_application(t, d), source="新建")
    st.session_state[_GOTO] = "pages/form.py"


def _on_sample() -> None:
    path = st.session_state.get("home_sample")
    if not path:
        return
    try:
        app = load_sample(path)
    except Exception as e:  # a sample being written by someone else may be broken: say so, keep the app
        st.session_state["_home_sample_error"] = f"示例无法载入：{e}"
        return
    file = path.rsplit('/', 1)[-1]
    set_app(app, source=f"示例 {file}")
    remember_sample(file)  # F5 or a restart reopens it until it is edited (then the user's copy is saved)
    st.session_state[_GOTO] = "pages/form.py"


def _on_workshop() -> None:
    t = st.session_state.get("home_ws_type") or "park"
    d = st.session_state.get("home_ws_domain")
    err = workshop.start(t, d) if d else "请选择领域。"
    if err:
        st.session_state["_home_ws_error"] = err
        return
    steps = workshop.steps()
    st.session_state[_GOTO] = steps[0][0] if steps else "pages/form.py"


def render_workshop_start() -> None:
    """演示模式: one click loads the chosen domain's sample and starts the guided path."""
    with st.container(border=True):
        st.subheader("演示模式（培训、会议演示）", anchor=False)
        types_ = workshop.types_with_samples()
        if not types_:
            st.caption("示例文件夹中暂无可用的示例，无法演示。")
            return
        path = " → ".join(title for _, title in workshop.steps()) or "填报"
        st.caption(f"选择领域后点击“开始演示”：载入该领域的虚构示例，按 {path} 逐步讲解，大字号显示；"
                   "侧栏可随时切换领域或申报类别。演示中的修改不保存，也不会改动“我的申报”。")
        c1, c2, c3 = st.columns([2, 3, 2], vertical_alignment="bottom")
        with c1:
            st.radio("演示类别", types_, format_func=lambda v: ApplicantType.parse(v).label, key="home_ws_type",
                     horizontal=True)
        t = st.session_state.get("home_ws_type") or types_[0]
        domains = workshop.domains_with_samples(t)
        with c2:
            st.selectbox("演示领域", domains, format_func=lambda v: Domain.parse(v).label, key="home_ws_domain")
        with c3:
            st.button("开始演示", type="primary", on_click=_on_workshop, icon=":material/slideshow:", width="stretch",
                      disabled=not domains)
        err = st.session_state.pop("_home_ws_error", None)
        if err:
            st.error(err)


def render_applicant_home() -> None:
    left, right = st.columns(2, gap="large")

    with left:
        st.subheader("开始新的申报")
        if st.session_state.get(K_ROLE) == "培训演示":
            st.caption("培训演示：建议先从右侧载入一份示例，浏览填报页和自评结果页，再新建申报练习填写。")
        existing = get_app()
        types_ = [t.value for t in ApplicantType]
        domains = [d.value for d in Domain]
        st.radio("申报类别", types_, format_func=lambda v: ApplicantType.parse(v).label, key="home_type", horizontal=True,
                 index=types_.index(ApplicantType.parse(existing.type).value) if existing is not None else 0)
        st.selectbox("申报创建领域", domains, format_func=lambda v: Domain.parse(v).label, key="home_domain",
                     index=domains.index(existing.domain.value) if existing is not None else 0,
                     help="通知“二、创建领域”所列十个领域；原则上每个申报对象限申报1个领域。")
        if existing is not None:
            st.caption(f"当前已有申报：{app_caption(existing)}。新建后它仍保存在“我的申报”中，可随时打开。")
        st.button("新建申报", type="primary", on_click=_on_new, icon=":material/add:")

    with right:
        st.subheader("载入示例")
        samples = list_samples()
        usable = [s for s in samples if not s.error]
        broken = [s for s in samples if s.error]
        if not usable:
            st.info(f"示例文件夹（{SAMPLES_DIR.relative_to(SAMPLES_DIR.parent.parent)}）中暂无可用的示例。")
        else:
            labels = {s.path: f"{s.label}（{s.file}）" for s in usable}
            st.selectbox("选择示例", list(labels), format_func=lambda p: labels[p], key="home_sample",
                         help="示例为虚构数据，仅用于演示和培训。")
            st.button("载入示例", on_click=_on_sample, icon=":material/science:")
            st.caption("示例数据为模拟数据，不对应任何真实单位。载入后侧栏显示“示例”标记。")
        for s in broken:
            st.warning(f"示例文件 {s.file} 无法使用：{s.error}")
        err = st.session_state.pop("_home_sample_error", None)
        if err:
            st.error(err)


sidebar = page_setup()
if st.session_state.pop(role.K_LAND, False) and role.is_official() and not workshop.active():
    st.switch_page(role.RANKING_PAGE)  # a new session of 设区市工信局 lands on 遴选排序 with its last batch
st.title("示范基地自评台")
render_pack()
official = role.is_official()
if official:  # 设区市工信局: its batches first, the tool's description below
    render_role()
    render_official_home()

with st.container(border=True):
    st.markdown("#### 本工具是什么、不是什么")
    st.markdown(disclaimer())
    st.markdown(
        "- **能做**：按附件2（示范园区）或附件3（示范企业）的格式逐项填报；自动计算平均值、增长率、比重和各“加权数量”，"
        "并与填报值比对；对照通知第三、四部分检查申报资格；按指标给出 0—100 的参考得分，列出缺少的数据。\n"
        "- **不能做**：代替设区市工信局的审核推荐或工业和信息化部的评审；判断材料真实性；"
        "确定官方阈值或权重（官方未公开，工具中的 **参考值** 均可能与正式口径不同）。"
    )

if not official:
    render_role()
    render_applicant_home()

if not workshop.active():
    render_workshop_start()

render_sidebar(sidebar)
goto = st.session_state.pop(_GOTO, None)
if goto:
    st.switch_page(goto)
