"""Tablet and desk layout: touch sizes, no per-character wrapping, reflow, and Chinese for Streamlit's own words.

Injected once per run by ui.chrome.apply_theme (staff and viewer pages; the wall screen adds its own CSS).
Streamlit has settings for some of this (.streamlit/config.toml: toolbarMode="minimal" removes the ⋮ menu's
Print / Record a screencast / Made with Streamlit; showSidebarNavigation=false hides the raw pages/ file
names; st.navigation(expanded=True) removes 「View N more」). What it has no setting for is done here:
  - CSS: every touch target ≥ 44 px, labels and figures never broken between characters, cards reflow;
  - one small script (st.html with JavaScript, the supported way to run code in the page): starts the
    sidebar collapsed on screens narrower than SIDEBAR_COLLAPSE_PX (Streamlit's "auto" only does so
    under 768 px), and shows Streamlit's own fixed English words (uploader, camera, 「Page not found」
    dialog, date placeholder) in Chinese. README lists what remains English.
"""
from __future__ import annotations

import json

SIDEBAR_COLLAPSE_PX = 1100
MIN_TOUCH_PX = 44
# The narrowest box a page map gets: under SIDEBAR_COLLAPSE_PX a map's column takes the whole row (CSS below);
# above it, a 3:2 map column beside a 300-px sidebar at 1100 px is ~450 px. The server cannot know the pixel
# width, so maps fit the whole subdistrict into this width: it is whole at every window size.
MAP_FIT_WIDTH_PX = 440

# Streamlit's built-in English (exact text of an element) → what a user sees instead.
TRANSLATIONS = {
    "Upload": "选择文件",
    "Upload directories": "选择文件夹",
    "Add files": "添加文件",
    "Drag and drop file here": "拖放文件到此处",
    "Drag and drop a file here": "拖放文件到此处",
    "Drag and drop files here": "拖放文件到此处",
    "Browse files": "选择文件",
    "Take Photo": "拍照",
    "Clear photo": "重拍",
    "Switch camera": "切换摄像头",
    "Page not found": "页面不存在",
    "Stop": "停止",
    "Running...": "正在运行…",
    "Skip to main content": "跳到正文",
    "Deploy": "部署",
    "View less": "收起",
    "Download as CSV": "下载 CSV", "Search": "搜索", "Fullscreen": "全屏", "Close fullscreen": "退出全屏",
    "Show/hide columns": "显示/隐藏列", "Clear": "清除", "Close": "关闭", "Cancel": "取消", "Submit": "提交",
    "No results": "无结果", "No options to select": "没有可选项", "Choose an option": "请选择",
    # the date field's empty segments
    "yyyy": "年", "mm": "月", "dd": "日",
}
# Patterns (JavaScript regular expressions) for texts with a number or a path in them.
PATTERNS = [
    [r"^(\d+(?:\.\d+)?)\s*([KMG]B) per file(.*)$", "单个文件不超过 $1$2$3"],
    [r"^View (\d+) more$", "另有 $1 项"],
    [r"^You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
     r"Running the app's main page\.$", "没有「$1」这个页面（或您没有访问权限），已打开首页。"],
    [r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
     "您要打开的页面不存在，已打开首页。"],
]
PLACEHOLDERS = {"YYYY-MM-DD": "年-月-日", "yyyy-mm-dd": "年-月-日", "yyyy/mm/dd": "年/月/日",
                "Choose an option": "请选择", "Choose options": "请选择"}
# What a screen reader reads (aria-label, aria-valuetext, title, alt; placeholders above): exact texts, then
# patterns. The charts' own descriptions are turned off in ui/charts.py (Vega-Lite `aria: false`).
LABELS = {
    "Sidebar": "侧栏", "App pages": "页面列表", "Open": "展开", "Expand sidebar": "展开侧栏",
    "Collapse sidebar": "收起侧栏", "Close sidebar": "收起侧栏", "Open sidebar": "展开侧栏",
    "Choose date": "选择日期", "Choose date range": "选择日期范围", "Clear all": "全部清除", "Clear": "清除",
    "Link to heading": "标题链接", "Show data": "查看数据", "Download as PNG": "下载 PNG 图片",
    "Copy Vega-Lite spec": "复制图表定义", "Fullscreen": "全屏", "Close fullscreen": "退出全屏",
    "Show/hide columns": "显示/隐藏列", "Search": "搜索", "Download as CSV": "下载 CSV", "Vega visualization": "图表",
    "visualization": "图表", "Decrement": "减少", "Increment": "增加", "file upload": "选择文件",
    "Show password": "显示密码", "Hide password": "隐藏密码", "Show password text": "显示密码",
    "Hide password text": "隐藏密码", "Empty": "空", "Close": "关闭", "Remove": "移除", "Delete": "删除",
    "Previous month": "上个月", "Next month": "下个月", "Select a date": "选择日期", "Calendar": "日历",
    "Select all": "全选", "Loading": "加载中", "Main menu": "主菜单", "Stop": "停止", "Toolbar": "工具栏",
    "Deploy": "部署", "Running...": "正在运行…", "Data grid": "数据表", "Map": "地图",
}
LABEL_PATTERNS = [
    [r"^Help for (.+)$", "$1 说明"],
    [r"^(year|month|day), (.+)$", "$2 $1"],
    [r"^(.+) (start|end) date$", "$1 $2 date"],
    [r"^[a-z0-9_]+ icon$", "图标"],
    [r"^([a-z]+ )?mark container$", "图形组"],
    [r"^[a-z]+ mark$", "图形"],
    [r"^(\d+) – [A-Z][a-z]+$", "$1月"],
    [r"^Remove (.+)$", "移除 $1"],
    [r"^Delete (.+)$", "删除 $1"],
    [r"^Choose (.+)$", "选择 $1"],
]
# Words the patterns above leave in place, replaced after them.
LABEL_WORDS = {"year": "年", "month": "月", "day": "日", "start date": "开始日期", "end date": "结束日期"}

CSS = f"""
<style>
/* ---- touch targets (≥ {MIN_TOUCH_PX} px) ---- */
[data-testid="stSidebarNavLink"] {{ min-height: {MIN_TOUCH_PX}px; align-items: center; }}
[data-testid="stSidebarNavLink"] span {{ word-break: keep-all; }}
[data-testid="stSidebarCollapseButton"] button, [data-testid="stExpandSidebarButton"],
[data-testid="stMainMenuButton"], [data-testid="stBaseButton-header"],
[data-testid="stElementToolbar"] button, [data-testid="stSidebarNavViewButton"] {{
  min-width: {MIN_TOUCH_PX}px !important; min-height: {MIN_TOUCH_PX}px !important; }}
/* Small icons keep their look; their hit area grows to 44 px with padding and a matching negative margin. */
[data-testid="stTooltipHoverTarget"] button, [data-testid="stTooltipIcon"] button,
button[aria-label^="Help for"], [data-testid="stDateInputCalendarButton"] {{
  padding: 14px !important; margin: -14px !important; min-width: {MIN_TOUCH_PX}px; min-height: {MIN_TOUCH_PX}px;
  box-sizing: border-box; }}
[data-testid="stDateInputCalendarButton"] {{ margin: 0 -8px 0 0 !important; padding: 10px !important; }}
[data-testid="stCheckbox"] label, [data-testid="stToggle"] label, [data-baseweb="checkbox"] {{
  min-height: {MIN_TOUCH_PX}px; align-items: center; }}
[data-testid="stPills"] button, [data-testid="stButtonGroup"] button {{ min-height: {MIN_TOUCH_PX}px; }}
[data-testid="stNumberInputStepDown"], [data-testid="stNumberInputStepUp"], [data-testid="stTextInput"] button {{
  min-width: {MIN_TOUCH_PX}px; min-height: {MIN_TOUCH_PX}px; }}
/* Heading anchor links (16 px, useless on a tablet) are not drawn. */
[data-testid="stHeaderActionElements"] {{ display: none !important; }}
/* ---- words are never broken between characters; figures are never cut ---- */
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div, [data-testid="stMarkdownContainer"] strong,
[data-testid="stCaptionContainer"] strong, [data-testid="stPills"] button p, [data-testid="stTab"] p,
.stButton button p, .stLinkButton a p, [data-testid="stPageLink"] p, [data-testid="stWidgetLabel"] p {{
  word-break: keep-all !important; overflow-wrap: normal !important; }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div {{ white-space: nowrap !important;
  overflow: visible !important; text-overflow: clip !important; }}
/* A row of cards wraps to fewer columns instead of squeezing them: a card is never narrower than 12 rem. */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {{
  flex-wrap: wrap !important; }}
[data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:has([data-testid="stMetric"]) {{
  min-width: min(100%, 12rem) !important; }}
/* Chips (图层) wrap onto more lines instead of being cut after the first few. */
[data-testid="stButtonGroup"], [data-testid="stButtonGroup"] > div {{ flex-wrap: wrap !important;
  overflow: visible !important; }}
[role="dialog"] button[aria-label="Close"] {{ min-width: {MIN_TOUCH_PX}px; min-height: {MIN_TOUCH_PX}px; }}
/* Alerts and toasts (success messages) are shown whole. */
[data-testid="stAlertContainer"] p, [data-testid="stToast"] p {{ white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; overflow-wrap: anywhere; }}
/* Desk (1366×768 and smaller): the shared filters (社区, 回看日期, 大屏模式) come first in the sidebar, above the
   page list, so they are always in view; the page list follows and scrolls. */
[data-testid="stSidebarContent"] {{ display: flex; flex-direction: column; }}
[data-testid="stSidebarHeader"] {{ order: 0; }}
[data-testid="stSidebarUserContent"] {{ order: 1; padding-top: 0 !important; padding-bottom: 0.5rem !important; }}
[data-testid="stSidebarNav"] {{ order: 2; }}
/* The script's own element takes no room. */
[data-testid="stElementContainer"]:has(#gw-layout-script) {{ display: none; }}
@media (max-width: {SIDEBAR_COLLAPSE_PX}px) {{
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:has([data-testid="stDeckGlJsonChart"]) {{
    min-width: 100% !important; }}
  [data-testid="stMetricValue"] {{ font-size: 1.6rem; }}
  .block-container {{ padding-left: 1.2rem !important; padding-right: 1.2rem !important; }}
}}
</style>
"""

_SCRIPT = """
<span id="gw-layout-script"></span>
<script>
(() => {
  const w = window;
  if (w.__gwLayout) return;
  w.__gwLayout = true;
  const [TEXT, PATTERNS, PLACEHOLDERS, COLLAPSE_PX, LABELS, LABEL_PATTERNS, LABEL_WORDS] = __ARGS__;
  const rules = PATTERNS.map(([re, to]) => [new RegExp(re), to]);
  const labelRules = LABEL_PATTERNS.map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ['aria-label', 'aria-valuetext', 'title', 'alt', 'aria-roledescription'];
  const label = (v) => {
    let out = LABELS[v];
    if (out === undefined) for (const [re, to] of labelRules) if (re.test(v)) {
      out = v.replace(re, to).replace(/(start|end) date|year|month|day/g, (w) => LABEL_WORDS[w]);
      break;
    }
    return out;
  };
  const relabel = (el) => {
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      if (!v || !/[A-Za-z]/.test(v)) continue;
      const out = label(v);
      if (out !== undefined && out !== v) el.setAttribute(a, out);
    }
  };
  const translate = (node) => {
    const t = node.nodeValue.trim();
    if (!t || !/[A-Za-z]/.test(t)) return;
    let out = TEXT[t];
    if (out === undefined) for (const [re, to] of rules) if (re.test(t)) { out = t.replace(re, to); break; }
    if (out !== undefined && out !== node.nodeValue) node.nodeValue = out;
  };
  const sweep = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) translate(walker.currentNode);
    for (const el of root.querySelectorAll ? root.querySelectorAll('input[placeholder]') : []) {
      const p = PLACEHOLDERS[el.placeholder];
      if (p) el.placeholder = p;
    }
    for (const el of root.querySelectorAll('[aria-label], [aria-valuetext], [title], [alt], [aria-roledescription]'))
      relabel(el);
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; sweep(document.body); });
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ['placeholder', ...ATTRS]});
  sweep(document.body);
  // Enter in a date field applies the typed date: Streamlit applies it when focus moves on to another control
  // (not on a bare blur), so Enter moves focus to the next control, as Tab past the calendar button would.
  document.addEventListener('keydown', (e) => {
    const box = e.key === 'Enter' && e.target.closest && e.target.closest('[data-testid="stDateInput"]');
    if (!box || e.target.closest('[data-testid="stDateInputCalendarButton"]')) return;
    const next = [...document.querySelectorAll('a[href], button, input, textarea, [tabindex="0"]')]
      .find(el => !box.contains(el) && el.offsetParent !== null
                  && (box.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (next) { e.preventDefault(); next.focus(); }
  }, true);
  // Narrow screens (portrait tablets): start with the sidebar closed, once per tab, so a person who opens it
  // keeps it open.
  if (w.innerWidth < COLLAPSE_PX && !sessionStorage.getItem('gw-sidebar-auto')) {
    sessionStorage.setItem('gw-sidebar-auto', '1');
    let tries = 0;
    const close = () => {
      const sb = document.querySelector('[data-testid="stSidebar"]');
      const btn = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (sb && btn && sb.getAttribute('aria-expanded') !== 'false') { btn.click(); return; }
      if (!sb || sb.getAttribute('aria-expanded') !== 'false') if (++tries < 50) setTimeout(close, 100);
    };
    close();
  }
})();
</script>
"""


def script() -> str:
    """The page script with its tables filled in (JSON, so no text is interpreted as code)."""
    args = json.dumps([TRANSLATIONS, PATTERNS, PLACEHOLDERS, SIDEBAR_COLLAPSE_PX, LABELS, LABEL_PATTERNS, LABEL_WORDS],
                      ensure_ascii=False)
    return _SCRIPT.replace("__ARGS__", args.replace("</", "<\\/"))


_TABLET_UA = ("iPad", "Android", "Mobile", "Tablet", "Silk", "Kindle")


def is_tablet() -> bool:
    """A touch tablet or phone, by its User-Agent (iPadOS in desktop mode reports a Mac: it gets the desk
    default). Used only to choose defaults, e.g. the camera as the photo source."""
    import streamlit as st

    agent = (st.context.headers or {}).get("User-Agent", "")
    return any(mark in agent for mark in _TABLET_UA)
