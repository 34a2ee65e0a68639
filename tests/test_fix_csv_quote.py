"""CSV export puts a ' before text that starts like a formula (= + - @ tab CR); importing the file takes exactly that
one ' off again, so downloading 当前数据 and uploading it changes nothing, however often it is done."""
from __future__ import annotations

import pandas as pd
import pytest
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import ledger
from lib.ledger_io import FORMULA_STARTS, load_rows, neutralise
from lib.writes import record_model_status

NOTES = ["-按市创文指挥部要求复核", "=1+1", "+86 电话复核", "@街道办", "'已引用", "''=两个引号", "普通备注",
         "'-已有引号的负号"]


@pytest.mark.parametrize("text", NOTES)
def test_export_then_load_gives_the_text_back(text):
    data = ledger.export_csv(pd.DataFrame({"备注": [text]}))
    rows, _ = load_rows(data, "备注.csv")
    assert rows[1][1] == [text]


@pytest.mark.parametrize(("cell", "read"), [
    ("'=SUM(A1)", "=SUM(A1)"), ("'+1", "+1"), ("'-按要求", "-按要求"), ("'@x", "@x"),
    ("'普通", "'普通"), ("'", "'"), ("''=x", "'=x"), ("中'=x", "中'=x"),
])
def test_csv_cells_lose_only_the_quote_neutralise_adds(cell, read):
    rows, _ = load_rows(f"备注\n\"{cell}\"\n".encode(), "备注.csv")
    assert rows[1][1] == [read]


def test_every_start_neutralise_guards_is_undone():
    for start in FORMULA_STARTS:
        text = start + "x"
        rows, _ = load_rows(ledger.export_csv(pd.DataFrame({"备注": [text]})), "备注.csv")
        assert rows[1][1] == [neutralise(text)[1:]] == [text]


def test_round_trips_of_current_data_change_nothing(world):
    record_model_status(world.staff, community="中兴", status="创建中", valid_from="2024-02-01",
                        note="-按市创文指挥部要求复核", engine=world.engine, today=world.today)
    for _ in range(2):
        data = ledger.export_csv(ledger.current_ledger("示范社区状态", community="中兴", engine=world.engine))
        preview = ledger.read_ledger(data, "示范社区状态_中兴.csv", "示范社区状态", actor=world.staff,
                                     engine=world.engine, today=world.today)
        assert preview.ok and (preview.inserts, preview.corrections) == (0, 0), preview.frame().to_dict("records")
        ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)
    current = ledger.current_ledger("示范社区状态", community="中兴", engine=world.engine)
    assert current["备注"].tolist() == ["-按市创文指挥部要求复核"]
