"""Streamlit's own fixed English words (its chrome) and what a user, or a screen reader, gets instead.

Streamlit has no interface-language setting; ui/layout.py's page script applies these tables to the page's
text, placeholders and accessibility attributes as Streamlit draws them. README lists what remains English.
"""
from __future__ import annotations

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
    "Clear selection": "清除选择", "Choose date": "选择日期", "Choose date range": "选择日期范围", "Clear all": "全部清除", "Clear": "清除",
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
