"""The overview's 街道概况 grid is the subdistrict's: with a community selected it is not drawn (the community's
card and its four panels' figures are), so the page never says 「街道概况：暂无公开数据」 of a subdistrict whose
figures are published (it did for every community)."""
from __future__ import annotations

import datetime as dt

from test_pages_apptest import start

from shown_text import texts

NO_OVERVIEW = "街道概况：暂无公开数据。"


def test_a_community_selected_is_not_told_the_subdistrict_has_no_data(app_db):
    at = start(community="中兴")
    assert not at.exception
    assert NO_OVERVIEW not in texts(at.info), texts(at.info)
    assert at.title[0].value.endswith("中兴社区")


def test_the_subdistrict_shows_its_grid(app_db):
    for as_of in (None, dt.date(2022, 12, 31)):  # before the article: its standing figures, 「报道于…」
        at = start(as_of=as_of)
        assert NO_OVERVIEW not in texts(at.info)
        assert any("gw-kpis" in str(h.proto.body) and "常住人口" in str(h.proto.body) for h in at.get("html")), as_of


def _card_lines(at) -> list[tuple[str, str]]:
    import re

    body = next(str(h.proto.body) for h in at.get("html") if "gw-lines" in str(h.proto.body))
    return re.findall(r'class="gw-line" data-label="([^"]*)" data-value="([^"]*)"', body)


def test_the_community_card_names_whose_figure_each_line_is(app_db):
    """中兴's card read 「占地面积：1.2万平方米」 first: the night market's area, shown as if it were the community's
    (whose 辖区面积 is 0.45平方公里). Its own figures come first; a facility's carry the facility's name."""
    lines = _card_lines(start(community="中兴"))
    assert lines[0] == ("辖区面积", "0.45平方公里"), lines
    labels = [label for label, _ in lines]
    assert "占地面积" not in labels, labels
    own = [i for i, (label, _) in enumerate(lines) if "·" not in label]
    assert own == list(range(len(own))), lines  # the community's own first
