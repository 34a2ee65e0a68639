"""The 台账 kinds: Chinese columns, what each means, the row key, the form it feeds, the current data.

A kind's `plan(ctx, args)` is the same planner the form uses, so a ledger row is validated exactly
like a form submit. `current(community, engine)` returns today's state in template layout (Chinese
headers), which imports back without changes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from lib.db import get_engine
from lib.models import HOUSEHOLD_LADDER, CareFacility, Community
from lib.queries.care import occupancy_series
from lib.queries.facts import facts
from lib.queries.model_communities import model_status
from lib.queries.relocation import household_status
from lib.scope import short_name
from lib.queries.stars import star_matrix
from lib.writes.base import Outcome, WriteContext
from lib.writes.community import MODEL_STATUSES, STAR_STATUSES, STARS, plan_fact, plan_model_status, plan_star
from lib.writes.progress import plan_household_step, plan_occupancy

PREFIX_QUALIFIERS = ("超过", "约", "近", "不足")


@dataclass(frozen=True)
class Column:
    header: str  # also the field name in messages
    arg: str  # keyword of the planner
    kind: str  # text | number | int | date | choice
    required: bool
    help: str
    example: Any = None
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    unit: str | None = None  # number columns: the unit the planner reads the number in …
    unit_header: str | None = None  # … or the column whose cell gives it (指标数据: 单位)


@dataclass(frozen=True)
class LedgerKind:
    name: str
    table: str
    columns: tuple[Column, ...]
    # The row's key as written, for messages. Whether two rows are one record is the planner's resolved key
    # (Outcome.key: the facility found by name, a figure's code found by its name …; lib.ledger._plan_all).
    key: Callable[[dict], tuple]
    plan: Callable[[WriteContext, dict], Outcome]
    current: Callable[[str | None, Engine | None], pd.DataFrame]
    notes: tuple[str, ...] = ()
    examples: tuple[tuple, ...] = ()
    order: Callable[[dict], Any] | None = None  # process rows in this order (e.g. ladder order)
    key_help: str = ""
    key_args: tuple[str, ...] = ()  # planner keywords of the key (a stored row matching them all is corrected)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _c(value: Any) -> str:
    return short_name(value) or _s(value)


def _fact_key(a: dict) -> tuple:
    subject = _s(a.get("subject")) or (_c(a.get("community")) + "社区" if _s(a.get("community")) else "光武街道")
    return subject, _s(a.get("indicator")) or _s(a.get("label")), _s(a.get("valid_from"))


def _stars_current(community: str | None, engine: Engine | None) -> pd.DataFrame:
    df = star_matrix(community=community, engine=engine)
    return pd.DataFrame({"社区": df["community"], "星级": df["star"], "状态": df["status"],
                         "得分": df["score"], "评定日期": df["valid_from"]})


def _model_current(community: str | None, engine: Engine | None) -> pd.DataFrame:
    df = model_status(community=community, engine=engine)
    return pd.DataFrame({"社区": df["community"], "状态": df["status"], "生效日期": df["valid_from"],
                         "备注": df["note"]})


def _households_current(community: str | None, engine: Engine | None) -> pd.DataFrame:
    df = household_status(community=community, engine=engine)
    area = [a if s == HOUSEHOLD_LADDER[-1] else None for s, a in zip(df["status"], df["demolished_area_m2"],
                                                                      strict=True)]
    return pd.DataFrame({"户编号": df["code"], "状态": df["status"], "日期": df["since"], "拆除面积（平方米）": area})


def _occupancy_current(community: str | None, engine: Engine | None) -> pd.DataFrame:
    stmt = (select(CareFacility.key, CareFacility.name).outerjoin(Community, Community.id == CareFacility.community_id)
            .order_by(CareFacility.id))
    if community:
        stmt = stmt.where(Community.name == community)
    with (engine or get_engine()).connect() as conn:
        fac = conn.execute(stmt).all()
    parts = []
    for key, name in fac:
        df = occupancy_series(facility=key, engine=engine)
        if not df.empty:
            parts.append(pd.DataFrame({"机构": name, "日期": df["day"], "入住人数": df["occupied"]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["机构", "日期", "入住人数"])


def fact_value_text(value: float, qualifier: str) -> Any:
    """The 数值 cell for a stored figure: a number, or text keeping its qualifier (6100余, 超过100000)."""
    number = int(value) if float(value).is_integer() else float(value)
    if not qualifier:
        return number
    return f"{qualifier}{number}" if qualifier in PREFIX_QUALIFIERS else f"{number}{qualifier}"


def _facts_current(community: str | None, engine: Engine | None) -> pd.DataFrame:
    df = facts(community=community, engine=engine)
    return pd.DataFrame({
        "社区": community, "对象": df["subject"], "指标名称": df["label"], "指标代码": df["indicator"],
        "数值": [fact_value_text(v, q or "") for v, q in zip(df["value"], df["qualifier"], strict=True)],
        "单位": df["unit"], "日期": df["valid_from"], "来源": df["source_title"], "原文或说明": df["quote"]})


COMMUNITY_HELP = "社区简称，如 中兴（写“中兴社区”也可）"
DATE_HELP = "日期，如 2024-01-05，不能晚于今天"

KINDS: dict[str, LedgerKind] = {k.name: k for k in [
    LedgerKind(
        "五星评定", "star_assessment",
        (Column("社区", "community", "text", True, COMMUNITY_HELP, "中兴"),
         Column("星级", "star", "choice", True, "五星之一", "支部过硬星", tuple(STARS)),
         Column("状态", "status", "choice", True, "评定结果", "已达标", tuple(STAR_STATUSES)),
         Column("得分", "score", "number", False, "0–100 的分数，可留空", 92.5, aliases=("分数",)),
         Column("评定日期", "valid_from", "date", True, DATE_HELP, "2024-01-05", aliases=("日期",))),
        lambda a: (_c(a["community"]), _s(a["star"]), _s(a["valid_from"])),
        lambda ctx, a: plan_star(ctx, **a), _stars_current,
        key_help="社区＋星级＋评定日期", key_args=("community", "star", "valid_from"),
        examples=(("中兴", "支部过硬星", "已达标", 92.5, "2024-01-05"), ("西华", "平安法治星", "创建中", 68, "2024-01-05")),
    ),
    LedgerKind(
        "示范社区状态", "model_status",
        (Column("社区", "community", "text", True, COMMUNITY_HELP, "中兴"),
         Column("状态", "status", "choice", True, "示范社区创建状态", "已命名示范社区", tuple(MODEL_STATUSES)),
         Column("生效日期", "valid_from", "date", True, DATE_HELP, "2023-09-23", aliases=("日期",)),
         Column("备注", "note", "text", False, "依据或说明，可留空", "市创文指挥部命名")),
        lambda a: (_c(a["community"]), _s(a["valid_from"])),
        lambda ctx, a: plan_model_status(ctx, **a), _model_current,
        key_help="社区＋生效日期", key_args=("community", "valid_from"),
        examples=(("中兴", "已命名示范社区", "2023-09-23", "市创文指挥部命名"),),
    ),
    LedgerKind(
        "征迁户状态", "household_event",
        (Column("户编号", "code", "text", True, "征迁户的匿名编号，如 WH-001（不填姓名）", "WH-001"),
         Column("状态", "status", "choice", True, "该户到达的环节；须按 未签约→已签约→已交钥匙→已拆除 逐级登记，"
                "同一户可在多行中依次登记", "已签约", tuple(HOUSEHOLD_LADDER)),
         Column("日期", "on", "date", True, DATE_HELP + "，不能早于上一环节", "2023-11-10"),
         Column("拆除面积（平方米）", "demolished_area_m2", "number", False,
                "仅“已拆除”填写；留空则按该户房屋面积", "", aliases=("拆除面积",), unit="平方米")),
        lambda a: (_s(a["code"]), _s(a["status"])),
        lambda ctx, a: plan_household_step(ctx, **a), _households_current,
        key_help="户编号＋状态", key_args=("code", "status"),
        examples=(("WH-077", "已签约", "2023-11-10", None), ("WH-077", "已交钥匙", "2023-11-12", None),
                  ("WH-077", "已拆除", "2023-11-15", 135.5)),
        order=lambda a: (str(a.get("code")), HOUSEHOLD_LADDER.index(a["status"])
                         if a.get("status") in HOUSEHOLD_LADDER else 9),
    ),
    LedgerKind(
        "每日入住", "care_occupancy",
        (Column("机构", "facility", "text", True, "养老机构名称", "光武街道综合养老服务中心", aliases=("机构名称",)),
         Column("日期", "day", "date", True, DATE_HELP, "2024-01-05"),
         Column("入住人数", "occupied", "int", True, "当日在住老人数，0 到床位数之间的整数", 48, aliases=("入住",),
                unit="人")),
        lambda a: (_s(a["facility"]), _s(a["day"])),
        lambda ctx, a: plan_occupancy(ctx, **a), _occupancy_current,
        key_help="机构＋日期", key_args=("facility", "day"),
        examples=(("光武街道综合养老服务中心", "2024-01-05", 48), ("光武街道综合养老服务中心", "2024-01-06", 47)),
    ),
    LedgerKind(
        "指标数据", "fact",
        (Column("社区", "community", "text", False, "社区级指标填社区；街道级留空（仅街道管理员）", "中兴"),
         Column("对象", "subject", "text", False, "指标所属对象，默认为该社区全称或“光武街道”", "中兴社区"),
         Column("指标名称", "label", "text", True, "如 常住人口", "常住人口"),
         Column("指标代码", "indicator", "text", False, "系统内部代码，导出时自动带出；新指标可留空", ""),
         Column("数值", "value", "number", True, "可写 4.96万、6100余、超过10万、3,847、77%；按“单位”列的单位读，"
                "如单位为万元时写 832 或 832万元", "1.2万", unit_header="单位"),
         Column("单位", "unit", "text", True, "如 人、户、平方米、%", "人"),
         Column("日期", "valid_from", "date", True, "数据截至日期，" + DATE_HELP, "2024-01-05"),
         Column("来源", "source_title", "text", True, "数据出处，如 中兴社区2024年1月人口台账", "中兴社区2024年1月人口台账"),
         Column("原文或说明", "quote", "text", False, "原文摘录或口径说明，可留空", "")),
        _fact_key,
        lambda ctx, a: plan_fact(ctx, **a), _facts_current,
        notes=("数值中的“余”“多”“超过”“约”等限定词会原样保留，如 6100余平方米。",),
        key_help="对象＋指标（代码或名称）＋日期", key_args=("subject", "indicator", "valid_from"),
        examples=(("中兴", "中兴社区", "常住人口", None, "1.2万", "人", "2024-01-05", "中兴社区2024年1月人口台账", None),),
    ),
]}

GENERAL_NOTES = (
    "请在第一个工作表中填写，第一行为表头，从第二行起每行一条记录；本说明页不会被导入。",
    "数字可按习惯书写：4.96万、1.2亿、3,847、6100余、600多、超过10万、77%、全角数字（４．９６万）均可识别，导入前会逐项显示“读作”结果。",
    "日期请写成 2024-01-05（也可写 2024/1/5 或 2024年1月5日），不能晚于今天。",
    "同一文件内同一键（见“键”说明）只能出现一次；与系统中已有数据相同的行不会重复写入。",
    "社区工作人员只能导入本社区的数据；任一行有误时整份文件都不会写入。",
    "CSV 文件可用 UTF-8 或 GBK 编码；建议直接使用本 Excel 模板。",
)
