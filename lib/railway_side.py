"""Which side of the 焦枝铁路 a community lies on, with its basis. The article places only 榆树庄 (「作为铁路以西
创建先行先试区」); the other sides come from the schematic map (data/communities.csv: side_source), so a side
reads 「铁路以东（示意）」 unless a source states it."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import aliased

from lib.models import Community, Source, SourceKind

SIDE_SOURCE = aliased(Source, name="side_source")
# the basis in a word: the schematic map's source is of the demo kind, but a side is drawn, not made up
BASIS = {SourceKind.ARTICLE.value: "报道", SourceKind.OFFICIAL.value: "官方", SourceKind.STAFF.value: "录入",
         SourceKind.SURVEY.value: "测绘", SourceKind.DEMO.value: "示意"}


def columns() -> list:
    """Select these, then `joined(stmt)`, then `labelled(df)`."""
    return [Community.side, SIDE_SOURCE.kind.label("side_kind"), Community.side_quote]


def joined(stmt):
    return stmt.outerjoin(SIDE_SOURCE, SIDE_SOURCE.id == Community.side_source_id)


def label(side: str, kind: str | None) -> str:
    """「铁路以西（报道）」, 「铁路以东（示意）」; a side of unknown basis is schematic."""
    return f"{side}（{BASIS.get(kind or '', '示意')}）"


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    """`side` as its label; `side_quote` only where the article states the side."""
    out = df.assign(side=[label(s, k) for s, k in zip(df["side"], df["side_kind"], strict=True)])
    out["side_quote"] = [q if k == SourceKind.ARTICLE.value and isinstance(q, str) else None
                         for q, k in zip(out["side_quote"], out["side_kind"], strict=True)]
    return out.drop(columns=["side_kind"]).astype({"side_quote": object})
