"""A ledger file may hold one row per record: two rows that name the same record differently (the facility with or
without the 光武街道 prefix, a figure by its name and by its code) are refused as duplicates, naming both rows, and
nothing is written."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from staff_fixtures import _staff_templates, world  # noqa: F401

from lib import ledger
from lib.db import session_scope
from lib.errors import ValidationError
from lib.ledger_kinds import KINDS
from lib.models import AuditLog, CareOccupancy, Fact, StarAssessment

OCC_HEAD = "机构,日期,入住人数\n"
FACT_HEAD = "社区,对象,指标名称,指标代码,数值,单位,日期,来源\n"
STAR_HEAD = "社区,星级,状态,得分,评定日期\n"

CASES = [
    # id, kind, header, two rows naming one record
    ("facility without the 光武街道 prefix", "每日入住", OCC_HEAD,
     "光武街道综合养老服务中心,2024-02-01,48\n", "综合养老服务中心,2024-02-01,30\n"),
    ("facility by its key", "每日入住", OCC_HEAD,
     "光武街道综合养老服务中心,2024-02-01,48\n", "care_centre,2024-02-01,30\n"),
    ("facility with full-width letters and spaces", "每日入住", OCC_HEAD,
     "综合养老服务中心,2024-02-01,48\n", "光武街道 综合养老服务中心,2024/2/1,30\n"),
    ("figure by name, then by code", "指标数据", FACT_HEAD,
     "中兴,,常住人口,,7200,人,2024-02-01,人口台账\n",
     "中兴,中兴社区,常住人口,resident_population,9900,人,2024-02-01,人口台账\n"),
    ("figure by code, then by name", "指标数据", FACT_HEAD,
     "中兴,中兴社区,常住人口,resident_population,9900,人,2024-02-01,人口台账\n",
     "中兴,,常住人口,,7200,人,2024-02-01,人口台账\n"),
    ("figure with the subject left to default", "指标数据", FACT_HEAD,
     "中兴,,常住人口,,7200,人,2024-02-01,人口台账\n", "中兴,中兴社区,常住人口,,7300,人,2024-02-01,人口台账\n"),
    ("figure of a community named short and full (plan_fact stores the full name)", "指标数据", FACT_HEAD,
     "中兴,中兴,常住人口,,7200,人,2024-02-01,人口台账\n", "中兴,中兴社区,常住人口,,7300,人,2024-02-01,人口台账\n"),
    ("star by short and full community name", "五星评定", STAR_HEAD,
     "中兴,支部过硬星,已达标,95,2024-01-05\n", "中兴社区,支部过硬星,创建中,60,2024-01-05\n"),
]


def _counts(engine) -> tuple[int, ...]:
    with session_scope(engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (CareOccupancy, Fact, StarAssessment,
                                                                             AuditLog))


@pytest.mark.parametrize(("kind", "head", "first", "second"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_two_names_of_one_record_are_one_key(world, kind, head, first, second):
    data = (head + first + second).encode()
    before = _counts(world.engine)
    preview = ledger.read_ledger(data, "重复.csv", kind, actor=world.staff, engine=world.engine, today=world.today)
    expected = f"第3行与第2行重复（{KINDS[kind].key_help}："
    assert [e for e in preview.errors if e.startswith(expected)], preview.errors
    assert not preview.ok and preview.frame()["处理"].tolist()[1] == "有误"
    with pytest.raises(ValidationError) as err:
        ledger.commit_ledger(world.staff, preview, engine=world.engine, today=world.today)
    assert "未写入任何数据" in err.value.message
    assert _counts(world.engine) == before


@pytest.mark.parametrize(("kind", "head", "first", "second"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_row_alone_imports(world, kind, head, first, second):
    """The rows are refused for being twice, not for anything else."""
    for row in (first, second):
        preview = ledger.read_ledger((head + row).encode(), "一行.csv", kind, actor=world.staff, engine=world.engine,
                                     today=world.today)
        assert preview.ok, preview.errors


def test_different_records_with_similar_names_are_not_duplicates(world):
    data = (OCC_HEAD + "光武街道综合养老服务中心,2024-02-01,48\n综合养老服务中心,2024-02-02,47\n").encode()
    preview = ledger.read_ledger(data, "两天.csv", "每日入住", actor=world.staff, engine=world.engine, today=world.today)
    assert preview.ok and preview.inserts == 2
