"""地图数据导入 (administrators): replace any map layer with survey data — upload, preview over the current
layer, save as a new version (one audited transaction; the previous geometry stays in the history)."""
from __future__ import annotations

import streamlit as st

from ui import bridge, flash, geo_preview, widgets
from ui.geo_preview import LAYER_LABELS, LAYER_NAMES

bridge.ensure_entrypoint()

NS = "geoimport"
KEY = {"layer": "geoimport.layer", "crs": "geoimport.crs", "correction": "geoimport.correction",
       "swap": "geoimport.swap", "title": "geoimport.title", "note": "geoimport.note", "save": "geoimport.save",
       "map": "geoimport.preview_map", "round": "geoimport.upload_round", "parsed": "geoimport.parsed",
       "suggest": "geoimport.suggest", "fix": "geoimport.fix_offset", "keep": "geoimport.keep_offset"}


def upload_key() -> str:
    """A new round after each save starts with an empty uploader."""
    return f"geoimport.file.{st.session_state.get(KEY['round'], 0)}"


def _save(layer: str, gdf) -> None:
    s = st.session_state
    title, note = (s.get(KEY["title"]) or "").strip(), (s.get(KEY["note"]) or "").strip() or None
    saved, error = bridge.save_map_layer(layer, gdf, source_title=title, note=note)
    if error is not None:
        flash.put(NS, "error", error.message, error.details)
        return
    if saved.duplicate:
        flash.put(NS, "success", f"已保存（重复提交已忽略）：「{LAYER_LABELS[layer]}」当前版本号 {saved.version_id}，未写入新数据。")
    else:
        flash.put(NS, "success", f"已将「{LAYER_LABELS[layer]}」保存为新版本（版本号 {saved.version_id}，{saved.features} 个要素，"
                                 f"来源：{title}）。地图已改用新版本，旧版本保留在下方历史中。")
    s[KEY["round"]] = s.get(KEY["round"], 0) + 1
    s.pop(KEY["parsed"], None)
    s[KEY["title"]] = s[KEY["note"]] = ""


def _apply_suggestion(suggestion: dict) -> None:
    st.session_state[KEY["crs"]] = suggestion.get("crs") or ""
    st.session_state[KEY["swap"]] = bool(suggestion.get("swap_axes"))


def _apply_correction(correction: str | None) -> None:
    st.session_state[KEY["correction"]] = geo_preview.correction_key(correction)


def _parse(upload, layer: str, crs: str | None, correction: str | None, swap: bool):
    """Read the file once per file and settings: (GeoDataFrame, None) or (None, Chinese error)."""
    sig = (upload.file_id, layer, crs, correction, swap)
    held = st.session_state.get(KEY["parsed"])
    if held and held[0] == sig:
        return held[1]
    result = bridge.read_geometry_upload(upload.getvalue(), upload.name, layer=layer, source_crs=crs,
                                         correction=correction, swap_axes=swap)
    st.session_state[KEY["parsed"]] = (sig, result)
    return result


def _restore(layer: str, version_id: int) -> None:
    saved, error = bridge.restore_map_layer(layer, version_id)
    if error is not None:
        flash.put(NS, "error", error.message, error.details)
    elif saved.duplicate:
        flash.put(NS, "success", f"已恢复（重复提交已忽略）：「{LAYER_LABELS[layer]}」当前版本号 {saved.version_id}。")
    else:
        flash.put(NS, "success", f"已将「{LAYER_LABELS[layer]}」恢复为版本 {version_id} 的数据（新版本号 {saved.version_id}，"
                                 f"{saved.features} 个要素），其来源与示意/测绘标注随之恢复。")


def history(layer: str) -> None:
    st.subheader(f"「{LAYER_LABELS[layer]}」版本历史")
    with widgets.guard("版本历史"):
        versions = bridge.layer_versions(layer=layer)
        st.dataframe(geo_preview.versions_table(versions), hide_index=True, width="stretch")
        st.caption("地图显示最新版本；保存新版本不会删除旧版本，历史可追溯。每次保存都记入审计日志。")
        older = {int(r.id): f"版本 {r.id} · {'示意图' if r.schematic else '测绘/调查数据'} · {r.source_title}"
                 for r in versions.iloc[1:].itertuples()}
        if older:  # going back keeps that version's source and 示意/测绘 flag (uploading its file again would not)
            pick, go = st.columns([3, 1], vertical_alignment="bottom")
            chosen = pick.selectbox("恢复旧版本", list(older), format_func=older.get, key=f"{NS}.restore_pick")
            go.button("恢复为所选版本", key=f"{NS}.restore", on_click=_restore, args=(layer, chosen),
                      icon=":material/history:", width="stretch")
            st.caption("恢复即以所选版本的要素、来源与示意/测绘标注保存为新版本，并记入审计日志。")


st.title("地图数据导入")
if not bridge.is_admin():
    st.warning("地图数据导入仅街道管理员可用，请先以管理员账号登录。", icon=":material/lock:")
    st.stop()
origin = bridge.map_origin()  # what of the map is 示意 and what surveyed now (lib.map_origin)
st.markdown(f":violet-badge[{origin.tag}] {widgets.md_escape(origin.note)}可用测绘或调查数据逐个替换图层，替换后该图层"
            "显示数据来源；也可把任一图层恢复为旧版本（见下方版本历史）。")
flash.show(NS)

with widgets.guard("图层概况"):
    newest = bridge.layer_versions().drop_duplicates("layer")  # newest first within each layer
    status = {r.layer: ("示意图" if r.schematic else f"测绘/调查数据：{r.source_title}") for r in newest.itertuples()}
    st.caption(widgets.md_escape("当前各图层：" + "；".join(f"{LAYER_LABELS[n]}（{status.get(n, '无')}）" for n in LAYER_NAMES)))

st.subheader("① 选择图层与文件")
layer = st.selectbox("要替换的图层", LAYER_NAMES, format_func=LAYER_LABELS.get, key=KEY["layer"])
st.caption(f"「{LAYER_LABELS[layer]}」需要{geo_preview.expected_kind(layer)}几何；每个要素须有 name 或 名称 字段。"
           + ("社区图层须包含全部 11 个社区。" if layer == "communities" else ""))
upload = st.file_uploader("上传 GeoJSON、压缩的 Shapefile（.zip，含 .shp/.shx/.dbf 和 .prj）或 GeoPackage（.gpkg）",
                          type=["geojson", "json", "zip", "gpkg"], key=upload_key(),
                          max_upload_size=bridge.app_settings().max_upload_mb)
c1, c2 = st.columns(2)
crs_text = c1.text_input("源坐标系（可选，EPSG 代码）", key=KEY["crs"], placeholder="留空则按文件声明，如 4547",
                         help="CGCS2000 高斯-克吕格的带号选择见下方说明")
swap = c1.checkbox(geo_preview.SWAP_LABEL, key=KEY["swap"],
                   help="文件把纬度写在经度前、或把北坐标写在东坐标前时勾选")
correction = c2.radio("坐标纠偏", list(geo_preview.CORRECTIONS), format_func=geo_preview.CORRECTIONS.get,
                      key=KEY["correction"], help="从高德、腾讯地图（GCJ-02）或百度地图（BD-09）取得的坐标须纠偏；测绘成果一般不需要")
st.caption(geo_preview.CRS_HELP)
title = st.text_input("数据来源（必填）", key=KEY["title"], placeholder="如：2024年光武街道1:2000地形图（某测绘院）")
note = st.text_area("备注（可选）", key=KEY["note"], placeholder="如：坐标系、测量日期、精度说明")

if upload is None:
    st.caption("上传后先显示预览（与当前版本叠加对比），确认后再保存为新版本。")
    history(layer)
    st.stop()

crs = crs_text.strip() or None
applied = None if correction == "none" else correction
gdf, error = _parse(upload, layer, crs, applied, swap)
if error is not None:
    flash.error(error.message, error.details)
    suggestion = getattr(error, "suggestion", None)
    if suggestion:
        st.button(geo_preview.suggestion_label(suggestion, crs, swap), key=KEY["suggest"], type="primary",
                  on_click=_apply_suggestion, args=(suggestion,), icon=":material/auto_fix_high:")
    st.caption("未保存任何数据。请检查文件、坐标系或纠偏设置后重试。")
    history(layer)
    st.stop()

st.subheader("② 预览")
summary = None
with widgets.guard("导入预览"):
    base = bridge.map_layers()
    current = base.get(layer, [])
    summary = geo_preview.summarize(current, gdf, filename=upload.name, correction=applied)
    if summary.offset is not None:
        st.warning(widgets.md_escape(summary.offset.message), icon=":material/warning:")
        st.button(f"改用「{geo_preview.CORRECTIONS[geo_preview.correction_key(summary.offset.correction)]}」",
                  key=KEY["fix"], type="primary", on_click=_apply_correction, args=(summary.offset.correction,),
                  icon=":material/auto_fix_high:")
    m = st.columns(4)
    m[0].metric("当前版本要素", f"{summary.current}个", border=True)
    m[1].metric("导入要素", f"{summary.new}个", border=True)
    m[2].metric("名称相同", f"{summary.kept}个", border=True)
    m[3].metric("同名要素最大偏移", "—" if summary.max_shift_m is None else f"{summary.max_shift_m:,.0f}米", border=True)
    st.caption(f"导入数据范围：{summary.bounds_text}；几何类型："
               + "、".join(f"{t}{n}个" for t, n in summary.types.items()))
    if summary.added:
        st.caption("新出现的名称：" + widgets.md_escape("、".join(summary.added)))
    if summary.removed:
        st.warning("以下名称在导入文件中没有，保存后地图上将不再显示（旧版本仍保留在历史中）："
                   + widgets.md_escape("、".join(summary.removed)), icon=":material/warning:")
    if not summary.added and not summary.removed:
        st.caption("要素名称与当前版本一致。")
    st.pydeck_chart(geo_preview.preview_deck(current, gdf, base), key=KEY["map"], height=480)
    st.caption("灰色：当前版本；黄色：本次导入。预览尚未保存。")
    with st.expander(f"导入的要素（{len(gdf)}个）"):
        st.dataframe(geo_preview.feature_table(gdf), hide_index=True, width="stretch")

st.subheader("③ 保存")
offset_ok = summary is None or summary.offset is None or st.checkbox(
    "我已核对：数据没有偏移，仍按当前纠偏设置保存", key=KEY["keep"])
st.button("保存为新版本", type="primary", disabled=not title.strip() or not offset_ok, key=KEY["save"],
          on_click=_save, args=(layer, gdf), icon=":material/save:",
          help="在一个事务中保存并记入审计日志；旧版本保留在历史中")
if not title.strip():
    st.caption("请先填写「数据来源」后保存。")
if not offset_ok:
    st.caption("数据疑似存在坐标偏移：请按上方建议改用纠偏，或勾选确认后保存。")
history(layer)
