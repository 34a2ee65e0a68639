"""A figure made of reported figures quotes each of them: 「签约进度 62/78户（79%）」 is defended in a meeting by the
article's two sentences, not by its title alone (the card's source, the PDF's citation, the Excel's 出处)."""
from __future__ import annotations

import datetime as dt

from lib.briefing import collect
from lib.figures import Figure, derived

D = dt.date(2023, 11, 22)
SIGNED = Figure("已签约", "62户", "article", D, value=62, citation="已签订协议62户", source_title="报道")
TOTAL = Figure("涉迁户", "78户", "article", D, value=78, citation="10天内完成了78户涉迁户的工作", source_title="报道")


def test_a_ratio_quotes_both_parts_in_order():
    ratio = derived([SIGNED, TOTAL], label="签约进度", display="62/78户（79%）")
    assert ratio.citation == "已签订协议62户”；“10天内完成了78户涉迁户的工作"
    assert "原文：“已签订协议62户”；“10天内完成了78户涉迁户的工作”" in ratio.provenance()
    assert collect._citation(ratio) == "原文：“已签订协议62户”；“10天内完成了78户涉迁户的工作”"


def test_one_quote_once_and_an_unquoted_part_leaves_no_partial_quote():
    assert derived([SIGNED, SIGNED], label="x", display="x").citation == "已签订协议62户"
    staff = Figure("已签约", "63户", "staff", D, value=63, author="录入员")
    assert derived([staff, TOTAL], label="签约进度", display="63/78户").citation is None
