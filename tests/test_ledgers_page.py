"""台账导入导出 page under hostile uploads (AppTest): a Chinese error, never an exception; corrections shown."""
from __future__ import annotations

import pandas as pd
from staff_apptest import _staff_templates, engine, sign_in, texts  # noqa: F401
from test_abuse_ledgers import CENTRE, LAUGHS, occupancy_rows, template, with_sheet, zip_bomb

from lib.ledger_io import csv_bytes


def _upload(at, name: str, data: bytes, kind: str):
    at.selectbox(key="ledgers.kind").set_value(kind).run()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, texts(at.exception)
    return at


def test_evil_uploads_show_a_chinese_error(engine):  # noqa: F811
    at = sign_in("admin", "ledgers")
    laughs = with_sheet("每日入住", occupancy_rows([CENTRE, "2024-01-05", "&lol4;"]), prolog=LAUGHS)
    for name, data, words in [("笑.xlsx", laughs, "被禁止的 XML 实体"), ("炸弹.xlsx", zip_bomb(), "解压后达"),
                              ("坏.xlsx", laughs[: len(laughs) // 2], "不是有效的 Excel")]:
        _upload(at, name, data, "每日入住")
        errors = texts(at.error)
        assert any(f"无法读取「{name}」" in e and words in e for e in errors), errors
        assert "ledgers.commit" not in [b.key for b in at.button]  # nothing to confirm


def test_correction_is_shown_old_to_new(engine):  # noqa: F811
    at = sign_in("admin", "ledgers")
    first = template("五星评定", [["中兴", "平安法治星", "创建中", 82.2, "2024-02-01"]])
    _upload(at, "初评.xlsx", first, "五星评定")
    at.button(key="ledgers.commit").click().run()
    assert any("新增 1 条" in s for s in texts(at.success)), texts(at.error)
    fixed = template("五星评定", [["中兴", "平安法治星", "已达标", 88.5, "2024-02-01"]])
    _upload(at, "更正.xlsx", fixed, "五星评定")
    preview = at.dataframe[-1].value
    assert preview["处理"].tolist() == ["更正"]
    assert (preview["状态"].iloc[0], preview["得分"].iloc[0]) == ("创建中 → 已达标", "82.2 → 88.5")
    assert any("1 条将更正" in s for s in texts(at.success))
    assert not at.button(key="ledgers.commit").disabled


def test_long_problems_are_listed_in_full(engine):  # noqa: F811
    at = sign_in("admin", "ledgers")
    name = "很长的机构名称" * 8
    data = csv_bytes(pd.DataFrame({"机构": [name], "日期": ["2024-01-05"], "入住人数": [4]}))
    _upload(at, "长.csv", data, "每日入住")
    problems = at.table[0].value["问题"].tolist()
    assert len(problems) == 1 and problems[0].startswith(f"第2行「机构」：未找到养老机构“{name}”")  # not cut


def test_page_exports_neutralise_formula_text(engine, monkeypatch):  # noqa: F811
    """A stored note starting with = comes back as text from both 「下载当前数据」 buttons (xlsx and CSV)."""
    import io

    import streamlit.testing.v1.app_test as app_test_module
    from openpyxl import load_workbook
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stores: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            stores.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    note = '=HYPERLINK("http://evil.example","点我")'
    at = sign_in("admin", "ledgers")
    _upload(at, "公式.xlsx", template("示范社区状态", [["中兴", "创建中", "2024-02-01", note]]), "示范社区状态")
    at.button(key="ledgers.commit").click().run()
    assert any("新增 1 条" in s for s in texts(at.success)), texts(at.error)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    content = {label: stores[-1].get_file(b.proto.url.rsplit("/", 1)[-1]).content for label, b in buttons.items()}
    xlsx = next(v for k, v in content.items() if k.startswith("下载当前数据（全街道"))
    cell = next(c for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row if c.value == note)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    text = content["下载当前数据（CSV）"].decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and ",=HYPERLINK(" not in text
