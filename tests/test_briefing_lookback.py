"""A 回看日期 on or before the stored 「上次汇报日期」 (audit 2, finding 5): the change *since* a date that is not before
the figures' own date is no change at all, so neither the wall's 「较上次汇报」 strip nor the pack compares; both say so
in one line (lib.briefing_date.comparison decides it once)."""
from __future__ import annotations

import datetime as dt
import re

from staff_apptest import clean, engine, sign_in  # noqa: F401
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import briefing_date
from lib.auth import Actor
from lib.briefing import collect_pack

D = dt.date
LAST = D(2023, 11, 15)
LATER = "上次汇报日期（2023年11月15日）晚于所看日期，不作比较"
SAME = "上次汇报日期（2023年11月15日）与所看日期同日，不作比较"


def test_the_rule():
    assert briefing_date.comparison(None, D(2023, 11, 10)).on is None
    assert briefing_date.comparison(None, D(2023, 11, 10)).head == "上次汇报日期未设置"
    later = briefing_date.comparison(LAST, D(2023, 11, 10))
    assert (later.on, later.note, later.head) == (None, LATER, LATER)
    same = briefing_date.comparison(LAST, LAST)
    assert (same.on, same.note) == (None, SAME)
    before = briefing_date.comparison(LAST, D(2023, 11, 22))
    assert (before.on, before.note, before.head) == (LAST, "", "较上次汇报（2023年11月15日）")
    # the latest state is shown on today
    assert briefing_date.comparison(LAST, None, today=LAST).on is None
    assert briefing_date.comparison(LAST, None, today=D(2024, 3, 1)).on == LAST


def test_key_figures_are_not_compared_with_a_later_briefing(world):
    figs = briefing_date.key_figure_changes(as_of=D(2023, 11, 10), on=LAST, engine=world.engine)
    assert figs and all(k.change is None for k in figs), [k.change.brief for k in figs if k.change]
    same = briefing_date.key_figure_changes(as_of=LAST, on=LAST, engine=world.engine)
    assert all(k.change is None for k in same)
    after = briefing_date.key_figure_changes(as_of=D(2023, 11, 22), on=LAST, engine=world.engine)
    assert all(k.change is not None for k in after)  # an earlier briefing still compares


def test_the_pack_prints_one_reason_instead_of_backward_changes(world):
    pack = collect_pack(community=None, as_of=D(2023, 11, 10), last_briefing=LAST, engine=world.engine)
    texts = {f.delta_text for f in pack.figures if f.value is not None}
    assert texts == {LATER}, texts  # was 「较2023年11月15日 -31户（2023年11月10日）」, 「-4127.3平方米」
    assert not [f for f in pack.figures if "较2023年11月15日" in f.delta_text]
    assert pack.last_briefing == LAST  # the stored date is still named
    same = collect_pack(community=None, as_of=LAST, last_briefing=LAST, engine=world.engine)
    assert {f.delta_text for f in same.figures if f.value is not None} == {SAME}
    earlier = collect_pack(community=None, as_of=D(2023, 11, 22), last_briefing=LAST, engine=world.engine)
    assert any(f.delta_text.startswith("较2023年11月15日") for f in earlier.figures)
    # the PDF's panel pages say the same (they said 「较上次汇报（…）的变化写在各数字下」 over figures that had none)
    import io

    from pypdf import PdfReader

    from lib.briefing import render_pdf

    def cover(p) -> str:
        return "".join("".join(page.extract_text().split())
                       for page in PdfReader(io.BytesIO(render_pdf(p, charts={}))).pages)

    assert LATER in cover(pack) and "的变化写在各数字下" not in cover(pack)
    assert "较上次汇报（2023年11月15日）的变化写在各数字下" in cover(earlier)


def test_the_wall_strip_says_it_does_not_compare(engine):  # noqa: F811 - the imported fixture
    briefing_date.set_last_briefing_date(Actor("boss", "街道领导", "领导", None), LAST, engine=engine)
    at = sign_in(None)
    at.query_params["screen"] = "1"
    at.query_params["pause"] = "1"
    at.query_params["as_of"] = "2023-11-10"
    clean(at.run())
    body = "\n".join(e.proto.body for e in at.get("html"))
    strip = re.sub(r"<[^>]+>", " ", body[body.index("gw-changes"):])
    assert LATER in strip and "较2023年11月15日" not in strip and "较上次汇报（" not in strip, strip
