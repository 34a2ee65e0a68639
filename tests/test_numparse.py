"""lib.numparse: numbers as people type them, each with how it was read."""
from __future__ import annotations

import pytest

from lib.errors import ValidationError
from lib.numparse import cn_small, parse_number

GOOD = [
    # text, kwargs, value, qualifier, words that must appear in the note ("" = no note)
    ("3847", {}, 3847, "", ""),
    ("4.96", {}, 4.96, "", ""),
    ("-3", {}, -3, "", ""),
    ("4.96万", {}, 49600, "", "“4.96万”读作 49600"),
    ("４．９６万", {}, 49600, "", "“４．９６万”读作 49600"),
    ("1.2亿", {}, 120_000_000, "", "读作 120000000"),
    ("3,847", {}, 3847, "", "“3,847”读作 3847"),
    ("3，847", {}, 3847, "", "“3，847”读作 3847"),
    ("1,234,567.5", {}, 1234567.5, "", "读作 1234567.5"),
    ("6100余", {}, 6100, "余", "限定词“余”"),
    ("600多", {}, 600, "多", "限定词“多”"),
    ("10内", {}, 10, "内", "限定词“内”"),  # the article's 「10天内」, as a ledger exports it
    ("超过10万", {}, 100_000, "超过", "读作 100000（限定词“超过”"),
    ("约3000", {}, 3000, "约", "限定词“约”"),
    ("800余万元", {}, 8_000_000, "余", "单位“元”已去掉"),
    ("50多个", {}, 50, "多", "单位“个”已去掉"),
    ("77%", {}, 77, "", "百分比"),
    ("77％", {}, 77, "", "百分比"),
    ("4.96万人", {}, 49600, "", "单位“人”已去掉"),
    ("12㎡", {}, 12, "", "单位“平方米”已去掉"),
    ("48张", {"unit": "张"}, 48, "", "单位“张”已去掉"),
    ("  12 ", {}, 12, "", ""),
    ("十一", {}, 11, "", "“十一”读作 11"),
    ("两", {}, 2, "", "读作 2"),
    ("二十五", {}, 25, "", "读作 25"),
    ("一百零五", {}, 105, "", "读作 105"),
    ("两万", {}, 20000, "", "读作 20000"),
    ("6０", {}, 60, "", "“6０”读作 60"),
    (48, {}, 48, "", ""),
    (92.5, {}, 92.5, "", ""),
    ("1.2万", {"integer": True}, 12000, "", "读作 12000"),
    ("约 3000 人", {}, 3000, "约", "读作 3000"),  # spaces beside a number are fine; only between its digits they are not
    ("４２", {}, 42, "", "读作 42"),
]

BAD = [
    ("abc", {"field": "床位数"}, "「床位数」：“abc”不是数字"),
    ("", {"field": "入住人数"}, "「入住人数」：不能为空"),
    (None, {}, "「数值」：不能为空"),
    ("3,84", {}, "千位分隔符位置不对"),
    ("12,34,567", {}, "千位分隔符位置不对"),
    ("4.5", {"field": "入住人数", "integer": True}, "「入住人数」：“4.5”应为整数"),
    (4.5, {"field": "入住人数", "integer": True}, "应为整数"),
    ("1e5", {}, "不是数字"),
    ("余", {}, "不是数字"),
    ("超过600多", {}, "限定词重复"),
    ("一百一", {}, "不是数字"),
    ("二三", {}, "不是数字"),
    ("12..5", {}, "不是数字"),
    (float("nan"), {}, "不是数字"),
    (True, {}, "不是数字"),
    # read silently wrong before: NFKC made 「5²」 52, and every space was dropped (「1 2」 → 12 people)
    ("5²", {}, "「数值」：“5²”不是数字"),
    ("①", {}, "不是数字"),
    ("½", {}, "不是数字"),
    ("1 2", {"field": "入住人数"}, "「入住人数」：“1 2”的数字中间有空格，请确认后重新填写"),
    ("3　000", {}, "数字中间有空格"),
]


@pytest.mark.parametrize(("text", "kwargs", "value", "qualifier", "note"), GOOD)
def test_reads_numbers_as_typed(text, kwargs, value, qualifier, note):
    parsed = parse_number(text, **kwargs)
    assert parsed.value == pytest.approx(value)
    assert parsed.qualifier == qualifier
    if note:
        assert note in parsed.note
    else:
        assert parsed.note == ""


@pytest.mark.parametrize(("text", "kwargs", "message"), BAD)
def test_rejects_with_field_named(text, kwargs, message):
    with pytest.raises(ValidationError) as err:
        parse_number(text, **kwargs)
    assert message in err.value.message
    assert err.value.message.startswith(f"「{kwargs.get('field', '数值')}」")


def test_percent_flag_and_original_text_kept():
    parsed = parse_number("77%")
    assert parsed.percent and parsed.text == "77%" and parsed.as_int == 77
    assert not parse_number("77").percent


@pytest.mark.parametrize(("text", "value"), [
    ("零", 0), ("十", 10), ("十一", 11), ("二十", 20), ("一百零五", 105), ("三千二百", 3200), ("一千零五十", 1050),
    ("百", None), ("二三", None), ("一百一", None), ("五五", None), ("abc", None), ("", None),
])
def test_chinese_numerals(text, value):
    assert cn_small(text) == value
