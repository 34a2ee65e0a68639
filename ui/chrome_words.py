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
    # the camera box when the browser refuses the camera (a tablet's default photo source)
    "This app would like to use your camera.": "需要允许本页面使用摄像头才能拍照。",
    "Learn how to allow access.": "请在浏览器的网站设置中允许使用摄像头，或改用「从相册选择」。",
    # the dialog when the server cannot be reached (ui/reconnect.py draws the page again once it can)
    "Connection error": "连接中断",
    "Streamlit server is not responding. Are you connected to the internet?": "暂时连不上看板服务，正在自动重连；"
                                                                             "请稍候，或检查网络。",
    # a table's column menu and its statistics
    "Sort ascending": "升序排列", "Sort descending": "降序排列", "Format": "格式", "Autosize": "自动列宽",
    "Pin column": "固定列", "Unpin column": "取消固定", "Hide column": "隐藏列", "Statistics": "统计",
    "Automatic": "自动", "Localized": "本地格式", "Plain": "原样", "Compact": "紧凑", "Percent": "百分比",
    "Scientific": "科学计数", "Accounting": "会计格式", "Dollar": "美元", "Euro": "欧元", "Yen": "日元",
    "Calendar": "日历", "Distance": "距离", "Duration": "时长", "Values": "取值", "Empty": "空值",
    "Distinct": "不同值", "Minimum": "最小值", "Maximum": "最大值", "Average": "平均值", "Median": "中位数",
    "Sum": "合计", "Range": "范围", "Standard deviation": "标准差", "Average length": "平均长度",
    "Minimum length": "最短长度", "Maximum length": "最长长度",
    # an upload the browser refuses (shown on the file's chip)
    "File size is too small.": "文件太小。", "Only one file is allowed.": "只能选择一个文件。",
    "Unexpected error. Please try again.": "出现意外错误，请重试。",
    # read to a screen reader in the date picker
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "用方向键选择日期，回车确定，Esc 关闭。",
}
# Patterns (JavaScript regular expressions) for texts with a number or a path in them.
PATTERNS = [
    [r"^(\d+(?:\.\d+)?)\s*([KMG]B) per file(.*)$", "单个文件不超过 $1$2$3"],
    [r"^View (\d+) more$", "另有 $1 项"],
    [r"^(\d+) options? available\.$", "共 $1 个选项。"],  # a drop-down's announcement to a screen reader
    [r"^Choose date, (.+)$", "选择日期，$1"],  # the date picker's heading (read, not shown)
    [r"^[a-z0-9_]+ icon$", "图标"],  # an icon button's hidden name (the wall's menu: 「tune icon」)
    [r"^File must be (.+) or smaller\.$", "文件不能超过 $1。"],
    [r"^(.*) files are not allowed\.$", "不接受这种文件（$1）。"],
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
    "Deploy": "部署", "Running...": "正在运行…", "Data grid": "数据表", "Map": "地图", "Dismiss": "关闭",
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
    [r"^Choose date, (.+)$", "选择日期，$1"],
    [r"^Choose (.+)$", "选择 $1"],
    [r"^Error: File must be (.+) or smaller\.$", "错误：文件不能超过 $1。"],
    [r"^Error: (.*) files are not allowed\.$", "错误：不接受这种文件（$1）。"],
]
# Words the patterns above leave in place, replaced after them.
LABEL_WORDS = {"year": "年", "month": "月", "day": "日", "start date": "开始日期", "end date": "结束日期"}
