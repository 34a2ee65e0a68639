"""A 征迁 headline figure that its own data layer knows is questionable says so wherever it is shown, not only on the
征迁 page: the overview's card, the wall (its 总览 and 征迁 views and its 「较上次汇报」 strip) and the briefing pack
(PDF beside the figure, Excel in its own column).

The questionable figure is made as in tests/test_relocation_headline_truth.py (S6): 华盛录入员 records WH-063 已签约
back-dated to 2023-11-20, so the household records say 63 signed on the article's day while the article says 62.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from staff_apptest import clean, engine, sign_in  # noqa: F401 - fixtures
from staff_fixtures import _staff_templates, world  # noqa: F401 - fixtures

from lib import writes
from lib.auth import Actor
from lib.briefing import collect_pack, render_pdf, render_xlsx
from lib.queries import relocation
from shown_text import texts

D = dt.date
HS = Actor("hs", "华盛录入员", "社区工作人员", "华盛")  # the seeded 华盛 account (tests/staff_fixtures.py)


def _back_dated_signing(e) -> str:
    """WH-063 signed on 2023-11-20 (before the article's 62): the 已签约 figure's warning, as lib words it."""
    result = writes.record_household_step(HS, code="WH-063", status="已签约", on=D(2023, 11, 20), engine=e)
    assert result.inserted, result.message
    warning = relocation.headline(engine=e).signed.warning
    assert warning and "63户" in warning and "62户" in warning
    return warning


def _html(at) -> str:
    return "\n".join(str(e.proto.body) for e in at.get("html"))


def _card(body: str, label: str) -> str:
    """One KPI card's HTML (ui/kpi_grid.card_html), from its label to the next card."""
    start = body.index(f'data-label="{label}"')
    end = body.find('class="gw-kpi"', start)
    return body[start:end if end > 0 else None]


def test_the_overview_card_says_the_warning(engine):  # noqa: F811 - the imported fixture
    warning = _back_dated_signing(engine)
    at = sign_in(None, "overview")
    card = _card(_html(at), "征迁签约")
    assert 'data-value="62/78户"' in card and warning in card, card


def _wall(at, **params):
    at.query_params["screen"] = "1"
    at.query_params["pause"] = "1"
    for k, v in params.items():
        at.query_params[k] = v
    return clean(at.run())


def _strip(at) -> str:
    """The wall's 「较上次汇报」 strip as text (on every view, above it)."""
    body = _html(at)
    return re.sub(r"<[^>]+>", " ", body[body.index("gw-changes"):])


def test_the_wall_says_the_warning_on_every_view(engine):  # noqa: F811 - the imported fixture
    """The strip names the figure and says its warning on every view (amber: ui/wall_css.py); the 征迁 view says it
    under its card too. The 总览 card leaves it to the strip right above it: a 1080-line wall has room for one more
    line only (the 总览 map gives it up, ui/wall_css.py)."""
    warning = _back_dated_signing(engine)
    for view in ("总览", "征迁", "养老", "五星支部", "示范社区"):
        at = _wall(sign_in(None), view=view)
        strip = _strip(at)
        assert "征迁已签约 62户" in strip and f"征迁已签约：{warning}" in strip, (view, strip)
        assert "gw-change-warn" in _html(at)
    at = _wall(sign_in(None), view="征迁")
    assert any(m.label == "征迁签约" and m.value == "62/78户" for m in at.metric)
    assert warning in texts(at.caption), texts(at.caption)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pack_prints_the_warning_beside_the_figure(world):
    warning = _back_dated_signing(world.engine)
    pack = collect_pack(community=None, last_briefing=None, engine=world.engine)
    reloc = {f.label: f for p in pack.panels if p.key == "relocation" for f in p.figures}
    # the figures made of 已签约 (签约进度 62/78, 未签约 16) rest on it, so they carry it too
    for label in ("签约进度", "已签约", "未签约"):
        assert reloc[label].warning == warning, label
    assert not reloc["涉迁户"].warning and not reloc["累计拆除面积"].warning
    pages = [_flat(p.extract_text()) for p in PdfReader(io.BytesIO(render_pdf(pack, charts={}))).pages]
    said = _flat(warning)
    assert said in pages[0]  # the cover's 征迁 headline (签约进度)
    panel = next(p for p in pages if "文化路北延提升改造" in p and "关键数字" in p)
    assert said in panel and "62户" in panel
    assert said in pages[-1]  # the sources table, beside 已签约
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(pack)))["简报数字"]
    header = [c.value for c in ws[3]]
    note = header.index("数据说明")
    rows = {(r[0], r[1]): r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows[("征迁", "已签约")][2] == "62户" and rows[("征迁", "已签约")][note] == warning
    assert rows[("征迁", "涉迁户")][note] in (None, "")


def test_the_briefing_picture_prints_the_warning(engine):  # noqa: F811 - the imported fixture
    """The PNG a leader carries into a meeting states the dispute under the 征迁 figure (its data had it, unprinted)."""
    from PIL import Image

    from ui import bridge, summary
    from ui.briefing_png import WARN

    warning = _back_dated_signing(engine)
    bridge.clear_caches()
    picture = Image.open(io.BytesIO(summary.briefing_png(community=None, as_of=None)))
    assert warning in picture.text["notes"]
    picture.save(Path(tempfile.gettempdir()) / "gw-warning-briefing.png")  # to look at when it fails
    column = picture.convert("RGB").crop((int(picture.width * 0.66), 0, picture.width, picture.height))
    assert sum(1 for px in column.getdata() if px == WARN) > 200, "the warning is drawn in the figures' column"


def test_the_wall_says_which_count_its_household_figures_are(engine):  # noqa: F811 - the imported fixture
    """Beside the headline (62 signed, 16 unsigned, resting on the article), the 征迁 view's 专班 groups and trend count
    the household records (15 unsigned, 63 signed): each says so, and the groups name the headline's 16 they differ
    from — two different numbers side by side with no word on why is what a leader cannot defend."""
    _back_dated_signing(engine)
    body = re.sub(r"<[^>]+>", " ", _html(_wall(sign_in(None), view="征迁")))
    groups = body[body.index("按专班分组") - 40:body.index("按专班分组") + 80]
    assert re.search(r"未签约\s*15\s*户", groups) and "逐户记录" in groups and "16户" in groups, groups
    assert "累计进度（逐户记录" in body


def test_the_groups_say_nothing_more_when_the_counts_agree(engine):  # noqa: F811 - the imported fixture
    body = re.sub(r"<[^>]+>", " ", _html(_wall(sign_in(None), view="征迁")))
    groups = body[body.index("按专班分组") - 40:body.index("按专班分组") + 80]
    assert "逐户记录" in groups and "上方" not in groups, groups
