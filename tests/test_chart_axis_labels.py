"""A time axis labelled by month prints each month once: the pack's 养老 chart (90 days) read
「2023年9月 2023年9月 2023年9月 2023年9月」 (a tick every ~2 weeks, each formatted to its month)."""
from __future__ import annotations

import re

import pytest

from lib.briefing import collect_pack
from ui.briefing_pack import chart_svgs


@pytest.mark.parametrize("community", [None, "中兴"])
@pytest.mark.parametrize("panel", ["care", "model"])
def test_the_packs_month_axes_name_each_month_once(app_db, community, panel):
    svg = chart_svgs(collect_pack(community=community))[panel]
    months = re.findall(r">(\d{4}年\d{1,2}月)<", svg)
    assert len(months) >= 2, months
    assert len(months) == len(set(months)), months
