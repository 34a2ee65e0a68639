"""The briefing pack (汇报材料): the PDF read back with pypdf holds every figure, source and date of its
scope, embeds its fonts, has the designed pages; the xlsx holds the same figures; file names carry the
scope and date; deltas name both dates; alerts come and go with their conditions."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from geo.layers import EAST_EDGE_NOTE
from lib.briefing.pdf import COVER_ALERTS
from lib.briefing.xlsx import CN_DATE_FORMAT
from lib.briefing import PAGES, Pack, PackFigure, PackPanel, collect_pack, file_name, render_pdf, render_xlsx
from lib.config import Settings
from lib.fmt import cn_date
from lib.queries import care
from ui.briefing_pack import chart_specs, pack_files

ROADS = ["人民路", "工业路", "车站路", "百里奚路", "建设路", "光武大道", "范蠡路", "张衡大道"]
MAP_NAMES = [*ROADS, "焦枝铁路", "三里河", "梅溪河", "洛洼水库", "榆树庄水库", "南阳站", "综合养老服务中心",
             "星光大排档", "诸葛书屋", "清风巷", "文化路北延", "图例", "现场核查未办结", "位置为示意"]
PANEL_TITLES = ["五星支部创建", "示范社区创建", "文化路北延提升改造", "养老服务"]
LAST = dt.date(2023, 11, 15)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(pdf: bytes) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(params=[None, "中兴"], ids=["全街道", "中兴"])
def scope(request):
    return request.param


def test_pdf_holds_every_figure_source_and_date(seeded, scope):
    pack = collect_pack(community=scope, engine=seeded)
    pdf, xlsx = pack_files(community=scope, as_of=None, engine=seeded)
    pages = pdf_pages(pdf)
    assert len(pages) == PAGES == 7, "cover, map, 4 panels, sources"
    assert_fonts_embedded(pdf)
    whole = "".join(pages)
    assert len(pack.figures) >= 15
    for f in pack.figures:
        for part in (f.label, f.value_text, f.source_kind, f.citation, cn_date(f.date)):
            assert flat(part) in pages[-1], f"sources page lacks {part!r} of {f.label}"
        assert flat(f.value_text) in whole
    cover = pages[0]
    assert flat(pack.scope_label) in cover and "上次汇报日期未设置" in cover
    assert f"最新数据{cn_date(pack.data_as_of)}" in cover
    for name in MAP_NAMES:
        assert name in pages[1], f"map page lacks {name}"
    assert flat(EAST_EDGE_NOTE) in pages[1], "the map states where its east edge comes from"
    # the article's own caveat beside its title: a leader asked 「这篇报道是哪天的」 finds the answer on the page
    assert flat("报道：《") in pages[-1] and "报道未注明刊载媒体与日期" in pages[-1]
    for page, panel, title in zip(pages[2:6], pack.panels, PANEL_TITLES, strict=True):
        assert title in page
        for f in panel.figures:
            assert flat(f.value_text) in page and flat(f.label) in page, f"{title} page lacks {f.label}"
    # the charts are drawn (their axis titles are text in the PDF)
    assert "户数（累计）" in pages[4] and "入住人数" in pages[5] and "大官庄" in pages[3]
    for alert in pack.alerts[:COVER_ALERTS]:  # the rest: 「另有 N 条预警，见 Excel「预警」表」
        assert flat(alert) in cover
    # the xlsx: the same figures, sources and dates, in the same order
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["简报数字"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True)]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        (f.panel, f.label, f.value_text, f.source_kind, f.citation) for f in pack.figures]
    assert [r[5].date() if r[5] else None for r in rows] == [f.date for f in pack.figures]
    dated = [c for c in ws["F"][3:] if c.value is not None]  # shown as 2023年11月22日 in Excel, as everywhere else
    assert dated and all(c.number_format == CN_DATE_FORMAT for c in dated)


def test_kinds_and_scope_of_figures(seeded):
    city = collect_pack(community=None, engine=seeded)
    kinds = {f.label: f.source_kind for f in city.figures}
    assert kinds["户籍人口"] == "报道" and kinds["各社区已达标星数合计"] == "示例"
    assert any(f.value_text == "62户" and f.label == "已签约" for f in city.figures)
    zx = collect_pack(community="中兴", engine=seeded)
    assert {f.label for f in zx.figures} >= {"已达标星数", "示范社区状态", "辖区面积"}
    assert any(f.value_text == "0.45平方公里" for f in zx.overview), "中兴's own figures, not the subdistrict's"
    # 中兴 has no relocation households: that page is the subdistrict's, and says so
    reloc = zx.panels[2]
    assert "逐户记录中没有登记在中兴社区的涉迁户" in reloc.note and all(f.label.startswith("全街道·") for f in reloc.figures)


def assert_fonts_embedded(pdf: bytes) -> None:
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            fonts[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert any("NotoSansCJK" in name for name in fonts), fonts
    assert all(fonts.values()), f"fonts not embedded: {[n for n, ok in fonts.items() if not ok]}"


def test_deltas_name_both_dates(seeded):
    pack = collect_pack(community=None, last_briefing=LAST, engine=seeded)
    numeric = [f for f in pack.figures if f.value is not None]
    assert numeric and all(cn_date(LAST) in f.delta_text for f in numeric)
    now = care.current_occupancy(facility="care_centre", engine=seeded)
    then = care.current_occupancy(facility="care_centre", as_of=LAST, engine=seeded)
    occupied = next(f for f in pack.figures if f.label == "入住")
    assert then.day == LAST, "the seed has an occupancy record on the comparison day"
    diff = now.occupied - then.occupied
    expected = "持平" if diff == 0 else f"{diff:+d}人"
    demo = "（对比值为示例数据）" if then.is_demo and not now.is_demo else ""  # as the 养老 page says it
    assert occupied.delta_text == f"较{cn_date(LAST)} {expected}{demo}（{cn_date(now.day)}）"
    # the overview's article figures did not exist yet on that date: said so, not a made-up change
    assert next(f for f in pack.overview if f.label == "户籍人口").delta_text == f"{cn_date(LAST)}无数据"
    cover = pdf_pages(render_pdf(pack, charts={}))[0]
    assert f"上次汇报日期{cn_date(LAST)}" in cover


def test_alerts_come_and_go(seeded, monkeypatch):
    occ = care.current_occupancy(facility="care_centre", engine=seeded)

    def warn_below(n):  # the pack's figure flag and lib.alerts read the same setting
        for where in ("lib.briefing.collect.settings", "lib.alerts.settings"):
            monkeypatch.setattr(where, lambda: Settings(care_free_beds_warning=n, stale_days=100000))
    warn_below(occ.free + 1)
    pack = collect_pack(community="中兴", engine=seeded)
    assert [a for a in pack.alerts if "空床不足" in a], pack.alerts
    assert next(f for f in pack.figures if f.label == "空床").alert
    assert pack.panels[3].alerts == [a for a in pack.alerts if "空床不足" in a], "on the care page too"
    warn_below(occ.free)
    pack = collect_pack(community="中兴", engine=seeded)
    assert pack.alerts == []
    cover = pdf_pages(render_pdf(pack, charts={}))[0]
    assert "无预警" in cover
    # open site checks: listed per community while open, and past their deadline as 整改逾期
    city = collect_pack(community=None, engine=seeded)
    assert any("现场核查未办结" in a for a in city.alerts) and any("整改逾期" in a for a in city.alerts)
    before = collect_pack(community=None, as_of=dt.date(2023, 1, 1), engine=seeded)
    assert not [a for a in before.alerts if "核查" in a or "整改" in a], before.alerts


def test_charts_are_the_pages_specs(seeded):
    pack = collect_pack(community=None, engine=seeded)
    specs = chart_specs(pack)
    assert set(specs) == {"stars", "model", "relocation", "care"}
    marks = {k: [layer["mark"]["type"] for layer in s.get("layer", [s])] for k, s in specs.items()}
    assert marks["stars"] == ["rect", "text", "rect"] and "line" in marks["relocation"]


def test_user_text_is_printed_as_text():
    odd = "*不是粗体* #set $x$ <b>「标签」</b> \\ ]"
    fig = PackFigure("概况", odd, "=1+1", "录入", "录入：张三 #strong[x]", dt.date(2026, 12, 5))
    pack = Pack(community=None, as_of=None, data_as_of=dt.date(2026, 12, 5), last_briefing=None,
                overview=[fig], panels=[PackPanel("stars", "五星支部创建", [fig])], alerts=[odd],
                source_titles=[])
    text = "".join(pdf_pages(render_pdf(pack, charts={}, map_svg="<svg xmlns='http://www.w3.org/2000/svg'/>")))
    assert flat(odd) in text and "录入：张三#strong[x]" in text
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(pack)))["简报数字"]
    assert ws["C4"].value == "=1+1" and ws["C4"].data_type == "s", "a value is never turned into a formula"


def test_file_names():
    day = dt.date(2026, 12, 5)
    assert file_name("中兴", day, "pdf") == "光武街道-中兴社区-简报-2026-12-05.pdf"
    assert file_name(None, day, "xlsx") == "光武街道-全街道-简报-2026-12-05.xlsx"


@pytest.mark.parametrize("screen", [False, True], ids=["overview", "screen"])
def test_download_buttons(app_db, screen):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    if screen:
        at.query_params["screen"] = "1"
        at.query_params["pause"] = "1"
    at.session_state["community"] = "中兴"
    at.run()
    assert not at.exception, [str(e.value) for e in at.exception]
    # built when asked (ui/briefing_downloads.py): 「生成汇报材料」 first, then the two downloads
    key = "screen" if screen else "overview"
    assert at.button(key=f"{key}.pack_make").label == "生成汇报材料（中兴社区）"
    at.button(key=f"{key}.pack_make").click().run()
    assert not at.exception, [str(e.value) for e in at.exception]
    labels = [b.label for b in at.get("download_button")]
    assert {"汇报材料 PDF（中兴社区）", "汇报数字 Excel（中兴社区）"} <= set(labels), labels


def test_bridge_pack_and_names(app_db):
    from lib.clock import today
    from ui import bridge

    pdf, xlsx = bridge.briefing_pack("中兴", None)
    assert pdf.startswith(b"%PDF") and len(PdfReader(io.BytesIO(pdf)).pages) == PAGES
    assert xlsx.startswith(b"PK")
    assert bridge.briefing_file_name(bridge.Scope.of("中兴", None), "pdf") == f"光武街道-中兴社区-简报-{today():%Y-%m-%d}.pdf"
    assert bridge.briefing_file_name(bridge.Scope.of(None, dt.date(2023, 9, 22)), "xlsx") == "光武街道-全街道-简报-2023-09-22.xlsx"


def test_map_names_every_layer_without_collisions():
    import xml.etree.ElementTree as ET

    from geo.layers import feature_records
    from lib.briefing.mapsvg import MAP_W, render_map

    layers = {k: feature_records(k) for k in ("communities", "outline", "roads", "railway", "rivers", "reservoirs",
                                              "projects", "pois")}
    svg = ET.fromstring(render_map(layers, status={}, checks=[(112.5, 33.0)]))
    labels = [(float(t.get("x")), float(t.get("y")), float(t.get("font-size")), t.text)
              for t in svg.iter("{http://www.w3.org/2000/svg}text") if float(t.get("x")) < MAP_W]
    names = {t for *_, t in labels}
    wanted = {f["name"] for k in ("communities", "roads", "railway", "rivers", "reservoirs", "projects")
              for f in layers[k]}
    wanted |= {f["name"] for f in layers["pois"] if f["properties"].get("category") != "专业批发市场"}
    assert wanted <= names, f"not named on the map: {wanted - names}"
    boxes = [(x - s * len(t) / 2, y - s, x + s * len(t) / 2, y + s * 0.3, t) for x, y, s, t in labels]
    clashes = [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert not clashes, clashes


def test_pack_builds_without_streamlit():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, lib.briefing; assert 'streamlit' not in sys.modules, 'lib.briefing imports streamlit'"
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-500:]


@pytest.mark.parametrize("as_of", [dt.date(2023, 9, 22), dt.date(2000, 1, 1)], ids=["before-naming", "before-data"])
def test_pack_on_an_earlier_date(seeded, as_of):
    pack = collect_pack(community=None, as_of=as_of, engine=seeded)
    assert not [f for f in pack.figures if f.label == "已命名示范社区"], "named only on 2023-09-23"
    # only the subdistrict's standing profile is shown before its article's date, marked 「报道于…」
    later = [f for f in pack.figures if f.date is not None and f.date > as_of]
    assert later and all(f.reported_later and f.panel == "概况" for f in later)
    assert all(not f.reported_later for f in pack.figures if f not in later)
    pages = pdf_pages(render_pdf(pack, charts={}))
    assert all(f"报道于{cn_date(f.date)}" in pages[-1] for f in later)
    assert len(pages) == PAGES
    # the Excel says it as the PDF does: a date after 「最新数据」 with nothing beside it reads as that day's figure
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(pack)))["简报数字"]
    dates = {row[1].value: row[5].value for row in ws.iter_rows(min_row=4)}
    assert all(dates[f.label] == f"报道于{cn_date(f.date)}" for f in later), dates
    assert all(isinstance(dates[f.label], dt.datetime) for f in pack.figures if f not in later and f.date), dates
    assert (f"最新数据{cn_date(pack.data_as_of)}" if pack.data_as_of else "最新数据：暂无数据") in pages[0]


def test_many_alerts_keep_the_cover_on_one_page(app_db):
    from dataclasses import replace

    from lib import db

    pack = collect_pack(community=None, engine=db.get_engine(app_db))
    many = replace(pack, alerts=[f"测试社区{i}：现场核查未办结 1 项" for i in range(40)])
    pages = pdf_pages(render_pdf(many, charts={}))
    assert len(pages) == PAGES
    assert f"另有{40 - COVER_ALERTS}条预警，见Excel「预警」表" in pages[0]
    assert f"测试社区{COVER_ALERTS - 1}：" in pages[0] and f"测试社区{COVER_ALERTS}：" not in pages[0]
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(many)))["预警"]
    assert ws.max_row == 41
