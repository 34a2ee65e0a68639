"""Tablet and desk layout: touch sizes, no per-character wrapping, reflow, and Chinese for Streamlit's own words.

Served at the end of every desk page's <body> (ui/page_shell.py, under serve.py), or sent with each run by
ui.chrome.apply_theme where there is no page shell (`streamlit run app.py`, AppTest); the wall sends BASE_CSS
with its own CSS on each run.
Streamlit has settings for some of this (.streamlit/config.toml: toolbarMode="minimal" removes the ⋮ menu's
Print / Record a screencast / Made with Streamlit; showSidebarNavigation=false hides the raw pages/ file
names; st.navigation(expanded=True) removes 「View N more」). What it has no setting for is done here:
  - CSS: every touch target ≥ 44 px, labels and figures never broken between characters, cards reflow;
  - one small script, in every page's <head> (ui/page_shell.py, via serve.py) and again by st.html with
    JavaScript on each run (a no-op when already there; it is what `streamlit run app.py` gets): starts the
    sidebar collapsed on screens narrower than SIDEBAR_COLLAPSE_PX (Streamlit's "auto" only does so under
    768 px), and shows Streamlit's own fixed English words (ui/chrome_words.py: uploader, camera, toolbars,
    date placeholders, and the labels a screen reader reads) in Chinese. README lists what remains English.
"""
from __future__ import annotations

import functools
import json

from ui import deck_ready
from ui.chrome_words import (LABEL_PATTERNS, LABEL_WORDS, LABELS, PATTERNS, PLACEHOLDERS,
                              TRANSLATIONS)

SIDEBAR_COLLAPSE_PX = 1100
MIN_TOUCH_PX = 44
# The narrowest box a page map gets: under SIDEBAR_COLLAPSE_PX a map's column takes the whole row (CSS below);
# above it, a 3:2 map column beside a 300-px sidebar at 1100 px is ~450 px. The server cannot know the pixel
# width, so maps fit the whole subdistrict into this width: it is whole at every window size.
MAP_FIT_WIDTH_PX = 440

CSS = f"""
<style>
/* ---- touch targets (≥ {MIN_TOUCH_PX} px) ---- */
[data-testid="stSidebarNavLink"] {{ min-height: {MIN_TOUCH_PX}px; align-items: center; }}
[data-testid="stSidebarNavLink"] span {{ word-break: keep-all; }}
[data-testid="stSidebarCollapseButton"] button, [data-testid="stExpandSidebarButton"],
[data-testid="stMainMenuButton"], [data-testid="stBaseButton-header"],
[data-testid="stElementToolbar"] button, [data-testid="stSidebarNavViewButton"] {{
  min-width: {MIN_TOUCH_PX}px !important; min-height: {MIN_TOUCH_PX}px !important; }}
/* Small icons keep their look; their hit area grows to 44 px with padding and a matching negative margin (not a
   labelled button with help=, kind primary/secondary/tertiary: the padding cut its label short). */
[data-testid="stTooltipHoverTarget"] button:not([kind$="ary"]), [data-testid="stTooltipIcon"] button:not([kind$="ary"]),
button[aria-label^="Help for"], [data-testid="stDateInputCalendarButton"] {{
  padding: 14px !important; margin: -14px !important; min-width: {MIN_TOUCH_PX}px; min-height: {MIN_TOUCH_PX}px;
  box-sizing: border-box; }}
[data-testid="stDateInputCalendarButton"] {{ margin: 0 -8px 0 0 !important; padding: 10px !important; }}
/* A table's toolbar icons sat 16 px apart: their 44 px targets overlapped (a tap on 搜索 opened 全屏). */
[data-testid="stElementToolbarButtonContainer"] {{ gap: 28px !important; padding: 0 14px !important; }}
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
/* The script's own element, and a map marker drawn alone (ui/deck_ready.py), take no room. */
[data-testid="stElementContainer"]:has(#gw-layout-script), [data-testid="stElementContainer"]:has(.gw-hide-box) {{
  display: none; }}
@media (max-width: {SIDEBAR_COLLAPSE_PX}px) {{
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:has([data-testid="stDeckGlJsonChart"]) {{
    min-width: 100% !important; }}
  [data-testid="stMetricValue"] {{ font-size: 1.6rem; }}
  .block-container {{ padding-left: 1.2rem !important; padding-right: 1.2rem !important; }}
}}
</style>
"""

BASE_CSS = """
<style>
/* Cards drawn as one HTML element each (ui/kpi_grid.py) and the relocation timeline (ui/views/relocation.py):
   their rules live here, once per page, not in every element (each re-sent style sheet was re-parsed per run). */
.gw-kpis{display:grid;gap:.5rem;margin:0 0 .25rem 0}
.gw-kpi{border:1px solid rgba(128,128,128,.3);border-radius:.5rem;padding:.5rem .75rem;min-width:0;
  container-type:inline-size}
.gw-kpi .l{font-size:.85rem;opacity:.8;overflow-wrap:anywhere}
/* a figure is read whole (「8.5平方公里」, not 「8.5平方公」/「里」): it shrinks to its card's width (cqi) before it
   wraps, and wraps only between words once it is at its smallest */
.gw-kpi .v{font-size:clamp(1.05rem,17cqi,1.6rem);line-height:1.3;font-weight:600;word-break:keep-all;
  overflow-wrap:anywhere}
.gw-kpi .d{font-size:.85rem}
.gw-kpi .d.up{color:#09ab3b}.gw-kpi .d.down{color:#ff2b2b}.gw-kpi .d.flat{opacity:.7}
.gw-kpi .t,.gw-kpis-note .t{display:inline-block;font-size:.75rem;border-radius:.25rem;padding:0 .35rem;
  margin-top:.2rem}
.gw-kpis-note .t{margin:0 .35rem 0 0}
.gw-line{line-height:1.9}.gw-line .t{margin:0}
details.gw-kpi>summary,details.gw-line>summary{list-style:none;cursor:pointer}
details.gw-kpi>summary::-webkit-details-marker,details.gw-line>summary::-webkit-details-marker{display:none}
.gw-kpi .q,.gw-line .q{font-size:.8rem;line-height:1.45;opacity:.8;margin-top:.25rem;padding-top:.2rem;
  border-top:1px dashed rgba(128,128,128,.45);overflow-wrap:anywhere}
.gw-kpi ul{margin:.25rem 0 0 1rem;padding:0;font-size:.9rem}
.gw-kpi .n,.gw-kpis-note{font-size:.8rem;opacity:.7;margin-top:.15rem}
/* A portrait tablet (768 px) gets two cards a row: four left 「驻地机关企事业单/位」 and 「6100余平方/米」 broken. */
@media (max-width:800px){.gw-kpis{grid-template-columns:repeat(2,minmax(0,1fr))!important}}
.gw-steps{display:flex;flex-direction:column;gap:.5rem}
.gw-step{border:1px solid rgba(128,128,128,.3);border-radius:.5rem;padding:.6rem .9rem}
.gw-step .n{font-size:.85rem;opacity:.7;margin-top:.2rem}
/* The map's legends (ui/map_view.py, ui/map_legend.py): each swatch's shape; its colour is inline. */
.gw-legend{font-size:.9rem}.gw-legend.scale{margin-bottom:.25rem}.gw-legend>span{white-space:nowrap}
.gw-sw{display:inline-block;vertical-align:middle;margin:0 .25em 0 .6em;font-style:normal}
.gw-sw.fill{width:.9em;height:.9em;border-radius:2px}
.gw-sw.line,.gw-sw.dashed{width:1.4em;height:0;border-top:.2em solid}
.gw-sw.dashed{border-top-style:dashed;background:#404048}
.gw-sw.area{width:1.1em;height:.7em;border-radius:2px}
.gw-sw.dot{width:.6em;height:.6em;border-radius:50%;border:1px solid #0f172a}
.gw-sw.ring{width:.6em;height:.6em;border-radius:50%;border:.15em solid}
.gw-sw.outline{width:1.1em;height:.7em;border-radius:2px;border:.18em solid}
/* Touch-sized controls (tablets): at least 44 px high, on every page and in the sidebar. */
.stButton button, .stDownloadButton button, .stLinkButton a, [data-testid="stPopover"] button,
[data-testid="stFormSubmitButton"] button, [data-testid="stFileUploader"] button, [data-testid="stPageLink"] a,
[data-testid="stSelectbox"] [role="group"], [data-testid="stSelectbox"] input[role="combobox"],
.stDateInput input, .stTextInput input, .stNumberInput input { min-height: 44px; }
[role="radiogroup"] label, [data-testid="stCheckbox"] label { min-height: 44px; align-items: center; }
[role="tab"] { min-height: 44px; }
[data-testid="stExpander"] summary { min-height: 44px; align-items: center; }
.gw-alert-more summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; }
[role="listbox"] [role="option"] { min-height: 44px; align-items: center; } /* a drop-down's options (were 40) */
/* The date picker's days and month arrows (were 24 px), its month and year menus (30 px). */
[data-testid="stDateInputCalendar"] [role="gridcell"] [role="button"], [data-testid="stDateInputCalendar"] header button {
  min-width: 44px !important; min-height: 44px !important; display: inline-flex; align-items: center;
  justify-content: center; }
[data-testid="stDateInputCalendar"] [role="gridcell"] { padding: 0 !important; }
[data-testid="stMetricValue"] { font-size: 2.0rem; }
[data-testid="stMetricLabel"] p { font-size: 1.0rem; }
/* Figures are never cut to 「8.…」: values and labels wrap instead. */
[data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* Tablets and narrow windows: rows of columns wrap (five cards become rows of three, map and card stack). */
@media (max-width: 1280px) {
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; }
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    min-width: calc(33% - 1rem) !important; }
  [data-testid="stMetricValue"] { font-size: 1.6rem; }
}
/* Printing any page (also the big screen): light, no sidebar or controls, A4 landscape. */
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stPopover"], .stDownloadButton, .stButton, .stLinkButton,
  #MainMenu, footer { display: none !important; }
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stBottom"] {
    background: #FFFFFF !important; color: #111827 !important; color-scheme: light !important; }
  .stApp *:not(svg *):not(canvas) { color: #111827 !important; border-color: #D1D5DB !important;
    text-shadow: none !important; }
  .stApp [data-testid="stMetric"], .stApp [data-testid="stVerticalBlockBorderWrapper"],
  .stApp .gw-figure, .stApp [data-testid="stAlert"] > div, .stApp [data-baseweb="select"] > div,
  .stApp [data-baseweb="input"], .stApp input { background: #FFFFFF !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { overflow: visible !important; height: auto !important; }
  .block-container { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stElementContainer"], [data-testid="stMetric"] { break-inside: avoid; }
}
</style>
"""

# Every page but the wall (which sends BASE_CSS with its own): in the served page (ui/page_shell.py) or with
# each run (ui/chrome.apply_theme).
DESK_CSS = BASE_CSS + CSS

_SCRIPT = """
<span id="gw-layout-script"></span>
<script>
(() => {
  const w = window;
  if (w.__gwLayout) return;
  w.__gwLayout = true;
__DECK_READY__
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
  const placeholder = (el) => { const p = PLACEHOLDERS[el.placeholder]; if (p) el.placeholder = p; };
  const SELECTOR = '[aria-label], [aria-valuetext], [title], [alt], [aria-roledescription]';
  const sweep = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) translate(walker.currentNode);
    if (root.matches && root.matches(SELECTOR)) relabel(root);
    if (root.matches && root.matches('input[placeholder]')) placeholder(root);
    for (const el of root.querySelectorAll('input[placeholder]')) placeholder(el);
    for (const el of root.querySelectorAll(SELECTOR)) relabel(el);
  };
  // In the page's <head> (ui/page_shell.py) the body does not exist yet: start once it does.
  const start = () => {
  // Each change is translated in the observer's callback: before the browser paints it and before any other
  // script (or a test) reads the page. Only what changed is looked at.
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') {
        if (r.attributeName === 'placeholder') placeholder(r.target); else relabel(r.target);
      } else if (r.type === 'characterData') {
        translate(r.target);
      } else {
        for (const n of r.addedNodes) {
          if (n.nodeType === Node.TEXT_NODE) translate(n); else if (n.nodeType === Node.ELEMENT_NODE) sweep(n);
        }
      }
    }
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
  // keeps it open. Streamlit 1.67 marks neither state on the sidebar (no aria-expanded): it is open while its
  // collapse button exists and closed while the header's expand button does. Under 768 px Streamlit starts it
  // closed itself: then there is nothing to do, and a person who opens it at once must not see it shut again.
  if (w.innerWidth < COLLAPSE_PX && !sessionStorage.getItem('gw-sidebar-auto')) {
    sessionStorage.setItem('gw-sidebar-auto', '1');
    let tries = 0;
    const close = () => {
      const open = document.querySelector('[data-testid="stExpandSidebarButton"]');
      if (open && open.getBoundingClientRect().width > 0) return;  // already closed
      const btn = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (btn) { btn.click(); return; }
      if (++tries < 200) setTimeout(close, 100);
    };
    close();
  }
  };
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();
</script>
"""


@functools.cache
def script() -> str:
    """The page script with its tables filled in (JSON, so no text is interpreted as code). Served in the
    <head> of every page (ui/page_shell.py) and, for `streamlit run app.py` without serve.py, by each run."""
    args = json.dumps([TRANSLATIONS, PATTERNS, PLACEHOLDERS, SIDEBAR_COLLAPSE_PX, LABELS, LABEL_PATTERNS, LABEL_WORDS],
                      ensure_ascii=False)
    return _SCRIPT.replace("__DECK_READY__", deck_ready.SCRIPT).replace("__ARGS__", args.replace("</", "<\\/"))


_TABLET_UA = ("iPad", "Android", "Mobile", "Tablet", "Silk", "Kindle")


def is_tablet() -> bool:
    """A touch tablet or phone, by its User-Agent (iPadOS in desktop mode reports a Mac: it gets the desk
    default). Used only to choose defaults, e.g. the camera as the photo source."""
    import streamlit as st

    agent = (st.context.headers or {}).get("User-Agent", "")
    return any(mark in agent for mark in _TABLET_UA)
