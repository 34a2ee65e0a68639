"""台账导入导出: templates and current data as Excel; upload → preview (how every cell was read) → 确认导入."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import bridge, export, flash, widgets

bridge.ensure_entrypoint()

NS = "ledgers"
KEY = {"kind": "ledgers.kind", "template": "ledgers.template", "current": "ledgers.current",
       "commit": "ledgers.commit", "round": "ledgers.upload_round", "preview": "ledgers.preview",
       "current_csv": "ledgers.current_csv"}
CHANGED_STYLE = "background-color: rgba(232, 70, 58, 0.28); font-weight: 600"

st.title("台账导入导出")
actor = bridge.current_actor()
if not bridge.can_edit():
    st.warning("台账导入导出需要社区工作人员或街道管理员账号，请先在「登录 / 账号」页登录。", icon=":material/lock:")
    st.stop()

scope = bridge.ledger_scope(actor)
scope_text = f"{scope}社区" if scope else "全街道"
who = f"{actor.display_name}（{actor.role}{'·' + actor.community if actor.community else ''}）"
st.caption(f"当前账号：{widgets.md_escape(who)}"
           f"　·　下载范围：{scope_text}")
st.info("**整份导入，要么全部写入，要么一行都不写入**：上传后先预览每一行的读取结果，任一行有误时「确认导入」"
        "不可用，改好后重新上传即可；与已有数据相同的行不会重复写入，同一键的已有记录会被更正（保留历史）。"
        "社区工作人员只能导入本社区的数据。",
        icon=":material/rule:")


def upload_key(kind: str) -> str:
    """One uploader per kind; a new round after each import starts with an empty uploader."""
    return f"ledgers.upload.{kind}.{st.session_state.get(KEY['round'], 0)}"


def _commit(preview) -> None:
    ok = flash.run(NS, lambda: bridge.ledger_commit(preview), lambda r: r.message,
                   failed="导入失败")
    st.session_state.pop(KEY["preview"], None)
    if ok:
        st.session_state[KEY["round"]] = st.session_state.get(KEY["round"], 0) + 1


def _preview(data: bytes, name: str, file_id: str, kind: str):
    """The dry run of this upload, computed once per file/kind/user (the commit re-checks everything)."""
    sig = (file_id, kind, actor.username)
    held = st.session_state.get(KEY["preview"])
    if held and held[0] == sig:
        return held[1]
    preview = bridge.ledger_preview(data, name, kind)
    st.session_state[KEY["preview"]] = (sig, preview)
    return preview


def _as_text(value) -> str:
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def preview_table(preview):
    """The preview as text cells (a bad cell keeps what was typed); a 更正 row's changed cells highlighted."""
    df = preview.frame()
    for col in df.columns:
        if col != "行号":
            df[col] = df[col].map(_as_text)
    changed = preview.changed_cells()
    if not changed:
        return df
    styles = pd.DataFrame("", index=df.index, columns=df.columns)
    for i, header in changed:
        styles.loc[i, header] = CHANGED_STYLE
    return df.style.apply(lambda _: styles, axis=None)


kind = st.selectbox("台账类型", bridge.LEDGER_KIND_NAMES, key=KEY["kind"],
                    help="每种台账对应一个看板板块；同一键的行视为同一条记录")
st.caption(bridge.ledger_columns_text(kind))

flash.show(NS)

st.subheader("① 下载")
with widgets.guard("台账下载"):
    c1 = c2 = c3 = st.container()  # one under another: side by side a tablet cut their labels short
    with c1:
        st.download_button("下载导入模板（xlsx）", bridge.ledger_template(kind), file_name=f"{kind}_导入模板.xlsx",
                           mime=export.XLSX_MIME, key=KEY["template"], on_click="ignore", icon=":material/download:",
                           help="第一个工作表填写数据，第二个工作表「填写说明」含各列说明和示例")
    current = bridge.ledger_current(kind, community=scope)
    stem = f"{kind}_{scope or '全街道'}"
    with c2:
        export.download_xlsx(current, label=f"下载当前数据（{scope_text}，{len(current)} 行）",
                             file_name=export.dated_name(stem), key=KEY["current"],
                             title=f"{kind} · {scope_text} · 当前数据（可修改后直接上传导入）", sheet_name=kind)
    with c3:
        export.download_csv(current, label="下载当前数据（CSV）", file_name=export.dated_name(stem, suffix=".csv"),
                            key=KEY["current_csv"])
    with st.expander(f"查看当前数据（{len(current)} 行）"):
        st.dataframe(current, hide_index=True, width="stretch", column_config=widgets.date_columns(current))

st.subheader("② 上传并预览")
upload = st.file_uploader("上传填好的台账（.xlsx 或 .csv，CSV 可为 UTF-8 或 GBK 编码）", type=["xlsx", "csv"],
                          key=upload_key(kind), max_upload_size=bridge.app_settings().max_upload_mb)
if upload is None:
    st.caption("上传后将逐行显示读取结果（数字如何读取、新增还是不变、每行的问题），确认无误后再导入。")
    st.stop()

try:
    preview = _preview(upload.getvalue(), upload.name, upload.file_id, kind)
except bridge.DashboardError as exc:
    flash.error(f"无法读取「{upload.name}」：{exc.message}", exc.details)
    st.caption("未写入任何数据。请检查文件后重新上传。")
    st.stop()

bad_rows = sum(1 for r in preview.rows if r.problems)
cols = st.columns(5)
cols[0].metric("数据行", f"{len(preview.rows)}行", border=True)
cols[1].metric("将新增", f"{preview.inserts}条", border=True)
cols[2].metric("将更正", f"{preview.corrections}条", border=True)
cols[3].metric("与已有相同", f"{preview.unchanged}条", border=True)
cols[4].metric("有误", f"{bad_rows}行", border=True)
st.caption(widgets.md_escape(f"文件：{preview.filename}（{preview.file_format}）"))
for note in preview.notes:
    st.caption(widgets.md_escape(note))
if preview.errors:
    st.error(f"发现 {len(preview.errors)} 处问题，整份文件不会导入；请修改后重新上传：", icon=":material/error:")
    # every problem in full (a table wraps its text; the grid below would cut long messages)
    st.table(pd.DataFrame({"问题": [widgets.md_escape(e) for e in preview.errors]}))  # st.table cells are Markdown
else:
    st.success(f"检查通过：{preview.inserts} 条将新增，{preview.corrections} 条将更正已有记录（标色的格为 旧 → 新），"
               f"{preview.unchanged} 条与已有数据相同（不重复写入）。", icon=":material/task_alt:")
st.dataframe(preview_table(preview), hide_index=True, width="stretch",
             column_config={"行号": st.column_config.NumberColumn("行号", width="small", pinned=True),
                            "处理": st.column_config.TextColumn("处理", width="small", pinned=True),
                            "问题": st.column_config.TextColumn("问题", width="large"),
                            "读数说明": st.column_config.TextColumn("读数说明", width="large")})

st.subheader("③ 确认导入")
st.button("确认导入", type="primary", disabled=not preview.ok, key=KEY["commit"], on_click=_commit, args=(preview,),
          icon=":material/upload:",
          help="全部行在一个事务中写入并留审计记录" if preview.ok else "文件有误，不能导入（不会写入任何数据）")
