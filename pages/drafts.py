"""我的申报: the saved applications of the workspace (open, rename, duplicate, delete), their versions (view,
restore), import of a file as a new application, downloads of the current one.

Thin page: saving is scoring.store.drafts (through pages.shared.persist), files are scoring.formats.json_io / io_excel / io_word /
io_report.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.shared import filing, persist, uploads, workshop
from pages.shared.pack_choice import bind
from pages.shared.common import page_setup, render_sidebar, score_current
from pages.shared.display import app_caption
from pages.shared.state import clear_app, get_app, rejected
from scoring.programme.packs import pack_key
from scoring.store.drafts import AppRecord, StoreError, diff_data, display_value, format_time

K_SEL = "drafts_sel"
K_VER = "drafts_ver"
K_CONFIRM = "_drafts_confirm_delete"
K_MSG = "_drafts_msg"  # (kind, text) shown once after an action
K_IMPORT = "_drafts_import"  # (errors, warnings) of the last import
K_REPORT = "_drafts_report"  # ((app id, version), bytes, note)
MAX_DIFF_ROWS = 200


_e = persist.md_escape


def _msg(kind: str, text: str) -> None:
    st.session_state[K_MSG] = (kind, text)


def _ws_id() -> str:
    ws = persist.workspace()
    if ws is None:  # gate() stops the page before this in several-users mode
        raise StoreError("尚未进入工作区。")
    return ws.id


# ---------------------------------------------------------------------------------------------------------------
# actions (callbacks)


def _on_open(app_id: str) -> None:
    try:
        persist.open_saved(app_id)
    except StoreError as e:
        _msg("error", str(e))
        return
    _msg("success", "已打开。可到“填报”页继续填写。")


def _on_rename(app_id: str) -> None:
    name = str(st.session_state.get(f"drafts_rename_{app_id}", "")).strip()
    try:
        rec = persist.get_store().rename(_ws_id(), app_id, name)
    except StoreError as e:
        _msg("error", str(e))
        return
    _msg("success", f"已重命名为“{_e(rec.name)}”。" if name else f"已恢复默认名称“{_e(rec.name)}”。")


def _on_duplicate(app_id: str) -> None:
    try:
        rec = persist.get_store().duplicate(_ws_id(), app_id)
    except StoreError as e:
        _msg("error", str(e))
        return
    st.session_state[K_SEL] = rec.id
    _msg("success", f"已复制为“{_e(rec.name)}”。")


def _on_ask_delete(app_id: str) -> None:
    st.session_state[K_CONFIRM] = app_id


def _on_cancel_delete() -> None:
    st.session_state.pop(K_CONFIRM, None)


def _on_delete(app_id: str) -> None:
    st.session_state.pop(K_CONFIRM, None)
    try:
        rec = persist.get_store().get(_ws_id(), app_id)
        persist.get_store().delete(_ws_id(), app_id)
    except StoreError as e:
        _msg("error", str(e))
        return
    if persist.current_id() == app_id:
        clear_app()
    st.session_state.pop(K_SEL, None)
    _msg("success", f"已删除“{_e(rec.name)}”及其全部版本。")


def _on_restore(app_id: str, version: int) -> None:
    try:
        res = persist.get_store().restore_version(_ws_id(), app_id, version)
        if persist.current_id() == app_id:
            persist.open_saved(app_id, source=f"恢复为第 {version} 版")
    except StoreError as e:
        _msg("error", str(e))
        return
    if res.created:
        _msg("success", f"已恢复为第 {version} 版的内容（保存为新的第 {res.version} 版，原有版本均保留）。")
    else:
        _msg("info", f"第 {version} 版与当前内容相同，无需恢复。")
    st.session_state[K_VER] = res.version


def _on_import() -> None:
    f = st.session_state.get("drafts_upload")
    if f is None:
        st.session_state[K_IMPORT] = (["请先选择要导入的文件。"], [])
        return
    out = uploads.import_as_new(f.name, f.getvalue())
    st.session_state[K_IMPORT] = (out.errors, out.warnings)
    if out.app is not None:
        _msg("success", f"已导入“{_e(f.name)}”，保存为一份新申报并设为当前申报；原有申报未受影响。")


def _on_report() -> None:
    app = get_app()
    if app is None:
        return
    try:
        from scoring.formats.report import report_docx
    except ImportError:
        st.session_state[K_REPORT] = (None, None, f"自评报告（Word）{persist.UNAVAILABLE}。")
        return
    note = ""
    try:
        result = score_current(app, narrative=True)
    except Exception as e:  # the embedding model may be unavailable: report without the work-plan part
        result = score_current(app, narrative=False)
        note = f"嵌入模型不可用（{e}），报告不含创建工作方案的覆盖分析。"
    try:
        data = report_docx(app, result)
    except Exception as e:
        st.session_state[K_REPORT] = (None, None, f"自评报告生成失败：{e}")
        return
    st.session_state[K_REPORT] = ((persist.current_id(), persist.base_version(), app.model_dump_json(), pack_key()),
                                  data, note)


# ---------------------------------------------------------------------------------------------------------------
# rendering


def _record_label(rec: AppRecord, current: str | None) -> str:
    mark = "（当前）" if rec.id == current else ""
    return f"{rec.name}{mark} · {rec.type_label} · {rec.domain_label} · {format_time(rec.updated)}"


def render_current(records: list[AppRecord]) -> None:
    app = get_app()
    cur = persist.current_id()
    if app is None:
        st.info("当前没有打开的申报：请在下方打开一份，或到首页新建、载入示例。")
        return
    rec = next((r for r in records if r.id == cur), None)
    if workshop.active():  # 演示模式: the demo sample is never saved; the list below is the user's own
        st.info(f"正在演示：{app_caption(app)}。演示中的修改不保存；下面是您自己的申报，不受演示影响。",
                icon=":material/slideshow:")
    elif rec is not None:
        st.success(f"当前打开：**{_e(rec.name)}**（{rec.type_label} · {rec.domain_label}），第 {persist.base_version()} 版；"
                   "修改会自动保存。", icon=":material/edit_document:")
    elif app.meta.is_sample:
        st.info(f"当前是示例：{app_caption(app)}。修改任一项后自动另存为您的一份申报，原示例不变。")
    else:
        st.info(f"当前申报：{app_caption(app)}（尚未保存）。")


def render_list(records: list[AppRecord]) -> AppRecord | None:
    """The table of saved applications and the actions on the selected one; returns the selected one."""
    cur = persist.current_id()
    st.subheader("已保存的申报")
    if not records:
        st.info("还没有保存的申报。在首页新建申报，或在下方导入文件；填写的内容会自动保存在这里。")
        return None
    frame = pd.DataFrame([{
        "当前": "●" if r.id == cur else "",
        "名称": r.name,
        "类别": r.type_label,
        "领域": r.domain_label,
        "示例": "是" if r.is_sample else "",
        "版本数": r.n_versions,
        "最后保存": format_time(r.updated),
    } for r in records])
    st.caption("表：本工作区已保存的申报（最近保存的在前）")
    st.dataframe(frame, hide_index=True, width="stretch")

    ids = [r.id for r in records]
    by_id = {r.id: r for r in records}
    if st.session_state.get(K_SEL) not in ids:
        st.session_state[K_SEL] = cur if cur in ids else ids[0]
    sel_id = st.selectbox("选择申报", ids, key=K_SEL, format_func=lambda i: _record_label(by_id[i], cur))
    rec = by_id[sel_id]

    c1, c2, c3 = st.columns(3)
    c1.button("打开", key="drafts_open", type="primary", icon=":material/folder_open:", on_click=_on_open,
              args=(rec.id,), disabled=rec.id == cur, help="设为当前申报，在填报、自评结果等页面使用")
    c2.button("复制", key="drafts_duplicate", icon=":material/content_copy:", on_click=_on_duplicate,
              args=(rec.id,), help="以当前版本的内容新建一份申报")
    c3.button("删除…", key="drafts_delete", icon=":material/delete:", on_click=_on_ask_delete, args=(rec.id,))

    if st.session_state.get(K_CONFIRM) == rec.id:
        with st.container(border=True):
            st.warning(f"确定删除“{_e(rec.name)}”及其全部 {rec.n_versions} 个版本吗？删除后无法恢复。", icon="⚠️")
            d1, d2 = st.columns(2)
            d1.button("确认删除", key="drafts_delete_confirm", type="primary", on_click=_on_delete, args=(rec.id,))
            d2.button("取消", key="drafts_delete_cancel", on_click=_on_cancel_delete)

    with st.expander("重命名"):
        st.text_input("新名称", value=rec.name, key=f"drafts_rename_{rec.id}", max_chars=80,
                      help="留空则使用申请书中的园区或企业名称")
        st.button("保存名称", key="drafts_rename_btn", on_click=_on_rename, args=(rec.id,))
    return rec


def _changes_frame(old: dict, new: dict) -> tuple[pd.DataFrame, int]:
    changes = diff_data(old, new)
    rows = [{"项目": c.label,
             "该版本": display_value(c.old, c.path[-1] if c.path else None),
             "当前版本": display_value(c.new, c.path[-1] if c.path else None)} for c in changes[:MAX_DIFF_ROWS]]
    return pd.DataFrame(rows, columns=["项目", "该版本", "当前版本"]), len(changes)


def render_versions(rec: AppRecord) -> None:
    st.subheader(f"版本记录：{_e(rec.name)}")
    store = persist.get_store()
    ws = _ws_id()
    try:
        versions = store.list_versions(ws, rec.id)
    except StoreError as e:
        st.error(str(e))
        return
    st.caption("表：每次保存的版本（最新的在前）。恢复旧版本会另存为一个新版本，原有版本都保留。")
    st.dataframe(pd.DataFrame([{"版本": f"第 {v.version} 版", "保存时间": format_time(v.created), "说明": v.summary}
                               for v in versions]), hide_index=True, width="stretch")
    nums = [v.version for v in versions]
    if st.session_state.get(K_VER) not in nums:
        st.session_state[K_VER] = nums[0]
    ver = st.selectbox("查看版本", nums, key=K_VER,
                       format_func=lambda n: f"第 {n} 版" + ("（当前）" if n == rec.current_version else ""))
    try:
        old = store.get_version(ws, rec.id, ver)
        current = store.get_version(ws, rec.id, rec.current_version)
    except StoreError as e:
        st.error(str(e))
        return
    if ver == rec.current_version:
        st.caption(f"第 {ver} 版是当前版本（{format_time(old.created)}，{_e(old.summary)}）。")
    else:
        frame, n = _changes_frame(old.data, current.data)
        if n == 0:
            st.caption(f"第 {ver} 版与当前版本内容相同。")
        else:
            more = f"（仅列出前 {MAX_DIFF_ROWS} 处）" if n > MAX_DIFF_ROWS else ""
            st.markdown(f"**第 {ver} 版与当前第 {rec.current_version} 版相比，有 {n} 处不同**{more}")
            st.caption(f"表：第 {ver} 版与当前版本的差异")
            st.dataframe(frame, hide_index=True, width="stretch")
        st.button(f"恢复第 {ver} 版", key="drafts_restore", icon=":material/history:", on_click=_on_restore,
                  args=(rec.id, ver))
    exp = persist.exporters().get("JSON 数据文件")
    if exp is not None:
        fn, ext, mime = exp
        try:
            data = fn(old.application())
        except StoreError as e:
            st.caption(str(e))
            return
        st.download_button(f"下载第 {ver} 版（JSON）", data=data, mime=mime,
                           file_name=f"{persist.safe_file_stem(rec.name)}_第{ver}版.{ext}", key="drafts_ver_dl",
                           on_click="ignore", icon=":material/download:")


def render_import() -> None:
    st.markdown("#### 导入文件")
    st.caption("导入本工具导出的 JSON 数据文件、Excel 工作簿，或按官方格式填写的 Word 申请书（.docx）。"
               "导入的内容保存为一份新申报，已有的申报不受影响。")
    max_mb, limits = uploads.upload_limits()
    st.file_uploader("选择文件", type=list(uploads.IMPORT_TYPES), key="drafts_upload", max_upload_size=max_mb,
                     help=f"文件大小上限：{limits}。")
    st.button("导入为新申报", key="drafts_import_btn", icon=":material/upload_file:", on_click=_on_import)
    res = st.session_state.pop(K_IMPORT, None)
    if res:
        errors, warnings = res
        if errors:
            st.error("未能导入，已有内容未作任何改动：\n\n" + "\n".join(f"- {_e(e)}" for e in errors))
        if warnings:
            st.warning(f"以下 {len(warnings)} 处未能读取，其余内容已导入，请在填报页补充：\n\n"
                       + "\n".join(f"- {_e(w)}" for w in warnings))


def render_export() -> None:
    st.markdown("#### 下载当前申报")
    app = get_app()
    if app is None:
        st.caption("当前没有打开的申报。")
        return
    n_rej = len(rejected())
    st.caption("下载的是当前申报已保存（通过校验）的内容" + (f"；有 {n_rej} 处输入未通过校验，不在文件中。" if n_rej else "。"))
    stem = persist.safe_file_stem(app.display_name or "申报")
    for label, exp in persist.exporters().items():
        if exp is None:
            st.caption(f"{label}下载{persist.UNAVAILABLE}。")
            continue
        fn, ext, mime = exp
        st.download_button(f"下载 {label}（.{ext}）", data=bind(lambda fn=fn: fn(app)), file_name=f"{stem}.{ext}",
                           mime=mime, key=f"drafts_dl_{ext}", on_click="ignore", icon=":material/download:")
    st.button("生成自评报告（Word）", key="drafts_report_btn", icon=":material/summarize:", on_click=_on_report,
              help="按当前内容评分并生成报告，可能需要几十秒")
    rep = st.session_state.get(K_REPORT)
    if rep:
        key, data, note = rep
        if note:
            st.caption(note)
        if data is not None and key == (persist.current_id(), persist.base_version(), app.model_dump_json(),
                                        pack_key()):
            st.download_button("下载自评报告（.docx）", data=data, file_name=f"{stem}_自评报告.docx",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               key="drafts_dl_report", on_click="ignore", icon=":material/download:")
        elif data is not None:
            st.caption("申报内容已变化，请重新生成自评报告。")


# ---------------------------------------------------------------------------------------------------------------
# page

sidebar = page_setup()
st.title("我的申报")
filing.render(filing.APPLICANT)  # the deadline (days left, or passed), 申报前提 and 报送要求 of the call in use
ws = persist.workspace()
st.caption(f"工作区：{_e(ws.name) if ws else '—'}。填写的内容随时自动保存；离开页面、停顿两分钟以上或点侧栏“保存为版本”时留下一个版本，可查看、恢复。")

msg = st.session_state.pop(K_MSG, None)
if msg:
    getattr(st, msg[0])(msg[1])

try:
    records = persist.get_store().list(_ws_id())
except (StoreError, OSError) as e:
    st.error(f"已保存的申报无法读取：{e}")
    records = []

render_current(records)
selected = render_list(records)
if selected is not None:
    render_versions(selected)

st.subheader("导入与导出")
left, right = st.columns(2, gap="large")
with left:
    render_import()
with right:
    render_export()

render_sidebar(sidebar)
